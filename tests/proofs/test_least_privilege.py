"""Least privilege, on every IAM statement kube2ecs generates for every sample and corpus source.

1. No Allow statement has `"Resource": "*"`, except ecr:GetAuthorizationToken and the four
   ssmmessages actions of ECS Exec, which AWS defines on no resource.
2. Each task's execution role reads exactly the secrets, SSM parameters and log groups its task
   uses: no more (nothing another task needs) and no less (the task would not start).
3. The AWS managed policies attached anywhere are ECS policies on the roles ECS documents them for,
   each trusted by one service alone. AmazonECSInfrastructureRolePolicyForLoadBalancers, on
   the role ECS assumes to shift traffic in a blue/green,
   canary or linear deployment behind a load balancer: a documented exception, since its statements are
   not in the template (its ELB Describe* actions are on "*", its Register/DeregisterTargets and
   ModifyListener/ModifyRule on any target group, listener and rule of the account:
   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
   ECS documents the role with exactly this policy
   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
   AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity (a service-role policy), on the
   role ECS assumes to issue and rotate the certificates of Service Connect TLS with an AWS Private CA
   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity.html;
   see docs/istio-service-connect.md).
   The same holds for AmazonECSInfrastructureRolePolicyForVpcLattice on the role ECS assumes to register the
   tasks of a service in VPC Lattice target groups (gateway_target vpc-lattice): RegisterTargets,
   DeregisterTargets, GetTargetGroup and ListTargets on any Lattice target group, EC2 Describe* on "*"
   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForVpcLattice.html).
   With launch_type MANAGED_INSTANCES two more, each on the one role ECS documents it for: the infrastructure
   role (trusted by ecs.amazonaws.com) that launches and retires the instances, with
   AmazonECSInfrastructureRolePolicyForManagedInstances (EC2 fleet, launch template and instance actions, and
   iam:PassRole only for roles named ecsInstanceRole*:
   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html), and the instance
   role (trusted by ec2.amazonaws.com) of the container agent on them, with
   AmazonECSInstanceRolePolicyForManagedInstances
   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-instance-profile.html).
   ECS must be able to launch instance types the template cannot list in advance, which no inline statement
   scoped to the stack's resources could allow.
4. Each task role the stack creates writes exactly where the FireLens routers of its tasks send logs
   (a log group, a Firehose delivery stream, an S3 bucket): no more and no less.
5. A VPC Lattice auth policy (AWS::VpcLattice::AuthPolicy, from an IAMAuthPolicy of the input) is not
   checked by 1: its statements are the user's document as written, which says who may call, not what
   kube2ecs grants. In such a policy `"Resource": "*"` means the service or services it is attached to
   (https://docs.aws.amazon.com/vpc-lattice/latest/ug/auth-policies.html); the test checks instead that the
   document is the input's, unchanged (tests/unit/mapping/network/test_latticepolicies.py).

References are evaluated symbolically with the deploy proof's resolver: `Ref X` becomes `ref:X`,
`Fn::GetAtt X.Arn` becomes `att:X.Arn`, imports of a split stack resolve to the values an earlier part exports,
and Fn::Sub fills in the region and account of the emulator; so a secret the stack creates, one it
imports, and one outside the stack are each compared by what they name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.aws_replay import Created, Replay
from tests.support.proof_sources import SOURCES, templates

pytestmark = pytest.mark.slow  # every input's IAM statements: `pytest -m "not slow"` leaves it out

# ecr:GetAuthorizationToken is defined on no resource; neither are the ssmmessages actions of ECS Exec,
# which list only condition keys (https://docs.aws.amazon.com/service-authorization/latest/reference/
# list_amazonmessagegatewayservice.html), so their statement names "*" (mapping/service/execute.py).
ALLOWED_ANYWHERE = {"ecr:GetAuthorizationToken", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"}
TASK_TYPES = ("AWS::ECS::TaskDefinition", "AWS::ECS::DaemonTaskDefinition")  # a managed daemon's task has roles too
_KEY_SUFFIX = re.compile(r"(:secret:[^:]+|^ref:[^:]+):[^:]*:[^:]*:[^:]*$")  # `<secret>:<json key>:<stage>:<version>`


class _Attributes(dict):  # type: ignore[type-arg]
    """Every attribute of a resource, named symbolically."""

    def __init__(self, logical: str) -> None:
        super().__init__()
        self.logical = logical

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> str:
        return f"att:{self.logical}.{key}"


def _symbolic(template: dict[str, Any], replay: Replay) -> dict[str, Any]:
    """The template's resources with every intrinsic evaluated symbolically; exports published."""
    replay.created = {k: Created(f"ref:{k}", _Attributes(k), logical_id=k) for k in template["Resources"]}
    for name, spec in template.get("Parameters", {}).items():
        replay.parameters.setdefault(name, spec.get("Default", f"param:{name}"))
    replay.evaluate(template.get("Conditions", {}))
    resolved = {k: {**v, "Properties": replay.resolve(v.get("Properties", {}))} for k, v in template["Resources"].items()}
    for output in template.get("Outputs", {}).values():
        if "Export" in output:
            replay.exports[replay.resolve(output["Export"]["Name"])] = replay.resolve(output["Value"])
    return resolved


def _resolved(source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    replay = Replay(clients=lambda service: None, parameters={})
    for name, template in templates(source):
        yield name, _symbolic(template, replay)


def _statements(value: Any) -> Iterator[dict[str, Any]]:
    """Every policy statement anywhere in a resource's properties (roles, managed and resource policies)."""
    if isinstance(value, dict):
        if isinstance(value.get("Statement"), list):
            yield from (s for s in value["Statement"] if isinstance(s, dict))
        for item in value.values():
            yield from _statements(item)
    elif isinstance(value, list):
        for item in value:
            yield from _statements(item)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


USERS_DOCUMENTS = ("AWS::VpcLattice::AuthPolicy",)  # see 5 above


@pytest.mark.parametrize("source", SOURCES)
def test_no_statement_allows_every_resource(source: str) -> None:
    wide = [(name, logical, statement) for name, resources in _resolved(source)
            for logical, body in resources.items() if body["Type"] not in USERS_DOCUMENTS
            for statement in _statements(body["Properties"])
            if statement.get("Effect") == "Allow" and "*" in _listed(statement.get("Resource", []))
            and not set(_listed(statement["Action"])) <= ALLOWED_ANYWHERE]
    assert wide == []
    assert not [s for _, r in _resolved(source) for b in r.values() for s in _statements(b["Properties"]) if "NotResource" in s]


# The AWS managed policies a role may carry, and the one service that may assume such a role (see 3 above).
ALLOWED_MANAGED_POLICIES = {
    "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers": "ecs.amazonaws.com",
    "arn:${AWS::Partition}:iam::aws:policy/service-role/"
    "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity": "ecs.amazonaws.com",
    "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice": "ecs.amazonaws.com",
    "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances": "ecs.amazonaws.com",
    "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances": "ec2.amazonaws.com"}


@pytest.mark.parametrize("source", SOURCES)
def test_managed_policies_are_only_the_documented_exception(source: str) -> None:
    wrong = []
    for name, template in templates(source):
        for logical, body in template["Resources"].items():
            arns = body["Properties"].get("ManagedPolicyArns", []) if body["Type"] == "AWS::IAM::Role" else []
            trusted = {s["Principal"].get("Service") for s in
                       body["Properties"]["AssumeRolePolicyDocument"]["Statement"]} if arns else set()
            for arn in arns:
                text = arn.get("Fn::Sub") if isinstance(arn, dict) else arn
                if text not in ALLOWED_MANAGED_POLICIES or trusted != {ALLOWED_MANAGED_POLICIES[text]}:
                    wrong.append((name, logical, text, sorted(trusted)))
    assert wrong == []


def _granted(role: dict[str, Any], action: str) -> set[str]:
    return {r for s in _statements(role["Properties"]) if s.get("Effect") == "Allow" and action in _listed(s["Action"])
            for r in _listed(s["Resource"])}


def _used(task: dict[str, Any]) -> tuple[set[str], set[str], set[str]]:
    """(secrets, parameters, log groups) the task's containers read, as the policy must name them."""
    secrets, parameters, logs = set(), set(), set()
    for container in task["Properties"]["ContainerDefinitions"]:
        references = [s["ValueFrom"] for s in container.get("Secrets", [])]
        credentials = container.get("RepositoryCredentials", {}).get("CredentialsParameter")
        for reference in [*references, *([credentials] if credentials else [])]:
            if ":ssm:" in reference:
                parameters.add(reference)
            else:
                secrets.add(_KEY_SUFFIX.sub(r"\1", reference))
        options = container.get("LogConfiguration", {}).get("Options", {})
        if "awslogs-group" in options:
            logs.add(options["awslogs-group"].removeprefix("ref:"))
    return secrets, parameters, logs


def _tasks(source: str) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(template, task logical id, task, its execution role), for every task definition."""
    for name, resources in _resolved(source):
        for logical, body in resources.items():
            if body["Type"] in TASK_TYPES:
                role = body["Properties"]["ExecutionRoleArn"]
                assert role.startswith("att:") and role.endswith(".Arn"), (name, logical, role)
                yield name, logical, body, resources[role[4:-4]]


@pytest.mark.parametrize("source", SOURCES)
def test_each_execution_role_reads_exactly_what_its_task_uses(source: str) -> None:
    checked = 0
    for name, logical, task, role in _tasks(source):
        secrets, parameters, logs = _used(task)
        granted_secrets = {r.removesuffix("-??????") for r in _granted(role, "secretsmanager:GetSecretValue")}
        granted_logs = {r.removeprefix("att:").removesuffix(".Arn") for r in _granted(role, "logs:PutLogEvents")}
        assert granted_secrets == secrets, (name, logical)
        assert _granted(role, "ssm:GetParameters") == parameters, (name, logical)
        assert granted_logs == logs and _granted(role, "logs:CreateLogStream") == _granted(role, "logs:PutLogEvents"), \
            (name, logical)
        checked += 1
    assert checked == len([t for t in templates(source) for r in t[1]["Resources"].values()
                           if r["Type"] in TASK_TYPES])


def _routed(task: dict[str, Any]) -> set[str]:
    """Where the task's FireLens router writes: `logs:<log group>`, `firehose:<stream>`, `s3:<bucket>`."""
    out = set()
    for container in task["Properties"]["ContainerDefinitions"]:
        log = container.get("LogConfiguration", {})
        if log.get("LogDriver") != "awsfirelens":
            continue
        options = log["Options"]
        if options["Name"] == "cloudwatch_logs":
            out.add("logs:" + options["log_group_name"].removeprefix("ref:"))
        elif options["Name"] == "firehose":
            out.add("firehose:" + options["delivery_stream"])
        elif options["Name"] == "s3":
            out.add("s3:" + options["bucket"])
    return out


def _written(role: dict[str, Any]) -> set[str]:
    """Where a role may write logs, named as `_routed` names them."""
    out = {"logs:" + r.removeprefix("att:").removesuffix(".Arn") for r in _granted(role, "logs:PutLogEvents")}
    out |= {"firehose:" + r.rsplit("/", 1)[1] for r in _granted(role, "firehose:PutRecordBatch")}
    return out | {"s3:" + r.split(":::", 1)[1].removesuffix("/*") for r in _granted(role, "s3:PutObject")}


@pytest.mark.parametrize("source", SOURCES)
def test_each_task_role_writes_exactly_where_its_log_routers_send(source: str) -> None:
    resources = {logical: body for _, part in _resolved(source) for logical, body in part.items()}
    expected: dict[str, set[str]] = {}
    for body in resources.values():
        role = body["Properties"].get("TaskRoleArn") if body["Type"] in TASK_TYPES else None
        if isinstance(role, str) and role.startswith("att:") and role.endswith(".Arn"):  # a role the stack creates
            expected.setdefault(role[4:-4], set()).update(_routed(body))
    assert {logical: _written(resources[logical]) for logical in expected} == expected
