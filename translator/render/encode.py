"""The typed ECS model to plain data: the one place that knows key casing and intrinsic syntax.

Two forms of the same value:
- `cfn(value)`: what a CloudFormation template holds: PascalCase keys, `{"Ref": ...}` and the
  other intrinsics, a `Linked` value as its intrinsic;
- `api(value)`: what the ECS API (`register-task-definition`) takes: camelCase keys, a `Linked`
  value as its text.

A frozen dataclass becomes a dict of its fields in declaration order, so the order of a class's
fields is the order of the keys in the output. A field that holds None is absent. A field name is
snake_case; the key is its PascalCase or camelCase form unless `CFN_KEYS` / `API_KEYS` say
otherwise (AWS spells a few names its own way). `ORDERS` names the few values whose keys come in
another order than their class's fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from translator.model.ecs import FILES_WRITER, Conditions, ContainerDefinition, ContainerDependency, KeyValues
from translator.model.intrinsics import Equals, GetAtt, If, ImportValue, Join, Linked, Not, Ref, Select, Split, Sub

# (class name, field name) -> key, where AWS's spelling is not the mechanical one.
CFN_KEYS: dict[tuple[str, str], str] = {
    ("AuthorizationConfig", "iam"): "IAM",
    ("DnsRecord", "ttl"): "TTL",
    ("EfsVolumeConfiguration", "file_system_id"): "FilesystemId",
    ("InstanceRequirements", "memory_mib"): "MemoryMiB",
    ("Statement", "actions"): "Action",
    ("Statement", "conditions"): "Condition",
    ("Statement", "resources"): "Resource",
    ("TaskVolume", "efs_volume_configuration"): "EFSVolumeConfiguration",
}
API_KEYS: dict[tuple[str, str], str] = {
    ("InstanceRequirements", "memory_mib"): "memoryMiB",
}


def _moved(names: tuple[str, ...], name: str, after: str) -> tuple[str, ...]:
    rest = [n for n in names if n != name]
    at = rest.index(after) + 1
    return (*rest[:at], name, *rest[at:])


_CONTAINER_FIELDS = tuple(f.name for f in dataclasses.fields(ContainerDefinition))
_WRITER_ORDER = _moved(_CONTAINER_FIELDS, "mount_points", after="command")
_WAITING_ORDER = _moved(_CONTAINER_FIELDS, "depends_on", after="mount_points")
_WAITS_FOR_FILES = (ContainerDependency(FILES_WRITER, "SUCCESS"),)


def _container_order(value: ContainerDefinition) -> tuple[str, ...] | None:
    """The file writer lists its mount points after its command, and a container that waits for the
    writer alone lists that dependency after its mount points: the order in which the definitions
    were written before the model was typed, kept so that every output stays the same."""
    if value.name == FILES_WRITER:
        return _WRITER_ORDER
    if value.depends_on == _WAITS_FOR_FILES:
        return _WAITING_ORDER
    return None


# class name -> the field names of a value in key order, or None for the order of the fields.
ORDERS: dict[str, Callable[[Any], tuple[str, ...] | None]] = {
    "ContainerDefinition": _container_order,
}


def cfn(value: Any) -> Any:
    """`value` as CloudFormation template data."""
    return _encode(value, True)


def api(value: Any) -> Any:
    """`value` as ECS API data; an intrinsic outside a `Linked` value has no API form and is an error."""
    return _encode(value, False)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encode(value: Any, template: bool) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # the common cases first, by exact type: every value of every template passes here
        return value
    if kind is tuple or kind is list:
        return [_encode(v, template) for v in value]
    encoder = _ENCODERS.get(kind)  # before records: intrinsics and Linked are dataclasses too
    if encoder is not None:
        return encoder(value, template)
    if kind in _KEYS:
        return _record(value, template)
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):  # percentages: a whole number as an int, else the nearest float
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple | list):
        return [_encode(v, template) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v, template) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return _record(value, template)
    raise TypeError(f"no encoding for {type(value).__name__}")


def _record(value: Any, template: bool) -> dict[str, Any]:
    cls = type(value)
    keys = _keys(cls, template)
    order = _KEYS[cls][2]
    names = order(value) if order is not None else None
    if names is not None:
        keys = _ordered(cls, template, names)
    out: dict[str, Any] = {}
    for name, key in keys:
        item = getattr(value, name)
        if item is not None:
            out[key] = item if type(item) in _PLAIN else _encode(item, template)
    return out


# class -> ((field name, template key), ...), ((field name, API key), ...), its `ORDERS` entry; the
# classes encoded so far (intrinsics and KeyValues have encoders of their own and are not here)
_KEYS: dict[type, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...],
                        Callable[[Any], tuple[str, ...] | None] | None]] = {}


def _keys(cls: type, template: bool) -> tuple[tuple[str, str], ...]:
    """(field name, key) of a class, in field order; worked out once per class."""
    known = _KEYS.get(cls)
    if known is None:
        forms = []
        for table, lower in ((CFN_KEYS, False), (API_KEYS, True)):
            out = []
            for f in dataclasses.fields(cls):
                mechanical = "".join(p[:1].upper() + p[1:] for p in f.name.split("_"))
                if lower:
                    mechanical = mechanical[:1].lower() + mechanical[1:]
                out.append((f.name, table.get((cls.__name__, f.name), mechanical)))
            forms.append(tuple(out))
        known = _KEYS[cls] = (forms[0], forms[1], ORDERS.get(cls.__name__))
    return known[0] if template else known[1]


_ORDERED: dict[tuple[type, bool, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}


def _ordered(cls: type, template: bool, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(field name, key) of a class in the order of `names`."""
    known = _ORDERED.get((cls, template, names))
    if known is None:
        keys = dict(_keys(cls, template))
        known = _ORDERED[(cls, template, names)] = tuple((n, keys[n]) for n in names)
    return known


def _intrinsic(name: str, body: Callable[[Any, bool], Any]) -> Callable[[Any, bool], Any]:
    def encode(value: Any, template: bool) -> Any:
        if not template:
            raise TypeError(f"{type(value).__name__} has no ECS API form; wrap it in Linked with its text")
        return {name: body(value, template)}
    return encode


_ENCODERS: dict[type, Callable[[Any, bool], Any]] = {
    Ref: _intrinsic("Ref", lambda v, t: v.name),
    GetAtt: _intrinsic("Fn::GetAtt", lambda v, t: [v.logical_id, v.attribute]),
    Sub: _intrinsic("Fn::Sub", lambda v, t: v.text),
    ImportValue: _intrinsic("Fn::ImportValue", lambda v, t: _encode(v.name, t)),
    Join: _intrinsic("Fn::Join", lambda v, t: [v.delimiter, _encode(v.parts, t)]),
    Split: _intrinsic("Fn::Split", lambda v, t: [v.delimiter, _encode(v.source, t)]),
    Select: _intrinsic("Fn::Select", lambda v, t: [v.index, _encode(v.source, t)]),
    If: _intrinsic("Fn::If", lambda v, t: [v.condition, _encode(v.then, t), _encode(v.otherwise, t)]),
    Equals: _intrinsic("Fn::Equals", lambda v, t: [_encode(v.left, t), _encode(v.right, t)]),
    Not: _intrinsic("Fn::Not", lambda v, t: [_encode(v.condition, t)]),
    Linked: lambda v, t: _encode(v.cfn, t) if t else v.text,
    KeyValues: lambda v, t: {k: _encode(item, t) for k, item in v.items},
    Conditions: lambda v, t: _conditions(v, t),
}


def _conditions(value: Conditions, template: bool) -> dict[str, dict[str, Any]]:
    """IAM conditions as a policy document holds them: `{operator: {key: value}}`, in the order given."""
    out: dict[str, dict[str, Any]] = {}
    for item in value.items:
        out.setdefault(item.operator, {})[item.key] = _encode(item.value, template)
    return out
