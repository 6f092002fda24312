"""The deploy checklist (NEXT-STEPS.md, TranslationResult.next_steps): its order, its content, and
that it holds names only. The moto proof that it deploys is tests/proofs/test_next_steps_proof.py."""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import field

from tests.support.next_steps_input import split_input
from translator.api import TranslationResult, translate_text
from translator.model.ecs import Output, Resource, Stack
from translator.model.intrinsics import Ref
from translator.model.record import record
from translator.nextsteps import model as m
from translator.nextsteps.markdown import shell
from translator.nextsteps.order import deploy_order
from translator.render.crossrefs import import_names


@functools.cache
def _split() -> TranslationResult:
    return translate_text(split_input(), name="big.yaml")


def _kinds(result: TranslationResult) -> list[tuple[str, str]]:
    return [(s.kind, s.stack or s.name) for s in result.next_steps.steps()]


def test_the_order_comes_from_imports_and_exports_not_from_names() -> None:
    exporter = Stack("z-shared", "ns", outputs=(("Cluster", Output(Ref("Cluster"), "kube2ecs-z-Cluster")),))
    importer = Stack("a-first-by-name", "ns", resources=(_resource({"cluster": {"Fn::ImportValue": "kube2ecs-z-Cluster"}}),),
                     outputs=(("Unrelated", Output("x")),))
    alone = Stack("m", "other")
    assert deploy_order([importer, alone, exporter]) == [1, 2, 0]
    assert deploy_order([exporter, importer, alone]) == [0, 1, 2]


def test_a_cycle_or_an_unknown_import_does_not_lose_a_stack() -> None:
    a = Stack("a", "ns", resources=(_resource({"x": {"Fn::ImportValue": "eb"}}),), outputs=(("A", Output("1", "ea")),))
    b = Stack("b", "ns", resources=(_resource({"x": {"Fn::ImportValue": "ea"}}),), outputs=(("B", Output("1", "eb")),))
    c = Stack("c", "ns", resources=(_resource({"x": {"Fn::ImportValue": "made-elsewhere"}}),))
    assert deploy_order([a, b, c]) == [2, 0, 1]


@record
class _Holder(Resource):
    """A resource whose one property is the value given: where a reference would be."""

    value: dict[str, object] = field(default_factory=dict)


def _resource(value: dict[str, object]) -> Resource:
    return _Holder("R", value=value)


def test_a_split_namespace_deploys_its_first_part_first_whatever_the_order_given() -> None:
    result = _split()
    assert [s.name for s in result.stacks] == ["big", "big-2"]
    texts = [result.templates[f"{s.name}.yaml"] for s in result.stacks]
    # the parts import from each other in their rendered text, which the order reads
    assert deploy_order(list(reversed(result.stacks)), [import_names(t) for t in reversed(texts)]) == [1, 0]
    deploys = [s for s in result.next_steps.steps() if s.kind == m.DEPLOY_STACK]
    assert [(s.stack, s.template) for s in deploys] == [("big", "cloudformation/big.yaml"),
                                                         ("big-2", "cloudformation/big-2.yaml")]
    assert deploys[1].title == "Deploy stack big-2 from cloudformation/big-2.yaml, after big whose exports it imports"


def test_every_kind_of_step_in_order() -> None:
    kinds = [kind for kind, _ in _kinds(_split())]
    assert [kind for kind, _ in itertools.groupby(kinds)] == [m.CREATE_SECRET, m.DEPLOY_STACK, m.FILL_SECRET, m.RUN_TASK,
                                          m.RESTART_SERVICE, m.WAIT_SERVICES, m.RUN_TASK, m.DESCRIBE_SERVICES]
    runs = [(s.name, s.when) for s in _split().next_steps.steps() if s.kind == m.RUN_TASK]
    assert runs == [("big-migrate", "before"), ("big-seed", "after"), ("big-smoke", "after")]
    assert _split().next_steps.notes == (
        "Job big/cleanup (Helm hook pre-delete): run it before deleting the stack: " + shell(_run_command("big-cleanup")),)
    migrate = next(s for s in _split().next_steps.steps() if s.kind == m.RUN_TASK)
    assert migrate.command == _run_command("big-migrate")


def _run_command(family: str) -> tuple[str, ...]:
    return ("aws", "ecs", "run-task", "--cluster", "$CLUSTER_BIG", "--task-definition", family, "--count", "1",
            "--launch-type", "FARGATE", "--platform-version", "LATEST", "--network-configuration",
            "awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP_BIG],assignPublicIp=DISABLED}")


def test_secrets_are_named_with_their_keys_and_the_exact_commands() -> None:
    steps = {s.kind: s for s in _split().next_steps.steps() if s.kind in (m.CREATE_SECRET, m.FILL_SECRET)}
    assert steps[m.CREATE_SECRET].command == ("aws", "secretsmanager", "create-secret", "--name", "k8s/big/remote",
                                              "--secret-string", "file://k8s-big-remote.json")
    assert steps[m.CREATE_SECRET].keys == ("token",)
    assert steps[m.FILL_SECRET].command == ("aws", "secretsmanager", "put-secret-value", "--secret-id", "k8s/big/db",
                                            "--secret-string", "file://k8s-big-db.json")
    assert (steps[m.FILL_SECRET].keys, steps[m.FILL_SECRET].stack) == (("password",), "big")
    restarts = [s.services for s in _split().next_steps.steps() if s.kind == m.RESTART_SERVICE]
    assert len(restarts) == 130  # the hook Job runs after every service of the namespace started


def test_the_ssm_backend_asks_for_securestring_parameters_before_the_deploy() -> None:
    from translator.options import options_from_dict

    result = translate_text(split_input(), options_from_dict({"secrets_backend": "ssm"}), name="big.yaml")
    steps = [s for s in result.next_steps.steps() if s.kind == m.PUT_PARAMETER]
    assert [s.command for s in steps] == [
        ("aws", "ssm", "put-parameter", "--type", "SecureString", "--name", name, "--value", f"file://{file}")
        for name, file in (("/k8s/big/db/password", "k8s-big-db-password.txt"),
                           ("/k8s/big/remote/token", "k8s-big-remote-token.txt"))]


def test_each_secret_a_finding_names_is_in_the_checklist() -> None:
    result = _split()
    named = {re.search(r"secret (k8s/\S+?)[ ;,]", f.message + " " + f.remediation + " ").group(1)  # type: ignore[union-attr]
             for f in result.findings if f.code in ("K2E330", "K2E331")}
    listed = {s.name for s in result.next_steps.steps() if s.kind in (m.CREATE_SECRET, m.FILL_SECRET)}
    assert named == listed == {"k8s/big/db", "k8s/big/remote"}


def test_no_secret_value_and_the_same_bytes_every_time() -> None:
    first, second = _split(), translate_text(split_input(), name="big.yaml")
    text = first.files()["NEXT-STEPS.md"]
    assert "not-a-real-value" not in text + first.next_steps.to_json()
    assert text == second.files()["NEXT-STEPS.md"] and first.next_steps.to_json() == second.next_steps.to_json()
    assert json.loads(first.next_steps.to_json())["version"] == 1


def test_every_variable_a_command_uses_is_defined() -> None:
    steps = _split().next_steps
    defined = {v.name for v in steps.variables}
    used = {name for s in steps.steps() for arg in s.command for name in re.findall(r"\$([A-Z0-9_]+)", arg)}
    assert used == defined == {"VPC_ID", "SUBNETS", "TEMPLATE_BUCKET", "CLUSTER_BIG", "SECURITY_GROUP_BIG"}


def test_a_large_template_is_deployed_through_a_bucket() -> None:
    """`aws cloudformation deploy` sends a template over 51,200 bytes through S3, or fails without a bucket."""
    sizes = {f"cloudformation/{k}": len(v.encode()) for k, v in _split().templates.items()}
    assert max(sizes.values()) > 51_200, "the case needs a template over the limit"
    deploys = [s for s in _split().next_steps.steps() if s.kind == m.DEPLOY_STACK]
    assert {s.template: s.command[7:9] == ("--s3-bucket", "$TEMPLATE_BUCKET") for s in deploys} == {
        template: size > 51_200 for template, size in sizes.items()}
    small = translate_text(split_input().split("---\n", 1)[0], name="one.yaml").next_steps.steps()
    assert "--s3-bucket" not in next(s for s in small if s.kind == m.DEPLOY_STACK).command


def test_no_workload_no_steps() -> None:
    result = translate_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    assert result.next_steps == m.NextSteps()
    assert "Nothing to deploy" in result.files()["NEXT-STEPS.md"]


def test_shell_quoting_keeps_variables_expanding() -> None:
    assert shell(("a", "B=$X", "q[].x", "it's")) == "a \"B=$X\" 'q[].x' 'it'\"'\"'s'"


def test_a_deployment_that_waits_for_a_person_has_its_continue_commands() -> None:
    """A blue/green Rollout without auto-promotion pauses every deployment; the checklist says how to go on."""
    from tests.support.repo import ROOT
    from translator.api import translate
    from translator.nextsteps.markdown import render

    result = translate([str(ROOT / "samples" / "rollout-bluegreen")])
    steps = [s for s in result.next_steps.steps() if s.kind == m.CONTINUE_DEPLOYMENT]
    assert [(s.title, s.services, [r.name for r in s.reads]) for s in steps] == [
        ("Continue the deployment of service payments-checkout paused at PRE_PRODUCTION_TRAFFIC_SHIFT",
         ("payments-checkout",), ["DEPLOYMENT_ARN", "HOOK_ID"])]
    assert steps[0].command == ("aws", "ecs", "continue-service-deployment", "--service-deployment-arn",
                                "$DEPLOYMENT_ARN", "--hook-id", "$HOOK_ID", "--action", "CONTINUE")
    assert ("   HOOK_ID=$(aws ecs describe-service-deployments --service-deployment-arns \"$DEPLOYMENT_ARN\" --query "
            "'serviceDeployments[0].lifecycleHookDetails[?status==`\"AWAITING_ACTION\"`].hookId' --output text)"
            ) in render(result.next_steps)


def test_a_canary_that_continues_by_itself_asks_for_nothing() -> None:
    from tests.support.repo import ROOT
    from translator.api import translate

    result = translate([str(ROOT / "samples" / "rollout-canary")])
    assert [s for s in result.next_steps.steps() if s.kind == m.CONTINUE_DEPLOYMENT] == []
