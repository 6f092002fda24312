"""The deploy checklist deploys: a program follows its JSON form step by step against moto.

For each input it creates the secrets and SecureString parameters named, deploys each stack in the
order given with exactly the parameters given (tests/support/aws_stacks.py creates a stack as CloudFormation
would), fills the secrets the stacks created, runs the tasks, restarts the services and checks them.
Every `$NAME` is taken from the checklist's variables: a value the user supplies, or a resource of
a stack read with the command given, which must come after that stack was deployed. Every command
must name a real AWS CLI operation and options of it (from botocore's service models).

moto starts no containers, so a service never reaches its desired count: `aws ecs wait
services-stable` is proven by the DescribeServices call the waiter polls finding every service.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError

from tests.support.aws_handlers import HANDLERS
from tests.support.aws_replay import Replay, ReplayError
from tests.support.aws_stacks import create_stack
from tests.support.next_steps_input import split_input
from tests.support.proof_sources import SOURCES, translated
from translator.api import TranslationResult, translate_text

pytestmark = pytest.mark.slow

_DEPLOY_OPTIONS = {"--stack-name", "--template-file", "--s3-bucket", "--capabilities", "--parameter-overrides"}
_GLOBAL_OPTIONS = {"--query", "--output"}
_NETWORK = re.compile(r"awsvpcConfiguration=\{subnets=\[(.*)\],securityGroups=\[(.*)\],assignPublicIp=(\w+)\}")
_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@functools.cache
def _split() -> TranslationResult:
    return translate_text(split_input(), name="big.yaml")


@pytest.mark.parametrize("source", SOURCES)
def test_following_the_checklist_deploys(source: str, aws: Replay) -> None:
    result = translated(source)
    checklist = json.loads(result.next_steps.to_json())
    done = _Follower(aws, result, checklist).follow()
    assert len(done["stacks"]) == len(set(done["stacks"])) == len(result.templates)


def test_the_split_namespace_uses_every_kind_of_step(aws: Replay) -> None:
    done = _Follower(aws, _split(), json.loads(_split().next_steps.to_json())).follow()
    assert {k: v for k, v in done.items() if k != "stacks"} == {
        "create-secret": 1, "deploy-stack": 2, "fill-secret": 1, "run-task": 3, "restart-service": 130,
        "wait-services": 13, "describe-services": 13}
    assert done["stacks"] == ["big", "big-2"]


def test_the_split_namespace_does_not_deploy_in_the_other_order(aws: Replay) -> None:
    """The order matters: the second part imports what the first exports."""
    checklist = json.loads(_split().next_steps.to_json())
    deploy = next(s for s in checklist["sections"] if any(step["kind"] == "deploy-stack" for step in s["steps"]))
    deploy["steps"].reverse()
    checklist["sections"] = [deploy]
    with pytest.raises((ReplayError, ClientError), match="kube2ecs-big-"):
        _Follower(aws, _split(), checklist).follow()


def _steps(checklist: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for section in checklist["sections"] for step in section["steps"]]


class _Follower:
    def __init__(self, aws: Replay, result: TranslationResult, checklist: dict[str, Any]) -> None:
        self.aws, self.result, self.checklist = aws, result, checklist
        self.variables = {v["name"]: v for v in checklist["variables"]}
        self.values: dict[str, Any] = {}
        self.deployed: list[str] = []
        self.supplied = {**aws.parameters}

    def follow(self) -> dict[str, Any]:
        done: dict[str, Any] = {}
        for step in _steps(self.checklist):
            assert _cli_problems(step["command"]) == [], step["command"]
            getattr(self, "_" + step["kind"].replace("-", "_"))(step)
            done[step["kind"]] = done.get(step["kind"], 0) + 1
        done["stacks"] = self.deployed
        return done

    def value(self, name: str) -> Any:
        if name not in self.values:
            variable = self.variables[name]
            if variable["command"]:
                assert variable["stack"] in self.deployed, f"${name} is used before stack {variable['stack']} is deployed"
                self.values[name] = self.physical_id(variable["stack"], variable["logical_id"])
            elif variable["parameter"]:
                parameter = variable["parameter"]
                self.values[name] = self.supplied.get(parameter) or self.aws.by_suffix["CertificateArn"]
            else:  # the template bucket
                self.aws.clients("s3").create_bucket(Bucket="templates")
                self.values[name] = "templates"
        return self.values[name]

    def physical_id(self, stack: str, logical: str) -> str:
        """What `aws cloudformation describe-stack-resource` answers. moto's DescribeStackResource fails
        (AttributeError inside moto) on a stack holding a resource it created as nothing, such as an SSM
        parameter; ListStackResources gives the same physical id then."""
        cfn = self.aws.clients("cloudformation")
        try:
            detail = cfn.describe_stack_resource(StackName=stack, LogicalResourceId=logical)["StackResourceDetail"]
            return str(detail["PhysicalResourceId"])
        except AttributeError:
            rows = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
            return str(next(r["PhysicalResourceId"] for r in rows if r["LogicalResourceId"] == logical))

    def text(self, arg: str) -> str:
        def one(match: re.Match[str]) -> str:
            value = self.value(match.group(1))
            return ",".join(value) if isinstance(value, list) else str(value)
        return _VARIABLE.sub(one, arg)

    def options(self, argv: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        current = ""
        for arg in argv[next(i for i, a in enumerate(argv) if a.startswith("--")):]:
            if arg.startswith("--"):
                current = arg
                found[current] = []
            else:
                found[current].append(self.text(arg))
        return found

    # --- one method per step kind ----------------------------------------------------------
    def _create_secret(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        self.aws.clients("secretsmanager").create_secret(Name=o["--name"][0], SecretString=_values(step["keys"]))

    def _put_parameter(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        self.aws.clients("ssm").put_parameter(Name=o["--name"][0], Type=o["--type"][0], Value="test value")

    def _deploy_stack(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        name, template_path = o["--stack-name"][0], o["--template-file"][0]
        assert (name, template_path) == (step["stack"], step["template"])
        template = yaml.safe_load(self.result.templates[template_path.removeprefix("cloudformation/")])
        overrides = dict(item.split("=", 1) for item in o.get("--parameter-overrides", []))
        assert sorted(overrides) == sorted(p["name"] for p in step["parameters"] if p["variable"])
        assert set(template.get("Parameters", {})) == {p["name"] for p in step["parameters"]}
        self.aws.parameters = {p["name"]: self.value(p["variable"]) for p in step["parameters"] if p["variable"]}
        self.aws.stack = name
        summary = create_stack(self.aws, template, name, HANDLERS)
        assert summary["status"] == "CREATE_COMPLETE", name
        self.deployed.append(name)

    def _fill_secret(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        client = self.aws.clients("secretsmanager")
        client.put_secret_value(SecretId=o["--secret-id"][0], SecretString=_values(step["keys"]))
        described = client.describe_secret(SecretId=o["--secret-id"][0])
        assert described["Name"] == step["name"]

    def _run_task(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        subnets, groups, public = _NETWORK.fullmatch(o["--network-configuration"][0]).groups()  # type: ignore[union-attr]
        launch: dict[str, Any] = {"launchType": o["--launch-type"][0]} if "--launch-type" in o else {
            "capacityProviderStrategy": [dict((k, int(v) if k != "capacityProvider" else v) for k, v in
                                              (pair.split("=") for pair in item.split(","))) for item in
                                         o["--capacity-provider-strategy"]]}
        if "--platform-version" in o:
            launch["platformVersion"] = o["--platform-version"][0]
        ecs = self.aws.clients("ecs")
        family, cluster = o["--task-definition"][0], o["--cluster"][0]
        assert [c["status"] for c in ecs.describe_clusters(clusters=[cluster])["clusters"]] == ["ACTIVE"]
        assert ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["family"] == step["name"]
        call = {"cluster": cluster, "taskDefinition": family, "count": int(o["--count"][0]), **launch,
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": subnets.split(","), "securityGroups": groups.split(","), "assignPublicIp": public}}}
        if not _moto_can_run(ecs, family):
            from botocore.validate import validate_parameters

            validate_parameters(call, ecs.meta.service_model.operation_model("RunTask").input_shape)
            return  # the call is valid, and its cluster and task definition exist
        ran = ecs.run_task(**call)
        assert ran["failures"] == [] and len(ran["tasks"]) == int(o["--count"][0]), step["name"]

    def _restart_service(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        service = self.aws.clients("ecs").update_service(cluster=o["--cluster"][0], service=o["--service"][0],
                                                         forceNewDeployment=True)["service"]
        assert service["serviceName"] == step["services"][0]

    def _continue_deployment(self, step: dict[str, Any]) -> None:
        """moto models no service deployments: the commands are proven against botocore's models, and the
        cluster and service they name exist."""
        for read in step["reads"]:
            assert _cli_problems(read["command"]) == [], read["command"]
        listing = self.options(step["reads"][0]["command"])
        found = self.aws.clients("ecs").describe_services(cluster=listing["--cluster"][0], services=listing["--service"])
        assert [s["serviceName"] for s in found["services"]] == step["services"]
        assert [r["name"] for r in step["reads"]] == ["DEPLOYMENT_ARN", "HOOK_ID"]

    def _wait_services(self, step: dict[str, Any]) -> None:
        self._describe_services(step)

    def _describe_services(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        answer = self.aws.clients("ecs").describe_services(cluster=o["--cluster"][0], services=o["--services"])
        assert answer["failures"] == [], answer["failures"]
        assert sorted(s["serviceName"] for s in answer["services"]) == sorted(step["services"])
        assert {s["status"] for s in answer["services"]} == {"ACTIVE"}

    def _target_health(self, step: dict[str, Any]) -> None:
        o = self.options(step["command"])
        self.aws.clients("elbv2").describe_target_health(TargetGroupArn=o["--target-group-arn"][0])


def _moto_can_run(ecs: Any, family: str) -> bool:
    """moto's RunTask adds up the memory of the containers and fails inside moto (TypeError) when one
    has none, as on Fargate where the task's memory is enough; ECS runs such a task definition."""
    containers = ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["containerDefinitions"]
    return all("memory" in c or "memoryReservation" in c for c in containers)


def _values(keys: list[str]) -> str:
    """What the user writes into the file named: a JSON object with exactly the keys named."""
    return json.dumps({key: "test value" for key in keys})


def _cli_problems(argv: list[str]) -> list[str]:
    """Whether `argv` is an AWS CLI command: a service and operation (or `deploy`, `wait`) that exist,
    with options that are members of the operation's input (`--kebab-case` of the member name)."""
    import botocore.session
    from botocore import xform_name

    if argv[:1] != ["aws"]:
        return ["not an aws command"]
    session = botocore.session.get_session()
    model = session.get_service_model(argv[1])
    options = {a for a in argv if a.startswith("--")} - _GLOBAL_OPTIONS
    if argv[1:3] == ["cloudformation", "deploy"]:
        return sorted(options - _DEPLOY_OPTIONS)
    if argv[2] == "wait":
        waiter = session.get_waiter_model(argv[1]).get_waiter("".join(w.title() for w in argv[3].split("-")))
        operation = model.operation_model(waiter.operation)
    else:
        names = {xform_name(op, "-"): op for op in model.operation_names}
        if argv[2] not in names:
            return [f"no operation {argv[2]}"]
        operation = model.operation_model(names[argv[2]])
    members = {"--" + xform_name(m, "-") for m in operation.input_shape.members}
    members |= {"--" + xform_name(m, "-").removeprefix("no-") for m in operation.input_shape.members}
    return sorted(options - members)


def test_the_command_check_knows_a_wrong_operation_or_option() -> None:
    assert _cli_problems(["aws", "ecs", "run-task", "--cluster", "c", "--task-definition", "f", "--count", "1"]) == []
    assert _cli_problems(["aws", "ecs", "run-tasks", "--cluster", "c"]) == ["no operation run-tasks"]
    assert _cli_problems(["aws", "ecs", "wait", "services-stable", "--cluster", "c", "--service", "s"]) == ["--service"]
    assert _cli_problems(["aws", "cloudformation", "deploy", "--template", "t"]) == ["--template"]
    assert _cli_problems(["aws", "ecs", "update-service", "--service", "s", "--force-new-deployment"]) == []
