"""`convert --from-cluster` through the real kubernetes client against a local API stand-in."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.cluster_server import FIXTURE, TOKEN, kubeconfig, serve
from tests.support.repo import CORPUS
from tests.support.results import invoke as _run
from translator.source.cluster import strip, translatable_kinds

UI = CORPUS / "eks-workshop" / "manifests" / "base-application" / "ui"
UI_FILES = ("deployment.yaml", "service.yaml", "configMap.yaml", "serviceAccount.yaml",
            "../../modules/autoscaling/workloads/hpa/hpa.yaml")
_PLACE = re.compile(r"source: [^\n]*\n *document: \d+\n *")


def _files_as_applied(folder: Path) -> Path:
    """The corpus manifests as `kustomize build` applies them: with the kustomization's `namespace: ui`."""
    folder.mkdir()
    for name in UI_FILES:
        doc = yaml.safe_load((UI / name).read_text())
        doc["metadata"]["namespace"] = "ui"
        (folder / Path(name).name).write_text(yaml.safe_dump(doc, sort_keys=False))
    return folder


def _outputs(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}


def _findings(out: Path) -> list[dict[str, object]]:
    return json.loads((out / "findings.json").read_text())["findings"]


@pytest.mark.needs("corpus")
def test_cluster_gives_the_templates_the_files_give(tmp_path: Path) -> None:
    with serve() as (api, url):
        config = kubeconfig(tmp_path / "kubeconfig", url)
        result = _run("convert", "--from-cluster", "--kubeconfig", str(config), "-o", str(tmp_path / "cluster"))
    assert result.exit_code == 0, result.output
    assert _run("convert", str(_files_as_applied(tmp_path / "files")), "-o", str(tmp_path / "files-out")).exit_code == 0
    cluster, files = _outputs(tmp_path / "cluster"), _outputs(tmp_path / "files-out")
    assert sorted(cluster) == sorted(files) == [".kube2ecs-manifest.json", "NEXT-STEPS.md", "cloudformation/ui.yaml",
                                                "findings.json", "task-definitions/ui.ui.json"]
    # the same bytes, except that objects from a cluster have no file to name in their provenance
    assert _PLACE.search(files["cloudformation/ui.yaml"]) and not _PLACE.search(cluster["cloudformation/ui.yaml"])
    assert cluster["cloudformation/ui.yaml"] == _PLACE.sub("", files["cloudformation/ui.yaml"])
    assert cluster["task-definitions/ui.ui.json"] == files["task-definitions/ui.ui.json"]
    # the HPA applied as autoscaling/v1 and served as autoscaling/v2 scales the same service the same way
    assert "Type: AWS::ApplicationAutoScaling::ScalableTarget" in cluster["cloudformation/ui.yaml"]
    assert "- kind: HorizontalPodAutoscaler\n            namespace: ui\n            name: ui\n" in cluster["cloudformation/ui.yaml"]
    assert "documents: ConfigMap 1, Deployment 1, HorizontalPodAutoscaler 1, Service 1, ServiceAccount 1" in result.output
    # through the real client: its token, one request per kind and page (the stand-in pages by one object)
    assert api.tokens == {f"Bearer {TOKEN}"}
    assert sorted(api.requests) == sorted(_expected_requests("ui"))


def _expected_requests(namespace: str) -> list[str]:
    from translator.source.cluster import APIS

    fixture = json.loads(FIXTURE.read_text())
    out = []
    for kind in translatable_kinds():
        _, stem, api_version = APIS[kind]
        resource = _plural(stem)  # config_map -> configmaps, as the API path names it
        prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        count = len(fixture.get(api_version, {}).get(resource, {}).get(namespace, []))
        base = f"{prefix}/namespaces/{namespace}/{resource}"
        out.append(f"{base}?limit=500")
        out.extend(f"{base}?continue={i}&limit=500" for i in range(1, count))
    return out


def _plural(stem: str) -> str:
    word = stem.replace("_", "")
    return word[:-1] + "ies" if word.endswith("y") else word + ("es" if word.endswith("s") else "s")


def test_findings_name_the_object_and_what_was_not_read(tmp_path: Path) -> None:
    with serve() as (_, url):
        config = kubeconfig(tmp_path / "kubeconfig", url)
        assert _run("convert", "--from-cluster", "--kubeconfig", str(config), "-o", str(tmp_path / "o")).exit_code == 0
    findings = _findings(tmp_path / "o")
    assert all(f["file"] == "" and f["line"] == 0 for f in findings if f["resource"].startswith("Deployment/"))
    assert {f["resource"] for f in findings} >= {"Deployment/ui/ui", "Service/ui/ui", "ServiceAccount/ui/ui"}
    not_read = [f["message"] for f in findings if f["code"] == "K2E602"]
    assert not_read == [
        "1 ConfigMap object(s) in namespace ui were not read: the cluster creates them in every namespace",
        "1 Pod object(s) in namespace ui were not read: a controller owns them",
        "1 ReplicaSet object(s) in namespace ui were not read: a controller owns them",
        "1 ServiceAccount object(s) in namespace ui were not read: the cluster creates them in every namespace",
    ]
    text = (tmp_path / "o" / "cloudformation" / "ui.yaml").read_text()
    for server_value in ("48213", "8c1f3f0e", "deployment.kubernetes.io/revision", "last-applied", "172.20.118.51"):
        assert server_value not in text


def test_all_namespaces_leaves_out_the_cluster_own(tmp_path: Path) -> None:
    with serve() as (api, url):
        config = kubeconfig(tmp_path / "kubeconfig", url)
        result = _run("convert", "--from-cluster", "-A", "--kubeconfig", str(config), "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert all("/namespaces/" not in r for r in api.requests)
    assert sorted(p.name for p in (tmp_path / "o" / "cloudformation").iterdir()) == ["ui.yaml"]
    assert [f["message"] for f in _findings(tmp_path / "o") if f["code"] == "K2E601"] == [
        "namespace kube-system was not read: it holds the cluster's own components"]


def test_namespace_and_context_choose_what_is_read(tmp_path: Path) -> None:
    with serve() as (api, url):
        config = kubeconfig(tmp_path / "kubeconfig", url)
        result = _run("convert", "--from-cluster", "--context", "bare", "--kubeconfig", str(config), "-o", str(tmp_path / "a"))
        assert result.exit_code == 0 and all("/namespaces/default/" in r for r in api.requests)
        assert not (tmp_path / "a" / "cloudformation").exists() or not any((tmp_path / "a" / "cloudformation").iterdir())
        api.requests.clear()
        result = _run("convert", "--from-cluster", "--context", "bare", "-n", "kube-system", "--kubeconfig", str(config),
                      "-o", str(tmp_path / "b"))
        assert result.exit_code == 0 and all("/namespaces/kube-system/" in r for r in api.requests)
        assert (tmp_path / "b" / "task-definitions" / "kube-system.coredns.json").is_file()


def test_a_kind_that_cannot_be_listed_is_a_finding(tmp_path: Path) -> None:
    with serve(denied={"secrets"}) as (_, url):
        config = kubeconfig(tmp_path / "kubeconfig", url)
        result = _run("convert", "--from-cluster", "--kubeconfig", str(config), "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    denied = [f for f in _findings(tmp_path / "o") if f["code"] == "K2E600"]
    assert [(f["severity"], f["message"]) for f in denied] == [
        ("warning", "cannot list Secret objects in namespace ui: 403 Forbidden")]
    assert "kubectl auth can-i list secrets" in denied[0]["remediation"]


@pytest.mark.parametrize(("args", "message"), [
    (("--context", "nope"), "kube2ecs: --from-cluster: context 'nope' is not in the kubeconfig\n"),
    (("--kubeconfig", "/nonexistent/kubeconfig"), None),
])
def test_bad_kubeconfig_is_one_line(tmp_path: Path, args: tuple[str, ...], message: str | None) -> None:
    with serve() as (_, url):
        config = kubeconfig(tmp_path / "kubeconfig", url)
        result = _run("convert", "--from-cluster", "--kubeconfig", str(config), *args, "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert result.output.startswith("kube2ecs: --from-cluster: ")
    if message:
        assert result.output == message


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    with serve() as (_, url):
        pass  # the port is closed again
    config = kubeconfig(tmp_path / "kubeconfig", url)
    result = _run("convert", "--from-cluster", "--kubeconfig", str(config), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith("kube2ecs: --from-cluster: cannot reach the API server")
    assert not (tmp_path / "o").exists()


def test_strip_removes_what_the_server_wrote() -> None:
    live = json.loads(FIXTURE.read_text())["apps/v1"]["deployments"]["ui"][0]
    clean = strip(live)
    assert "status" not in clean
    assert set(clean["metadata"]) == {"name", "namespace", "labels"}
    assert "creationTimestamp" not in clean["spec"]["template"]["metadata"]
    assert clean["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"] == "true"


@pytest.mark.parametrize(("args", "message"), [
    (("--context", "test"), "kube2ecs: --kubeconfig, --context and --all-namespaces need --from-cluster\n"),
    (("--from-cluster", "-n", "ui", "-A"), "kube2ecs: --namespace and --all-namespaces exclude each other\n"),
])
def test_cluster_options_misused(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = _run("convert", *args, "-o", str(tmp_path / "o"))
    assert (result.exit_code, result.output) == (2, message)


def test_without_the_cluster_extra_the_error_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "kubernetes" or m.startswith("kubernetes.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # what `import kubernetes` finds when not installed
    result = _run("convert", "--from-cluster", "-o", str(tmp_path / "o"))
    assert (result.exit_code, result.output) == (
        2, "kube2ecs: --from-cluster needs the kubernetes client: pip install 'kube2ecs[cluster]'\n")
    assert not (tmp_path / "o").exists()
