"""The codebase agrees with itself: catalogue, registry, templates, equivalence table, README."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.repo import ROOT
from translator.coverage.equivalence import table
from translator.findings.catalogue import CATALOGUE
from translator.k8s import registry
from translator.model import ecs
from translator.render.cloudformation import templates_dir

# Catalogued for the kinds and options of the next issues; listed so a new unused code fails the test.
RESERVED = {"K2E201", "K2E335", "K2E373"}


def test_every_code_is_used_and_every_used_code_exists() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "translator").rglob("*.py") if p.name not in ("catalogue.py", "reasons.py"))
    used = set(re.findall(r'"(K2E\d{3})"', code))
    assert used <= set(CATALOGUE)
    assert set(CATALOGUE) - used == RESERVED


def test_every_code_says_why_it_has_its_severity() -> None:
    """The severity rule is only trusted if every code is checked against it: one reason per code, none for a code
    that does not exist, and the README table (generated) shows them all."""
    from translator.cli.docs import severity_table
    from translator.findings.reasons import RULE, WHY

    assert set(WHY) == set(CATALOGUE)
    assert [c.id for c in CATALOGUE.values() if not c.why.strip() or c.why != WHY[c.id]] == []
    readme = (ROOT / "README.md").read_text()
    section = readme.split("<!-- severity-table:begin -->\n", 1)[1].split("\n<!-- severity-table:end -->", 1)[0]
    assert section == severity_table()
    assert RULE in section
    rows = [line for line in section.splitlines() if line.startswith("| K2E")]
    assert rows == [f"| {c.id} | {c.severity.label} | {c.headline} | {c.slug} | {c.why} |"
                    for c in sorted(CATALOGUE.values(), key=lambda c: c.id)]


def test_every_kind_module_is_registered_and_named_for_its_kind() -> None:
    modules = {p.stem for p in (ROOT / "translator" / "k8s").glob("*.py")} - {"__init__", "registry", "common",
                                                                            "podtemplate", "unsupported",
                                                                            "podvolumes", "podplacement", "naming"}
    assert {m.__name__.rsplit(".", 1)[1] for m in registry.MODULES} == modules
    for module in registry.MODULES:
        # named for its first kind; a kind whose name another API group also uses has the group's prefix
        # (istiogateway: Istio's Gateway, beside gateway: the Gateway API's)
        assert module.__name__.rsplit(".", 1)[1] in (next(iter(module.KINDS)).lower(),
                                                     "istio" + next(iter(module.KINDS)).lower())


def test_every_resource_type_has_its_template() -> None:
    types = [c for c in vars(ecs).values() if isinstance(c, type) and issubclass(c, ecs.Resource) and c.TYPE]
    names = {c.TYPE.lower().replace("::", "_") + ".yaml.j2" for c in types}
    on_disk = {p.name for p in (templates_dir() / "cfn").glob("aws_*.yaml.j2")}
    assert names == on_disk


def test_equivalence_table_verdicts() -> None:
    rows = table()
    assert {r.verdict for r in rows.values()} == {"full", "partial", "none"}
    assert all(r.remediation for r in rows.values() if r.verdict == "none")


def test_equivalence_rows_are_found_by_their_line_and_read_the_same() -> None:
    """The sweep looks rows up one by one, parsing each from its line (fast); the table must keep
    that layout, and each row must read as the whole table's parse reads it."""
    from translator.coverage import equivalence

    text = (ROOT / "translator" / "coverage" / "equivalence.yaml").read_text(encoding="utf-8")
    lines = equivalence.row_lines(text)
    assert lines is not None, 'write every row on one line: - {id: X, field: "scope:path", ...}'
    assert isinstance(table(), equivalence.Rows)
    assert dict(equivalence.Rows(lines)) == equivalence.parse_all(text)


def test_readme_generated_tables_are_current() -> None:
    from translator.cli.docs import SECTIONS, render

    readme = (ROOT / "README.md").read_text()
    for name in SECTIONS:
        assert f"<!-- {name}:begin -->" in readme, f"README lost its {name} section"
    assert render(readme) == readme, "run: python -m translator.cli.docs README.md"


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


# Defaults the Kubernetes API reference does not spell out in the field's description, each with its source.
# Every other default in the table must be stated by the description itself (the OpenAPI text, as the
# kubernetes client carries it).
CITED_DEFAULTS = {
    # k8s.io/api/core/v1/types.go DefaultSchedulerName, set by pkg/apis/core/v1/defaults.go SetDefaults_PodSpec
    "pod:schedulerName": "default-scheduler",
    # plugin/pkg/admission/serviceaccount/admission.go shouldAutomount: pod unset, then account unset -> true
    "pod:automountServiceAccountToken": True,
    # pkg/securitycontext/util.go AddNoNewPrivileges: nil sets no no_new_privs, as true does
    "container:securityContext.allowPrivilegeEscalation": True,
    # k8s.io/api/apps/v1/types.go DeploymentSpec.Paused is a plain bool (omitempty): unset is false
    "Deployment:spec.paused": False,
    # k8s.io/api/core/v1/types.go ServiceSpec.PublishNotReadyAddresses is a plain bool (omitempty): unset is false
    "Service:spec.publishNotReadyAddresses": False,
    # Argo Rollouts docs/features/specification.md: minReadySeconds "Defaults to 0", revisionHistoryLimit
    # "Defaults to 10"; pkg/apis/rollouts/v1alpha1/types.go Paused and ProgressDeadlineAbort are plain bools
    "Rollout:spec.minReadySeconds": 0,
    "Rollout:spec.revisionHistoryLimit": 10,
    "Rollout:spec.paused": False,
    "Rollout:spec.progressDeadlineAbort": False,
    # flagger pkg/apis/flagger/v1beta1/canary.go CanarySpec: SkipAnalysis, Suspend and RevertOnDeletion are plain bools
    "Canary:spec.skipAnalysis": False,
    "Canary:spec.suspend": False,
    "Canary:spec.revertOnDeletion": False,
    # KEDA docs/reference/scaledobject-spec.md: pollingInterval "Default: 30 seconds", initialCooldownPeriod "Default: 0 seconds"
    "ScaledObject:spec.pollingInterval": 30,
    "ScaledObject:spec.initialCooldownPeriod": 0,
}


def _api_description(field: str) -> str | None:
    """The Kubernetes API's description of a table field (`scope:path`), from the client's models."""
    import typing

    from kubernetes.client import models

    scope, path = field.split(":", 1)
    roots = {"pod": models.V1PodSpec, "container": models.V1Container}
    cls = roots.get(scope) or getattr(models, f"V2{scope}", None) or getattr(models, f"V1{scope}", None)
    description = None
    for segment in path.split("."):
        found = next((f for name, f in (cls.model_fields.items() if cls else ())
                      if segment.removesuffix("[]") in (f.serialization_alias, name)), None)
        if found is None:
            return None
        description, annotation = found.description, found.annotation
        while not (isinstance(annotation, type) and hasattr(annotation, "model_fields")) and typing.get_args(annotation):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[-1]
        cls = annotation if isinstance(annotation, type) else None
    return description


def _states_default(description: str, value: object) -> bool:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    v = re.escape(text) + r"(?!\d)"  # 1 is not 10
    patterns = [rf"defaults? (?:to|is) [\"`]?{v}[\"`]?", rf"the default (?:value|policy)?,? ?(?:is )?[\"`]?{v}[\"`]?",
                rf"[\"`]{v}[\"`] \(default\)", rf"`{v}` \(default\)", rf"value of {v} is implied",
                rf"will be set to {v}", rf"if unset or {v}", rf"when {v} or unset", rf"default is [\"`]?{v}[\"`]?"]
    if text == "":
        patterns.append(r'the default is ""')
    return any(re.search(p, description, re.IGNORECASE) for p in patterns)


def test_every_listed_default_is_the_kubernetes_default() -> None:
    """A default in the equivalence table silences the sweep, so a wrong one would hide a real gap."""
    rows = [r for r in table().values() if r.default is not None]
    assert len(rows) >= 40
    for row in rows:
        if row.field in CITED_DEFAULTS:
            assert row.default == CITED_DEFAULTS[row.field] and type(row.default) is type(CITED_DEFAULTS[row.field])
            continue
        description = _api_description(row.field)
        assert description, f"{row.field}: no such field in the Kubernetes API"
        if isinstance(row.default, dict):  # imagePullPolicy: by the image tag
            assert row.default == {"by": "image-tag", "latest": "Always", "other": "IfNotPresent"}
            assert "Defaults to Always if :latest tag is specified, or IfNotPresent otherwise" in description
            continue
        assert _states_default(description, row.default), f"{row.field}: {row.default!r} is not stated in: {description}"


def test_a_wrong_default_is_caught() -> None:
    assert not _states_default(_api_description("pod:hostNetwork") or "", True)
    assert not _states_default(_api_description("pod:dnsPolicy") or "", "Default")
    assert _api_description("pod:noSuchField") is None


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


def test_every_package_is_in_the_distribution() -> None:
    """setuptools lists packages by hand here; a package left out imports in a checkout and fails once installed."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "translator").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
