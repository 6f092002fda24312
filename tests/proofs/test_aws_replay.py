"""The SDK replay itself, on a template holding the resource types kube2ecs is about to emit
(listener rules and certificates, Application Auto Scaling, EFS, EventBridge Scheduler, egress
rules), so the deploy proof covers them the day they appear in the output."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.aws_handlers import HANDLERS, read_back_problems
from tests.support.aws_replay import ReplayError, replay_template
from tests.support.aws_stacks import create_stack

pytestmark = pytest.mark.slow  # the SDK replay against moto: `pytest -m "not slow"` leaves it out

TASK = {"Family": "t", "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512",
        "ContainerDefinitions": [{"Name": "app", "Image": "nginx", "PortMappings": [{"ContainerPort": 80, "Name": "http"}]}]}
SERVICE_ID = {"Fn::Join": ["/", ["service", {"Ref": "Cluster"}, {"Fn::GetAtt": ["Service", "Name"]}]]}
RESOURCES: dict[str, Any] = {
    "Cluster": {"Type": "AWS::ECS::Cluster", "Properties": {}},
    "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": TASK},
    "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g", "VpcId": {"Ref": "VpcId"}}},
    "Egress": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
        "GroupId": {"Fn::GetAtt": ["Group", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
        "CidrIp": "10.0.0.0/16", "Description": "nfs"}},
    "Balancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
        "Type": "application", "Subnets": {"Ref": "LoadBalancerSubnets"},
        "SecurityGroups": [{"Fn::GetAtt": ["Group", "GroupId"]}]}},
    "Target": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
        "TargetType": "ip", "VpcId": {"Ref": "VpcId"}, "Port": 80, "Protocol": "HTTP", "HealthCheckPath": "/healthz",
        "Matcher": {"HttpCode": "200-399"}, "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds",
                                                                      "Value": "30"}]}},
    "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
        "LoadBalancerArn": {"Ref": "Balancer"}, "Port": 443, "Protocol": "HTTPS",
        "Certificates": [{"CertificateArn": {"Ref": "CertificateArn"}}],
        "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]}},
    "ExtraCertificate": {"Type": "AWS::ElasticLoadBalancingV2::ListenerCertificate", "Properties": {
        "ListenerArn": {"Ref": "Listener"}, "Certificates": [{"CertificateArn": {"Ref": "CertificateArn"}}]}},
    "Rule": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {
        "ListenerArn": {"Ref": "Listener"}, "Priority": 10,
        "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
        "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Target"}}]}},
    "Service": {"Type": "AWS::ECS::Service", "DependsOn": ["Rule"], "Properties": {
        "Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": "Task"}, "DesiredCount": 2, "LaunchType": "FARGATE",
        "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": {"Ref": "Subnets"},
                                                         "SecurityGroups": [{"Fn::GetAtt": ["Group", "GroupId"]}]}},
        "LoadBalancers": [{"ContainerName": "app", "ContainerPort": 80, "TargetGroupArn": {"Ref": "Target"}}]}},
    "Scaling": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {
        "ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount", "ResourceId": SERVICE_ID,
        "MinCapacity": 2, "MaxCapacity": 10}},
    "CpuPolicy": {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": {
        "PolicyName": "cpu", "PolicyType": "TargetTrackingScaling", "ScalingTargetId": {"Ref": "Scaling"},
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 70.0, "ScaleInCooldown": 300,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}},
    "Files": {"Type": "AWS::EFS::FileSystem", "Properties": {
        "Encrypted": True, "PerformanceMode": "generalPurpose", "FileSystemTags": [{"Key": "Name", "Value": "data"}]}},
    "Mount": {"Type": "AWS::EFS::MountTarget", "Properties": {
        "FileSystemId": {"Ref": "Files"}, "SubnetId": {"Fn::Select": [0, {"Ref": "Subnets"}]},
        "SecurityGroups": [{"Fn::GetAtt": ["Group", "GroupId"]}]}},
    "AccessPoint": {"Type": "AWS::EFS::AccessPoint", "Properties": {
        "FileSystemId": {"Ref": "Files"}, "PosixUser": {"Uid": "1000", "Gid": "1000"},
        "RootDirectory": {"Path": "/data", "CreationInfo": {"OwnerUid": "1000", "OwnerGid": "1000",
                                                            "Permissions": "0755"}}}},
    "Nightly": {"Type": "AWS::Scheduler::Schedule", "Properties": {
        "ScheduleExpression": "cron(0 3 * * ? *)", "FlexibleTimeWindow": {"Mode": "OFF"}, "State": "ENABLED",
        "Target": {"Arn": {"Fn::GetAtt": ["Cluster", "Arn"]},
                   "RoleArn": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/scheduler"},
                   "EcsParameters": {"TaskDefinitionArn": {"Ref": "Task"}, "LaunchType": "FARGATE", "TaskCount": 1,
                                     "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": {"Ref": "Subnets"}}}}}}},
}
TEMPLATE = {"Parameters": {"VpcId": {"Type": "String"}, "Subnets": {"Type": "CommaDelimitedList"},
                           "LoadBalancerSubnets": {"Type": "CommaDelimitedList"}, "CertificateArn": {"Type": "String"}},
            "Resources": RESOURCES}


def test_every_upcoming_type_replays_and_reads_back(aws: Any) -> None:
    created = replay_template(aws, json.loads(json.dumps(TEMPLATE)), HANDLERS)
    assert {c.type for c in created} == {r["Type"] for r in RESOURCES.values()}
    assert [p for c in created for p in read_back_problems(c)] == []
    scaling = next(c for c in created if c.logical_id == "Scaling")
    assert scaling.ref == "service/stack-Cluster/stack-Service|ecs:service:DesiredCount|ecs"


def test_the_same_template_creates_as_a_moto_stack(aws: Any) -> None:
    aws.stack = "k2e-upcoming"
    summary = create_stack(aws, json.loads(json.dumps(TEMPLATE)), aws.stack, HANDLERS)
    assert summary["status"] == "CREATE_COMPLETE"
    assert {"Scaling", "CpuPolicy", "Nightly"} <= summary["after"]
    assert {"Files", "AccessPoint"} <= summary["before"]
    assert {"Rule", "Mount", "Service"} <= summary["native"]


def test_an_unknown_type_names_the_file_to_extend(aws: Any) -> None:
    template = {"Resources": {"Thing": {"Type": "AWS::New::Thing", "Properties": {}}}}
    with pytest.raises(ReplayError, match=re.escape("no SDK replay for AWS::New::Thing: add a handler in tests/support/aws_handlers.py")):
        replay_template(aws, template, HANDLERS)



def _lattice_passthrough() -> dict[str, Any]:
    """A TLS passthrough listener and TCP target groups under gateway_target vpc-lattice: no sample has them."""
    import yaml

    from tests.unit.mapping.network.test_lattice import APP, GATEWAY, LATTICE, PASSTHROUGH
    from translator.api import translate_text

    return dict(yaml.safe_load(translate_text(APP + GATEWAY + PASSTHROUGH, LATTICE).templates["shop.yaml"]))


def test_a_lattice_tls_passthrough_template_replays_and_reads_back(aws: Any) -> None:
    created = replay_template(aws, _lattice_passthrough(), HANDLERS)
    assert [p for c in created for p in read_back_problems(c)] == []
    assert {c.sent.get("protocol") for c in created if c.type == "AWS::VpcLattice::Listener"} == {"TLS_PASSTHROUGH"}


def test_a_lattice_tls_passthrough_template_creates_as_a_moto_stack(aws: Any) -> None:
    aws.stack = "k2e-lattice"
    summary = create_stack(aws, _lattice_passthrough(), aws.stack, HANDLERS)
    assert summary["status"] == "CREATE_COMPLETE"
    assert {"WebTlsTLSRoute8443LatticeListener", "Web80TcpLatticeTargetGroup"} <= summary["before"] | summary["after"]
