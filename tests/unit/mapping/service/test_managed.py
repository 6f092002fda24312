"""launch_type MANAGED_INSTANCES: capacity providers from NodePools, their roles, managed daemons, and what
Fargate refuses that Managed Instances runs. Exact findings and the resources they describe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.manifests import deployment
from tests.unit.mapping.service.test_capacity import pool
from translator.api import TranslationResult, translate_text
from translator.options import OptionsError, options_from_dict

MANAGED = options_from_dict({"launch_type": "MANAGED_INSTANCES"})
CODES = ("K2E300", "K2E302", "K2E480", "K2E484", "K2E485", "K2E800", "K2E801", "K2E803", "K2E804", "K2E808",
         *(f"K2E{n}" for n in range(870, 879)))
DAEMONSET = """---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: example/agent:1.0
          ports: [{containerPort: 9100}]
          securityContext: {privileged: true}
          resources: {requests: {cpu: 100m, memory: 128Mi}}
          volumeMounts: [{name: logs, mountPath: /var/log}]
      volumes:
        - {name: logs, hostPath: {path: /var/log}}
"""


def _found(result: TranslationResult, *codes: str) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings if f.code in codes]


def _resources(result: TranslationResult) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(result.templates["shop.yaml"])["Resources"]  # type: ignore[no-any-return]


def _of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v["Properties"] for k, v in resources.items() if v["Type"] == kind}


def test_a_spot_and_on_demand_arm64_pool_becomes_two_providers() -> None:
    result = translate_text(deployment() + pool(arch="[arm64]}\n        - {key: karpenter.k8s.aws/instance-family, "
                                                     "operator: In, values: [m7g]"), MANAGED, name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E801", "info", 1, "Deployment api runs on NodePool general, which launches only arm64 nodes: its task "
         "definition asks for RuntimePlatform CpuArchitecture ARM64"),
        ("K2E872", "info", 1, "Deployment api runs on Managed Instances with the capacity provider strategy "
         "GeneralCapacityProvider weight 1 base 1, GeneralSpotCapacityProvider weight 3"),
        ("K2E300", "info", 8, "task size 512 CPU units / 576 MiB chosen for a need of 512 / 576 MiB (sum of container "
         "limits, else requests, plus 256 CPU units / 64 MiB for the Service Connect proxy; Managed Instances: the need "
         "itself, not a Fargate size)"),
        ("K2E870", "info", 13, "NodePool general becomes the Managed Instances capacity provider GeneralCapacityProvider "
         "(ON_DEMAND), GeneralSpotCapacityProvider (SPOT) with instance requirements VCpuCount >= 1; MemoryMiB >= 2048; "
         "CpuManufacturers amazon-web-services; AllowedInstanceTypes m7g.*"),
    ]
    resources = _resources(result)
    providers = _of_type(resources, "AWS::ECS::CapacityProvider")
    assert {k: p["ManagedInstancesProvider"]["InstanceLaunchTemplate"]["CapacityOptionType"] for k, p in providers.items()} \
        == {"GeneralCapacityProvider": "ON_DEMAND", "GeneralSpotCapacityProvider": "SPOT"}
    template = providers["GeneralSpotCapacityProvider"]["ManagedInstancesProvider"]["InstanceLaunchTemplate"]
    assert template["InstanceRequirements"] == {"VCpuCount": {"Min": 1}, "MemoryMiB": {"Min": 2048},
                                                "CpuManufacturers": ["amazon-web-services"],
                                                "AllowedInstanceTypes": ["m7g.*"]}
    assert template["Ec2InstanceProfileArn"] == {"Fn::GetAtt": ["ManagedInstancesInstanceProfile", "Arn"]}
    service = next(iter(_of_type(resources, "AWS::ECS::Service").values()))
    assert service["CapacityProviderStrategy"] == [
        {"CapacityProvider": {"Ref": "GeneralCapacityProvider"}, "Weight": 1, "Base": 1},
        {"CapacityProvider": {"Ref": "GeneralSpotCapacityProvider"}, "Weight": 3, "Base": 0}]
    assert "LaunchType" not in service and "PlatformVersion" not in service
    task = next(iter(_of_type(resources, "AWS::ECS::TaskDefinition").values()))
    assert task["RequiresCompatibilities"] == ["MANAGED_INSTANCES"] and task["NetworkMode"] == "awsvpc"
    assert "CapacityProviders" not in resources["Cluster"]["Properties"]  # the association holds them
    associations = resources["ClusterCapacityProviders"]["Properties"]
    assert associations["CapacityProviders"] == [{"Ref": "GeneralCapacityProvider"}, {"Ref": "GeneralSpotCapacityProvider"}]


def test_the_roles_follow_the_managed_policies_rules() -> None:
    resources = _resources(translate_text(deployment(), MANAGED, name="app.yaml"))
    roles = _of_type(resources, "AWS::IAM::Role")
    infrastructure, instance = roles["ManagedInstancesInfrastructureRole"], roles["ManagedInstancesInstanceRole"]
    assert infrastructure["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"}]
    assert infrastructure["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ecs.amazonaws.com"}
    assert instance["RoleName"] == {"Fn::Sub": "ecsInstanceRole-shop-${AWS::Region}"}  # the policy passes only these
    assert instance["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert resources["ManagedInstancesInstanceProfile"]["Properties"]["Roles"] == [{"Ref": "ManagedInstancesInstanceRole"}]
    assert "CAPABILITY_NAMED_IAM" in translate_text(deployment(), MANAGED, name="app.yaml").files()["NEXT-STEPS.md"]


def test_without_a_pool_a_default_provider_and_the_cluster_default() -> None:
    result = translate_text(deployment(), MANAGED, name="app.yaml")
    assert _found(result, "K2E871", "K2E872") == [
        ("K2E872", "info", 1, "Deployment api runs on Managed Instances with the capacity provider strategy "
         "ManagedInstancesCapacityProvider weight 1"),
        ("K2E871", "info", 0, "launch_type MANAGED_INSTANCES: the workloads of stack shop that run on no NodePool use "
         "the capacity provider ManagedInstancesCapacityProvider with instance requirements VCpuCount >= 1; MemoryMiB >= 2048")]
    associations = _resources(result)["ClusterCapacityProviders"]["Properties"]
    assert associations["DefaultCapacityProviderStrategy"] == [
        {"CapacityProvider": {"Ref": "ManagedInstancesCapacityProvider"}, "Weight": 1, "Base": 0}]
    assert not [f for f in result.findings if f.code == "K2E370" and "capacity_providers" in f.message]


def test_what_a_pool_says_beyond_instance_requirements() -> None:
    zone = "[amd64]}\n        - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a]"
    result = translate_text(deployment() + pool(capacity="[reserved]", arch=zone,
                                                extra="      expireAfter: 720h\n  limits: {cpu: 100}\n"),
                            MANAGED, name="app.yaml")
    assert _found(result, "K2E873", "K2E874", "K2E875", "K2E803", "K2E804") == [
        ("K2E873", "warning", 18, "NodePool general: topology.kubernetes.io/zone In us-east-1a; karpenter.sh/capacity-type "
         "reserved: an ON_DEMAND provider (a reserved one needs the capacity reservation's group ARN): not expressed in "
         "the Managed Instances instance requirements"),
        ("K2E875", "info", 24, "NodePool general sets expireAfter 720h: Managed Instances retires idle and underused "
         "instances itself and replaces each one within its maximum lifetime"),
        ("K2E874", "warning", 25, "NodePool general limits cpu 100: a Managed Instances capacity provider has no cap on "
         "what its instances add up to"),
    ]
    provider = _of_type(_resources(result), "AWS::ECS::CapacityProvider")["GeneralCapacityProvider"]
    assert provider["ManagedInstancesProvider"]["InstanceLaunchTemplate"]["CapacityOptionType"] == "ON_DEMAND"


def test_a_daemonset_becomes_a_managed_daemon() -> None:
    result = translate_text(deployment() + DAEMONSET, MANAGED, name="app.yaml")
    assert _found(result, "K2E876", "K2E877", "K2E484", "K2E485", "K2E470", "K2E471") == [
        ("K2E876", "info", 13, "DaemonSet agent becomes an ECS managed daemon: one task on every instance of the "
         "capacity providers ManagedInstancesCapacityProvider"),
        ("K2E877", "warning", 22, "container agent of DaemonSet agent declares ports 9100, which a daemon task definition "
         "cannot map"),
        ("K2E485", "info", 25, "container agent runs privileged on the container instance"),
        ("K2E484", "info", 29, "volume logs mounts /var/log of the container instance"),
    ]
    resources = _resources(result)
    daemon = _of_type(resources, "AWS::ECS::Daemon")["AgentDaemon"]
    assert daemon["ClusterArn"] == {"Fn::GetAtt": ["Cluster", "Arn"]}
    assert daemon["DaemonTaskDefinitionArn"] == {"Ref": "AgentTaskDefinition"}
    assert daemon["CapacityProviderArns"] == [{"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:"
                                               "capacity-provider/${ManagedInstancesCapacityProvider}"}]
    definition = _of_type(resources, "AWS::ECS::DaemonTaskDefinition")["AgentTaskDefinition"]
    container = definition["ContainerDefinitions"][0]
    assert "PortMappings" not in container and container["Privileged"] is True
    assert definition["Volumes"] == [{"Name": "logs", "Host": {"SourcePath": "/var/log"}}]
    assert "NetworkMode" not in definition and "RequiresCompatibilities" not in definition
    assert [k for k, v in resources.items() if v["Type"] == "AWS::ECS::Service"] == ["ApiService"]
    assert "shop.agent.json" not in result.task_definitions


def test_what_fargate_refuses_runs_on_managed_instances() -> None:
    big = ("          resources: {requests: {cpu: '20', memory: 64Gi}}\n          securityContext: {privileged: true}\n"
           "          volumeMounts: [{name: data, mountPath: /data}]\n      volumes: [{name: data, hostPath: {path: /data}}]\n")
    fargate = translate_text(deployment(container=big), name="app.yaml")
    assert {f.code for f in fargate.findings} >= {"K2E302", "K2E480"}
    result = translate_text(deployment(container=big), MANAGED, name="app.yaml")
    assert not {f.code for f in result.findings} & {"K2E302", "K2E480"}
    task = next(iter(_of_type(_resources(result), "AWS::ECS::TaskDefinition").values()))
    assert (task["Cpu"], task["Memory"]) == ("20736", "65600")
    assert task["ContainerDefinitions"][0]["Privileged"] is True
    assert task["Volumes"] == [{"Name": "data", "Host": {"SourcePath": "/data"}}]


def test_a_job_runs_on_the_cluster_default_provider() -> None:
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\n  namespace: shop\nspec:\n  template:\n    spec:\n"
           "      restartPolicy: Never\n      containers:\n        - name: once\n          image: example/once:1.0\n")
    result = translate_text(job, MANAGED, name="app.yaml")
    command = next(f.remediation for f in result.findings if f.code == "K2E415")
    assert command.startswith("Run it with: aws ecs run-task --cluster $CLUSTER --task-definition shop-once --count 1 "
                              "--network-configuration")
    assert "--launch-type" not in command and "--capacity-provider-strategy" not in command
    assert "ManagedInstancesCapacityProvider" in result.templates["shop.yaml"]


def test_options_that_do_not_go_with_managed_instances() -> None:
    with pytest.raises(OptionsError, match="leave out capacity_providers"):
        options_from_dict({"launch_type": "MANAGED_INSTANCES", "capacity_providers": [{"provider": "FARGATE"}]})
    with pytest.raises(OptionsError, match="MANAGED_INSTANCES tasks reach the internet through a NAT"):
        options_from_dict({"launch_type": "MANAGED_INSTANCES", "assign_public_ip": True})


def test_a_configured_cluster_keeps_its_provider_list() -> None:
    """PutClusterCapacityProviders replaces a cluster's whole list: a cluster the stack does not make is left alone."""
    options = options_from_dict({"launch_type": "MANAGED_INSTANCES", "cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/prod"})
    result = translate_text(deployment(), options, name="app.yaml")
    resources = _resources(result)
    assert not _of_type(resources, "AWS::ECS::ClusterCapacityProviderAssociations")
    assert _of_type(resources, "AWS::ECS::CapacityProvider")["ManagedInstancesCapacityProvider"]["ClusterName"] == "prod"
    assert _found(result, "K2E879") == [
        ("K2E879", "warning", 0, "the Managed Instances capacity providers ManagedInstancesCapacityProvider of the stack "
         "are not associated with cluster arn:aws:ecs:us-east-1:111122223333:cluster/prod, which the stack does not create")]


def test_services_and_daemons_wait_for_the_providers_to_join_the_cluster() -> None:
    resources = _resources(translate_text(deployment() + DAEMONSET, MANAGED, name="app.yaml"))
    assert resources["ApiService"]["DependsOn"] == ["ClusterCapacityProviders"]
    assert resources["AgentDaemon"]["DependsOn"] == ["ClusterCapacityProviders"]


@pytest.mark.parametrize(("strategy", "drain", "said"), [
    ("  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}\n", 10,
     "maxUnavailable 10%: DrainPercent 10: ECS drains 10% of the instances at a time"),
    ("  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}\n", None,
     "maxUnavailable 2 (a count): ECS's default DrainPercent 25: it drains a quarter of the instances at a time"),
    ("  updateStrategy: {type: OnDelete}\n", None,
     "OnDelete: ECS's default DrainPercent 25: it drains a quarter of the instances at a time"),
])
def test_a_daemonsets_rollout_becomes_the_drain_share(strategy: str, drain: int | None, said: str) -> None:
    manifest = DAEMONSET.replace("spec:\n  selector: {matchLabels: {app: agent}}\n",
                                 "spec:\n  selector: {matchLabels: {app: agent}}\n" + strategy)
    result = translate_text(manifest, MANAGED, name="app.yaml")
    assert _found(result, "K2E880") == [("K2E880", "info", 2, f"DaemonSet agent rolls out with {said}")]
    daemon = _of_type(_resources(result), "AWS::ECS::Daemon")["AgentDaemon"]
    assert daemon.get("DeploymentConfiguration") == ({"DrainPercent": drain} if drain is not None else None)


def test_a_pod_naming_an_architecture_skips_a_pool_that_launches_none_of_it() -> None:
    """The only spot pool is arm64: an amd64 pod that asks for spot never lands on it, and on its provider (Graviton
    instances only) the X86_64 task could not be placed."""
    x86 = deployment(pod="      nodeSelector: {karpenter.sh/capacity-type: spot, kubernetes.io/arch: amd64}\n")
    result = translate_text(x86 + pool("graviton", capacity="[spot]", arch="[arm64]"), MANAGED, name="app.yaml")
    assert _found(result, "K2E480", "K2E872") == [
        ("K2E872", "info", 1, "Deployment api runs on Managed Instances with the capacity provider strategy "
         "ManagedInstancesCapacityProvider weight 1"),
        ("K2E480", "warning", 8, "nodeSelector karpenter.sh/capacity-type=spot needs the EC2 launch type and was left "
         "out on Managed Instances"),
    ]
