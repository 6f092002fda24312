"""A namespace over every CloudFormation template limit splits into parts that each fit and deploy in order."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from tests.support.big_namespace import part_problems, translated
from translator.api import TranslationResult
from translator.render.crossrefs import Importer, export_name, import_names, imported, output_key, references, references_and_imported

# Every test here reads one generated namespace of 300 workloads (6,101 resources), several seconds to
# translate: like the 130-workload split of test_findings_exact, it runs in CI, not in the quick loop.
pytestmark = pytest.mark.slow


def _big() -> TranslationResult:
    return translated()


@functools.cache
def _parsed_big() -> dict[str, dict[str, Any]]:
    import yaml

    return {name: yaml.load(text, Loader=yaml.CSafeLoader) for name, text in _big().templates.items()}


def test_a_namespace_over_every_limit_splits_into_parts_within_them() -> None:
    result = _big()
    names = ["big"] + [f"big-{n}" for n in range(2, 17)]
    assert [s.name for s in result.stacks] == names
    # The claims' file systems come first: the task role of the default service account grants each
    # access point, and every task definition uses that role. 420 outputs (two per claim) and the
    # exports they need fill the first parts before their 500 resources do.
    assert [len(s.resources) for s in result.stacks] == [263, 264, 264, 264, 264, 264, 497, 495, 495, 495, 495, 495,
                                                         495, 490, 490, 71]
    assert [len(s.outputs) for s in result.stacks] == [197, 198, 198, 198, 198, 198, 53] + [0] * 9
    assert [f.message for f in result.findings if f.code in ("K2E371", "K2E375")] == [
        f"stack big has 6101 resources and was split into 16 templates: {', '.join(names)}"]
    assert part_problems(result.templates, _parsed_big()) == []


def test_every_resource_is_in_exactly_one_part() -> None:
    result = _big()
    ids = [r.logical_id for s in result.stacks for r in s.resources]
    assert len(ids) == len(set(ids)) == 6101
    parsed = _parsed_big()
    assert sorted(k for t in parsed.values() for k in t["Resources"]) == sorted(ids)


def test_a_workload_moves_whole_with_its_load_balancer_and_scaling() -> None:
    """Each ECS service sits with its task definition, load balancer, listener, target group and scaling."""
    parsed = _parsed_big()
    where = {logical: name for name, t in parsed.items() for logical in t["Resources"]}
    for number in range(300):
        prefix = f"App{number:03}"
        together = {where[prefix + suffix] for suffix in (
            "Service", "TaskDefinition", "LogGroup", "ExecutionRole", "LoadBalancer", "80Listener", "80TargetGroup",
            "ScalableTarget", "CpuScalingPolicy")}
        assert len(together) == 1, prefix


def test_block_references_to_other_parts_become_imports() -> None:
    text = ("      Cluster:\n        Ref: Cluster\n      Groups:\n        - Fn::GetAtt: [Web, GroupId]\n"
            "      Arn:\n        Fn::Sub: ${Secret}:key::${Local}${AWS::Region}${!Literal}${Web.GroupId}\n"
            "      Same:\n        Ref: Local\n      Data:\n        \"Ref\": Cluster\n        Other: x\n")
    assert references(text) == {("Cluster", ""), ("Web", "GroupId"), ("Secret", ""), ("Local", "")}
    name = functools.partial(export_name, "shop")
    rewritten = imported(text, {"Cluster", "Web", "Secret"}, name)
    assert rewritten == (
        "      Cluster:\n        Fn::ImportValue: kube2ecs-shop-Cluster\n"
        "      Groups:\n        - Fn::ImportValue: kube2ecs-shop-Web-GroupId\n"
        "      Arn:\n        Fn::Sub:\n          - ${Secret}:key::${Local}${AWS::Region}${!Literal}${WebGroupId}\n"
        "          - Secret:\n              Fn::ImportValue: kube2ecs-shop-Secret\n"
        "            WebGroupId:\n              Fn::ImportValue: kube2ecs-shop-Web-GroupId\n"
        "      Same:\n        Ref: Local\n      Data:\n        \"Ref\": Cluster\n        Other: x\n")
    assert import_names(rewritten) == {"kube2ecs-shop-Cluster", "kube2ecs-shop-Web-GroupId", "kube2ecs-shop-Secret"}
    assert references_and_imported(text, {"Cluster", "Web", "Secret"}, name) == (references(text), rewritten)
    # One importer serves a whole stack and remembers each rewrite by its indentation: a second text
    # with the same references deeper in gets them at its own depth.
    importer = Importer({"Cluster", "Web", "Secret"}, name)
    deeper = text.replace("\n      ", "\n          ").replace("\n        ", "\n            ")
    assert deeper != text
    for each in (text, deeper, text):
        assert importer.references_and_imported(each) == (references(each), imported(each, {"Cluster", "Web", "Secret"}, name))


def test_references_to_other_parts_become_imports() -> None:
    text = ('      Cluster: {"Ref": "Cluster"}\n'
            '      Groups: [\n        {\n          "Fn::GetAtt": [\n            "Web",\n            "GroupId"\n'
            '          ]\n        }\n      ]\n'
            '      Arn: {"Fn::Sub": "${Secret}:key::${Local}${AWS::Region}${!Literal}${Web.GroupId}"}\n'
            '      Same: {"Ref": "Local"}\n')
    assert references(text) == {("Cluster", ""), ("Web", "GroupId"), ("Secret", ""), ("Local", "")}
    name = functools.partial(export_name, "shop")
    assert references_and_imported(text, {"Cluster"}, name) == (references(text), imported(text, {"Cluster"}, name))
    assert imported(text, {"Cluster", "Web", "Secret"}, name) == (
        '      Cluster: {"Fn::ImportValue": "kube2ecs-shop-Cluster"}\n'
        '      Groups: [\n        {"Fn::ImportValue": "kube2ecs-shop-Web-GroupId"}\n      ]\n'
        '      Arn: {"Fn::Sub": ["${Secret}:key::${Local}${AWS::Region}${!Literal}${WebGroupId}", '
        '{"Secret": {"Fn::ImportValue": "kube2ecs-shop-Secret"}, '
        '"WebGroupId": {"Fn::ImportValue": "kube2ecs-shop-Web-GroupId"}}]}\n'
        '      Same: {"Ref": "Local"}\n')


def test_a_quoted_reference_inside_a_string_is_left_alone() -> None:
    text = '      Value: "{\\"Ref\\": \\"Cluster\\"}"\n      Note: "${Cluster}"\n'
    assert references(text) == set()
    assert imported(text, {"Cluster"}, functools.partial(export_name, "shop")) == text


def test_export_and_output_names_stay_within_255_characters() -> None:
    logical = "A" * 250
    assert export_name("shop", ("Web", "Endpoint.Address")) == "kube2ecs-shop-Web-Endpoint-Address"
    long = export_name("shop", (logical, "Arn"))
    assert len(long) == 255 and long.startswith("kube2ecs-shop-AAAA")
    assert output_key(("Web", "GroupId"), set()) == "ExportWebGroupId"
    assert output_key(("Web", "GroupId"), {"ExportWebGroupId"}) != "ExportWebGroupId"
    assert len(output_key((logical, "Arn"), set())) == 255
