"""Every source of ../shared/corpus through the real CLI: no crash, valid output, no Secret value anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.repo import CORPUS
from tests.support.secrets_scan import manifest_files, secret_values
from tests.support.validation import cfn_lint_errors, task_definition_errors
from translator.cli.main import cli

SOURCES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
pytestmark = [pytest.mark.slow, pytest.mark.needs("corpus")]  # every corpus source through the CLI: not in the quick loop


def test_corpus_is_present() -> None:
    assert len(SOURCES) == 9, f"expected the nine corpus sources beside the repository in {CORPUS}"


@pytest.mark.parametrize("source", SOURCES)
def test_corpus_source(source: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(CORPUS / source), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    findings = json.loads((out / "findings.json").read_text())["findings"]
    crashes = [f for f in findings if f["code"] in ("K2E900", "K2E901")]
    assert crashes == []
    for template in sorted((out / "cloudformation").glob("*.yaml")):
        assert cfn_lint_errors(template.read_text()) == [], template.name
    for task in sorted((out / "task-definitions").glob("*.json")):
        assert task_definition_errors(json.loads(task.read_text())) == [], task.name
    _assert_no_secret_values(CORPUS / source, out, result.output)


def _assert_no_secret_values(source: Path, out: Path, console: str) -> None:
    files = manifest_files(source)
    paths = " ".join(p.relative_to(source).as_posix() for p in files)
    values = {v for v in secret_values(files) if v not in paths}  # a folder named like a value is not a leak
    texts = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
    texts["<console>"] = console
    leaks = [(name, value[:6] + "...") for name, text in texts.items() for value in values if value in text]
    assert leaks == []


def test_every_corpus_document_is_accounted_for(tmp_path: Path) -> None:
    """Each document of a source yields an ECS resource or at least one finding naming its file."""
    from translator.api import translate

    result = translate([str(CORPUS / "kube-prometheus")])
    files_with_findings = {f.location.file for f in result.findings}
    files = {p.relative_to(CORPUS / "kube-prometheus").as_posix() for p in manifest_files(CORPUS / "kube-prometheus")}
    assert files <= files_with_findings


def test_whole_corpus_as_one_input_splits_into_templates_that_deploy(tmp_path: Path) -> None:
    """All sources in one run: namespaces of several sources merge, and `default` alone is over
    every limit (2,708 resources, 3 MB). Every template fits CloudFormation's limits, imports only
    what an earlier part exports, and passes cfn-lint."""
    import yaml

    from tests.support.big_namespace import part_problems

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(CORPUS), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    findings = json.loads((out / "findings.json").read_text())["findings"]
    assert [f["message"] for f in findings if f["code"] in ("K2E371", "K2E375", "K2E900", "K2E901")] == [
        "stack default has 2708 resources and was split into 6 templates: "
        "default, default-2, default-3, default-4, default-5, default-6"]
    texts = {p.name: p.read_text() for p in sorted((out / "cloudformation").glob("*.yaml"))}
    assert part_problems(texts, {n: yaml.load(t, Loader=yaml.CSafeLoader) for n, t in texts.items()}) == []
    errors = {name: cfn_lint_errors(text) for name, text in texts.items()}
    assert {name: found for name, found in errors.items() if found} == {}


EVERY_OPTION = """\
launch_type: MANAGED_INSTANCES
gateway_target: vpc-lattice
service_connect_tls_ca: arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555
enable_execute_command: true
log_router: firelens
deployment_strategy: CANARY
secrets_backend: ssm
config_backend: ssm
"""


def test_whole_corpus_with_every_option_on_has_no_internal_or_deploy_check_error(tmp_path: Path) -> None:
    """The options each have their samples; here they meet on every kind of the corpus at once (Managed
    Instances, VPC Lattice, Service Connect TLS, ECS Exec, FireLens, canary deployments, SSM). Canary behind
    weighted Istio routes once made a duplicate alternate target group, which only this combination showed."""
    import yaml

    config = tmp_path / "kube2ecs.yaml"
    config.write_text(EVERY_OPTION)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(CORPUS), "-o", str(out), "--config", str(config)],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    findings = json.loads((out / "findings.json").read_text())["findings"]
    assert [f["message"] for f in findings if f["code"] in ("K2E371", "K2E900", "K2E901")] == []
    texts = {p.name: p.read_text() for p in sorted((out / "cloudformation").glob("*.yaml"))}
    assert all(yaml.load(t, Loader=yaml.CSafeLoader)["Resources"] for t in texts.values())
    errors = {name: cfn_lint_errors(text) for name, text in texts.items()}
    assert {name: found for name, found in errors.items() if found} == {}
