"""The output deploys: every sample and corpus source against moto (in process, no network).

1. Every task-definition JSON is registered with boto3 and read back; the diff of what was sent
   and what came back holds only the defaults moto fills in (listed in aws_handlers).
2. Every template is replayed through the SDK, resource by resource, as CloudFormation would
   create it (aws_replay); each resource is read back and must equal what was sent, apart from the
   members moto does not store (listed in aws_handlers.DROPPED). The task definition the template
   describes must be the same as the JSON file.
3. Every template is created as a CloudFormation stack in moto for the types moto models; the rest
   are replayed around it (aws_stacks). The stack completes, every resource exists, and the
   container definitions moto's CloudFormation keeps read back as the template wrote them.
4. The types moto does not model (aws_handlers.NOT_MODELLED: ECS Managed Instances capacity providers and
   their cluster association, managed daemons and daemon task definitions) are not created: their requests
   are checked against botocore's ECS model only, and a test below fails once moto models them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from deepdiff import DeepDiff

from tests.support.aws_handlers import (
    HANDLERS,
    api_shape,
    read_back_problems,
    register_task_definition,
    rule_exists,
    unexpected_task_definition_changes,
)
from tests.support.aws_replay import ACCOUNT, REGION, Replay, replay_template
from tests.support.aws_stacks import create_stack
from tests.support.proof_sources import SOURCES, templates, translated

pytestmark = pytest.mark.slow  # every input against moto: `pytest -m "not slow"` leaves it out


def envsubst(text: str) -> str:
    """What the README tells users to do with the JSON files before registering them."""
    return text.replace("${AWS_ACCOUNT_ID}", ACCOUNT).replace("${AWS_REGION}", REGION)


@pytest.mark.parametrize("source", SOURCES)
def test_task_definitions_register_and_read_back_unchanged(source: str, aws: Replay) -> None:
    result = translated(source)
    for name, text in sorted(result.task_definitions.items()):
        sent = json.loads(envsubst(text))
        _, back = register_task_definition(aws.clients("ecs"), sent)
        assert unexpected_task_definition_changes(sent, back) == [], name


def _same_task(from_json: dict[str, Any], from_template: dict[str, Any], secrets: dict[str, str]) -> list[str]:
    """The template's task definition and the JSON file describe the same task. Role ARNs differ by
    construction (roles the stack creates get generated names), and a secret the stack creates has
    the random suffix AWS appends to its ARN (`secrets` maps that ARN to the name-only ARN the JSON
    file uses); everything else must be identical."""
    def normal(task: dict[str, Any]) -> Any:
        text = json.dumps({k: v for k, v in task.items() if k not in ("executionRoleArn", "taskRoleArn")})
        for arn, plain in secrets.items():
            text = text.replace(arn, plain)
        return json.loads(text)
    roles = [f"{k} only in one of them" for k in ("executionRoleArn", "taskRoleArn")
             if (k in from_json) != (k in from_template)]
    diff = DeepDiff(normal(from_json), normal(from_template), verbose_level=2)
    return roles + ([diff.to_json()] if diff else [])


def _filled(task: dict[str, Any], created: dict[str, Any]) -> dict[str, Any]:
    """The JSON file with its `${Logical}` placeholders (ids of resources the stack creates, such as
    an EFS file system) filled in from the replayed stacks, as its finding tells the user to; in a
    split stack the resource may be in an earlier part than the task definition."""
    text = json.dumps(task)
    for logical, made in created.items():
        text = text.replace("${" + logical + "}", str(made.ref))
    return dict(json.loads(text))


@pytest.mark.parametrize("source", SOURCES)
def test_templates_replay_through_the_sdk_and_read_back(source: str, aws: Replay) -> None:
    result = translated(source)
    tasks = {json.loads(envsubst(t))["family"]: json.loads(envsubst(t)) for t in result.task_definitions.values()}
    registered = 0
    secrets: dict[str, str] = {}
    every: dict[str, Any] = {}  # logical ids are unique across the parts of a stack
    for name, template in templates(source):
        aws.stack, aws.created = "k2e-" + name[:-5], {}
        created = replay_template(aws, template, HANDLERS)
        every.update(aws.created)
        problems = [p for c in created for p in read_back_problems(c)]
        assert problems == [], name
        secrets.update({c.ref: f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{c.sent['Name']}" for c in created
                        if c.type == "AWS::SecretsManager::Secret"})  # a later part imports them
        for c in created:
            if c.type == "AWS::ECS::TaskDefinition":
                registered += 1
                assert _same_task(_filled(tasks[c.sent["family"]], every), c.sent, secrets) == [], c.logical_id
    assert registered == len(result.task_definitions)


@pytest.mark.parametrize("source", SOURCES)
def test_templates_create_as_moto_stacks(source: str, aws: Replay) -> None:
    for name, template in templates(source):
        aws.stack = "k2e-" + name[:-5]
        summary = create_stack(aws, template, aws.stack, HANDLERS)
        assert summary["status"] == "CREATE_COMPLETE", name
        rows = {r["LogicalResourceId"]: r for r in summary["rows"]}
        for logical in sorted(summary["native"]):
            row = rows.get(logical)
            condition = template["Resources"][logical].get("Condition")
            if condition and not summary["conditions"][condition]:
                assert row is None, (name, logical, "created although its condition is false")
                continue
            assert row and row["ResourceStatus"] == "CREATE_COMPLETE", (name, logical)
            assert row["ResourceType"] == template["Resources"][logical]["Type"]
            assert row["PhysicalResourceId"] or _ingress_exists(aws, summary["body"]["Resources"][logical], rows), logical
        _containers_read_back(aws, template, summary, rows)


def test_no_template_holds_a_null() -> None:
    """CloudFormation rejects `null` property values ("null values are not allowed in templates");
    cfn-lint and moto both let them pass, so look for them here."""
    nulls = [(source, name, path) for source in SOURCES for name, template in templates(source)
             for path in _null_paths(template, "")]
    assert nulls == []


def _null_paths(value: Any, path: str) -> list[str]:
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _null_paths(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _null_paths(v, f"{path}/{i}")]
    return []


def _ingress_exists(aws: Replay, body: dict[str, Any], rows: dict[str, Any]) -> bool:
    """moto's security-group rules have no physical id: look for the rule on its group instead."""
    if body["Type"] != "AWS::EC2::SecurityGroupIngress":
        return False
    props = {k: v for k, v in body["Properties"].items() if k != "Description"}  # moto's CloudFormation drops it

    def group_id(value: dict[str, Any]) -> str:
        """A group of this stack, or one an earlier part of a split stack exports."""
        if "Fn::ImportValue" in value:
            return str(aws.exports[value["Fn::ImportValue"]])
        return str(rows[value["Fn::GetAtt"][0]]["PhysicalResourceId"])

    group = group_id(props["GroupId"])
    if isinstance(props.get("SourceSecurityGroupId"), dict):
        props["SourceSecurityGroupId"] = group_id(props["SourceSecurityGroupId"])
    return rule_exists(aws.clients("ec2"), group, props)


def _containers_read_back(aws: Replay, template: dict[str, Any], summary: dict[str, Any], rows: dict[str, Any]) -> None:
    """moto's CloudFormation keeps container definitions in full (and drops the task-level members)."""
    local = Replay(aws.clients, aws.parameters, exports=aws.exports, stack=aws.stack)
    local.created = {k: _physical(rows[k]) for k in rows}
    for logical, body in summary["body"]["Resources"].items():
        if body["Type"] != "AWS::ECS::TaskDefinition":
            continue
        sent = _as_moto_keeps(api_shape(local.resolve(body["Properties"]["ContainerDefinitions"])))
        arn = rows[logical]["PhysicalResourceId"]
        back = aws.clients("ecs").describe_task_definition(taskDefinition=arn)["taskDefinition"]["containerDefinitions"]
        problems = unexpected_task_definition_changes({"containerDefinitions": sent}, {"containerDefinitions": back})
        assert problems == [], logical


def _as_moto_keeps(containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """moto's CloudFormation remaps every nested key of ContainerDefinitions to camelCase, the keys of data
    maps too (`remap_nested_keys(..., pascal_to_camelcase)` in moto/ecs/models.py
    TaskDefinition.create_from_cloudformation_json): a FireLens output's `Name` option comes back as `name`.
    ECS keeps them as sent; the replay through the ECS API (aws_handlers) checks that."""
    out = []
    for container in containers:
        log = container.get("logConfiguration")
        if log and "options" in log:
            options = {k[:1].lower() + k[1:]: v for k, v in log["options"].items()}
            container = {**container, "logConfiguration": {**log, "options": options}}
        out.append(container)
    return out


def _physical(row: dict[str, Any]) -> Any:
    from tests.support.aws_replay import Created

    return Created(row["PhysicalResourceId"], logical_id=row["LogicalResourceId"], type=row["ResourceType"])


@pytest.mark.needs("corpus")
def test_readme_states_the_proof_counts() -> None:
    """The README's proof section gives counts; they are recomputed here so they cannot go stale."""
    from tests.proofs.test_hostile_input import CASES
    from tests.proofs.test_name_properties import _SETTINGS as NAMES
    from tests.proofs.test_output_safety import REFUSED, REPORT_REFUSED
    from tests.proofs.test_properties import _SLOW, EXAMPLES
    from tests.proofs.test_text_fidelity import _PROPERTY
    from tests.proofs.test_text_fidelity import CASES as TEXT_CASES
    from tests.support.big_namespace import translated as translated_big
    from tests.support.repo import CORPUS, ROOT
    from tests.unit.source.test_credentials import LABELLED
    from tests.unit.source.test_quantity_grammar import INVALID, VALID
    from translator.api import translate
    from translator.coverage.equivalence import table

    results = [translated(source) for source in SOURCES]
    big, whole = translated_big(), translate([str(CORPUS)])
    parsed = [template for source in SOURCES for _, template in templates(source)]
    stated = {
        "inputs": f"**{len(SOURCES)} inputs, {sum(sum(r.documents.values()) for r in results):,} Kubernetes documents**",
        "task definitions": f"**{sum(len(r.task_definitions) for r in results):,} task definitions**",
        "templates": f"**{len(parsed)} templates, {sum(len(t['Resources']) for t in parsed):,} resources**",
        "hostile": f"**{len(CASES)} hostile inputs**",
        "damaged": f"**{_SLOW.max_examples} damaged files** per run",
        "output": f"**{len(REFUSED)} places for OUT and {len(REPORT_REFUSED)} for a report**",
        "credentials": (f"**{len(LABELLED['env'])} env literals, {len(LABELLED['headers'])} probe headers, "
                        f"{len(LABELLED['args'])} argument lists**"),
        "rejected": f"**{_cases(ROOT / 'tests' / 'unit' / 'k8s' / 'test_input_validation.py')} exact cases**",
        "names": f"**{NAMES.max_examples} random sets of names** per property",
        "quantities": f"**{len(VALID)} valid and {len(INVALID)} invalid quantities**",
        "defaults": f"**{sum(r.default is not None for r in table().values())} defaults**",
        "split": f"**{sum(len(s.resources) for s in big.stacks):,} resources in {len(big.stacks)} templates**",
        "whole corpus": f"**{len(whole.stacks)} templates, {sum(len(s.resources) for s in whole.stacks):,} resources**",
        "text": f"**{len(TEXT_CASES)} hostile strings** in every free-text field, and "
                f"**{_PROPERTY.max_examples} random strings** per run",
    }
    readme = (ROOT / "README.md").read_text()
    assert EXAMPLES == 0, "counts are those of the CI settings"
    assert {k: v for k, v in stated.items() if v not in readme} == {}


def _cases(path: Any) -> int:
    """The test cases of a test file: one per test function, or one per parameter set when it is parametrized."""
    import ast

    count = 0
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            sets = [d.args[1] for d in node.decorator_list if isinstance(d, ast.Call) and len(d.args) > 1
                    and ast.unparse(d.func).endswith("parametrize")]
            count += len(sets[0].elts) if sets and isinstance(sets[0], ast.List) else 1
    return count


def test_parts_of_a_namespace_over_every_limit_deploy_in_order(aws: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts of a split stack are created one after the other, each importing what the ones
    before it exported (moto resolves Fn::ImportValue only from stacks that exist).

    The namespace's shared security groups get one rule per load balancer (300) and per claim (210),
    over the default quota of 60 inbound rules per group that moto enforces. That quota is an
    account setting AWS raises on request, not a template limit, so it is lifted here.
    """
    import yaml
    from moto.ec2.models.security_groups import SecurityGroupBackend

    from tests.support.big_namespace import deploy_order, translated

    monkeypatch.setattr(SecurityGroupBackend, "_verify_group_will_respect_rule_count_limit", lambda *a, **k: None)

    result = translated()
    names = deploy_order(list(result.templates))
    assert len(names) > 1
    for name in names:
        template = yaml.load(result.templates[name], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        aws.stack = "k2e-" + name[:-5]
        summary = create_stack(aws, template, aws.stack, HANDLERS)
        assert summary["status"] == "CREATE_COMPLETE", name
        rows = {r["LogicalResourceId"]: r for r in summary["rows"]}
        created = {k for k in summary["native"] if summary["conditions"].get(template["Resources"][k].get("Condition"), True)}
        assert {k: rows[k]["ResourceStatus"] for k in created if k in rows} == dict.fromkeys(created, "CREATE_COMPLETE")


def test_types_moto_does_not_model_are_still_missing() -> None:
    """NOT_MODELLED stays true: once moto has daemons or Managed Instances providers, replay them for real."""
    import inspect

    from moto.ecs.models import EC2ContainerServiceBackend

    from tests.support.aws_handlers import NOT_MODELLED

    assert not hasattr(EC2ContainerServiceBackend, "create_daemon")
    assert not hasattr(EC2ContainerServiceBackend, "register_daemon_task_definition")
    assert "managed_instances_provider" not in inspect.signature(EC2ContainerServiceBackend.create_capacity_provider).parameters
    assert set(NOT_MODELLED) <= set(HANDLERS)
