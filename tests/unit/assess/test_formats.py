"""`kube2ecs assess` through the CLI: four formats, valid against their schemas, deterministic, secret-free."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.support.repo import CORPUS, ROOT
from tests.support.secrets_scan import manifest_files, secret_values
from translator.cli.main import cli

BOUTIQUE = CORPUS / "gcp-microservices-demo" / "release" / "kubernetes-manifests.yaml"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
FORMATS = ("html", "md", "json", "sarif")


def _assess(*args: str) -> Any:
    return CliRunner().invoke(cli, ["assess", *args], catch_exceptions=False)


def _write_all(source: Path, out: Path) -> dict[str, str]:
    targets = [str(out / f"report.{fmt}") for fmt in FORMATS]
    result = _assess(str(source), *[arg for t in targets for arg in ("-o", t)])
    assert result.exit_code == 0, result.output
    return {fmt: (out / f"report.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}


def _assessment_schema() -> dict[str, Any]:
    text = resources.files("translator.assess").joinpath("schema", "assessment-v1.schema.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


def _valid(reports: dict[str, str]) -> dict[str, Any]:
    payload = json.loads(reports["json"])
    schema = _assessment_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(payload)
    sarif_schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(sarif_schema).validate(json.loads(reports["sarif"]))
    return payload  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def boutique(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _write_all(BOUTIQUE, tmp_path_factory.mktemp("boutique"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _write_all(CORPUS, tmp_path_factory.mktemp("corpus"))


@pytest.mark.needs("corpus")
def test_online_boutique_in_four_valid_formats(boutique: dict[str, str]) -> None:
    payload = _valid(boutique)
    summary = payload["summary"]
    assert (summary["workloads"], summary["ready"], summary["blockers"]) == (12, 12, 0)
    assert summary["monthly_cost"] == {"fargate": 270.3, "fargate_spot": 89.1, "strategy": 270.3}
    frontend = next(w for w in payload["workloads"] if w["name"] == "frontend")
    assert frontend["size"]["cpu"] == 512 and frontend["size"]["memory"] == 1024
    assert frontend["containers"][0]["requests"] == {"cpu": "100m", "memory": "64Mi"}
    assert frontend["cost"]["fargate"] == 18.02  # (0.5 x 0.04048 + 1 x 0.004445) x 730
    # Two decisions: its liveness check runs curl, which the image may lack (K2E311), and its readiness check
    # sends headers an ECS check cannot (K2E312). A cpu limit (K2E305) is harmless on Fargate: info, no effort.
    assert frontend["effort"] == "medium" and frontend["effort_reason"] == "2 warnings (K2E311, K2E312)"
    # Every service's probes need a look (K2E311 tool in the image, K2E313 no readiness gate without a load
    # balancer); redis-cart also writes to an emptyDir as a non-root user (K2E477). Nothing is blocked.
    assert summary["effort"] == {"blocked": 0, "high": 1, "medium": 11, "low": 0}
    redis = next(w for w in payload["workloads"] if w["name"] == "redis-cart")
    assert redis["effort_reason"] == "3 warnings (K2E311, K2E313, K2E477)"
    assert "| default/frontend (Deployment) | medium | 0.5 vCPU, 1 GB | 1 | $18.02 | $5.94 | $18.02 |" in boutique["md"]


@pytest.mark.needs("corpus")
def test_every_finding_is_shown_with_its_file_and_line(boutique: dict[str, str]) -> None:
    payload = json.loads(boutique["json"])
    for workload in payload["workloads"]:
        for f in workload["findings"]:
            assert f"<code>{f['file']}:{f['line']}</code>" in boutique["html"], f
    sarif = json.loads(boutique["sarif"])["runs"][0]
    located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif["results"]}
    assert ("K2E312", 56) in located  # frontend readinessProbe with custom headers
    assert {n["descriptor"]["id"] for n in sarif["invocations"][0]["toolExecutionNotifications"]} == {"K2E370"}
    assert {r["id"] for r in sarif["tool"]["driver"]["rules"]} >= {"K2E200", "K2E500", "K2E507"}


@pytest.mark.slow
@pytest.mark.needs("corpus")
def test_whole_corpus_in_four_valid_formats_without_secret_values(corpus: dict[str, str]) -> None:
    payload = _valid(corpus)
    assert payload["summary"]["workloads"] > 150
    assert {k["kind"] for k in payload["equivalence"]["untranslated_kinds"]} >= {"ServiceEntry", "ServiceMonitor"}
    jobs = [w for w in payload["workloads"] if w["kind"] in ("Job", "CronJob") and w["cost"]]
    assert jobs and all(w["run"] == "task" and w["cost"]["fargate"] is None and w["cost"]["hourly_fargate"] > 0 for w in jobs)
    assert len(corpus["md"]) < 65536  # fits a pull-request comment
    files = manifest_files(CORPUS)
    paths = " ".join(p.relative_to(CORPUS).as_posix() for p in files)
    values = {v for v in secret_values(files) if v not in paths}
    leaks = [(fmt, v[:6] + "...") for fmt, text in corpus.items() for v in values if v in text]
    assert leaks == []


@pytest.mark.needs("corpus")
def test_same_input_same_bytes_unless_a_timestamp_is_asked_for(boutique: dict[str, str], tmp_path: Path) -> None:
    assert _write_all(BOUTIQUE, tmp_path) == boutique
    result = _assess(str(BOUTIQUE), "-o", str(tmp_path / "t.json"), "--timestamp")
    assert result.exit_code == 0
    assert json.loads((tmp_path / "t.json").read_text())["generated_at"].endswith("Z")
    assert json.loads(boutique["json"])["generated_at"] is None


@pytest.mark.needs("corpus")
def test_format_option_prices_file_and_region(tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text("region: eu-west-1\ncurrency: USD\nas_of: '2026-01-01'\nsource: negotiated quote\n"
                      "fargate: {x86_64: {vcpu_hour: '0.1', gb_hour: '0.01'}}\n")
    result = _assess(str(BOUTIQUE), "-o", str(tmp_path / "report.txt"), "--format", "json", "--prices", str(prices))
    assert result.exit_code == 0, result.output
    payload = json.loads((tmp_path / "report.txt").read_text())
    assert payload["prices"]["source"] == "negotiated quote" and payload["prices"]["origin"] == str(prices)
    frontend = next(w for w in payload["workloads"] if w["name"] == "frontend")
    assert frontend["cost"]["fargate"] == 43.8 and frontend["cost"]["fargate_spot"] is None  # (0.5 x 0.1 + 1 x 0.01) x 730
    tokyo = _assess(str(BOUTIQUE), "-o", str(tmp_path / "t.json"), "--region", "ap-northeast-1")
    assert tokyo.exit_code == 0
    assert json.loads((tmp_path / "t.json").read_text())["prices"]["region"] == "ap-northeast-1"


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "report.txt"], "cannot tell the report format"),
    (["-o", "r.json", "--region", "mars-1"], "no bundled prices for region 'mars-1'"),
    (["-o", "r.json", "--prices", "missing.yaml"], "missing.yaml: cannot read"),
])
def test_bad_usage_is_a_one_line_error(tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _assess(str(BOUTIQUE), *args)
    assert result.exit_code == 2
    assert message in result.output and result.output.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.needs("corpus")
def test_fail_on_gates_a_pipeline(tmp_path: Path) -> None:
    assert _assess(str(BOUTIQUE), "-o", str(tmp_path / "r.json"), "--fail-on", "error").exit_code == 0
    assert _assess(str(BOUTIQUE), "-o", str(tmp_path / "r.json"), "--fail-on", "warning").exit_code == 1


def test_managed_instances_costs_are_said_to_be_fargate_equivalents(tmp_path: Path) -> None:
    """Managed Instances bills instances, not tasks: the cost rule says the figures only compare, and the
    task sizes are the pods' needs (a 20 vCPU task is priced, where Fargate has no such size)."""
    config = tmp_path / "kube2ecs.yaml"
    config.write_text("launch_type: MANAGED_INSTANCES\n")
    sample = ROOT / "samples" / "karpenter-managed-instances"
    result = _assess(str(sample), "-o", str(tmp_path / "a.json"), "--config", str(config))
    assert result.exit_code == 0, result.output
    payload = json.loads((tmp_path / "a.json").read_text())
    jsonschema.Draft202012Validator(_assessment_schema()).validate(payload)
    assert "costs are what those tasks would cost on Fargate (on-demand rates), for comparison only" in payload["rules"]["cost"]
    reports = next(w for w in payload["workloads"] if w["name"] == "reports")
    assert reports["size"]["cpu"] == 20736 and reports["cost"]["fargate"] > 0
    plain = _assess(str(sample), "-o", str(tmp_path / "b.json"))
    assert plain.exit_code == 0
    assert "MANAGED_INSTANCES" not in json.loads((tmp_path / "b.json").read_text())["rules"]["cost"]


REFUSED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: nginx
          resources: {}
          resources: {}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1", a: "2"}
"""


def test_a_workload_kubernetes_would_refuse_counts_as_not_ready(tmp_path: Path) -> None:
    """A Deployment with a key given twice is not read (K2E010); readiness must not be computed as if it were
    not there. A refused ConfigMap is no workload."""
    source = tmp_path / "app.yaml"
    source.write_text(REFUSED)
    reports = _write_all(source, tmp_path / "out")
    summary = _valid(reports)["summary"]
    assert (summary["workloads"], summary["unread_workloads"], summary["ready"], summary["readiness_percent"],
            summary["effort"]["blocked"]) == (2, 1, 1, 50.0, 1)
    assert "1 of 2 workloads translate to ECS with no error (1 not read, as Kubernetes would refuse it: K2E010)" \
        in reports["md"]
    assert "1 of 2 workloads translate with no error; 1 not read, as Kubernetes would refuse it (K2E010)" in reports["html"]
