"""A namespace's stack while mapping fills it in: resources, parameters, outputs and conditions are
added by many steps (and reachability completes stacks across namespaces), then frozen into the
model's `Stack` for the checks and the renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from translator.model.ecs import Output, Parameter, Resource, Stack, StackCondition

R = TypeVar("R", bound=Resource)


@dataclass
class StackBuilder:
    name: str
    namespace: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    outputs: dict[str, Output] = field(default_factory=dict)
    conditions: dict[str, StackCondition] = field(default_factory=dict)
    _index: set[str] = field(default_factory=set, init=False, repr=False, compare=False)  # see `has`

    def add(self, resource: R) -> R:
        self.resources.append(resource)
        self._index.add(resource.logical_id)
        return resource

    def get(self, logical_id: str) -> Resource:
        return next(r for r in self.resources if r.logical_id == logical_id)

    def replace(self, resource: Resource) -> None:
        """Put `resource` where the resource of its logical id is: a frozen resource completed after it was added."""
        index = next(i for i, r in enumerate(self.resources) if r.logical_id == resource.logical_id)
        self.resources[index] = resource

    def ids(self) -> set[str]:
        return {r.logical_id for r in self.resources}

    def has(self, logical_id: str) -> bool:
        """Whether a resource of the stack has this logical id.

        Mapping asks before it adds each shared resource (per port, rule and service), so the ids
        are kept as resources are added rather than collected from the whole stack every time; they
        are collected again whenever the resources changed in number other than through `add`.
        """
        if len(self._index) != len(self.resources):
            self._index = self.ids()
        return logical_id in self._index

    def freeze(self) -> Stack:
        return Stack(self.name, self.namespace, tuple(self.parameters.values()), tuple(self.resources),
                     tuple(self.outputs.items()), tuple(self.conditions.items()))
