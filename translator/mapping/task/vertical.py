"""VerticalPodAutoscaler: its recommendation in place of the requests when a task is sized.

In the cluster, the VPA's admission controller sets each new pod's requests to the recommendation's
`target` (its limits scaled in proportion with controlledValues RequestsAndLimits, kept with
RequestsOnly), within the container policy's minAllowed / maxAllowed, for the resources the policy
controls, and not at all for a container whose policy mode is Off. The container's resources are
rewritten here the same way, so the task size, the container reservations and the task-size finding
all follow from the usual sizing (workload.py, sizing.py). ECS fixes a task's size per task-definition
revision: the update mode is reported with what ECS does instead, and a VPA without a status (a
manifest from a repository) is reported with how to read one that has it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from translator.findings.model import Severity
from translator.mapping.context import MapContext
from translator.model.app import (
    Amounts,
    Container,
    ContainerPolicy,
    ContainerRecommendation,
    Origin,
    VerticalAutoscaler,
    Workload,
)
from translator.source.quantity import cpu_units, mebibytes

SIZED_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Rollout")
_MODES = {
    "Off": "recommendations only, which is all ECS can follow: the task keeps the size it is given here",
    "Initial": "Kubernetes sizes each pod when it is created; ECS sizes every task from the task definition, "
               "fixed per revision",
    "Recreate": "Kubernetes evicts pods to resize them as the recommendation moves; ECS does not resize running "
                "tasks, a size is fixed per task-definition revision",
    "Auto": "Kubernetes evicts pods to resize them as the recommendation moves; ECS does not resize running tasks, "
            "a size is fixed per task-definition revision",
    "InPlaceOrRecreate": "Kubernetes resizes pods in place (or evicts them) as the recommendation moves; ECS cannot "
                         "resize a running task, a size is fixed per task-definition revision",
}


def target_of(mc: MapContext, wl: Workload) -> VerticalAutoscaler | None:
    """The VPA of a workload, marked used; a second one for the same workload is reported and not followed."""
    if wl.kind not in SIZED_KINDS:
        return None
    found = sorted((v for v in mc.app.vertical_autoscalers if v.meta.namespace == wl.meta.namespace
                    and v.target_kind == wl.kind and v.target_name == wl.meta.name), key=lambda v: v.meta.name)
    for vpa in found:
        mc.used.add(("VerticalPodAutoscaler", vpa.meta.namespace, vpa.meta.name))
        if vpa is not found[0]:
            mc.report(vpa.origin, "K2E795", name=vpa.meta.name, workload=f"{wl.kind} {wl.meta.name}",
                      first=found[0].meta.name)
    return found[0] if found else None


def resize(mc: MapContext, wl: Workload, vpa: VerticalAutoscaler) -> tuple[Workload, str]:
    """The workload with each container's resources as the VPA would set them, and one line per container
    saying what changed (empty when nothing does)."""
    mode = vpa.update_mode if vpa.update_mode in _MODES else "Auto"
    mc.report(vpa.update_origin or vpa.origin, "K2E792", mode=vpa.update_mode, name=vpa.meta.name, what=_MODES[mode],
              severity=Severity.INFO if mode == "Off" else Severity.WARNING)
    _unknown_policies(mc, wl, vpa)
    if vpa.recommendations is None:
        mc.report(_at(vpa.origin, wl), "K2E791", name=vpa.meta.name, workload=f"{wl.kind} {wl.meta.name}",
                  namespace=wl.meta.namespace)
        return wl, ""
    by_name = {r.container: r for r in vpa.recommendations}
    notes: list[str] = []
    pod = wl.pod
    containers = tuple(_container(c, by_name.get(c.name), _policy(vpa.policies, c.name), notes) for c in pod.containers)
    sidecars = tuple(_container(c, by_name.get(c.name), _policy(vpa.policies, c.name), notes) if c.sidecar else c
                     for c in pod.init_containers)
    named = {c.name for c in (*pod.containers, *pod.init_containers)}
    for rec in vpa.recommendations:
        if rec.container not in named:
            notes.append(f"{rec.container}: recommended, but the pod has no such container")
    resized = replace(wl, pod=replace(pod, containers=containers, init_containers=sidecars))
    return resized, "; ".join(notes)


def report_sizes(mc: MapContext, vpa: VerticalAutoscaler, wl: Workload, size: tuple[int, int],
                 requested: tuple[int, int], detail: str) -> None:
    """Both sizes, and what the difference costs a month (on-demand Fargate, the replicas of the workload)."""
    mc.report(_at(vpa.recommendations[0].origin if vpa.recommendations else vpa.origin, wl), "K2E790",
              name=vpa.meta.name, workload=f"{wl.kind} {wl.meta.name}", cpu=size[0], memory=size[1],
              base_cpu=requested[0], base_memory=requested[1],
              cost=_cost(mc, wl, size, requested), containers=detail or "no container changed")


def report_unlinked(mc: MapContext) -> None:
    """A VPA whose target is not a translated workload kube2ecs sizes."""
    kinds = {(w.kind, w.meta.namespace, w.meta.name) for w in mc.app.workloads}
    for vpa in mc.app.vertical_autoscalers:
        if ("VerticalPodAutoscaler", vpa.meta.namespace, vpa.meta.name) in mc.used:
            continue
        target = f"{vpa.target_kind or '(no kind)'} {vpa.target_name}"
        if vpa.target_kind not in SIZED_KINDS:
            mc.report(vpa.origin, "K2E793", name=vpa.meta.name, target=target)
        elif (vpa.target_kind, vpa.meta.namespace, vpa.target_name) in kinds:
            mc.report(vpa.origin, "K2E794", name=vpa.meta.name, target=target,
                      why="it is not translated to an ECS task (see its findings)")
        else:
            mc.report(vpa.origin, "K2E794", name=vpa.meta.name, target=target, why="it is not in the input")


def _unknown_policies(mc: MapContext, wl: Workload, vpa: VerticalAutoscaler) -> None:
    """A container policy naming a container the pod lacks: the VPA matches policies by name, so its bounds
    and mode apply to nothing, which is most often a typo the user would want to hear about."""
    names = [c.name for c in (*wl.pod.containers, *wl.pod.init_containers)]
    for policy in vpa.policies:
        if policy.container != "*" and policy.container not in names:
            mc.report(policy.origin, "K2E886", name=vpa.meta.name, container=policy.container,
                      workload=f"{wl.kind} {wl.meta.name}", containers=", ".join(names) or "none")


def _at(where: Origin, wl: Workload) -> Origin:
    """The VPA's line, filed under the workload: the assessment lists it with the task it sizes."""
    return Origin(where.location, wl.origin.resource)


def _policy(policies: tuple[ContainerPolicy, ...], container: str) -> ContainerPolicy:
    """The container's own policy, else the `*` one, else the defaults (Auto, cpu and memory, requests and limits)."""
    own = next((p for p in policies if p.container == container), None)
    return own or next((p for p in policies if p.container == "*"), None) or ContainerPolicy("*")


def _container(c: Container, rec: ContainerRecommendation | None, policy: ContainerPolicy, notes: list[str]) -> Container:
    if policy.mode == "Off":
        notes.append(f"{c.name}: requests kept (container policy mode Off)")
        return c
    if rec is None:
        notes.append(f"{c.name}: requests kept (no recommendation for it)")
        return c
    res = c.resources
    changed: dict[str, Decimal | None] = {}
    said: list[str] = []
    for resource in ("cpu", "memory"):
        target: Decimal | None = getattr(rec.target, resource)
        if target is None:
            continue
        if resource not in policy.controlled_resources:
            said.append(f"{resource} not controlled (requests kept)")
            continue
        bounded, bound = _bounded(target, policy, resource)
        request: Decimal | None = getattr(res, f"{resource}_request")
        limit: Decimal | None = getattr(res, f"{resource}_limit")
        new_limit = limit
        if limit is not None and policy.controlled_values != "RequestsOnly":
            new_limit = limit * bounded / request if request else bounded  # the limit keeps its ratio to the request
        elif limit is not None and bounded > limit:
            bounded, bound = limit, "capped at the limit, which RequestsOnly keeps"
        changed[f"{resource}_request"], changed[f"{resource}_limit"] = bounded, new_limit
        said.append(f"{resource} {_show(resource, request)} -> {_show(resource, bounded)}"
                    + (f" ({bound})" if bound else "")
                    + (f", limit {_show(resource, new_limit)}" if new_limit is not None else ""))
    bounds = _range(rec)
    notes.append(f"{c.name}: " + (", ".join(said) or "no target") + (f" [{bounds}]" if bounds else ""))
    return replace(c, resources=replace(res, **changed)) if changed else c


def _bounded(target: Decimal, policy: ContainerPolicy, resource: str) -> tuple[Decimal, str]:
    low: Decimal | None = getattr(policy.min_allowed, resource)
    high: Decimal | None = getattr(policy.max_allowed, resource)
    if low is not None and target < low:
        return low, "raised to minAllowed"
    if high is not None and target > high:
        return high, "lowered to maxAllowed"
    return target, ""


def _range(rec: ContainerRecommendation) -> str:
    parts = [f"{label} {_pair(amounts)}" for label, amounts in (("lowerBound", rec.lower), ("upperBound", rec.upper))
             if amounts]
    return ", ".join(parts)


def _pair(amounts: Amounts) -> str:
    return " / ".join(_show(r, getattr(amounts, r)) for r in ("cpu", "memory") if getattr(amounts, r) is not None)


def _show(resource: str, value: Decimal | None) -> str:
    if value is None:
        return "unset"
    return f"{cpu_units(value)} CPU units" if resource == "cpu" else f"{mebibytes(value)} MiB"


def _cost(mc: MapContext, wl: Workload, size: tuple[int, int], requested: tuple[int, int]) -> str:
    from translator.assess.cost import DEFAULT_REGION, bundled_regions, cents, load_prices, workload_cost

    region = mc.options.region if mc.options.region in bundled_regions() else DEFAULT_REGION
    prices = load_prices(region=region)
    providers = mc.options.capacity_providers

    def monthly(cpu: int, memory: int) -> Decimal:
        return workload_cost(prices, cpu, memory, 0, wl.pod.cpu_architecture, wl.replicas, providers).fargate

    before, after = monthly(*requested), monthly(*size)
    delta = cents(after - before) or Decimal(0)
    sign = "+" if delta > 0 else ""
    compared = ""
    if mc.options.on_instances:  # no instance prices are bundled: say what the Fargate figure is there
        launch = "Managed Instances" if mc.options.launch_type == "MANAGED_INSTANCES" else "the EC2 launch type"
        compared = f", a comparison only: on {launch} the instances are billed, not the task sizes"
    return (f"{sign}{delta} {prices.currency} a month for {wl.replicas} task(s) at {prices.region} on-demand "
            f"Fargate prices ({cents(before)} -> {cents(after)}{compared})")

