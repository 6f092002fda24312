"""Karpenter: NodePool (karpenter.sh), NodeClaim, EC2NodeClass (karpenter.k8s.aws).

Fargate gives every task capacity of its own, so a NodePool creates nothing. What it says about the
nodes still shapes the services that would run on them (mapping/service/capacity.py): a pool that may
launch spot nodes suggests a FARGATE_SPOT weight, an arm64-only pool the ARM64 runtime platform.
Instance types, limits and disruption settings are reported with what they mean on Fargate. An
EC2NodeClass (AMI, node role, subnets) and a NodeClaim (one node Karpenter launched) are reported as
a whole.
"""

from __future__ import annotations

from translator.k8s.common import origin, origin_at, parse_meta
from translator.model.app import Application, NodePool
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"NodePool": ("karpenter.sh",), "NodeClaim": ("karpenter.sh",),
                                     "EC2NodeClass": ("karpenter.k8s.aws",)}
# API group -> the versions Karpenter served these kinds in (v1beta1 since 0.32, v1 since 1.0).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"karpenter.sh": ("v1", "v1beta1"), "karpenter.k8s.aws": ("v1", "v1beta1")}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "nothing of its own: for the workloads that run on a NodePool (they select its labels, or it is the only "
    "untainted pool), spot capacity to a FARGATE_SPOT weight in the service's capacity-provider strategy "
    "(`spot_weight`) and an arm64-only pool to the ARM64 runtime platform, each a reported decision; instance "
    "requirements, limits and disruption reported as not needed on Fargate. With `launch_type: MANAGED_INSTANCES`: "
    "an ECS Managed Instances capacity provider per capacity type the pool allows, its requirements as instance "
    "requirements, used by the services of the workloads that run on it. EC2NodeClass and NodeClaim: a finding each"
)


# What stands for the nodes an EC2NodeClass configures, by launch_type (empty: the default, Fargate).
_NODES = {"": "Fargate needs no nodes", "FARGATE": "Fargate needs no nodes",
          "MANAGED_INSTANCES": "ECS launches and patches the Managed Instances its capacity providers use",
          "EC2": "the EC2 container instances are the cluster's own, configured outside these stacks"}


def parse(root: Reader, app: Application) -> None:
    kind = root.ctx.doc.kind
    name = root.ctx.doc.name or "(unnamed)"
    if kind == "EC2NodeClass":
        spec = root.data.get("spec")
        keys = ", ".join(k for k in (spec or {}) if isinstance(spec, dict)) or "no settings"
        root.report_all("K2E805", kind=kind, name=name, detail=keys, why=_NODES.get(root.ctx.launch_type, _NODES[""]))
        return
    if kind == "NodeClaim":
        root.report_all("K2E102", kind=kind, name=name,
                        detail="one node Karpenter launched for its NodePool; Fargate runs each task on capacity of its own")
        return
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    template = spec.child("template") if spec else None
    node = template.child("spec") if template else None
    if spec is None or node is None or template is None:
        root.report("K2E004", "spec", field="spec.template.spec")
        return
    template_meta = template.child("metadata")
    labels = template_meta.str_map("labels") if template_meta else {}
    requirements = tuple((r.str("key") or "", r.str("operator") or "", tuple(r.str_list("values")))
                         for r in node.items("requirements"))
    for r in node.items("requirements"):
        r.for_report.int("minValues")
    taints = tuple(_taint(t) for t in node.items("taints"))
    node.for_report.ignore("nodeClassRef")  # the EC2NodeClass it names is reported on its own (K2E805)
    report = spec.for_report
    limits = report.str_map("limits")
    disruption: list[str] = []
    disruption_origin = None
    for where in (node.for_report, report.child("disruption")):
        if where is None:
            continue
        found = [k for k in ("expireAfter", "terminationGracePeriod", "consolidationPolicy", "consolidateAfter", "budgets")
                 if where.data.get(k) is not None]
        if found and disruption_origin is None:
            disruption_origin = origin_at(where, found[0])
        for key in ("expireAfter", "terminationGracePeriod", "consolidationPolicy", "consolidateAfter"):
            value = where.scalar(key)
            if value is not None:
                disruption.append(f"{key} {value}")
        if where.data.get("budgets"):
            where.ignore("budgets")
            disruption.append("disruption budgets")
    app.node_pools.append(NodePool(
        meta=meta, requirements=requirements, labels=tuple(sorted(labels.items())),
        taints=tuple(t for t in taints if t), limits=tuple(sorted(limits.items())), disruption=tuple(disruption),
        origin=origin(root), requirements_origin=origin(node) if requirements else None,
        limits_origin=origin_at(spec, "limits") if limits else None, disruption_origin=disruption_origin))


def _taint(t: Reader) -> str:
    """`key=value:effect` for a taint that keeps pods off (NoSchedule, NoExecute); '' for PreferNoSchedule."""
    key, value, effect = t.str("key") or "", t.str("value") or "", t.str("effect") or ""
    if effect == "PreferNoSchedule":
        return ""
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"
