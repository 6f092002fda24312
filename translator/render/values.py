"""Values for the two outputs: CloudFormation (PascalCase, intrinsics) and ECS API JSON (camelCase, text)."""

from __future__ import annotations

import json
from typing import Any

from translator.model.ecs import Ref

# Keys of free-form maps: their keys are data, not property names.
_OPAQUE = {"options", "dockerLabels"}
_CFN_NAMES = {"fileSystemId": "FilesystemId", "iam": "IAM"}


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
    """JSON is valid YAML: no quoting rules to get wrong. Continuation lines are indented past the key."""
    text = json.dumps(cfn_value(value, case=False), indent=2, ensure_ascii=True)
    if "\n" not in text:
        return text
    pad = " " * (column + 2)
    return text.replace("\n", "\n" + pad)
