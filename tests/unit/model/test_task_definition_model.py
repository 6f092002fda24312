"""The typed task definition in both of its forms: the template's (PascalCase, intrinsics) and the
task-definition JSON's (camelCase, Linked values as their text), with AWS's own spellings and the
key orders the output has always had."""

from __future__ import annotations

from typing import Any

import yaml

from translator.model.ecs import (
    FILES_WRITER,
    AuthorizationConfig,
    ContainerDefinition,
    ContainerDependency,
    EfsVolumeConfiguration,
    HealthCheck,
    HostVolumeProperties,
    KernelCapabilities,
    KeyValuePair,
    KeyValues,
    LinuxParameters,
    LogConfiguration,
    MountPoint,
    PortMapping,
    RepositoryCredentials,
    Secret,
    Tag,
    TaskDefinition,
    TaskVolume,
)
from translator.model.intrinsics import GetAtt, Linked, Ref, Sub
from translator.render import encode
from translator.render.cloudformation import environment
from translator.render.taskdefinition import task_definition_input

LOG = LogConfiguration("awslogs", KeyValues((("awslogs-group", Linked(Ref("WebLogGroup"), "/ecs/shop-web")),
                                             ("awslogs-stream-prefix", "web"))))
WEB = ContainerDefinition(
    "web", "nginx:1.29", True, port_mappings=(PortMapping(80, "tcp", "web-80"),),
    environment=(KeyValuePair("MODE", "prod"),),
    secrets=(Secret("DB_PASSWORD", Linked(Sub("${DbSecret}:password::"), "arn:aws:secretsmanager:r:a:secret:db:password::")),),
    health_check=HealthCheck(("CMD-SHELL", "curl -fsS http://127.0.0.1:80/ || exit 1"), 10, 5, 3, 30),
    linux_parameters=LinuxParameters(KernelCapabilities(drop=("ALL",))), log_configuration=LOG,
    mount_points=(MountPoint("data", "/data", False),))
EFS = TaskVolume("data", efs_volume_configuration=EfsVolumeConfiguration(
    Linked(Ref("DataFileSystem"), "${DataFileSystem}"), "ENABLED",
    AuthorizationConfig(Linked(Ref("DataAccessPoint"), "${DataAccessPoint}"), "ENABLED")))


def test_container_with_a_health_check_in_both_forms() -> None:
    assert encode.cfn(WEB) == {
        "Name": "web", "Image": "nginx:1.29", "Essential": True,
        "PortMappings": [{"ContainerPort": 80, "Protocol": "tcp", "Name": "web-80"}],
        "Environment": [{"Name": "MODE", "Value": "prod"}],
        "Secrets": [{"Name": "DB_PASSWORD", "ValueFrom": {"Fn::Sub": "${DbSecret}:password::"}}],
        "HealthCheck": {"Command": ["CMD-SHELL", "curl -fsS http://127.0.0.1:80/ || exit 1"], "Interval": 10,
                        "Timeout": 5, "Retries": 3, "StartPeriod": 30},
        "LinuxParameters": {"Capabilities": {"Drop": ["ALL"]}},
        "LogConfiguration": {"LogDriver": "awslogs",
                             "Options": {"awslogs-group": {"Ref": "WebLogGroup"}, "awslogs-stream-prefix": "web"}},
        "MountPoints": [{"SourceVolume": "data", "ContainerPath": "/data", "ReadOnly": False}]}
    api = encode.api(WEB)
    assert api == {
        "name": "web", "image": "nginx:1.29", "essential": True,
        "portMappings": [{"containerPort": 80, "protocol": "tcp", "name": "web-80"}],
        "environment": [{"name": "MODE", "value": "prod"}],
        "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:r:a:secret:db:password::"}],
        "healthCheck": {"command": ["CMD-SHELL", "curl -fsS http://127.0.0.1:80/ || exit 1"], "interval": 10,
                        "timeout": 5, "retries": 3, "startPeriod": 30},
        "linuxParameters": {"capabilities": {"drop": ["ALL"]}},
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/shop-web", "awslogs-stream-prefix": "web"}},
        "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": False}]}
    assert list(api) == ["name", "image", "essential", "portMappings", "environment", "secrets", "healthCheck",
                         "linuxParameters", "logConfiguration", "mountPoints"]


def test_volumes_in_both_forms_with_aws_spellings() -> None:
    assert encode.cfn(EFS) == {"Name": "data", "EFSVolumeConfiguration": {
        "FilesystemId": {"Ref": "DataFileSystem"}, "TransitEncryption": "ENABLED",
        "AuthorizationConfig": {"AccessPointId": {"Ref": "DataAccessPoint"}, "IAM": "ENABLED"}}}
    assert encode.api(EFS) == {"name": "data", "efsVolumeConfiguration": {
        "fileSystemId": "${DataFileSystem}", "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": "${DataAccessPoint}", "iam": "ENABLED"}}}
    host = TaskVolume("logs", host=HostVolumeProperties("/var/log"))
    assert encode.cfn(host) == {"Name": "logs", "Host": {"SourcePath": "/var/log"}}
    assert encode.api(host) == {"name": "logs", "host": {"sourcePath": "/var/log"}}
    assert encode.api(TaskVolume("scratch")) == {"name": "scratch"}


def test_the_file_writer_and_containers_that_wait_for_it_alone_keep_their_key_order() -> None:
    writer = ContainerDefinition(FILES_WRITER, "busybox", False, entry_point=("sh", "-c"), command=("set -e\n",),
                                 environment=(KeyValuePair("FILE_0", "x"),), log_configuration=LOG,
                                 mount_points=(MountPoint("site", "/kube2ecs-files/site", False),))
    assert list(encode.api(writer)) == ["name", "image", "essential", "entryPoint", "command", "mountPoints",
                                        "environment", "logConfiguration"]
    waits = ContainerDependency(FILES_WRITER, "SUCCESS")
    alone = ContainerDefinition("web", "nginx", True, log_configuration=LOG, depends_on=(waits,),
                                mount_points=(MountPoint("site", "/srv", True),), privileged=True)
    assert list(encode.cfn(alone)) == ["Name", "Image", "Essential", "LogConfiguration", "MountPoints", "DependsOn",
                                       "Privileged"]
    also = ContainerDefinition("web", "nginx", True, log_configuration=LOG,
                               depends_on=(waits, ContainerDependency("init", "SUCCESS")),
                               mount_points=(MountPoint("site", "/srv", True),))
    assert list(encode.api(also)) == ["name", "image", "essential", "logConfiguration", "dependsOn", "mountPoints"]


def _task() -> TaskDefinition:
    credentials = RepositoryCredentials(Linked(Ref("PullSecret"), "arn:aws:secretsmanager:r:a:secret:pull"))
    web = ContainerDefinition("web", "nginx:1.29", True, stop_timeout=60, repository_credentials=credentials)
    return TaskDefinition("WebTaskDefinition", family="shop-web", containers=(web,),
                          execution_role=Linked(GetAtt("WebExecutionRole", "Arn"), "arn:aws:iam::1:role/x"),
                          task_role=Linked("arn:aws:iam::1:role/web", "arn:aws:iam::1:role/web"), volumes=(EFS,),
                          tags=(Tag("kube2ecs:namespace", "shop"),))


def test_task_definition_json() -> None:
    assert task_definition_input(_task()) == {
        "family": "shop-web", "taskRoleArn": "arn:aws:iam::1:role/web", "executionRoleArn": "arn:aws:iam::1:role/x",
        "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "web", "image": "nginx:1.29", "essential": True, "stopTimeout": 60,
                                  "repositoryCredentials": {
                                      "credentialsParameter": "arn:aws:secretsmanager:r:a:secret:pull"}}],
        "volumes": [encode.api(EFS)], "tags": [{"key": "kube2ecs:namespace", "value": "shop"}]}


def test_task_definition_template() -> None:
    text = environment().get_template("aws_ecs_taskdefinition.yaml.j2").render(r=_task())
    properties: dict[str, Any] = yaml.safe_load(text)["WebTaskDefinition"]["Properties"]
    assert properties == {
        "Family": "shop-web", "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256",
        "Memory": "512", "ExecutionRoleArn": {"Fn::GetAtt": ["WebExecutionRole", "Arn"]},
        "TaskRoleArn": "arn:aws:iam::1:role/web", "Volumes": [encode.cfn(EFS)],
        "ContainerDefinitions": [{"Name": "web", "Image": "nginx:1.29", "Essential": True, "StopTimeout": 60,
                                  "RepositoryCredentials": {"CredentialsParameter": {"Ref": "PullSecret"}}}],
        "Tags": [{"Key": "kube2ecs:namespace", "Value": "shop"}]}
