"""What Fargate refuses and ECS Managed Instances runs: GPUs and Neuron devices (extended resources), hostPID,
hostIPC and Linux capabilities. Under launch_type MANAGED_INSTANCES they are read and carried; on Fargate the
output stays what it was (the sweep's K2E200). Exact findings and the resources they describe."""

from __future__ import annotations

import json
from typing import Any

import yaml

from tests.support.manifests import deployment
from tests.unit.mapping.service.test_capacity import pool
from translator.api import TranslationResult, translate_text
from translator.mapping.service import instancereqs
from translator.model.app import Meta, NodePool
from translator.options import options_from_dict

MANAGED = options_from_dict({"launch_type": "MANAGED_INSTANCES"})
CODES = ("K2E200", "K2E415", "K2E872", *(f"K2E{n}" for n in range(881, 890)))
GPU = "          resources:\n            limits: {cpu: '1', memory: 2Gi, nvidia.com/gpu: 2}\n            requests: {nvidia.com/gpu: 2}\n"


def _found(result: TranslationResult, *codes: str) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings if f.code in codes]


def _resources(result: TranslationResult) -> dict[str, Any]:
    return yaml.safe_load(result.templates["shop.yaml"])["Resources"]  # type: ignore[no-any-return]


def _of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v["Properties"] for k, v in resources.items() if v["Type"] == kind}


def _requirements(resources: dict[str, Any], provider: str) -> dict[str, Any]:
    properties = _of_type(resources, "AWS::ECS::CapacityProvider")[provider]
    return properties["ManagedInstancesProvider"]["InstanceLaunchTemplate"]["InstanceRequirements"]  # type: ignore[no-any-return]


def test_on_fargate_a_gpu_stays_the_sweeps_finding() -> None:
    result = translate_text(deployment(container=GPU), name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E200", "error", 13, "resources.limits.nvidia.com/gpu has no ECS equivalent and was not translated (none): "
         "extended resources (GPUs, hugepages) are not available on Fargate"),
        ("K2E200", "error", 14, "resources.requests.nvidia.com/gpu has no ECS equivalent and was not translated (none): "
         "extended resources (GPUs, hugepages) are not available on Fargate"),
    ]
    definition = _of_type(_resources(result), "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]
    assert "ResourceRequirements" not in definition["ContainerDefinitions"][0]


def test_gpus_become_resource_requirements_on_a_provider_of_gpu_instances() -> None:
    result = translate_text(deployment(container=GPU), MANAGED, name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E872", "info", 1, "Deployment api runs on Managed Instances with the capacity provider strategy "
         "ManagedInstancesGpuCapacityProvider weight 1"),
        ("K2E881", "info", 13, "container api gets 2 NVIDIA GPUs (ResourceRequirements GPU): its task runs on capacity "
         "providers whose instances have NVIDIA GPUs, at least the task's 2"),
    ]
    (default,) = [f.message for f in result.findings if f.code == "K2E871"]
    assert default == ("launch_type MANAGED_INSTANCES: the workloads of stack shop that run on no NodePool use the "
                       "capacity provider ManagedInstancesGpuCapacityProvider (for the tasks that need NVIDIA GPUs) with "
                       "instance requirements VCpuCount >= 1; MemoryMiB >= 2048; AcceleratorTypes gpu; "
                       "AcceleratorManufacturers nvidia; AcceleratorCount >= 2")
    resources = _resources(result)
    container = _of_type(resources, "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]["ContainerDefinitions"][0]
    assert container["ResourceRequirements"] == [{"Type": "GPU", "Value": "2"}]
    assert _requirements(resources, "ManagedInstancesGpuCapacityProvider") == {
        "VCpuCount": {"Min": 1}, "MemoryMiB": {"Min": 2048}, "AcceleratorTypes": ["gpu"],
        "AcceleratorManufacturers": ["nvidia"], "AcceleratorCount": {"Min": 2}}
    assert set(_of_type(resources, "AWS::ECS::CapacityProvider")) == {"ManagedInstancesGpuCapacityProvider"}
    service = next(iter(_of_type(resources, "AWS::ECS::Service").values()))
    assert service["CapacityProviderStrategy"] == [
        {"CapacityProvider": {"Ref": "ManagedInstancesGpuCapacityProvider"}, "Weight": 1, "Base": 0}]
    task_json = json.loads(next(iter(result.task_definitions.values())))
    assert task_json["containerDefinitions"][0]["resourceRequirements"] == [{"type": "GPU", "value": "2"}]


def test_more_gpus_than_any_instance_has_are_refused_and_place_no_gpu_provider() -> None:
    """No EC2 instance type has more than 16 NVIDIA GPUs: a task that asks for more, alone or together, could never
    be placed, so its containers get none (K2E883) and no GPU capacity provider is written."""
    two = GPU.replace("nvidia.com/gpu: 2}", "nvidia.com/gpu: 9}")
    containers = (f"      containers:\n        - name: a\n          image: example/a:1\n{two}"
                  f"        - name: b\n          image: example/b:1\n{two}")
    result = translate_text(deployment(containers=containers), MANAGED, name="app.yaml")
    assert [(code, line, message) for code, _, line, message in _found(result, "K2E881", "K2E883")] == [
        ("K2E883", 13, "nvidia.com/gpu 9 of container a was not translated: the task's containers ask for 18 GPUs "
         "together, more than any EC2 instance type has (at most 16)"),
        ("K2E883", 18, "nvidia.com/gpu 9 of container b was not translated: the task's containers ask for 18 GPUs "
         "together, more than any EC2 instance type has (at most 16)"),
    ]
    resources = _resources(result)
    definitions = _of_type(resources, "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]["ContainerDefinitions"]
    assert all("ResourceRequirements" not in d for d in definitions)
    assert "ManagedInstancesGpuCapacityProvider" not in _of_type(resources, "AWS::ECS::CapacityProvider")


def test_a_pool_shared_with_cpu_tasks_gets_a_gpu_provider_of_its_own() -> None:
    gpu_pool = pool().replace("values: [spot, on-demand]}", "values: [on-demand]}\n"
                                       "        - {key: karpenter.k8s.aws/instance-family, operator: In, values: [g5, m7i]}")
    text = deployment(container=GPU) + "---\n" + deployment("web") + gpu_pool
    resources = _resources(translate_text(text, MANAGED, name="app.yaml"))
    assert set(_of_type(resources, "AWS::ECS::CapacityProvider")) == {"GeneralCapacityProvider", "GeneralGpuCapacityProvider"}
    assert _requirements(resources, "GeneralGpuCapacityProvider") == {
        "VCpuCount": {"Min": 1}, "MemoryMiB": {"Min": 2048}, "AllowedInstanceTypes": ["g5.*", "m7i.*"],
        "AcceleratorTypes": ["gpu"], "AcceleratorManufacturers": ["nvidia"], "AcceleratorCount": {"Min": 2}}
    association = next(iter(_of_type(resources, "AWS::ECS::ClusterCapacityProviderAssociations").values()))
    assert association["DefaultCapacityProviderStrategy"][0]["CapacityProvider"] == {"Ref": "GeneralCapacityProvider"}


def test_a_pool_of_cpu_instances_cannot_place_a_gpu_task() -> None:
    cpu_pool = pool(capacity="[on-demand]").replace("values: [on-demand]}", "values: [on-demand]}\n"
                                "        - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}")
    result = translate_text(deployment(container=GPU) + cpu_pool, MANAGED, name="app.yaml")
    assert _found(result, "K2E884") == [
        ("K2E884", "error", 1, "Deployment api needs 2 NVIDIA GPUs, but NodePool general allows no such instances "
         "(AllowedInstanceTypes c*, m*, r*): its tasks could not be placed"),
    ]


def test_neuron_devices_are_every_device_of_the_instance_for_one_container() -> None:
    containers = ("      containers:\n"
                  "        - name: model\n          image: example/model:1.0\n"
                  "          resources: {limits: {aws.amazon.com/neuron: 1}}\n"
                  "        - name: helper\n          image: example/helper:1.0\n"
                  "          resources: {limits: {aws.amazon.com/neuron: 1, amd.com/gpu: 1}}\n")
    result = translate_text(deployment(containers=containers), MANAGED, name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E872", "info", 1, "Deployment api runs on Managed Instances with the capacity provider strategy "
         "ManagedInstancesNeuronCapacityProvider weight 1"),
        ("K2E882", "warning", 12, "container model asks for 1 aws.amazon.com/neuron: ECS gives it every Neuron device of "
         "its instance (ResourceRequirements NeuronDevice ALL), on capacity providers whose instances have AWS "
         "accelerators"),
        ("K2E883", "error", 15, "aws.amazon.com/neuron 1 of container helper was not translated: ECS gives Neuron "
         "devices to one container of a task, here model"),
        ("K2E883", "error", 15, "amd.com/gpu 1 of container helper was not translated: ECS assigns NVIDIA GPUs (GPU) "
         "and Neuron devices (NeuronDevice) only"),
    ]
    resources = _resources(result)
    model, helper = _of_type(resources, "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]["ContainerDefinitions"]
    assert model["ResourceRequirements"] == [{"Type": "NeuronDevice", "Value": "ALL"}]
    assert "ResourceRequirements" not in helper
    assert _requirements(resources, "ManagedInstancesNeuronCapacityProvider") == {
        "VCpuCount": {"Min": 1}, "MemoryMiB": {"Min": 2048}, "AcceleratorManufacturers": ["amazon-web-services"],
        "AcceleratorCount": {"Min": 1}}


DAEMONSET = """---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: exporter, namespace: shop}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec:
      hostPID: true
      hostIPC: true
      containers:
        - name: exporter
          image: example/exporter:1.0
          resources: {limits: {cpu: 100m, memory: 64Mi, nvidia.com/gpu: 1}}
"""


def test_host_namespaces_of_a_daemon_are_shared_and_its_devices_reported() -> None:
    result = translate_text(DAEMONSET, MANAGED, name="ds.yaml")
    assert _found(result, *CODES) == [
        ("K2E883", "error", 15, "nvidia.com/gpu 1 of container exporter was not translated: a managed daemon's "
         "container definition has no ResourceRequirements"),
    ]
    definition = _of_type(_resources(result), "AWS::ECS::DaemonTaskDefinition")["ExporterTaskDefinition"]
    assert (definition["PidMode"], definition["IpcMode"]) == ("shared", "shared")
    assert "ResourceRequirements" not in definition["ContainerDefinitions"][0]


def test_host_namespaces_of_a_task_are_the_instances() -> None:
    text = deployment(pod="      hostPID: true\n      hostIPC: true\n")
    definition = _of_type(_resources(translate_text(text, MANAGED, name="app.yaml")),
                          "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]
    assert (definition["PidMode"], definition["IpcMode"]) == ("host", "host")
    on_fargate = translate_text(text, name="app.yaml")
    assert _found(on_fargate, "K2E200") == [
        ("K2E200", "error", 9, "hostPID has no ECS equivalent and was not translated (none): the host PID namespace is "
         "not available on Fargate"),
        ("K2E200", "error", 10, "hostIPC has no ECS equivalent and was not translated (none): ipcMode is invalid on "
         "Fargate"),
    ]
    fargate = _of_type(_resources(on_fargate), "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]
    assert "PidMode" not in fargate and "IpcMode" not in fargate
    task_json = json.loads(next(iter(translate_text(text, MANAGED, name="app.yaml").task_definitions.values())))
    assert (task_json["pidMode"], task_json["ipcMode"]) == ("host", "host")


CAPABILITIES = "          securityContext: {capabilities: {add: [NET_ADMIN, SYS_PTRACE, BPF], drop: [ALL]}}\n"


def test_capabilities_on_managed_instances_are_every_one_ecs_takes() -> None:
    result = translate_text(deployment(container=CAPABILITIES), MANAGED, name="app.yaml")
    assert _found(result, "K2E200") == [
        ("K2E200", "warning", 10, "securityContext.capabilities.add BPF has no ECS equivalent and was not translated "
         "(none): ECS takes only the capabilities of its KernelCapabilities list, which lacks these"),
    ]
    container = _of_type(_resources(result), "AWS::ECS::TaskDefinition")["ApiTaskDefinition"]["ContainerDefinitions"][0]
    assert container["LinuxParameters"] == {"Capabilities": {"Drop": ["ALL"], "Add": ["NET_ADMIN", "SYS_PTRACE"]}}
    fargate = translate_text(deployment(container=CAPABILITIES), name="app.yaml")
    assert _found(fargate, "K2E200") == [
        ("K2E200", "warning", 10, "securityContext.capabilities.add NET_ADMIN, BPF has no ECS equivalent and was not "
         "translated (none): Fargate can only add SYS_PTRACE"),
    ]


JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: train
          image: example/train:1.0
          resources: {limits: {nvidia.com/gpu: 1}}
"""


def test_a_job_with_gpus_is_started_on_its_providers() -> None:
    result = translate_text(JOB, MANAGED, name="job.yaml")
    (started,) = [f for f in result.findings if f.code == "K2E415"]
    assert ("--capacity-provider-strategy capacityProvider=$PROVIDER_1,weight=1,base=0 " in started.remediation
            and "PROVIDER_1: the stack output ManagedInstancesGpuCapacityProviderName" in started.remediation)
    outputs = yaml.safe_load(result.templates["shop.yaml"])["Outputs"]
    assert outputs["ManagedInstancesGpuCapacityProviderName"]["Value"] == {"Ref": "ManagedInstancesGpuCapacityProvider"}


def _pool(*requirements: tuple[str, str, tuple[str, ...]]) -> NodePool:
    return NodePool(Meta("p", ""), requirements=requirements)


def test_pools_that_exclude_gpu_or_neuron_instances() -> None:
    def why(kind: str, *requirements: tuple[str, str, tuple[str, ...]]) -> str:
        node_pool = _pool(*requirements)
        return instancereqs.excluded(node_pool, instancereqs.select(node_pool).requirements, kind)

    assert why("gpu") == ""
    assert why("gpu", ("karpenter.k8s.aws/instance-gpu-count", "DoesNotExist", ())) \
        == "karpenter.k8s.aws/instance-gpu-count DoesNotExist"
    assert why("gpu", ("karpenter.k8s.aws/instance-gpu-manufacturer", "In", ("amd",))) \
        == "karpenter.k8s.aws/instance-gpu-manufacturer In amd"
    assert why("gpu", ("kubernetes.io/arch", "In", ("arm64",))) == ""  # g5g: Graviton with NVIDIA T4G
    assert why("gpu", ("kubernetes.io/arch", "In", ("arm64",)), ("karpenter.k8s.aws/instance-family", "In", ("g5",))) \
        == "AllowedInstanceTypes g5.*"
    assert why("gpu", ("karpenter.k8s.aws/instance-category", "NotIn", ("g", "p"))) == "ExcludedInstanceTypes g*, p*"
    assert why("gpu", ("karpenter.k8s.aws/instance-size", "In", ("large",))) == "AllowedInstanceTypes *.large"
    assert why("neuron", ("karpenter.k8s.aws/instance-family", "In", ("inf2", "trn1"))) == ""
    assert why("neuron", ("karpenter.k8s.aws/instance-category", "In", ("g",))) == "AllowedInstanceTypes g*"
    assert why("neuron", ("karpenter.k8s.aws/instance-accelerator-manufacturer", "In", ("nvidia",))) \
        == "karpenter.k8s.aws/instance-accelerator-manufacturer In nvidia"
