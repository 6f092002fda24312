"""Render stacks with Jinja2: one template per CloudFormation resource type, StrictUndefined."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from translator.model.ecs import Resource, Stack
from translator.render.provenance import metadata_block, stamped
from translator.render.values import cfn_cased, note_text, to_flow, to_yaml

FORMAT_VERSION = "2010-09-09"


def templates_dir() -> Path:
    """`templates/` ships inside the wheel as `translator/templates` and sits at the top in a checkout.

    Found from this file, not through importlib.resources: its import (tempfile, zipfile readers) cost
    more than the rest of the path lookups of a run, and the templates are files on disk either way."""
    packaged = Path(__file__).resolve().parents[1] / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def environment() -> Any:
    import jinja2

    from translator.render.templates import TemplateLoader  # imports jinja2: only when rendering

    env = jinja2.Environment(
        loader=TemplateLoader(templates_dir() / "cfn"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() of the file on every get_template
    )
    env.filters["j"] = to_yaml
    env.filters["natural"] = natural_sorted
    env.filters["cfn"] = cfn_cased
    env.filters["metadata_block"] = metadata_block
    env.filters["flow"] = to_flow
    env.filters["note"] = note_text
    env.filters["document"] = json.loads  # a policy document kept as JSON text in the model, written as a mapping
    env.filters["placeholder_secret"] = lambda keys: json.dumps({k: "" for k in keys}, sort_keys=True)
    return env


class ResourceTexts:
    """Each resource's template text, rendered once per resource object.

    A stack too large for CloudFormation is measured resource by resource to split it, and the
    parts are rendered after: most resources reach the parts unchanged (the same object, see
    `stamped` and `split_stack`), so their measured text is reused instead of rendered again.
    Resources are not changed after they reach rendering; one that a later step changes is a
    new object and is rendered anew.
    """

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Resource, str]] = {}  # keeps the resource, so its id stays its own

    def text(self, resource: Resource) -> str:
        known = self._texts.get(id(resource))
        if known is not None:
            return known[1]
        text = render(resource.template, r=resource)
        self._texts[id(resource)] = (resource, text)
        return text

    def size(self, resource: Resource) -> int:
        """Bytes a resource takes in a template, for splitting stacks at CloudFormation's 1 MB."""
        return len(self.text(resource).encode())


def render_stack(stack: Stack, texts: ResourceTexts | None = None,
                 rewrite: Callable[[Resource, str], str] | None = None) -> str:
    """The template of a stack; every resource's Metadata names its Kubernetes objects (`provenance.py`).

    `texts` shares resource texts with earlier renders and measurements of the same resources;
    `rewrite` turns each of them into the text of a part of a split stack (`crossrefs.imported`).
    """
    texts = texts or ResourceTexts()
    resources = sorted(stamped(stack), key=lambda r: natural_key(r.logical_id))
    body = [texts.text(r) for r in resources]
    if rewrite is not None:
        body = [rewrite(r, text) for r, text in zip(resources, body, strict=True)]
    parameters = sorted(stack.parameters, key=lambda p: natural_key(p.name))
    return render("stack.yaml.j2", stack=stack, parameters=parameters, resources="".join(body),
                  version=FORMAT_VERSION, outputs=sorted(stack.outputs, key=lambda o: natural_key(o[0])))


def render(template: str, **values: Any) -> str:
    """A template's text. A value the `j` filter writes as a block starts on the line after its key,
    so `Key: {{ value | j(6) }}` leaves a space after the colon, which goes here: the writer never
    puts a line break in a scalar, so `: ` before one is always such a key."""
    env = environment()
    bound = _LOADED.get((env, template))
    if bound is None:  # Jinja's own cache takes a lock and a weak reference per lookup, 1% of a convert
        bound = _LOADED[(env, template)] = _bind(env, env.get_template(template))
    text = bound(values)
    return text.replace(": \n", ":\n") if ": \n" in text else text


_LOADED: dict[tuple[Any, str], Callable[[dict[str, Any]], str]] = {}  # (environment, name) -> its render


def _bind(env: Any, template: Any) -> Callable[[dict[str, Any]], str]:
    """`template.render(**values)`, with the template's globals read once instead of on every render.

    Jinja merges a template's globals, a ChainMap over the environment's, into a new dict for each
    render and lists their keys again for the context; over some 3,000 renders a convert spent more
    on that than on most templates' own code. The globals are fixed once the environment is built
    (`environment()` sets none later), so they are flattened here once. Errors are raised as
    `Template.render` raises them.
    """
    base = dict(template.globals)
    make, name, blocks, root = env.context_class, template.name, template.blocks, template.root_render_func

    def render_bound(values: dict[str, Any]) -> str:
        context = make(env, {**base, **values}, name, blocks)
        try:
            return "".join(root(context))
        except Exception:
            env.handle_exception()  # re-raises with the template's line in the traceback
            raise  # not reached: handle_exception always raises

    return render_bound


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key that orders the numbers inside names as numbers: `Rabbit4369Rule` before `Rabbit15672Rule`."""
    parts = _DIGITS.split(text)
    return tuple((int(p), p) if i % 2 else p for i, p in enumerate(parts))


def natural_sorted(values: Any) -> list[Any]:
    """Jinja filter `natural`: names sorted with their numbers as numbers (`natural_key`)."""
    return sorted(values, key=natural_key)
