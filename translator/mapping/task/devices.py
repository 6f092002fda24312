"""Devices a container asks for by name (extended resources) on ECS Managed Instances.

Fargate offers no devices, so there the fields are not read and the sweep reports them. Managed Instances
runs tasks on EC2 instances that a capacity provider launches by instance requirements, so
(`launch_type: MANAGED_INSTANCES`, docs/managed-instances.md):

* `nvidia.com/gpu: N` becomes the container's `ResourceRequirements` `{Type: GPU, Value: "N"}`: the ECS
  agent reserves N physical GPUs for the container, and all containers of a task together cannot have
  more than the instance (API ResourceRequirement); the task runs on a provider whose instances have
  NVIDIA GPUs, at least the task's total (mapping/service/managed.py);
* `aws.amazon.com/neuron` (and `neurondevice`, `neuroncore`) becomes `{Type: NeuronDevice, Value: ALL}`:
  the only value ECS takes, which gives the container every Neuron device of its instance, on Managed
  Instances only and for one container per task (API ResourceRequirement; "Managed device allocation
  example", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-inference-task-def.html);
* any other extended resource (`amd.com/gpu`, a device plugin's own) has no ECS resource type: reported.

A managed daemon's container definition has no `ResourceRequirements` (schema of
AWS::ECS::DaemonTaskDefinition; botocore DaemonContainerDefinition): a DaemonSet's devices are reported.
"""

from __future__ import annotations

from translator.model.app import Container, ExtendedResource, Workload
from translator.model.ecs import ResourceRequirement
from translator.model.record import record

GPU = "nvidia.com/gpu"
NEURON = ("aws.amazon.com/neuron", "aws.amazon.com/neurondevice", "aws.amazon.com/neuroncore")
GPU_KIND, NEURON_KIND = "gpu", "neuron"
# The most NVIDIA GPUs of one EC2 instance type (p2.16xlarge; p4d, p5 and g6 instances have 8): a task
# that needs more can be placed on no instance, so its service would never become stable.
MAX_GPUS = 16


@record
class Accelerators:
    """What a task needs of its instances: NVIDIA GPUs (`count`: the task's total), or Neuron devices."""

    kind: str  # GPU_KIND | NEURON_KIND
    count: int


def gpus(resource: ExtendedResource) -> int | None:
    """The GPUs an `nvidia.com/gpu` amount asks for; None when it is no positive whole number."""
    amount = resource.amount.strip()
    return int(amount) if amount.isdigit() and int(amount) > 0 else None


def _containers(wl: Workload) -> tuple[Container, ...]:
    return (*wl.pod.init_containers, *wl.pod.containers)


def neuron_owner(wl: Workload) -> str:
    """The one container of the task that gets the instance's Neuron devices: the first that asks."""
    return next((c.name for c in _containers(wl) if any(r.name in NEURON for r in c.devices)), "")


def task_gpus(wl: Workload) -> int:
    """The NVIDIA GPUs the containers of the workload's task ask for together."""
    return sum(gpus(r) or 0 for c in _containers(wl) for r in c.devices if r.name == GPU)


def need(wl: Workload) -> Accelerators | None:
    """What the workload's task needs of its instances, or None (a daemon gets no devices, and a task that
    needs more GPUs than any instance has gets none: both reported at the containers)."""
    if wl.daemon:
        return None
    total = task_gpus(wl)
    if total:
        return Accelerators(GPU_KIND, total) if total <= MAX_GPUS else None
    return Accelerators(NEURON_KIND, 1) if neuron_owner(wl) else None


@record
class Assigned:
    """A container's resource requirements, and its extended resources ECS cannot assign with why."""

    requirements: tuple[ResourceRequirement, ...]
    refused: tuple[tuple[ExtendedResource, str], ...]


def assign(c: Container, daemon: bool, owner: str, task_gpus: int = 0) -> Assigned:
    """The container's devices as ECS resource requirements; `owner` is the task's Neuron container, and
    `task_gpus` the task's NVIDIA GPUs (which choose its instances: no Neuron devices there)."""
    requirements: list[ResourceRequirement] = []
    refused: list[tuple[ExtendedResource, str]] = []
    for resource in c.devices:
        if daemon:
            refused.append((resource, "a managed daemon's container definition has no ResourceRequirements"))
        elif resource.name == GPU:
            count = gpus(resource)
            if count is None:
                refused.append((resource, f"{resource.amount!r} is no whole number of GPUs"))
            elif task_gpus > MAX_GPUS:
                refused.append((resource, f"the task's containers ask for {task_gpus} GPUs together, more than any "
                                          f"EC2 instance type has (at most {MAX_GPUS})"))
            else:
                requirements.append(ResourceRequirement("GPU", str(count)))
        elif resource.name in NEURON:
            if task_gpus:
                refused.append((resource, "the task's NVIDIA GPUs put it on GPU instances, which have no Neuron devices"))
            elif c.name != owner:
                refused.append((resource, f"ECS gives Neuron devices to one container of a task, here {owner}"))
            elif not any(r.type == "NeuronDevice" for r in requirements):
                requirements.append(ResourceRequirement("NeuronDevice", "ALL"))
        else:
            refused.append((resource, "ECS assigns NVIDIA GPUs (GPU) and Neuron devices (NeuronDevice) only"))
    return Assigned(tuple(requirements), tuple(refused))
