"""Render stacks with Jinja2: one template per CloudFormation resource type, StrictUndefined."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from translator.model.ecs import Resource, Stack
from translator.render.provenance import metadata_block, stamped
from translator.render.values import cfn_cased, to_flow, to_json

FORMAT_VERSION = "2010-09-09"


def templates_dir() -> Path:
    """`templates/` ships inside the wheel as `translator/templates` and sits at the top in a checkout."""
    packaged = Path(str(resources.files("translator"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "cfn")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() of the file on every get_template
    )
    env.filters["j"] = to_json
    env.filters["cfn"] = cfn_cased
    env.filters["metadata_block"] = metadata_block
    env.filters["flow"] = to_flow
    env.filters["placeholder_secret"] = lambda keys: json.dumps({k: "" for k in keys}, sort_keys=True)
    return env


def resource_size(resource: Resource) -> int:
    """Bytes a resource takes in a template, for splitting stacks at CloudFormation's 1 MB."""
    return len(environment().get_template(resource.template).render(r=resource).encode())


def render_stack(stack: Stack) -> str:
    """The template of a stack; every resource's Metadata names its Kubernetes objects (`provenance.py`)."""
    env = environment()
    body = [env.get_template(r.template).render(r=r) for r in sorted(stamped(stack), key=lambda r: r.logical_id)]
    parameters = [stack.parameters[name] for name in sorted(stack.parameters)]
    return env.get_template("stack.yaml.j2").render(
        stack=stack, parameters=parameters, resources="".join(body), version=FORMAT_VERSION,
        outputs=sorted(stack.outputs.items()))
