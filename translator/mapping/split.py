"""Split a stack over CloudFormation's limits (500 resources, 1 MB) into parts that each deploy.

The units that move are whole workloads without a load balancer: log group, execution role,
task definition and ECS service, identified by their provenance metadata. They stay in name
order, so the split is deterministic. References from a moved unit to a shared resource
(cluster, Cloud Map namespace, security group, task role, secret) become Fn::ImportValue of
an export that the first part publishes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from translator.model.ecs import EcsService, Ref, Resource, Stack
from translator.model.provenance import owner as owner_of

MAX_RESOURCES = 500
MAX_BYTES = 1_000_000
# Room for the parameters, outputs and header each part adds around its resources.
_RESOURCE_BUDGET = MAX_RESOURCES - 20
_BYTE_BUDGET = MAX_BYTES - 60_000
# `${Name}` in an Fn::Sub string; logical ids are alphanumeric, so no two such references overlap.
_SUB_NAMES = re.compile(r"\$\{([A-Za-z0-9]+)\}")


def _owner(resource: Resource) -> str:
    return owner_of(resource.metadata)


def _units(stack: Stack) -> tuple[list[Resource], list[list[Resource]]]:
    """(resources that stay, movable units in name order)."""
    by_owner: dict[str, list[Resource]] = {}
    for resource in stack.resources:
        by_owner.setdefault(_owner(resource), []).append(resource)
    fixed = by_owner.pop("", [])
    movable = []
    for owner in sorted(by_owner):
        unit = by_owner[owner]
        services = [r for r in unit if isinstance(r, EcsService)]
        if len(unit) != 4 or len(services) != 1 or services[0].load_balancers or services[0].depends_on:
            fixed.extend(unit)  # shared resources stay; units that wait for a listener or a mount target stay beside it
        else:
            movable.append(unit)
    return fixed, movable


def split_stack(stack: Stack, size_of: Callable[[Resource], int]) -> list[Stack]:
    # Each size is a render, so every resource is measured once and parts keep a running total.
    sizes = [size_of(r) for r in stack.resources]
    if len(stack.resources) <= _RESOURCE_BUDGET and sum(sizes) <= _BYTE_BUDGET:
        return [stack]
    size = {id(r): n for r, n in zip(stack.resources, sizes, strict=True)}
    fixed, movable = _units(stack)
    parts: list[list[Resource]] = [list(fixed)]
    used = sum(size[id(r)] for r in fixed)
    for unit in movable:
        needed = sum(size[id(r)] for r in unit)
        if len(parts[-1]) + len(unit) > _RESOURCE_BUDGET or used + needed > _BYTE_BUDGET:
            parts.append([])
            used = 0
        parts[-1].extend(unit)
        used += needed
    if len(parts) == 1:
        return [stack]
    return _materialise(stack, parts)


def _materialise(stack: Stack, parts: list[list[Resource]]) -> list[Stack]:
    first = Stack(stack.name, stack.namespace, dict(stack.parameters), parts[0], dict(stack.outputs),
                  conditions=dict(stack.conditions))
    result = [first]
    own_ids = {r.logical_id for r in parts[0]}
    for number, resources in enumerate(parts[1:], start=2):
        part = Stack(f"{stack.name}-{number}", stack.namespace, resources=resources)
        exports: dict[tuple[str, str], str] = {}
        resources[:] = [_rewritten(resource, own_ids, stack.name, exports) for resource in resources]
        for (logical, attribute), name in exports.items():
            value = {"Ref": logical} if not attribute else {"Fn::GetAtt": [logical, attribute]}
            first.outputs[name.replace(f"kube2ecs-{stack.name}-", "").replace("-", "")] = {"value": value, "export": name}
        used = _parameters_used(resources)
        part.parameters = {k: v for k, v in stack.parameters.items() if k in used}
        result.append(part)
    return result


def _export_name(stack: str, logical: str, attribute: str) -> str:
    return f"kube2ecs-{stack}-{logical}" + (f"-{attribute}" if attribute else "")


def _rewritten(resource: Resource, shared: set[str], stack: str, exports: dict[tuple[str, str], str]) -> Resource:
    """`resource` with its references to `shared` resources imported: a new resource when there are
    any (the stack being split keeps its own, and texts rendered from it stay valid), else itself."""
    imported = False

    def imports(logical: str, attribute: str) -> dict[str, str]:
        nonlocal imported
        imported = True
        return _import(stack, logical, attribute, exports)

    def convert(value: Any) -> Any:
        if isinstance(value, Ref):
            return Ref(convert(value.cfn), value.text)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Ref"} and value["Ref"] in shared:
            return imports(value["Ref"], "")
        if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in shared:
            return imports(value["Fn::GetAtt"][0], value["Fn::GetAtt"][1])
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
            names = set(_SUB_NAMES.findall(value["Fn::Sub"])) & shared
            if names:
                return {"Fn::Sub": [value["Fn::Sub"], {n: imports(n, "") for n in sorted(names)}]}
        return {k: convert(v) for k, v in value.items()}

    changes = {field.name: convert(getattr(resource, field.name)) for field in dataclasses.fields(resource)
               if field.name not in ("logical_id", "metadata", "depends_on")}
    return dataclasses.replace(resource, **changes) if imported else resource


def _import(stack: str, logical: str, attribute: str, exports: dict[tuple[str, str], str]) -> dict[str, str]:
    name = exports.setdefault((logical, attribute), _export_name(stack, logical, attribute))
    return {"Fn::ImportValue": name}


_PARAMETERS = ("VpcId", "Subnets", "LoadBalancerSubnets", "CertificateArn")
_ANY_PARAMETER = re.compile("|".join(_PARAMETERS))  # one C search per string instead of four


def _parameters_used(resources: list[Resource]) -> set[str]:
    """Parameters whose quoted name appears in the repr of the resources' fields.

    The reprs are checked one value at a time, without copying the resources (dataclasses.asdict)
    or joining one large text: a quoted name can only come from the repr of a single string.
    Values are tested in the order they are most common in resources, as every one is visited.
    """
    found: set[str] = set()
    pending: list[Any] = list(resources)
    while pending and len(found) < len(_PARAMETERS):
        value = pending.pop()
        if isinstance(value, str):
            if _ANY_PARAMETER.search(value):
                text = repr(value)
                found.update(name for name in _PARAMETERS if f"'{name}'" in text)
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list | tuple):
            pending.extend(value)
        elif value is None or isinstance(value, int | float):
            continue
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            pending.extend(getattr(value, f.name) for f in dataclasses.fields(value))
        else:
            text = repr(value)
            found.update(name for name in _PARAMETERS if f"'{name}'" in text)
    return found
