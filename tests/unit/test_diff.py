"""`kube2ecs diff`: ECS-level changes in reviewer words, by resource; exit 0 same, 1 changed, 2 bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.manifests import deployment
from tests.support.repo import ROOT
from tests.support.results import invoke as _run
from translator.api import TranslationResult, translate_text
from translator.diff import _renamed, diff_results
from translator.model.provenance import KEY

WEB = ROOT / "samples" / "web-app"


def _edited(tmp_path: Path) -> Path:
    """A copy of the sample with a new image tag, another replica count and another Ingress path."""
    copy = tmp_path / "web-app"
    shutil.copytree(WEB, copy)
    web, ingress = copy / "web.yaml", copy / "ingress.yaml"
    text, rules = web.read_text(), ingress.read_text()
    assert "nginx:1.27" in text and "replicas: 3" in text and rules.count("- path: /\n") == 1
    web.write_text(text.replace("nginx:1.27", "nginx:1.28").replace("replicas: 3", "replicas: 5"))
    ingress.write_text(rules.replace("- path: /\n", "- path: /shop\n"))
    return copy


def test_image_tag_replicas_and_ingress_path_are_reported_by_resource(tmp_path: Path) -> None:
    result = _run("diff", str(WEB), str(_edited(tmp_path)))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        # the rule keeps its logical id: CloudFormation updates its conditions in place
        'listener rule shop.example.com /shop, /shop/*: path ["/*"] -> ["/shop", "/shop/*"]',
        # maxSurge 1 is a percentage of the replica count on ECS: restated, still one extra task
        "service shop.web: desired count 3 -> 5"
        " (deployment configuration maximum percent 134 -> 120: the same rollout in tasks)",
        "task definition shop.web: container web image public.ecr.aws/nginx/nginx:1.27 -> public.ecr.aws/nginx/nginx:1.28",
        "3 change(s) in 3 resource(s)",
    ]


def test_unchanged_input_exits_0_even_when_files_move(tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "all.yaml").write_text("---\n".join(p.read_text() for p in sorted(WEB.glob("*.yaml"), reverse=True)))
    result = _run("diff", str(WEB), str(moved))
    assert (result.exit_code, result.output) == (0, "no ECS changes\n")


def test_json_format(tmp_path: Path) -> None:
    result = _run("diff", str(WEB), str(_edited(tmp_path)), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["changed"] is True
    assert [(r["status"], r["logical_id"], r["old_logical_id"]) for r in report["resources"]] == [
        ("changed", "IngressAlb80WebRulea2879f", ""), ("changed", "WebService", ""),
        ("changed", "WebTaskDefinition", "")]
    image = report["resources"][2]["changes"][0]
    assert (report["resources"][2]["label"], image["path"], image["old"], image["new"]) == (
        "task definition shop.web", "Properties.ContainerDefinitions.web.Image",
        "public.ecr.aws/nginx/nginx:1.27", "public.ecr.aws/nginx/nginx:1.28")
    unchanged = json.loads(_run("diff", str(WEB), str(WEB), "--format", "json").output)
    assert unchanged == {"version": 1, "changed": False, "resources": []}


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _run("diff", str(WEB), str(tmp_path / "nope"))
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "no such file" in result.output
    result = _run("diff", "git:", str(WEB))
    assert result.exit_code == 2 and "expected git:REV:PATH" in result.output


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=kube2ecs", "-c", "user.email=kube2ecs@example.com", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout


def test_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(WEB, repo / "k8s")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    web = repo / "k8s" / "web.yaml"
    web.write_text(web.read_text().replace("nginx:1.27", "nginx:1.28"))
    _git(repo, "commit", "-q", "-am", "second")
    monkeypatch.chdir(repo / "k8s")  # PATH is relative to the current directory, as git takes it
    result = _run("diff", "git:HEAD~1:.", "git:HEAD:")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith("nginx/nginx:1.27 -> public.ecr.aws/nginx/nginx:1.28")
    assert _run("diff", "git:HEAD:web.yaml", "web.yaml").exit_code == 0
    bad = _run("diff", "git:nope:.", ".")
    assert bad.exit_code == 2 and bad.output.startswith("kube2ecs: git:nope:.: ") and bad.output.count("\n") == 1


DEPLOYMENT = deployment(image="api:1", replicas=2, metadata="labels: {team: a}", container="""\
          args: [serve, --port, "8080"]
          env: [{name: MODE, value: fast}]
""")


def _lines(old: str, new: str) -> list[str]:
    return [c.line() for c in diff_results(translate_text(old), translate_text(new))]


def test_named_lists_compare_by_name_and_plain_lists_whole() -> None:
    new = (DEPLOYMENT.replace("env: [{name: MODE, value: fast}]", "env: [{name: DEBUG, value: '1'}, {name: MODE, value: slow}]")
           .replace('"8080"', '"9090"').replace("team: a", "team: b"))
    lines = _lines(DEPLOYMENT, new)
    assert lines == [
        "service shop.api: tag team a -> b",
        'task definition shop.api: container api command ["serve", "--port", "8080"] -> ["serve", "--port", "9090"];'
        " container api env DEBUG added (1); container api env MODE fast -> slow; tag team a -> b",
    ]


def test_resources_and_stacks_added_and_removed() -> None:
    second = DEPLOYMENT.replace("name: api,", "name: worker,")
    lines = _lines(DEPLOYMENT, DEPLOYMENT + "---\n" + second)
    assert lines == ["stack shop: outputs worker service name added",  # the stack's output of the service's name
                     "IAM role WorkerExecutionRole added", "log group WorkerLogGroup added", "service shop.worker added",
                     "task definition shop.worker added"]
    other = DEPLOYMENT.replace("namespace: shop", "namespace: billing")
    assert _lines(DEPLOYMENT, other) == ["stack billing (9 resources) added", "stack shop (9 resources) removed"]


def _with_ingress(ingress: str) -> TranslationResult:
    app = "---\n".join(p.read_text() for p in sorted(WEB.glob("*.yaml")) if p.name != "ingress.yaml")
    return translate_text(app + "---\n" + ingress)


def _rule_changes(old: TranslationResult, new: TranslationResult) -> list[tuple[str, str, str]]:
    return sorted((c.label, c.status, c.old_logical_id) for c in diff_results(old, new) if c.type.endswith("ListenerRule"))


def test_rules_keep_their_ids_when_only_their_paths_change() -> None:
    ingress = (WEB / "ingress.yaml").read_text()
    two = ingress.replace("          - path: /\n", "          - path: /a\n            pathType: Prefix\n"
                          "            backend: {service: {name: web-internal, port: {name: http}}}\n          - path: /b\n")
    renamed = two.replace("path: /a", "path: /c").replace("path: /b", "path: /d")
    assert _rule_changes(_with_ingress(two), _with_ingress(renamed)) == [
        ("listener rule shop.example.com /c, /c/*", "changed", ""), ("listener rule shop.example.com /d, /d/*", "changed", "")]


def test_a_rule_sent_to_another_backend_is_replaced() -> None:
    ingress = (WEB / "ingress.yaml").read_text()
    moved = ingress.replace("name: web-internal", "name: web")
    old, new = _with_ingress(ingress), _with_ingress(moved)
    [(label, status, was)] = _rule_changes(old, new)
    assert (label, status) == ("listener rule shop.example.com /*", "replaced")
    assert f"  {was}:\n" in old.templates["shop.yaml"] and was not in new.templates["shop.yaml"]


def test_removed_and_added_rules_are_paired_only_when_unambiguous() -> None:
    def rule(name: str) -> dict[str, object]:
        return {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
                "Metadata": {KEY: {"objects": [{"kind": "Ingress", "namespace": "shop", "name": name}]}}}

    assert _renamed({"A1": rule("a"), "B1": rule("b")}, {"A2": rule("a"), "B2": rule("b")}) == {"A1": "A2", "B1": "B2"}
    assert _renamed({"A1": rule("a"), "A2": rule("a")}, {"A3": rule("a"), "A4": rule("a")}) == {}


def test_rollout_percentages_fold_into_the_count_only_when_the_rollout_in_tasks_stays() -> None:
    def service(replicas: int, surge: str) -> str:
        rollout = f"  strategy: {{rollingUpdate: {{maxSurge: {surge}, maxUnavailable: 0}}}}\n"
        return DEPLOYMENT.replace("  replicas: 2\n", f"  replicas: {replicas}\n{rollout}")

    assert _lines(service(3, "1"), service(5, "1")) == [
        "service shop.api: desired count 3 -> 5 (deployment configuration maximum percent 134 -> 120: the same rollout in tasks)"]
    assert _lines(service(3, "1"), service(5, "2")) == [
        "service shop.api: deployment configuration maximum percent 134 -> 140; desired count 3 -> 5"]
