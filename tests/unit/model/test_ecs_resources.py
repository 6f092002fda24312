"""Exact encodings of the typed resources: IAM statements, security-group rules, EFS, schedules, stack parts."""

from __future__ import annotations

import dataclasses

import pytest

from translator.mapping.network.groups import ingress
from translator.model.ecs import (
    CapacityProviderStrategyItem,
    Condition,
    Conditions,
    CreationInfo,
    EfsAccessPoint,
    Metadata,
    Output,
    PosixUser,
    Role,
    Schedule,
    SourceObject,
    Stack,
    Statement,
    Tag,
)
from translator.model.intrinsics import Equals, GetAtt, Not, Ref, Select, Sub
from translator.render import encode
from translator.render.cloudformation import ResourceTexts, render_stack


def _text(resource: object) -> str:
    return ResourceTexts().text(resource)  # type: ignore[arg-type]


def test_an_iam_statement_with_a_condition() -> None:
    statement = Statement("Allow", ("elasticfilesystem:ClientMount",), (GetAtt("DataFileSystem", "Arn"),), Conditions((
        Condition("StringEquals", "elasticfilesystem:AccessPointArn", GetAtt("DataAccessPoint", "Arn")),
        Condition("Bool", "aws:SecureTransport", "true"),
        Condition("StringEquals", "aws:ResourceTag/app", "web"))))
    assert encode.cfn(statement) == {
        "Effect": "Allow", "Action": ["elasticfilesystem:ClientMount"],
        "Resource": [{"Fn::GetAtt": ["DataFileSystem", "Arn"]}],
        "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": {"Fn::GetAtt": ["DataAccessPoint", "Arn"]},
                                       "aws:ResourceTag/app": "web"},
                      "Bool": {"aws:SecureTransport": "true"}}}
    assert encode.cfn(Statement("Allow", ("ecr:GetAuthorizationToken",), "*")) == {
        "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}


def test_a_role_in_template_form() -> None:
    role = Role("WebTaskRole", description="ECS task role", statements=(
        Statement("Allow", ("ssm:GetParameters",), (Sub("arn:${AWS::Partition}:ssm:x"),),
                  Conditions((Condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com"),))),))
    assert _text(role).split("      Policies:\n", 1)[1] == """\
        - PolicyName: kube2ecs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - ssm:GetParameters
                Resource:
                  - Fn::Sub: arn:${AWS::Partition}:ssm:x
                Condition:
                  StringEquals:
                    iam:PassedToService: ecs-tasks.amazonaws.com
"""


def test_a_schedule_in_template_form() -> None:
    schedule = Schedule(
        "NightlySchedule", description="CronJob shop/nightly: 0 3 * * *", expression="cron(0 3 * * ? *)",
        timezone="Europe/Paris", state="DISABLED", cluster_arn=GetAtt("Cluster", "Arn"),
        role_arn=GetAtt("NightlySchedulerRole", "Arn"), task_definition_arn=Ref("NightlyTaskDefinition"),
        task_count=2, launch_type="", capacity_strategy=(CapacityProviderStrategyItem("FARGATE_SPOT", 3, 1),),
        subnets=Ref("Subnets"), security_groups=(GetAtt("ServicesSecurityGroup", "GroupId"),), max_event_age=300,
        metadata=Metadata((SourceObject("cron.yaml", 0, "CronJob", "shop", "nightly"),)))
    assert _text(schedule) == """\
  NightlySchedule:
    Type: AWS::Scheduler::Schedule
    Metadata:
      kube2ecs:
        objects:
          - source: cron.yaml
            document: 0
            kind: CronJob
            namespace: shop
            name: nightly
    Properties:
      Description: "CronJob shop/nightly: 0 3 * * *"
      ScheduleExpression: cron(0 3 * * ? *)
      ScheduleExpressionTimezone: Europe/Paris
      State: DISABLED
      FlexibleTimeWindow:
        Mode: "OFF"
      Target:
        Arn:
          Fn::GetAtt: [Cluster, Arn]
        RoleArn:
          Fn::GetAtt: [NightlySchedulerRole, Arn]
        EcsParameters:
          TaskDefinitionArn:
            Ref: NightlyTaskDefinition
          TaskCount: 2
          CapacityProviderStrategy:
            - CapacityProvider: FARGATE_SPOT
              Weight: 3
              Base: 1
          NetworkConfiguration:
            AwsvpcConfiguration:
              Subnets:
                Ref: Subnets
              SecurityGroups:
                - Fn::GetAtt: [ServicesSecurityGroup, GroupId]
              AssignPublicIp: DISABLED
        RetryPolicy:
          MaximumEventAgeInSeconds: 300
"""
    fargate = dataclasses.replace(schedule, launch_type="FARGATE", platform_version="LATEST", capacity_strategy=None)
    assert "          LaunchType: FARGATE\n          PlatformVersion: LATEST\n          NetworkConfiguration:" in _text(fargate)


@pytest.mark.parametrize(("source", "protocol", "lines"), [
    ("ApiSecurityGroup", "tcp", ["SourceSecurityGroupId:", "Fn::GetAtt: [ApiSecurityGroup, GroupId]",
                                 "IpProtocol: tcp", "FromPort: 8080", "ToPort: 8080"]),
    ("10.0.0.0/8", "udp", ['CidrIp: "10.0.0.0/8"', "IpProtocol: udp", "FromPort: 8080", "ToPort: 8080"]),
    ("2001:db8::/32", "-1", ['CidrIpv6: "2001:db8::/32"', 'IpProtocol: "-1"']),
])
def test_a_security_group_rule_from_a_group_or_a_block(source: str, protocol: str, lines: list[str]) -> None:
    rule = ingress("DbIngress", "DbSecurityGroup", source, "x" * 300, protocol, 8080, 8080)
    properties = _text(rule).split("    Properties:\n", 1)[1].splitlines()
    assert [line.strip() for line in properties] == [
        "GroupId:", "Fn::GetAtt: [DbSecurityGroup, GroupId]", *lines, f"Description: {'x' * 255}"]


def test_an_access_point_in_template_form() -> None:
    point = EfsAccessPoint("DataAccessPoint", file_system_id=Ref("DataFileSystem"), posix_user=PosixUser("1000", "2000"),
                           path="/data", creation_info=CreationInfo("1000", "2000", "0775"), tags=(Tag("Name", "shop/data"),))
    assert _text(point).split("    Properties:\n", 1)[1] == """\
      FileSystemId:
        Ref: DataFileSystem
      PosixUser:
        Uid: "1000"
        Gid: "2000"
      RootDirectory:
        Path: /data
        CreationInfo:
          OwnerUid: "1000"
          OwnerGid: "2000"
          Permissions: "0775"
      AccessPointTags:
        - Key: Name
          Value: shop/data
"""


def test_stack_conditions_and_outputs_in_template_form() -> None:
    stack = Stack("shop", "shop", outputs=(("DataFileSystem", Output(Ref("DataFileSystem"))),
                                           ("SharedGroupId", Output(GetAtt("Shared", "GroupId"), "kube2ecs-shop-Shared"))),
                  conditions=(("HasSubnet2", Not(Equals(Select(1, Ref("Subnets")), ""))),))
    text = render_stack(stack)
    assert """\
Conditions:
  HasSubnet2:
    Fn::Not:
      - Fn::Equals:
          - Fn::Select:
              - 1
              - Ref: Subnets
          - ""
""" in text
    assert text.endswith("""\
Outputs:
  DataFileSystem:
    Value:
      Ref: DataFileSystem
  SharedGroupId:
    Value:
      Fn::GetAtt: [Shared, GroupId]
    Export:
      Name: kube2ecs-shop-Shared
""")
