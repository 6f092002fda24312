"""NodePool requirements as Managed Instances instance requirements: each Karpenter key, and what stays a finding."""

from __future__ import annotations

from translator.mapping.service.instancereqs import select
from translator.model.app import Meta, NodePool
from translator.model.ecs import InstanceRequirements, RangeRequest


def _pool(*requirements: tuple[str, str, tuple[str, ...]]) -> NodePool:
    return NodePool(Meta("general", ""), requirements=requirements)


def test_no_requirement_gives_the_smallest_instances() -> None:
    selection = select(_pool())
    assert selection.requirements == InstanceRequirements(RangeRequest(1), RangeRequest(2048))
    assert selection.inexact == ()


def test_arch_families_sizes_and_cpus() -> None:
    selection = select(_pool(("kubernetes.io/arch", "In", ("arm64",)),
                             ("karpenter.k8s.aws/instance-family", "In", ("m7g", "c7g")),
                             ("karpenter.k8s.aws/instance-size", "In", ("large", "xlarge")),
                             ("karpenter.k8s.aws/instance-cpu", "Gt", ("3",)),
                             ("karpenter.k8s.aws/instance-memory", "Lt", ("65537",)),
                             ("karpenter.sh/capacity-type", "In", ("spot",))))
    assert selection.requirements == InstanceRequirements(
        RangeRequest(4), RangeRequest(2048, 65536), cpu_manufacturers=("amazon-web-services",),
        allowed_instance_types=("m7g.large", "m7g.xlarge", "c7g.large", "c7g.xlarge"))
    assert selection.inexact == ()


def test_categories_types_exclusions_and_generations() -> None:
    selection = select(_pool(("karpenter.k8s.aws/instance-category", "In", ("c", "m")),
                             ("node.kubernetes.io/instance-type", "In", ("m5.large", "r5.large", "c6i.xlarge")),
                             ("karpenter.k8s.aws/instance-family", "NotIn", ("m5",)),
                             ("karpenter.k8s.aws/instance-generation", "Gt", ("5",)),
                             ("kubernetes.io/arch", "NotIn", ("arm64",))))
    assert selection.requirements == InstanceRequirements(
        RangeRequest(1), RangeRequest(2048), cpu_manufacturers=("intel", "amd"), instance_generations=("current",),
        allowed_instance_types=("m5.large", "c6i.xlarge"), excluded_instance_types=("m5.*",))


def test_what_has_no_counterpart_is_returned_for_a_finding() -> None:
    selection = select(_pool(("topology.kubernetes.io/zone", "In", ("us-east-1a",)),
                             ("karpenter.k8s.aws/instance-cpu", "Exists", ()),
                             ("karpenter.k8s.aws/instance-family", "Exists", ()),
                             ("kubernetes.io/os", "In", ("linux",))))
    assert selection.inexact == ("karpenter.k8s.aws/instance-cpu Exists", "karpenter.k8s.aws/instance-family Exists",
                                 "topology.kubernetes.io/zone In us-east-1a")
    assert selection.requirements == InstanceRequirements(RangeRequest(1), RangeRequest(2048))
