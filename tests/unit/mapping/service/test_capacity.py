"""Karpenter NodePools and the Cluster Autoscaler on Fargate: exact findings and the decisions they state."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.manifests import deployment
from translator.api import TranslationResult, translate_text
from translator.options import OptionsError, options_from_dict


def pool(name: str = "general", capacity: str = "[spot, on-demand]", arch: str = "", label: str = "",
         extra: str = "") -> str:
    """A NodePool `name` allowing the capacity types given, and the architectures given when `arch` is set."""
    labels = f"    metadata: {{labels: {{pool: {label}}}}}\n" if label else ""
    return (f"---\napiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {{name: {name}}}\nspec:\n  template:\n{labels}"
            f"    spec:\n      requirements:\n        - {{key: karpenter.sh/capacity-type, operator: In, values: {capacity}}}\n"
            + (f"        - {{key: kubernetes.io/arch, operator: In, values: {arch}}}\n" if arch else "")
            + "      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n" + extra)


def _found(result: TranslationResult, *codes: str) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings if f.code in codes]


CODES = ("K2E480", "K2E800", "K2E801", "K2E802", "K2E803", "K2E804", "K2E805", "K2E806", "K2E807", "K2E808", "K2E809")


def test_the_only_pool_with_spot_gives_a_fargate_spot_weight() -> None:
    result = translate_text(deployment() + pool(), name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E800", "info", 1, "Deployment api runs on NodePool general, which allows on-demand, spot: its ECS service "
         "gets the capacity provider strategy FARGATE weight 1 base 1, FARGATE_SPOT weight 3 (Karpenter prefers spot "
         "and falls back to on-demand, ECS does not fall back: one task stays on FARGATE, the rest split 1:3 (spot_weight))")]
    resources = _resources(result)
    service = next(r["Properties"] for r in resources.values() if r["Type"] == "AWS::ECS::Service")
    assert service["CapacityProviderStrategy"] == [{"CapacityProvider": "FARGATE", "Weight": 1, "Base": 1},
                                                   {"CapacityProvider": "FARGATE_SPOT", "Weight": 3, "Base": 0}]
    assert "LaunchType" not in service
    assert resources["Cluster"]["Properties"]["CapacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


def test_spot_only_and_the_weight_option() -> None:
    result = translate_text(deployment() + pool(capacity="[spot]"), name="app.yaml")
    assert "strategy FARGATE_SPOT weight 1 (the pool launches only spot nodes)" in _found(result, "K2E800")[0][3]
    weighted = translate_text(deployment() + pool(), options_from_dict({"spot_weight": 9}), name="app.yaml")
    assert "FARGATE weight 1 base 1, FARGATE_SPOT weight 9" in _found(weighted, "K2E800")[0][3]
    with pytest.raises(OptionsError, match="spot_weight must be between 1 and 1000"):
        options_from_dict({"spot_weight": 0})


def test_the_options_win_over_the_pool() -> None:
    options = options_from_dict({"capacity_providers": [{"provider": "FARGATE"}]})
    result = translate_text(deployment() + pool(), options, name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E808", "info", 1, "Deployment api runs on NodePool general, which allows on-demand, spot; capacity_providers "
         "in kube2ecs.yaml decides its capacity")]
    assert "FARGATE_SPOT" not in result.templates["shop.yaml"]


def test_an_arm64_pool_gives_arm64_and_no_spot() -> None:
    result = translate_text(deployment(pod="      nodeSelector: {pool: graviton}\n") + pool("graviton", arch="[arm64]", label="graviton")
                            + pool("other", label="other"), name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E801", "info", 1, "Deployment api runs on NodePool graviton, which launches only arm64 nodes: its task "
         "definition asks for RuntimePlatform CpuArchitecture ARM64"),
        ("K2E806", "warning", 1, "Deployment api runs on ARM64, and NodePool graviton allows spot, but Fargate Spot runs "
         "only X86_64 tasks: the ECS service stays on FARGATE"),
        ("K2E802", "warning", 8, "Deployment api runs on ARM64: images example/api:1.0 must be multi-architecture or "
         "arm64 images"),
        ("K2E807", "info", 26, "NodePool other applies to no workload of the input: several pools, and no workload "
         "selects its labels"),
    ]
    task = next(r["Properties"] for r in _resources(result).values() if r["Type"] == "AWS::ECS::TaskDefinition")
    assert task["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    assert "FARGATE_SPOT" not in result.templates["shop.yaml"]


def test_a_tainted_pool_takes_only_the_workloads_that_select_it() -> None:
    taint = "      taints: [{key: gpu, value: \"true\", effect: NoSchedule}]\n"
    result = translate_text(deployment() + pool(extra=taint), name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E807", "info", 13, "NodePool general applies to no workload of the input: it has taints")]


def test_instance_requirements_limits_disruption_and_node_classes() -> None:
    extra = ("        - {key: karpenter.k8s.aws/instance-family, operator: In, values: [m7g], minValues: 1}\n"
             "      expireAfter: 720h\n  limits: {cpu: 100}\n  disruption: {consolidationPolicy: WhenEmpty, "
             "budgets: [{nodes: 10%}]}\n  weight: 10\n")
    text = (deployment() + pool(capacity="[on-demand]").replace(
        "      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n", "") + extra
        + "---\napiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata: {name: default}\n"
          "spec: {role: KarpenterNodeRole, amiSelectorTerms: [{alias: al2023@latest}]}\n"
        + "---\napiVersion: karpenter.sh/v1\nkind: NodeClaim\nmetadata: {name: general-x7k2p}\nspec: {}\n")
    result = translate_text(text, name="app.yaml")
    assert _found(result, *CODES, "K2E102", "K2E101", "K2E200") == [
        ("K2E803", "info", 18, "NodePool general requirements karpenter.k8s.aws/instance-family In m7g: they choose EC2 "
         "instance types, zones or sizes for nodes, and Fargate has no nodes"),
        ("K2E804", "info", 22, "NodePool general sets expireAfter 720h, consolidationPolicy WhenEmpty, disruption "
         "budgets: Fargate has no nodes to consolidate, expire or drain"),
        ("K2E803", "info", 23, "NodePool general limits cpu 100: they cap what the nodes of the pool add up to, and "
         "Fargate has no nodes"),
        ("K2E200", "info", 25, "spec.weight has no ECS equivalent and was not translated (none): orders pools for Karpenter; "
         "Fargate has one kind of capacity per provider"),
        ("K2E805", "info", 27, "EC2NodeClass default configures EC2 nodes (role, amiSelectorTerms); Fargate needs no nodes"),
        ("K2E102", "info", 32, "NodeClaim general-x7k2p carries no ECS resource of its own: one node Karpenter launched "
         "for its NodePool; Fargate runs each task on capacity of its own"),
    ]


def test_the_cluster_autoscaler_is_not_translated() -> None:
    text = deployment("cluster-autoscaler", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.0", namespace="ops")
    result = translate_text(text + "---\n" + deployment(), name="app.yaml")
    assert _found(result, *CODES) == [
        ("K2E809", "info", 1, "Deployment cluster-autoscaler runs the Cluster Autoscaler "
         "(registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.0) and is not translated: Fargate provides capacity per task")]
    assert "ClusterAutoscaler" not in "".join(result.templates.values())


def _resources(result: TranslationResult) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(result.templates["shop.yaml"])["Resources"]  # type: ignore[no-any-return]
