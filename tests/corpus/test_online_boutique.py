"""The Online Boutique release manifest: what a user migrating it must get (the issue's acceptance test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.support.repo import CORPUS
from tests.support.validation import cfn_lint_errors
from translator.cli.main import cli

pytestmark = pytest.mark.needs("corpus")
MANIFEST = CORPUS / "gcp-microservices-demo" / "release" / "kubernetes-manifests.yaml"


def _deployments() -> list[dict]:
    return [d for d in yaml.safe_load_all(MANIFEST.read_text()) if d and d.get("kind") == "Deployment"]


def test_online_boutique(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(MANIFEST), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    tasks = {p.name: json.loads(p.read_text()) for p in (out / "task-definitions").glob("*.json")}
    assert len(tasks) == 12
    for template in (out / "cloudformation").glob("*.yaml"):
        assert cfn_lint_errors(template.read_text()) == []
    findings = json.loads((out / "findings.json").read_text())["findings"]
    for deployment in _deployments():
        task = tasks[f"default.{deployment['metadata']['name']}.json"]
        containers = {c["name"]: c for c in task["containerDefinitions"]}
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            _assert_carried(container, containers[container["name"]], findings)


def _assert_carried(source: dict, target: dict, findings: list[dict]) -> None:
    assert target["image"] == source["image"]
    assert [p["containerPort"] for p in target.get("portMappings", [])][: len(source.get("ports", []))] == [
        p["containerPort"] for p in source.get("ports", [])]
    names = {e["name"] for e in target.get("environment", [])} | {s["name"] for s in target.get("secrets", [])}
    assert {e["name"] for e in source.get("env", [])} <= names
    assert target.get("entryPoint", []) == source.get("command", [])
    assert target.get("command", []) == source.get("args", [])
    memory = source.get("resources", {}).get("limits", {}).get("memory")
    if memory:
        assert target["memory"] == int(memory.removesuffix("Mi"))
    if "livenessProbe" in source:
        reported = any(f["code"] == "K2E312" and source["name"] in f["message"] for f in findings)
        assert "healthCheck" in target or reported
