"""The CloudFormation templates as Jinja loads them: compiled once when kube2ecs is built, not on every run.

Why: Jinja compiles a template to Python source and that source to bytecode the first time it is
used, in every process. For the 27 resource templates that was 0.1 s, some 6% of a corpus convert
and more of a small one, paid again on every run. Jinja's answer is precompiled templates (its
`ModuleLoader`): `python -m translator.render.precompile` writes the Python source of each template
into `translator/render/precompiled/`, which installs and byte-compiles with the package. The
loader runs that bytecode when the module was made from the template's current text (a SHA-256 of
it is in the module) and compiles the template itself otherwise, so an edited template is never
rendered stale; `tests/meta` checks every module is current and renders as the template does.

The loader also expands `{% include "_header.yaml.j2" %}` into the including template's text: an
include renders a second template with a new context for every resource, which cost as much as
rendering the header itself. The output is the same, since the header reads only the variables
the including template has.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import jinja2

PRECOMPILED = "translator.render.precompiled"
_INCLUDE = re.compile(r'^\{% include "([A-Za-z0-9_.]+)" %\}\n', re.MULTILINE)


def module_name(template: str) -> str:
    """`aws_ecs_service.yaml.j2` -> `aws_ecs_service`: the precompiled module of a template."""
    return template.split(".", 1)[0]


def digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class TemplateLoader(jinja2.BaseLoader):
    """Templates of one folder, includes expanded, from their precompiled module when it is current."""

    def __init__(self, folder: Path) -> None:
        self.files = jinja2.FileSystemLoader(str(folder))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.files.get_source(environment, template)
        return self.expanded(environment, source), filename, uptodate

    def expanded(self, environment: jinja2.Environment, source: str) -> str:
        """The text with each line `{% include "name" %}` replaced by that template's (expanded) text."""
        return _INCLUDE.sub(lambda m: self.get_source(environment, m[1])[0], source)

    def list_templates(self) -> list[str]:
        return self.files.list_templates()

    def load(self, environment: jinja2.Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        source = self.get_source(environment, name)[0]
        namespace = precompiled(name, digest(source), environment)
        if namespace is not None:
            return environment.template_class.from_module_dict(environment, namespace, globals or {})
        return self.compiled(environment, name, globals)

    def compiled(self, environment: jinja2.Environment, name: str,
                 globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        """The template compiled from its (expanded) text, as Jinja's own loaders do."""
        source, filename, uptodate = self.get_source(environment, name)
        code = environment.compile(source, name, filename)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


def precompiled(name: str, wanted: str, environment: jinja2.Environment) -> dict[str, Any] | None:
    """The namespace of the template's precompiled module, run for `environment`; None when there is
    no module or it was made from another text than the one whose digest is `wanted`.

    The module's bytecode runs in a namespace of its own rather than being imported: the compiled
    code reads the environment as a global, so one module object shared by two environments (a
    test's overlay with other filters) would render with whichever loaded it last."""
    spec = importlib.util.find_spec(f"{PRECOMPILED}.{module_name(name)}")
    if spec is None or spec.loader is None or spec.origin is None:
        return None
    code = spec.loader.get_code(spec.name)  # type: ignore[attr-defined]  # the .pyc when it is current
    namespace: dict[str, Any] = {"__name__": spec.name, "__file__": spec.origin, "environment": environment}
    exec(code, namespace)  # the module defines its render functions and SOURCE_SHA256, nothing else
    return namespace if namespace.get("SOURCE_SHA256") == wanted else None
