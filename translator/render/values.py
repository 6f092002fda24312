"""Values for the two outputs: CloudFormation (PascalCase, intrinsics) and ECS API JSON (camelCase, text)."""

from __future__ import annotations

import json
from typing import Any

from translator.model.ecs import Ref

# Keys of free-form maps: their keys are data, not property names.
_OPAQUE = {"options", "dockerLabels"}
_CFN_NAMES = {"fileSystemId": "FilesystemId", "iam": "IAM", "efsVolumeConfiguration": "EFSVolumeConfiguration"}


def cfn_value(value: Any, opaque: bool = False, case: bool = True) -> Any:
    """API-shaped value -> CloudFormation shape: keys capitalised (when `case`), Refs as intrinsics."""
    if isinstance(value, Ref):
        return value.cfn
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            keep = opaque or not case
            name = key if keep else _CFN_NAMES.get(key, key[:1].upper() + key[1:])
            out[name] = cfn_value(item, opaque=key in _OPAQUE and not opaque, case=case)
        return out
    if isinstance(value, list):
        return [cfn_value(v, case=case) for v in value]
    return value


def cfn_cased(value: Any) -> Any:
    """Jinja filter `cfn`: an ECS API-shaped value (container definitions) in CloudFormation casing."""
    return cfn_value(value)


def text_value(value: Any) -> Any:
    """Refs replaced by their text form, for the task-definition JSON."""
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, dict):
        return {k: text_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [text_value(v) for v in value]
    return value


def to_json(value: Any, column: int = 0) -> str:
    """JSON is valid YAML: no quoting rules to get wrong. Continuation lines are indented past the key.

    The text is `json.dumps(cfn_value(value, case=False), indent=2, ensure_ascii=True)` with every
    line after the first indented by `column + 2`. It is written here rather than by json.dumps
    because the standard library falls back to its pure-Python encoder whenever `indent` is set,
    and templates call this filter for every property of every resource; Refs are replaced on the
    way, as cfn_value would, instead of copying the value first.
    """
    if isinstance(value, str):
        return _ascii(value)
    out: list[str] = []
    _dump(value, "\n" + " " * (column + 2), out, True)
    return "".join(out)


_ascii = json.encoder.encode_basestring_ascii  # the C function json.dumps uses for strings


def _dump(value: Any, newline: str, out: list[str], refs: bool) -> None:
    """Append the indent=2 JSON of `value`; `newline` is a line break plus the current indentation.

    `refs`: replace a Ref by its intrinsic, which cfn_value does in dicts and lists but not inside
    a Ref's own value or a tuple; there json.dumps would reject a Ref, and so does this.
    """
    if isinstance(value, str):  # the types in the order they are most common in templates
        out.append(_ascii(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append((inner if i == 0 else "," + inner) + _ascii(_key(key)) + ": ")
            _dump(item, inner, out, refs)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        refs = refs and isinstance(value, list)
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _dump(item, inner, out, refs)
        out.append(newline + "]")
    elif refs and isinstance(value, Ref):
        _dump(value.cfn, newline, out, False)
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """Dictionary keys as json.dumps converts them (it checks in this order)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def to_flow(value: Any) -> str:
    """One-line JSON, for short lists such as listener actions that read best on one line."""
    return json.dumps(cfn_value(value, case=False), ensure_ascii=True)
