"""Repositories hold more than manifests: kustomizations and Helm charts are recognised, not misread.

Read as objects, a kustomization.yaml is "metadata.name is missing" and a chart's values.yaml a pile of
K2E002; the user never learns that the folder needed rendering first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.manifests import deployment, service
from translator.cli.main import cli

DEPLOYMENT = deployment()


def _repository(root: Path) -> Path:
    """A repository as teams keep them: plain manifests, a kustomize base and overlay, a Helm chart."""
    files = {
        "deploy/plain/api.yaml": DEPLOYMENT,
        "deploy/kustomize/base/kustomization.yaml": "resources: [api.yaml]\n",
        "deploy/kustomize/base/api.yaml": DEPLOYMENT,
        "deploy/kustomize/overlays/prod/kustomization.yaml": "resources: [../../base]\npatches: [{path: replicas.yaml}]\n",
        "deploy/kustomize/overlays/prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 3}\n",
        "deploy/chart/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
        "deploy/chart/values.yaml": "replicas: 2\nimage: {repository: example/api, tag: '1.0'}\n",
        "deploy/chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root / "deploy"


def test_kustomizations_and_charts_are_named_with_what_to_run_and_not_read(tmp_path: Path) -> None:
    deploy = _repository(tmp_path)
    result = CliRunner().invoke(cli, ["convert", str(deploy), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]
    found = sorted((f["code"], f["file"], f["line"], f["message"]) for f in findings if f["code"] < "K2E100")
    assert found == [
        ("K2E030", "kustomize/base/kustomization.yaml", 1,
         f"{deploy}/kustomize/base is a kustomization: its files are templates to render, not objects, and were not read; "
         f"convert what it renders: kube2ecs convert --kustomize {deploy}/kustomize/base -o OUT"),
        ("K2E030", "kustomize/overlays/prod/kustomization.yaml", 1,
         f"{deploy}/kustomize/overlays/prod is a kustomization: its files are templates to render, not objects, and were "
         f"not read; convert what it renders: kube2ecs convert --kustomize {deploy}/kustomize/overlays/prod -o OUT"),
        ("K2E031", "chart/Chart.yaml", 1,
         f"{deploy}/chart is a Helm chart: its files are templates to render, not objects, and were not read; "
         f"convert what it renders: helm template RELEASE {deploy}/chart | kube2ecs convert - -o OUT"),
    ]
    # only the plain manifest was read: one task definition, no finding about the chart's or overlay's files
    assert sorted(p.name for p in (tmp_path / "out" / "task-definitions").iterdir()) == ["shop.api.json"]
    assert {f["file"] for f in findings} <= {"plain/api.yaml", *(row[1] for row in found), "kube2ecs.yaml", ""}


def test_a_kustomization_folder_alone_says_what_to_run(tmp_path: Path) -> None:
    overlay = _repository(tmp_path) / "kustomize" / "overlays" / "prod"
    result = CliRunner().invoke(cli, ["convert", str(overlay), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert (result.exit_code, result.output) == (2, (
        f"kube2ecs: no Kubernetes objects in the input: {overlay} is a kustomization: its files are templates to render, "
        f"not objects, and were not read; convert what it renders: kube2ecs convert --kustomize {overlay} -o OUT\n"))
    assert not (tmp_path / "out").exists()


def test_dash_n_gives_a_namespace_to_objects_without_one_as_kubectl_apply_does(tmp_path: Path) -> None:
    manifests = deployment(namespace=None) + "---\n" + service(namespace="other") + """\
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: []
"""
    result = CliRunner().invoke(cli, ["convert", "-", "-n", "shop", "-o", str(tmp_path / "out"), "--fail-on", "never"],
                                input=manifests, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out" / "task-definitions").iterdir()) == ["shop.api.json"]
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]
    assert [(f["line"], f["message"]) for f in findings if f["code"] == "K2E032"] == [
        (15, "Service api names namespace other, not shop given with -n; it stays in other")]
    assert not any("ClusterRole" in f["resource"] and "shop" in f["resource"] for f in findings)


@pytest.mark.needs("kubectl")
def test_kustomize_findings_point_at_the_file_and_line_the_object_came_from(tmp_path: Path) -> None:
    base, overlay = tmp_path / "base", tmp_path / "overlays" / "prod"
    base.mkdir()
    overlay.mkdir(parents=True)
    (base / "kustomization.yaml").write_text("resources: [api.yaml]\n")
    (base / "api.yaml").write_text(DEPLOYMENT.replace("metadata: {name: api, namespace: shop}", "metadata: {name: api}").replace(
        "          image: example/api:1.0\n", "          image: example/api:1.0\n          futureField: true\n"))
    (overlay / "kustomization.yaml").write_text("namespace: shop\nnamePrefix: prod-\nresources: [../../base]\n")
    result = CliRunner().invoke(cli, ["convert", "--kustomize", str(overlay), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]
    assert [(f["file"], f["line"]) for f in findings if f["code"] == "K2E202"] == [(str(base / "api.yaml"), 12)]
    everything = "".join(p.read_text() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert "config.kubernetes.io/origin" not in everything  # kustomize's bookkeeping, not the user's annotation
    assert sorted(p.name for p in (tmp_path / "out" / "task-definitions").iterdir()) == ["shop.prod-api.json"]
