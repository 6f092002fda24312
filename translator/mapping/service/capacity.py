"""Karpenter NodePools and the Cluster Autoscaler on Fargate: capacity decisions per service.

Which workloads a NodePool applies to: those whose nodeSelector or required node affinity selects it
(every nodeSelector label is one of the pool's template labels or allowed by one of its requirements, and
the architecture the nodeSelector names, if any, one the pool launches;
for affinity, one term whose expressions on other keys than the architecture and OS all hold for the
pool). A workload that selects no pool runs on the only pool of the input when there is exactly one
and it has no NoSchedule / NoExecute taint (tolerations are not read: a tainted pool only takes the
workloads that select it). With several pools, one that selects none decides nothing.

What the pools a workload runs on allow decides, on Fargate:
* `karpenter.sh/capacity-type` (Karpenter's default: on-demand): spot and on-demand give the service the
  strategy FARGATE weight 1 base 1, FARGATE_SPOT weight `spot_weight` (one task always on FARGATE,
  as Karpenter falls back to on-demand and ECS does not); spot alone gives FARGATE_SPOT alone.
* `kubernetes.io/arch` (Karpenter's default: amd64): arm64 alone gives the task definition the ARM64
  runtime platform, unless the pod names its architecture itself. Fargate Spot runs no ARM64 task, so
  an ARM64 service stays on FARGATE (K2E806).
A `capacity_providers` option, or launch_type EC2, wins: the NodePool is then only reported.
"""

from __future__ import annotations

from dataclasses import replace

from translator.k8s.podplacement import RUNTIME_KEYS
from translator.mapping.context import MapContext
from translator.model.app import NodePool, NodeTerm, Workload
from translator.model.ecs import CapacityProviderStrategyItem
from translator.model.record import record

CAPACITY = "karpenter.sh/capacity-type"
ARCH = "kubernetes.io/arch"
CAPACITY_TYPES = ("on-demand", "reserved", "spot")
ARCHITECTURES = ("amd64", "arm64")
# Requirement keys that decide something on Fargate; every other key picks EC2 instances (K2E803).
DECIDING = (CAPACITY, ARCH, "kubernetes.io/os")
AUTOSCALER_IMAGES = ("cluster-autoscaler",)
Strategy = tuple[CapacityProviderStrategyItem, ...]


@record
class Choice:
    pools: tuple[NodePool, ...]
    capacity: frozenset[str]
    architectures: frozenset[str]

    @property
    def names(self) -> str:
        return ", ".join(p.meta.name for p in self.pools)

    @property
    def arm64(self) -> bool:
        return self.architectures == {"arm64"}

    @property
    def spot(self) -> bool:
        return "spot" in self.capacity


def allowed(pool: NodePool, key: str, universe: tuple[str, ...]) -> frozenset[str] | None:
    """The values of `key` the pool's requirements allow; None when no requirement names the key."""
    values: set[str] | None = None
    for k, operator, listed in pool.requirements:
        if k != key:
            continue
        values = set(universe) if values is None else values
        if operator == "In":
            values &= set(listed)
        elif operator == "NotIn":
            values -= set(listed)
        elif operator == "DoesNotExist":
            values = set()
    return None if values is None else frozenset(values)


def choice(mc: MapContext, wl: Workload) -> Choice | None:
    """The NodePools `wl` runs on and what they allow, or None when none applies."""
    pools = mc.app.node_pools
    chosen = [p for p in pools if _selects(wl, p)]
    if not chosen and not _selecting(wl) and len(pools) == 1 and not pools[0].taints:
        chosen = list(pools)
    if not chosen:
        return None
    capacity = frozenset().union(*(allowed(p, CAPACITY, CAPACITY_TYPES) or {"on-demand"} for p in chosen))
    arch = frozenset().union(*(allowed(p, ARCH, ARCHITECTURES) or {"amd64"} for p in chosen))
    return Choice(tuple(chosen), capacity, arch)


def selected(mc: MapContext, wl: Workload) -> bool:
    """Whether the workload's nodeSelector or affinity selects a NodePool: then it is carried by the pool's decisions."""
    return any(_selects(wl, p) for p in mc.app.node_pools)


def _selecting(wl: Workload) -> bool:
    placement = wl.pod.placement
    return bool(placement.node_selector) or any(_own_keys(t) for t in placement.node_terms)


def _own_keys(term: NodeTerm) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple(e for e in term.expressions if e[0] not in RUNTIME_KEYS)


def _holds(pool: NodePool, key: str, operator: str, values: tuple[str, ...]) -> bool:
    labels = dict(pool.labels)
    if key in labels:
        have: frozenset[str] | None = frozenset({labels[key]})
    else:
        have = allowed(pool, key, tuple(values)) if operator in ("In", "NotIn") else None
        if have is None and any(k == key for k, _, _ in pool.requirements):
            have = frozenset(values)
    if operator == "In":
        return bool(have and have & set(values))
    if operator == "Exists":
        return have is not None or any(k == key for k, _, _ in pool.requirements)
    return False  # NotIn, DoesNotExist, Gt, Lt: not taken as selecting a pool


_NAMED_ARCH = {"X86_64": "amd64", "ARM64": "arm64"}


def _selects(wl: Workload, pool: NodePool) -> bool:
    placement = wl.pod.placement
    if not _selecting(wl):
        return False
    named = _NAMED_ARCH.get(wl.pod.cpu_architecture)
    if named and named not in (allowed(pool, ARCH, ARCHITECTURES) or {"amd64"}):
        return False  # the pod names an architecture the pool launches no node of: Karpenter never places it there
    if not all(_holds(pool, k, "In", (v,)) for k, v in placement.node_selector):
        return False
    terms = [t for t in placement.node_terms if _own_keys(t)]
    return not terms or any(all(_holds(pool, *e) for e in _own_keys(t)) for t in terms)


def launch_settings(mc: MapContext, wl: Workload, default: tuple[str, Strategy]) -> tuple[str, Strategy]:
    """The service's launch type and strategy: a NodePool's spot capacity as a FARGATE_SPOT weight, reported."""
    found = choice(mc, wl)
    if found is None or not found.spot:
        return default
    name = f"{wl.kind} {wl.meta.name}"
    types = ", ".join(sorted(found.capacity))
    if mc.options.launch_type != "FARGATE" or "capacity_providers" in mc.options.explicit:
        mc.report(wl.origin, "K2E808", workload=name, pools=found.names, types=types,
                  option="launch_type EC2" if mc.options.launch_type != "FARGATE" else "capacity_providers")
        return default
    if _arm64(wl, found):
        mc.report(wl.origin, "K2E806", workload=name, pools=found.names)
        return default
    strategy = spot_strategy(mc, found)
    shown = ", ".join(f"{s.capacity_provider} weight {s.weight}" + (f" base {s.base}" if s.base else "") for s in strategy)
    why = ("the pool launches only spot nodes" if found.capacity == {"spot"} else
           f"Karpenter prefers spot and falls back to on-demand, ECS does not fall back: one task stays on FARGATE, "
           f"the rest split 1:{mc.options.spot_weight} (spot_weight)")
    mc.report(wl.origin, "K2E800", workload=name, pools=found.names, types=types, strategy=shown, why=why)
    return "", strategy


def spot_strategy(mc: MapContext, found: Choice) -> Strategy:
    if found.capacity == {"spot"}:
        return (CapacityProviderStrategyItem("FARGATE_SPOT", 1, 0),)
    return (CapacityProviderStrategyItem("FARGATE", 1, 1),
            CapacityProviderStrategyItem("FARGATE_SPOT", mc.options.spot_weight, 0))


def _arm64(wl: Workload, found: Choice) -> bool:
    return wl.pod.cpu_architecture == "ARM64" or (not wl.pod.cpu_architecture and found.arm64)


def cluster_providers(mc: MapContext, namespace: str, providers: tuple[str, ...]) -> tuple[str, ...]:
    """The cluster's providers, with FARGATE_SPOT when a service of the namespace runs on it."""
    if mc.options.launch_type != "FARGATE" or "capacity_providers" in mc.options.explicit or not mc.app.node_pools:
        return providers
    for wl in mc.app.workloads:
        if wl.meta.namespace != namespace or wl.run != "service":
            continue
        found = choice(mc, wl)
        if found is not None and found.spot and not _arm64(wl, found):
            return tuple(sorted({*providers, "FARGATE_SPOT"}))
    return providers


def architecture(mc: MapContext, wl: Workload) -> Workload:
    """The workload on ARM64 when every pool it runs on launches only arm64 nodes, reported with its images."""
    if mc.options.launch_type == "EC2" or wl.pod.cpu_architecture or not mc.app.node_pools:
        return wl  # on Managed Instances too, an arm64-only pool launches Graviton instances only
    found = choice(mc, wl)
    if found is None or not found.arm64:
        return wl
    name = f"{wl.kind} {wl.meta.name}"
    mc.report(wl.origin, "K2E801", workload=name, pools=found.names)
    images = ", ".join(sorted({c.image for c in (*wl.pod.init_containers, *wl.pod.containers)}))
    mc.report(wl.pod.origin, "K2E802", workload=name, images=images)
    return replace(wl, pod=replace(wl.pod, cpu_architecture="ARM64"))


def is_cluster_autoscaler(wl: Workload) -> str:
    """The image of a Cluster Autoscaler container, or ''."""
    for c in wl.pod.containers:
        repository = c.image.split("@", 1)[0].rsplit(":", 1)[0] if "/" in c.image else c.image.split(":", 1)[0]
        if repository.rsplit("/", 1)[-1] in AUTOSCALER_IMAGES:
            return c.image
    return ""


def report_pools(mc: MapContext) -> None:
    """Per NodePool: what picks EC2 instances, its limits and disruption, and a pool no workload runs on."""
    used = {p.meta.name for wl in mc.app.workloads if (found := choice(mc, wl)) is not None for p in found.pools}
    managed = mc.options.launch_type == "MANAGED_INSTANCES"  # requirements and limits: mapping/service/managed.py
    for pool in mc.app.node_pools:
        where = pool.requirements_origin or pool.origin
        instances = [f"{k} {op} {','.join(v)}".strip() for k, op, v in pool.requirements if k not in DECIDING]
        if instances and not managed:
            mc.report(where, "K2E803", name=pool.meta.name, what="requirements " + "; ".join(instances),
                      meaning="choose EC2 instance types, zones or sizes for nodes",
                      remediation="Nothing to do: Fargate sizes each task from its task definition (K2E300) and "
                                  "places it in the zones of the Subnets parameter.")
        if pool.limits and not managed:
            mc.report(pool.limits_origin or pool.origin, "K2E803", name=pool.meta.name,
                      what="limits " + ", ".join(f"{k} {v}" for k, v in pool.limits),
                      meaning="cap what the nodes of the pool add up to",
                      remediation="Cap the services instead (desired count, the autoscaler's maximum); the account's "
                                  "Fargate vCPU quota caps what all tasks add up to.")
        if pool.disruption:
            mc.report(pool.disruption_origin or pool.origin, "K2E875" if managed else "K2E804", name=pool.meta.name,
                      what=", ".join(pool.disruption))
        if pool.meta.name not in used:
            mc.report(pool.origin, "K2E807", name=pool.meta.name,
                      why="it has taints" if pool.taints else "several pools, and no workload selects its labels"
                      if len(mc.app.node_pools) > 1 else "no workload selects its labels")
