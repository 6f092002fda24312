"""Templates load from their precompiled modules while those are current, and render as the templates do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from tests.support.proof_sources import SAMPLES, VARIANTS, translated
from translator.render import cloudformation, precompile, templates
from translator.render.provenance import stamped


class _Compiling(templates.TemplateLoader):
    """The same templates, always compiled from their text."""

    def load(self, environment: jinja2.Environment, name: str, globals: Any = None) -> jinja2.Template:
        return self.compiled(environment, name, globals)


def _compiling_environment() -> jinja2.Environment:
    env = cloudformation.environment().overlay(loader=_Compiling(cloudformation.templates_dir() / "cfn"), cache_size=400)
    assert isinstance(env, jinja2.Environment)
    return env


def test_every_precompiled_module_is_current() -> None:
    """A stale module would not be used (the loader compiles instead), but every run would pay for it."""
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in precompile.FOLDER.glob("*.py") if p.name != "__init__.py"}
    wanted = precompile.modules()
    assert sorted(on_disk) == sorted(wanted), "run: python -m translator.render.precompile"
    stale = [name for name, text in wanted.items() if text.splitlines()[:4] != on_disk[name].splitlines()[:4]]
    assert stale == [], "run: python -m translator.render.precompile"


def test_the_loader_uses_every_precompiled_module(monkeypatch: pytest.MonkeyPatch) -> None:
    env = cloudformation.environment().overlay(cache_size=400)
    used: list[str] = []
    original = templates.precompiled

    def counting(name: str, wanted: str, environment: jinja2.Environment) -> dict[str, Any] | None:
        found = original(name, wanted, environment)
        used.extend([name] if found is not None else [])
        return found

    monkeypatch.setattr(templates, "precompiled", counting)
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    assert sorted(used) == sorted(names) and len(names) == len(precompile.modules())


@pytest.mark.parametrize("source", [f"samples/{s}" for s in SAMPLES] + [f"samples/{SAMPLES[0]}+{v}" for v in VARIANTS])
def test_precompiled_templates_render_as_the_templates_do(source: str) -> None:
    compiling = _compiling_environment()
    default = cloudformation.environment()
    for stack in translated(source).stacks:
        for resource in stamped(stack):
            expected = compiling.get_template(resource.template).render(r=resource)
            assert default.get_template(resource.template).render(r=resource) == expected, resource.logical_id


def test_an_edited_template_is_compiled_from_its_text(tmp_path: Path) -> None:
    """A module made from another text is not used: the template renders as it now reads."""
    (tmp_path / "_header.yaml.j2").write_text("  {{ r.logical_id }}:\n")
    (tmp_path / "aws_logs_loggroup.yaml.j2").write_text('{% include "_header.yaml.j2" %}\n    Edited: yes\n')
    env = jinja2.Environment(loader=templates.TemplateLoader(tmp_path), keep_trailing_newline=True, trim_blocks=True)

    class _Resource:
        logical_id = "Logs"

    assert env.get_template("aws_logs_loggroup.yaml.j2").render(r=_Resource()) == "  Logs:\n    Edited: yes\n"


def test_includes_are_expanded_into_the_text_that_is_compiled(tmp_path: Path) -> None:
    (tmp_path / "inner.j2").write_text("inner {{ x }}\n")
    (tmp_path / "outer.j2").write_text('before\n{% include "inner.j2" %}\nafter\n')
    loader = templates.TemplateLoader(tmp_path)
    env = jinja2.Environment(loader=loader, keep_trailing_newline=True)
    assert loader.get_source(env, "outer.j2")[0] == "before\ninner {{ x }}\nafter\n"
    assert env.get_template("outer.j2").render(x=1) == "before\ninner 1\nafter\n"


def test_a_value_a_template_needs_and_lacks_is_an_undefined_error_naming_it() -> None:
    """`render` calls the compiled template itself (globals read once): Jinja's errors still come through."""
    import jinja2

    from translator.render.cloudformation import render

    with pytest.raises(jinja2.UndefinedError, match="'r' is undefined"):
        render("aws_logs_loggroup.yaml.j2")


def test_the_templates_see_the_environment_globals() -> None:
    """Templates may call Jinja's globals (`range`, `namespace`): the bound render passes them as render() did."""
    from translator.render import cloudformation

    env = cloudformation.environment()
    template = env.from_string("{{ range(3) | list }} {{ x }}")
    assert cloudformation._bind(env, template)({"x": 1}) == "[0, 1, 2] 1"
