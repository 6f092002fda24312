"""The ECS model is typed and immutable, and only render/ knows how CloudFormation and the ECS API spell it."""

from __future__ import annotations

import ast
import dataclasses
import re

from tests.support.repo import ROOT
from translator.model import ecs, intrinsics, record
from translator.render import encode

# Reads rendered templates (never builds them): the property names it groups a diff by.
READERS_OF_RENDERED_TEXT = {"translator/diff.py"}


def _classes() -> list[type]:
    return [c for module in (ecs, intrinsics) for c in vars(module).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == module.__name__]


def test_every_class_of_the_model_is_frozen() -> None:
    assert [c.__name__ for c in _classes() if not record.frozen(c)] == []


def test_no_field_is_any_a_dict_or_a_list() -> None:
    """Tuples and typed values only: a dict or Any field is where untyped CloudFormation crept back in."""
    loose = re.compile(r"\bAny\b|\bdict\[|\blist\[|\bDict\b|\bList\b|^object$")
    found = [f"{c.__name__}.{f.name}: {f.type}" for c in _classes() for f in dataclasses.fields(c)
             if loose.search(str(f.type))]
    assert found == []


def _cased_names() -> set[str]:
    """Every key the encoder writes for a field of the model, in CloudFormation and in the ECS API."""
    names = {"Ref"}
    for cls in _classes():
        for form in (True, False):
            names.update(key for _, key in encode._keys(cls, form))
    # One word ("Options", "Ingress") is also a Kubernetes kind or a class name: only names of two
    # or more words show a casing decision.
    return {n for n in names if n == "Ref" or re.search(r"[a-z][A-Z]", n)}


def test_no_module_outside_render_builds_cased_dicts() -> None:
    """Key casing happens in render/encode.py alone: a dict literal elsewhere with an intrinsic or a
    model key in CloudFormation or API casing is a second place that decides it."""
    cased = _cased_names()
    found = []
    for path in sorted((ROOT / "translator").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("translator/render/") or relative in READERS_OF_RENDERED_TEXT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                bad = sorted(k for k in keys if k in cased or k.startswith("Fn::"))
                if bad:
                    found.append(f"{relative}:{node.lineno} {bad}")
    assert found == []


def test_the_check_sees_a_cased_dict() -> None:
    """The scan above would catch the shapes it is for."""
    cased = _cased_names()
    assert {"ContainerName", "containerName", "TargetGroupArn", "Ref", "PortMappings", "portMappings"} <= cased
