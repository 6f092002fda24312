"""Every rendered resource names the Kubernetes objects it comes from, in its Metadata.

This is the one place that guarantees it, so a new resource type gets provenance without its
template or mapping doing anything. Mapping code states the objects it knows
(`model/provenance.py`); a resource that names none inherits them through the references
between resources: first from the resources that use it (a listener from the ECS service that
waits for it), else from the resources it uses (a scaling policy from its scalable target),
else from what those inherit (a security-group rule from its group).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

from translator.model.ecs import KeyValues, Metadata, Resource, SourceObject, Stack
from translator.model.intrinsics import Linked
from translator.model.provenance import KEY
from translator.render.values import scalar_text, to_yaml

_SUB = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def stamped(stack: Stack) -> list[Resource]:
    """The stack's resources with Metadata listing their objects; the model is left as it is.

    A resource whose Metadata already lists them (most do) is returned itself rather than a copy,
    so a text rendered for it before (`ResourceTexts`) still applies; the others are copies. When
    every resource lists its objects (the parts of a split stack, stamped as a whole), there is no
    graph to walk.
    """
    if all(r.metadata.objects for r in stack.resources):
        return list(stack.resources)
    graph = _Graph(stack.resources)
    out = []
    for resource in stack.resources:
        if resource.metadata.objects:  # names its objects: the graph gives them back as they are
            out.append(resource)
            continue
        objects = graph.final(resource.logical_id)
        metadata = Metadata(tuple(objects)) if objects else resource.metadata
        out.append(resource if metadata == resource.metadata else dataclasses.replace(resource, metadata=metadata))
    return out


class _Graph:
    def __init__(self, resources: Sequence[Resource]) -> None:
        self.explicit = {r.logical_id: list(r.metadata.objects) for r in resources}
        ids = set(self.explicit)
        self.uses = {r.logical_id: sorted(_references(r, ids) - {r.logical_id}) for r in resources}
        self.used_by: dict[str, list[str]] = {i: [] for i in ids}
        for logical, targets in sorted(self.uses.items()):
            for target in targets:
                self.used_by[target].append(logical)

    def final(self, logical: str) -> list[SourceObject]:
        if self.explicit[logical]:
            return self.explicit[logical]
        found = self._walk(logical, self.used_by, set()) or self._walk(logical, self.uses, set())
        if not found:
            found = [o for target in self.uses[logical] for o in self._walk(target, self.used_by, {logical})]
        return _sorted_unique(found)

    def _walk(self, logical: str, edges: dict[str, list[str]], seen: set[str]) -> list[SourceObject]:
        """Objects of the nearest resources along `edges` that name theirs explicitly."""
        seen.add(logical)
        found: list[SourceObject] = []
        for other in edges[logical]:
            if other in seen:
                continue
            found.extend(self.explicit[other] or self._walk(other, edges, seen))
        return found


@functools.lru_cache(maxsize=4096)
def metadata_block(metadata: Metadata, indent: int = 6) -> str:
    """Metadata as block YAML, one line per field of each listed object, so a diff of two templates reads well.

    Cached: the resources of one workload (its task definition, service, role, log group, security
    group) share one Metadata, so a stack has about a third as many distinct ones as resources."""
    pad = " " * indent
    lines = [f"{pad}{KEY}:\n{pad}  objects:"]
    first, rest = f"\n{pad}    - ", f"\n{pad}      "
    for item in metadata.objects:
        lead = first
        for key, value in object_data(item).items():
            text = (scalar_text(value) if type(value) is str else None) or to_yaml(value, indent + 6)
            lines.append(f"{lead}{key}:{text}" if text[:1] == "\n" else f"{lead}{key}: {text}")
            lead = rest
    return "".join(lines)


def object_data(item: SourceObject) -> dict[str, Any]:
    """One object as Metadata lists it: its file and document only when it has a file."""
    where: dict[str, Any] = {"source": item.source, "document": item.document} if item.source else {}
    return {**where, "kind": item.kind, **({"namespace": item.namespace} if item.namespace else {}), "name": item.name}


def _sorted_unique(objects: list[SourceObject]) -> list[SourceObject]:
    unique = {tuple(sorted((k, str(v)) for k, v in object_data(o).items())): o for o in objects}
    return [unique[k] for k in sorted(unique)]


_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}  # a model class -> the values of its fields, read in C


def _fields_of(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    getter = _FIELDS.get(cls)
    if getter is None:
        names = [f.name for f in dataclasses.fields(cls) if f.name not in ("logical_id", "metadata", "depends_on")
                 or not issubclass(cls, Resource)]
        getter = _FIELDS[cls] = _getter(names)
    return getter


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A tuple of the values of `names` (attrgetter gives a bare value for one name and needs one)."""
    if len(names) > 1:
        return operator.attrgetter(*names)  # type: ignore[return-value]
    return lambda value: tuple(getattr(value, name) for name in names)


def _references(resource: Resource, ids: set[str]) -> set[str]:
    """Logical ids a resource points at: Ref, GetAtt, ${Sub}, DependsOn, or a field holding an id."""
    found = set(resource.depends_on) & ids
    pending = list(_fields_of(type(resource))(resource))
    while pending:  # a loop, not recursive generators: every value of every resource passes here
        value = pending.pop()
        kind = type(value)
        if kind is str:  # most values
            if value in ids:
                found.add(value)
            if "${" in value:
                found.update(m for m in _SUB.findall(value) if m in ids)
            continue
        getter = _FIELDS.get(kind)
        if getter is not None:  # a typed value of the model met before (not Linked or KeyValues)
            pending.extend(getter(value))
        elif value is None or kind is int or kind is bool or kind is float:
            continue
        elif kind is tuple or kind is list:
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, Linked):  # its text is for the task-definition JSON
            pending.append(value.cfn)
        elif isinstance(value, KeyValues):  # its keys are data, not ids
            pending.extend(item for _, item in value.items)
        elif dataclasses.is_dataclass(value):  # the typed model: intrinsics, property types
            pending.extend(_fields_of(kind)(value))
        elif isinstance(value, str):  # a str subclass
            pending.append(str(value))
    return found
