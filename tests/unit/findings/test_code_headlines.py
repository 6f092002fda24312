"""Every finding code has a headline a reader understands at a glance, and `kube2ecs codes` shows it with its reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from markupsafe import escape

from tests.support.repo import ROOT
from translator.cli.main import cli
from translator.findings.catalogue import CATALOGUE

# Kubernetes names as Kubernetes spells them; a headline that names one spells it the same way.
K8S_NAMES = ("ServiceAccount", "ConfigMap", "fieldRef", "StatefulSet", "DaemonSet", "PersistentVolumeClaim",
             "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "CronJob", "NodePort", "ExternalName",
             "IngressGroup", "ReplicationController", "imagePullSecret", "generateName", "targetPort", "subPath", "ipBlock")


def test_every_code_has_a_headline_that_is_not_its_slug() -> None:
    missing = [c.id for c in CATALOGUE.values() if not c.headline.strip()]
    assert missing == []
    slug_like = [c.id for c in CATALOGUE.values() if c.headline.lower() == c.slug.replace("-", " ").lower()]
    assert slug_like == []


def test_headlines_are_short_sentence_case_and_distinct() -> None:
    bad_length = [(c.id, len(c.headline)) for c in CATALOGUE.values() if not 12 <= len(c.headline) <= 70]
    assert bad_length == []
    not_sentence = [c.id for c in CATALOGUE.values()
                    if not c.headline[0].isupper() or c.headline.endswith(".") or c.headline != c.headline.strip()]
    assert not_sentence == []
    headlines = [c.headline for c in CATALOGUE.values()]
    assert sorted(h for h in headlines if headlines.count(h) > 1) == []


def test_headlines_spell_kubernetes_names_as_kubernetes_does() -> None:
    wrong = []
    for code in CATALOGUE.values():
        for name in K8S_NAMES:
            wrong += [(code.id, found) for found in re.findall(name, code.headline, re.IGNORECASE) if found != name]
    assert wrong == []


def test_codes_prints_headline_slug_message_and_why_within_80_columns() -> None:
    result = CliRunner().invoke(cli, ["codes"], catch_exceptions=False)
    assert result.exit_code == 0
    blocks = result.output.rstrip("\n").split("\n\n")
    assert [b.split(maxsplit=1)[0] for b in blocks] == sorted(CATALOGUE)
    assert max(len(line) for line in result.output.splitlines()) <= 80
    entries = {b.split(maxsplit=1)[0]: b.splitlines() for b in blocks}
    assert entries["K2E333"] == [
        "K2E333  warning  Downward-API field with no ECS equivalent",
        "    slug:    fieldref-no-equivalent",
        "    message: env {env} uses fieldRef {path}, which has no ECS equivalent",
        "    why:     the variable has no value on ECS: decide how the application gets",
        "             it",
    ]
    assert entries["K2E351"] == [
        "K2E351  warning  ServiceAccount missing from the input",
        "    slug:    serviceaccount-not-in-input",
        "    message: workload {workload} uses ServiceAccount {name}, which is not in the",
        "             input",
        "    why:     the task role has no permissions: decide which the application",
        "             needs",
    ]


def test_assessment_shows_headlines_in_json_html_and_sarif(tmp_path: Path) -> None:
    source = ROOT / "samples" / "kitchen-sink"
    out = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "html", "sarif")}
    result = CliRunner().invoke(cli, ["assess", str(source), *[a for p in out.values() for a in ("-o", str(p))]],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload = json.loads(out["json"].read_text(encoding="utf-8"))
    findings = [f for w in payload["workloads"] for f in w["findings"]] + payload["other_findings"]
    assert findings and payload["finding_codes"]
    for entry in [*findings, *payload["finding_codes"]]:
        code = CATALOGUE[entry["code"]]
        assert (entry["title"], entry["headline"]) == (code.slug, code.headline)
    rules = json.loads(out["sarif"].read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"]: (r["name"], r["shortDescription"]["text"]) for r in rules} == {
        c.id: (c.slug, c.headline) for c in CATALOGUE.values()}
    page = out["html"].read_text(encoding="utf-8")
    for entry in payload["finding_codes"]:
        assert f'<span class="headline">{escape(entry["headline"])}</span> ' in page
