"""A Karpenter NodePool's requirements as the InstanceRequirements of an ECS Managed Instances provider.

Both select EC2 instance types by attributes, so most well-known Karpenter labels have a counterpart
(EC2 attribute-based instance type selection; `AllowedInstanceTypes` takes `*` wildcards, e.g. `m7g.*`,
`c*`: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceRequirementsRequest.html):

* kubernetes.io/arch: arm64 -> CpuManufacturers amazon-web-services (Graviton), amd64 -> intel, amd;
* karpenter.k8s.aws/instance-family, -category, -size and node.kubernetes.io/instance-type ->
  AllowedInstanceTypes (In) or ExcludedInstanceTypes (NotIn), families and sizes combined as `m7g.large`;
* karpenter.k8s.aws/instance-cpu / instance-memory (In, Gt, Lt) -> VCpuCount / MemoryMiB ranges;
* karpenter.k8s.aws/instance-generation -> InstanceGenerations current (EC2 knows no generation numbers);
* karpenter.sh/capacity-type -> CapacityOptionType, decided per provider (mapping/service/managed.py).

Whatever else a pool asks for (zones, other labels, operators without a counterpart) is returned as text
for a finding at the pool's requirements. VCpuCount and MemoryMiB need a minimum: without one, 1 vCPU and
2048 MiB, the smallest instances that hold a task with the Service Connect proxy.
"""

from __future__ import annotations

from dataclasses import replace

from translator.model.app import NodePool
from translator.model.ecs import InstanceRequirements, RangeRequest
from translator.model.record import record

ARCH = "kubernetes.io/arch"
FAMILY = "karpenter.k8s.aws/instance-family"
CATEGORY = "karpenter.k8s.aws/instance-category"
SIZE = "karpenter.k8s.aws/instance-size"
TYPE = "node.kubernetes.io/instance-type"
CPU = "karpenter.k8s.aws/instance-cpu"
MEMORY = "karpenter.k8s.aws/instance-memory"
GENERATION = "karpenter.k8s.aws/instance-generation"
# Keys that decide something elsewhere: capacity type (one provider per type) and the OS (ECS runs Linux tasks here).
DECIDED = ("karpenter.sh/capacity-type", "kubernetes.io/os")
MANUFACTURERS = {"arm64": ("amazon-web-services",), "amd64": ("intel", "amd")}
MIN_VCPU, MIN_MEMORY = 1, 2048
MAX_TYPES = 400  # AllowedInstanceTypes / ExcludedInstanceTypes maxItems
Requirement = tuple[str, str, tuple[str, ...]]


@record
class Selection:
    """The instance requirements of a pool and the requirements they leave out, as `key op values` texts."""

    requirements: InstanceRequirements
    inexact: tuple[str, ...]


def select(pool: NodePool) -> Selection:
    """The pool's requirements as EC2 attribute-based selection, and what could not be expressed."""
    inexact: list[str] = []
    by_key: dict[str, list[Requirement]] = {}
    for requirement in pool.requirements:
        by_key.setdefault(requirement[0], []).append(requirement)
    vcpu = _range(by_key.pop(CPU, []), MIN_VCPU, inexact)
    memory = _range(by_key.pop(MEMORY, []), MIN_MEMORY, inexact)
    manufacturers = _manufacturers(by_key.pop(ARCH, []), inexact)
    generations = ("current",) if by_key.pop(GENERATION, []) else None
    allowed, excluded = _types(by_key, inexact)
    for key, requirements in sorted(by_key.items()):
        if key not in DECIDED:
            inexact += [_text(r) for r in requirements]
    return Selection(InstanceRequirements(
        v_cpu_count=vcpu, memory_mib=memory, cpu_manufacturers=manufacturers, instance_generations=generations,
        allowed_instance_types=allowed, excluded_instance_types=excluded), tuple(inexact))


def _text(requirement: Requirement) -> str:
    key, operator, values = requirement
    return f"{key} {operator} {','.join(values)}".strip()


def _range(requirements: list[Requirement], floor: int, inexact: list[str]) -> RangeRequest:
    """In -> the smallest and largest value; Gt / Lt -> an open bound; other operators are reported."""
    low, high = floor, None
    for key, operator, values in requirements:
        numbers = [int(v) for v in values if v.isdigit()]
        if operator == "In" and numbers:
            low, high = max(low, min(numbers)), max(numbers) if high is None else min(high, max(numbers))
        elif operator == "Gt" and len(numbers) == 1:
            low = max(low, numbers[0] + 1)
        elif operator == "Lt" and len(numbers) == 1:
            high = numbers[0] - 1 if high is None else min(high, numbers[0] - 1)
        else:
            inexact.append(_text((key, operator, values)))
    return RangeRequest(low, high if high is None or high >= low else low)


def _manufacturers(requirements: list[Requirement], inexact: list[str]) -> tuple[str, ...] | None:
    architectures = set(MANUFACTURERS)
    for key, operator, values in requirements:
        if operator == "In":
            architectures &= set(values)
        elif operator == "NotIn":
            architectures -= set(values)
        else:
            inexact.append(_text((key, operator, values)))
    if architectures == set(MANUFACTURERS) or not architectures:
        return None
    return tuple(m for a in sorted(architectures) for m in MANUFACTURERS[a])


def _types(by_key: dict[str, list[Requirement]], inexact: list[str]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(AllowedInstanceTypes, ExcludedInstanceTypes): In requirements narrow the allowed patterns, NotIn exclude."""
    allowed: list[str] | None = None
    excluded: list[str] = []
    stems = _listed(by_key, FAMILY, "In") or [f"{c}*" for c in _listed(by_key, CATEGORY, "In")]
    sizes = _listed(by_key, SIZE, "In")
    if stems or sizes:
        allowed = [f"{s.removesuffix('*')}*.{z}" if s.endswith("*") else f"{s}.{z}"
                   for s in (stems or ["*"]) for z in sizes] if sizes else [s if s.endswith("*") else f"{s}.*" for s in stems]
    named = _listed(by_key, TYPE, "In")
    if named:
        allowed = named if allowed is None else [t for t in named if _matches(t, allowed)]
    excluded += [f"{f}.*" for f in _listed(by_key, FAMILY, "NotIn")]
    excluded += [f"{c}*" for c in _listed(by_key, CATEGORY, "NotIn")]
    excluded += [f"*.{z}" for z in _listed(by_key, SIZE, "NotIn")]
    excluded += _listed(by_key, TYPE, "NotIn")
    for key in (FAMILY, CATEGORY, SIZE, TYPE):
        inexact += [_text(r) for r in by_key.pop(key, [])]
    if allowed is not None and len(allowed) > MAX_TYPES:
        inexact.append(f"{len(allowed)} allowed instance types, more than EC2's {MAX_TYPES}: the first {MAX_TYPES} kept")
        allowed = allowed[:MAX_TYPES]
    return (tuple(allowed) if allowed is not None else None), (tuple(excluded[:MAX_TYPES]) or None)


def _listed(by_key: dict[str, list[Requirement]], key: str, operator: str) -> list[str]:
    """The values of the key's requirements with this operator, taken out of `by_key`'s list."""
    found = [r for r in by_key.get(key, []) if r[1] == operator]
    if key in by_key:
        by_key[key] = [r for r in by_key[key] if r[1] != operator]
    return [v for r in found for v in r[2]]


def _matches(instance_type: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(instance_type, p) for p in patterns)


# --- accelerated instances: a workload's devices (mapping/task/devices.py) on a pool's provider ---------
# NVIDIA GPU families (EC2 accelerated computing instances) and the architecture of their CPUs, and the
# families with AWS Neuron devices (Inferentia, Trainium): what a pool's requirements are checked against.
NVIDIA_FAMILIES = {"g4dn": "amd64", "g5": "amd64", "g5g": "arm64", "g6": "amd64", "g6e": "amd64", "g6f": "amd64",
                   "gr6": "amd64", "p3": "amd64", "p3dn": "amd64", "p4d": "amd64", "p4de": "amd64", "p5": "amd64",
                   "p5e": "amd64", "p5en": "amd64"}
NEURON_FAMILIES = {"inf1": "amd64", "inf2": "amd64", "trn1": "amd64", "trn1n": "amd64", "trn2": "amd64"}
SIZES = ("xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge", "metal")
# Karpenter's labels of an instance's devices, and the values that rule every accelerated instance out.
GPU_COUNT, GPU_MANUFACTURER = "karpenter.k8s.aws/instance-gpu-count", "karpenter.k8s.aws/instance-gpu-manufacturer"
ACCELERATOR_COUNT = "karpenter.k8s.aws/instance-accelerator-count"
ACCELERATOR_MANUFACTURER = "karpenter.k8s.aws/instance-accelerator-manufacturer"
DEVICE_LABELS = {"gpu": (GPU_COUNT, GPU_MANUFACTURER, "nvidia"), "neuron": (ACCELERATOR_COUNT, ACCELERATOR_MANUFACTURER, "aws")}


def accelerated(requirements: InstanceRequirements, kind: str, count: int) -> InstanceRequirements:
    """The requirements with the task's devices: NVIDIA GPUs, at least `count` (AcceleratorTypes gpu,
    AcceleratorManufacturers nvidia, AcceleratorCount), or AWS accelerators for Neuron devices
    (AcceleratorManufacturers amazon-web-services, AcceleratorCount at least 1)."""
    if kind == "gpu":
        return replace(requirements, accelerator_types=("gpu",), accelerator_manufacturers=("nvidia",),
                       accelerator_count=RangeRequest(count))
    return replace(requirements, accelerator_manufacturers=("amazon-web-services",), accelerator_count=RangeRequest(1))


def excluded(pool: NodePool, requirements: InstanceRequirements, kind: str) -> str:
    """Why the pool allows no instance with the devices (`gpu` or `neuron`), or '' when it allows some."""
    count_key, manufacturer_key, maker = DEVICE_LABELS[kind]
    for key, operator, values in pool.requirements:
        numbers = [int(v) for v in values if v.isdigit()]
        if key == count_key and (operator == "DoesNotExist" or (operator == "In" and numbers and max(numbers) == 0)
                                 or (operator == "Lt" and numbers and numbers[0] <= 1)):
            return _text((key, operator, values))
        if key == manufacturer_key and ((operator == "In" and maker not in values)
                                        or (operator == "NotIn" and maker in values) or operator == "DoesNotExist"):
            return _text((key, operator, values))
    families = NVIDIA_FAMILIES if kind == "gpu" else NEURON_FAMILIES
    architectures = {"amazon-web-services": "arm64", "intel": "amd64", "amd": "amd64"}
    if requirements.cpu_manufacturers:
        wanted = {architectures[m] for m in requirements.cpu_manufacturers}
        families = {f: a for f, a in families.items() if a in wanted}
        if not families:
            return f"CpuManufacturers {', '.join(requirements.cpu_manufacturers)}"
    types = [f"{f}.{z}" for f in families for z in SIZES]
    allowed, refused = requirements.allowed_instance_types, requirements.excluded_instance_types
    if allowed:
        types = [t for t in types if _matches(t, list(allowed))]
        if not types:
            return f"AllowedInstanceTypes {', '.join(allowed)}"
    if refused and not [t for t in types if not _matches(t, list(refused))]:
        return f"ExcludedInstanceTypes {', '.join(refused)}"
    return ""
