"""The codebase agrees with itself: catalogue, registry, templates, equivalence table, README."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

from translator.findings.catalogue import CATALOGUE
from translator.k8s import registry
from translator.mapping.equivalence import table
from translator.model import ecs
from translator.render.cloudformation import templates_dir

# Catalogued for the kinds and options of the next issues; listed so a new unused code fails the test.
RESERVED = {"K2E201", "K2E313", "K2E335", "K2E349", "K2E373"}


def test_every_code_is_used_and_every_used_code_exists() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "translator").rglob("*.py") if p.name != "catalogue.py")
    used = set(re.findall(r'"(K2E\d{3})"', code))
    assert used <= set(CATALOGUE)
    assert set(CATALOGUE) - used == RESERVED


def test_every_kind_module_is_registered_and_named_for_its_kind() -> None:
    modules = {p.stem for p in (ROOT / "translator" / "k8s").glob("*.py")} - {"__init__", "registry", "common",
                                                                            "podtemplate", "unsupported",
                                                                            "podvolumes", "podplacement"}
    assert {m.__name__.rsplit(".", 1)[1] for m in registry.MODULES} == modules
    for module in registry.MODULES:
        assert module.__name__.rsplit(".", 1)[1] == next(iter(module.KINDS)).lower()


def test_every_resource_type_has_its_template() -> None:
    types = [c for c in vars(ecs).values() if isinstance(c, type) and issubclass(c, ecs.Resource) and c.TYPE]
    names = {c.TYPE.lower().replace("::", "_") + ".yaml.j2" for c in types}
    on_disk = {p.name for p in (templates_dir() / "cfn").glob("aws_*.yaml.j2")}
    assert names == on_disk


def test_equivalence_table_verdicts() -> None:
    rows = table()
    assert {r.verdict for r in rows.values()} == {"full", "partial", "none"}
    assert all(r.remediation for r in rows.values() if r.verdict == "none")


def test_readme_generated_tables_are_current() -> None:
    from translator.docs import SECTIONS, render

    readme = (ROOT / "README.md").read_text()
    for name in SECTIONS:
        assert f"<!-- {name}:begin -->" in readme, f"README lost its {name} section"
    assert render(readme) == readme, "run: python -m translator.docs README.md"


def test_every_kind_module_says_what_it_becomes() -> None:
    for module in registry.MODULES:
        assert isinstance(module.BECOMES, str) and module.BECOMES, f"{module.__name__} needs BECOMES for the README"


def test_no_secret_value_path_in_the_secret_parser() -> None:
    text = Path(ROOT / "translator" / "k8s" / "secret.py").read_text()
    assert ".values()" not in text and ".items()" not in text


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every translator module `path` imports, at the top or inside a function: both run sooner or later."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found & modules


def test_no_import_cycle() -> None:
    """Modules that import each other cannot be read, tested or moved on their own; the layers stay one-way."""
    paths = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for p in (ROOT / "translator").rglob("*.py")}
    graph = {name: _imports(path, set(paths)) - {name} for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_license_file_is_the_apache_2_0_text_the_package_declares() -> None:
    """LICENSE is the standard text, byte for byte (apache.org's LICENSE-2.0.txt), and ships in the metadata."""
    import hashlib
    import tomllib
    from importlib import metadata

    digest = hashlib.sha256((ROOT / "LICENSE").read_bytes()).hexdigest()
    assert digest == "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == "Apache-2.0"
    installed = metadata.distribution("kube2ecs").metadata
    assert (installed.get("License-Expression"), installed.get_all("License-File")) == ("Apache-2.0", ["LICENSE"])
