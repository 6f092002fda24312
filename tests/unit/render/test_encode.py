"""The typed model's one encoding: casing, absent fields, intrinsics, Linked values."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from translator.model.ecs import KeyValues
from translator.model.intrinsics import Equals, GetAtt, If, ImportValue, Join, Linked, Not, Ref, Select, Split, Sub
from translator.render import encode
from translator.render.values import to_json


@dataclass(frozen=True)
class _Mount:
    source_volume: str
    container_path: str
    read_only: bool | None = None


@dataclass(frozen=True)
class _Container:
    name: str
    role: Linked
    mount_points: tuple[_Mount, ...] = ()
    options: KeyValues | None = None


def test_fields_in_order_cased_per_form_and_none_absent() -> None:
    value = _Container("app", Linked(GetAtt("Role", "Arn"), "arn:aws:iam::${AWS_ACCOUNT_ID}:role/r"),
                       (_Mount("data", "/data"), _Mount("tmp", "/tmp", True)), KeyValues((("awslogs-group", "g"),)))
    assert encode.cfn(value) == {
        "Name": "app", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
        "MountPoints": [{"SourceVolume": "data", "ContainerPath": "/data"},
                        {"SourceVolume": "tmp", "ContainerPath": "/tmp", "ReadOnly": True}],
        "Options": {"awslogs-group": "g"}}
    assert encode.api(value) == {
        "name": "app", "role": "arn:aws:iam::${AWS_ACCOUNT_ID}:role/r",
        "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"},
                        {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": True}],
        "options": {"awslogs-group": "g"}}


def test_every_intrinsic_in_its_template_syntax() -> None:
    subnets = Ref("Subnets")
    assert encode.cfn([Sub("${AWS::Region}"), ImportValue(Sub("${Base}-Cluster")), Join(",", subnets),
                       Select(0, Split(",", Join("", (Join(",", subnets), ",,")))),
                       If("HasTwo", Ref("A"), "x"), Not(Equals(Ref("B"), ""))]) == [
        {"Fn::Sub": "${AWS::Region}"}, {"Fn::ImportValue": {"Fn::Sub": "${Base}-Cluster"}},
        {"Fn::Join": [",", {"Ref": "Subnets"}]},
        {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::Join": ["", [{"Fn::Join": [",", {"Ref": "Subnets"}]}, ",,"]]}]}]},
        {"Fn::If": ["HasTwo", {"Ref": "A"}, "x"]}, {"Fn::Not": [{"Fn::Equals": [{"Ref": "B"}, ""]}]}]


def test_an_intrinsic_has_no_api_form() -> None:
    with pytest.raises(TypeError, match="Ref has no ECS API form"):
        encode.api(_Container("app", Linked(Ref("Role"), "r"), (_Mount(Ref("Volume"), "/data"),)))  # type: ignore[arg-type]


def test_identity_compares_values() -> None:
    assert Ref("TargetGroup") == Ref("TargetGroup") and GetAtt("R", "Arn") != GetAtt("R", "Id")
    assert len({Ref("A"), Ref("A"), GetAtt("A", "Arn")}) == 2


def test_the_template_writer_takes_typed_values() -> None:
    assert to_json(_Mount("data", "/data", False), 6) == (
        '{\n          "SourceVolume": "data",\n          "ContainerPath": "/data",\n          "ReadOnly": false\n        }')


def test_a_class_with_its_own_encoding_keeps_it_once_its_keys_were_asked() -> None:
    """Asking the field keys of Linked (as a scan of the model does) must not turn it into a record."""
    encode._keys(Linked, True)
    assert encode.cfn(Linked(Ref("Role"), "arn")) == {"Ref": "Role"}
    assert encode.api(Linked(Ref("Role"), "arn")) == "arn"


def test_listener_rule_conditions_and_weighted_forward_in_cloudformation_keys() -> None:
    from translator.checks.elb import check_rules
    from translator.model.ecs import (
        ConditionValues,
        ForwardConfig,
        HttpHeaderConfig,
        ListenerRule,
        QueryStringConfig,
        QueryStringKeyValue,
        Redirect,
        RedirectConfig,
        RuleCondition,
        TargetGroupTuple,
        WeightedForward,
    )

    conditions = (RuleCondition("http-header", http_header_config=HttpHeaderConfig("x-canary", ("on",))),
                  RuleCondition("query-string", query_string_config=QueryStringConfig((QueryStringKeyValue("v", "2"),))),
                  RuleCondition("http-request-method", http_request_method_config=ConditionValues(("GET",))))
    assert encode.cfn(conditions) == [
        {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "x-canary", "Values": ["on"]}},
        {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}]}},
        {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}}]
    forward = WeightedForward(ForwardConfig((TargetGroupTuple(Ref("A"), 90), TargetGroupTuple(Ref("B"), 10))))
    assert encode.cfn(forward) == {"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": {"Ref": "A"}, "Weight": 90}, {"TargetGroupArn": {"Ref": "B"}, "Weight": 10}]}}
    assert encode.cfn(Redirect(RedirectConfig("#{protocol}", "#{port}", "HTTP_301", path="/cart"))) == {
        "Type": "redirect", "RedirectConfig": {"Protocol": "#{protocol}", "Port": "#{port}", "StatusCode": "HTTP_301",
                                               "Path": "/cart"}}
    rule = ListenerRule("R", listener_arn=Ref("L"), priority=10, conditions=conditions, actions=(forward,))
    assert list(check_rules([rule])) == []
    too_many = WeightedForward(ForwardConfig(tuple(TargetGroupTuple(Ref(f"G{i}"), 1000) for i in range(6))))
    assert len(list(check_rules([ListenerRule("S", listener_arn=Ref("L"), conditions=conditions,
                                              actions=(too_many,))]))) == 2
