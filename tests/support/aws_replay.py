"""Replay a generated CloudFormation template as AWS SDK calls against moto, and read every resource back.

CloudFormation in moto drops most ECS properties (tooling notes, section 2), so the proof that a
template deploys replays it the way CloudFormation would: resources in dependency order, each one
created with the SDK call its type stands for, with Ref, Fn::GetAtt, Fn::Sub, Fn::Join and
Fn::ImportValue resolved to what was created before. boto3 validates every call against the AWS
model before moto sees it, so a property that has no API equivalent fails here.

Each type's handler (tests/support/aws_handlers.py) returns what it sent and what it read back; the
caller diffs the two, allowing only what `aws_handlers` lists as moto's defaults and drops.
"""

from __future__ import annotations

import graphlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"
PSEUDO = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


NO_VALUE = object()  # Ref AWS::NoValue: the property is left out


class ReplayError(AssertionError):
    """The template cannot be replayed: an unknown type, intrinsic or parameter; fails the test."""


@dataclass
class Created:
    """One replayed resource: its Ref value, its attributes, and the sent and read-back API input."""

    ref: Any
    attributes: dict[str, Any] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)
    read_back: dict[str, Any] = field(default_factory=dict)
    logical_id: str = ""
    type: str = ""


@dataclass
class Replay:
    """State shared by the resources of one or more stacks replayed into the same moto account."""

    clients: Callable[[str], Any]
    parameters: dict[str, Any]
    exports: dict[str, Any] = field(default_factory=dict)
    created: dict[str, Created] = field(default_factory=dict)
    stack: str = "stack"
    by_suffix: dict[str, Any] = field(default_factory=dict)  # e.g. every `...CertificateArn` parameter
    conditions: dict[str, bool] = field(default_factory=dict)

    def evaluate(self, conditions: dict[str, Any]) -> None:
        """The template's Conditions, evaluated with the parameters the proof supplies."""
        self.conditions = {}
        pending = dict(conditions)
        while pending:
            for name, body in list(pending.items()):
                try:
                    self.conditions[name] = self._condition(body)
                except KeyError:
                    continue  # refers to a condition not evaluated yet
                del pending[name]

    def _condition(self, body: Any) -> bool:
        (name, argument), = body.items()
        if name == "Condition":
            return self.conditions[argument]
        if name == "Fn::Not":
            return not self._condition(argument[0])
        if name == "Fn::And":
            return all(self._condition(a) for a in argument)
        if name == "Fn::Or":
            return any(self._condition(a) for a in argument)
        if name == "Fn::Equals":
            return bool(self.resolve(argument[0]) == self.resolve(argument[1]))
        raise ReplayError(f"condition function {name} is not replayed; add it to tests/support/aws_replay.py")

    def enabled(self, body: dict[str, Any]) -> bool:
        return "Condition" not in body or self.conditions[body["Condition"]]

    def resolve(self, value: Any) -> Any:
        """A property value with every intrinsic function replaced by what it evaluates to."""
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            name, argument = next(iter(value.items()))
            if name == "Ref" or name.startswith("Fn::"):
                return self._intrinsic(name, argument)
        return {k: v for k, v in ((k, self.resolve(v)) for k, v in value.items()) if v is not NO_VALUE}

    def _intrinsic(self, name: str, argument: Any) -> Any:
        if name == "Ref" and argument == "AWS::NoValue":
            return NO_VALUE
        if name == "Fn::If":
            condition, yes, no = argument
            return self.resolve(yes if self.conditions[condition] else no)
        if name == "Ref":
            return self._ref(argument)
        if name == "Fn::GetAtt":
            logical, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self._attribute(logical, attribute)
        if name == "Fn::Sub":
            text, names = (argument, {}) if isinstance(argument, str) else argument
            local = {k: self.resolve(v) for k, v in names.items()}
            return _SUB_VAR.sub(lambda m: str(local[m.group(1)] if m.group(1) in local else self._sub_var(m.group(1))), text)
        if name == "Fn::Join":
            separator, items = argument
            return separator.join(str(v) for v in self.resolve(items))
        if name == "Fn::Select":
            index, items = argument
            return self.resolve(items)[int(self.resolve(index))]
        if name == "Fn::Split":
            separator, text = argument
            return str(self.resolve(text)).split(separator)
        if name == "Fn::ImportValue":
            export = self.resolve(argument)
            if export not in self.exports:
                raise ReplayError(f"Fn::ImportValue of {export!r}, which no replayed stack exports")
            return self.exports[export]
        raise ReplayError(f"intrinsic function {name} is not replayed; add it to tests/support/aws_replay.py")

    def _sub_var(self, name: str) -> Any:
        return self._attribute(*name.split(".", 1)) if "." in name else self._ref(name)

    def _ref(self, name: str) -> Any:
        if name in PSEUDO:
            return PSEUDO[name]
        if name == "AWS::StackName":
            return self.stack
        if name in self.parameters:
            return self.parameters[name]
        if name in self.created:
            return self.created[name].ref
        raise ReplayError(f"Ref {name!r} is neither a parameter the proof supplies nor a replayed resource")

    def _attribute(self, logical: str, attribute: str) -> Any:
        created = self.created.get(logical)
        if created is None or attribute not in created.attributes:
            raise ReplayError(f"Fn::GetAtt {logical}.{attribute}: no such replayed resource or attribute")
        return created.attributes[attribute]


def references(value: Any) -> set[str]:
    """Logical ids (and parameter names) a value refers to, for the dependency order."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                found.add(item[0] if isinstance(item, list) else item.split(".", 1)[0])
            elif key == "Fn::Sub":
                text = item if isinstance(item, str) else item[0]
                local = set() if isinstance(item, str) else set(item[1])
                found |= {m.group(1).split(".", 1)[0] for m in _SUB_VAR.finditer(text)} - local
                found |= references(item if isinstance(item, str) else item[1])
            else:
                found |= references(item)
    return found


def creation_order(resources: dict[str, Any]) -> list[str]:
    """Logical ids in an order where every resource comes after what it refers to or depends on."""
    graph: dict[str, set[str]] = {}
    for logical, body in resources.items():
        depends = body.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        graph[logical] = ({*references(body.get("Properties", {})), *depends} & set(resources))
    sorter = graphlib.TopologicalSorter({k: sorted(v) for k, v in sorted(graph.items())})
    return list(sorter.static_order())


def replay_template(replay: Replay, template: dict[str, Any],
                    handlers: dict[str, Callable[[Replay, str, dict[str, Any]], Created]]) -> list[Created]:
    """Create every resource of `template` through its handler; then publish the template's exports."""
    resources = template.get("Resources", {})
    unknown = sorted({body["Type"] for body in resources.values()} - set(handlers))
    if unknown:
        raise ReplayError(f"no SDK replay for {', '.join(unknown)}: add a handler in tests/support/aws_handlers.py")
    for name, spec in template.get("Parameters", {}).items():
        suffix = next((s for s in replay.by_suffix if name.endswith(s)), None)
        if name not in replay.parameters and "Default" in spec:
            replay.parameters[name] = spec["Default"]
        elif name not in replay.parameters and suffix:
            replay.parameters[name] = replay.by_suffix[suffix]
    missing = [p for p in template.get("Parameters", {}) if p not in replay.parameters]
    if missing:
        raise ReplayError(f"the deploy proof supplies no value for parameter(s) {missing}: add them to PARAMETERS")
    replay.evaluate(template.get("Conditions", {}))
    done = []
    for logical in creation_order(resources):
        body = resources[logical]
        if not replay.enabled(body):
            continue
        properties = replay.resolve(body.get("Properties", {}))
        created = handlers[body["Type"]](replay, f"{replay.stack}-{logical}", properties)
        created.logical_id, created.type = logical, body["Type"]
        replay.created[logical] = created
        done.append(created)
    for output in template.get("Outputs", {}).values():
        if "Export" in output:
            replay.exports[replay.resolve(output["Export"]["Name"])] = replay.resolve(output["Value"])
    return done
