"""The real validators the output must pass: cfn-lint (one Runner, reused) and botocore's ECS model."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _runner() -> Any:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=["us-east-1"]))


def cfn_lint_errors(text: str) -> list[str]:
    """Error-level cfn-lint matches (E rules and parse errors) for one template."""
    from cfnlint.decode import decode_str

    template, problems = decode_str(text)
    if problems:
        return [str(p) for p in problems]
    return [f"{m.rule.id} {m.path} {m.message}" for m in _runner().validate_template(template) if m.rule.id.startswith("E")]


def cfn_lint_matches(text: str) -> list[str]:
    """Every cfn-lint match at every level (errors, warnings, informational) for one template."""
    from cfnlint.decode import decode_str

    template, problems = decode_str(text)
    if problems:
        return [str(p) for p in problems]
    return [f"{m.rule.id} {m.path} {m.message}" for m in _runner().validate_template(template)]


@functools.cache
def _register_shape() -> Any:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ecs")
    return model.operation_model("RegisterTaskDefinition").input_shape


def _enum_errors(value: Any, shape: Any, path: str) -> list[str]:
    """botocore's validator skips enums; walk the same shape and check them too."""
    errors: list[str] = []
    if shape.type_name == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key in shape.members:
                errors += _enum_errors(item, shape.members[key], f"{path}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            errors += _enum_errors(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "string" and getattr(shape, "enum", None) and value not in shape.enum:
        errors.append(f"{path}: {value!r} not in {shape.enum}")
    return errors


def task_definition_errors(document: dict[str, Any]) -> list[str]:
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(document, _register_shape())
    errors = [report.generate_report()] if report.has_errors() else []
    return errors + _enum_errors(document, _register_shape(), "$")


@functools.cache
def _input_shape(service: str, operation: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(service).operation_model(operation).input_shape


def request_errors(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    """What botocore's model of the API refuses in one request: members, types, required members and enums."""
    from botocore.validate import ParamValidator

    shape = _input_shape(service, operation)
    report = ParamValidator().validate(params, shape)
    return ([report.generate_report()] if report.has_errors() else []) + _enum_errors(params, shape, "$")
