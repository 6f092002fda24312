"""HorizontalPodAutoscaler -> Application Auto Scaling on the ECS service (mapping-reference 2.6, 4.10, 4.11).

One ScalableTarget (ecs:service:DesiredCount, MinCapacity/MaxCapacity from min/maxReplicas) and
one target-tracking ScalingPolicy per cpu or memory metric, its target rescaled in metrics.py.
Application Auto Scaling scales out when any policy asks and in only when all agree, as the HPA
takes the highest recommendation. The service's DesiredCount is left out of the template: with
it, every stack update would reset the running count [CDK-DC]. The scaling resources name the
workload first, then the HPA, so a stack split keeps them beside their service.
"""

from __future__ import annotations

from decimal import Decimal

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.service import metrics, triggers
from translator.mapping.service.assemble import Contribution, ServiceBase
from translator.model import intrinsics
from translator.model.app import Autoscaler, MetricTarget, Origin, Workload
from translator.model.ecs import ScalableTarget, ScalingPolicy, TaskDefinition
from translator.model.intrinsics import GetAtt, Join, Value
from translator.model.provenance import provenance

SCALE_IN_DEFAULT = 300  # behavior.scaleDown.stabilizationWindowSeconds default
SCALE_OUT_DEFAULT = 0  # behavior.scaleUp.stabilizationWindowSeconds default


# The kinds a ScaledObject can name that become ECS services (KEDA scales anything with a /scale subresource).
KEDA_TARGETS = ("Deployment", "StatefulSet", "Rollout")


def link(mc: MapContext, namespace: str, workloads: list[Workload]) -> dict[tuple[str, str], Autoscaler]:
    """The autoscaler of each ECS-service workload; a second one for the same workload is reported.

    A ScaledObject comes before HorizontalPodAutoscalers: it is kept and an HPA of the same workload
    dropped (K2E751), as KEDA's admission webhook would not let the two scale one workload.
    """
    by_ref = {(wl.kind, wl.meta.name): wl for wl in workloads if wl.run == "service"}
    chosen: dict[tuple[str, str], Autoscaler] = {}
    ordered = sorted((a for a in mc.app.autoscalers if a.meta.namespace == namespace),
                     key=lambda a: (a.source != "ScaledObject", a.meta.name))
    for hpa in ordered:
        if hpa.source == "ScaledObject" and hpa.target_kind not in KEDA_TARGETS:
            continue  # reported by report_unlinked
        wl = by_ref.get((hpa.target_kind, hpa.target_name))
        if wl is None:
            continue  # reported once for the whole run by report_unlinked
        mc.used.add((hpa.source, namespace, hpa.meta.name))
        first = chosen.setdefault(wl.meta.key, hpa)
        if first is hpa:
            continue
        if first.source != hpa.source:
            mc.report(hpa.origin, "K2E751", keda=first.meta.name, hpa=hpa.meta.name, service=wl.meta.name)
        else:
            mc.report(hpa.origin, "K2E407", source=hpa.source, name=hpa.meta.name, service=wl.meta.name,
                      first=first.meta.name)
    return chosen


def report_unlinked(mc: MapContext) -> None:
    for hpa in mc.app.autoscalers:
        if (hpa.source, hpa.meta.namespace, hpa.meta.name) in mc.used:
            continue
        if hpa.source == "HorizontalPodAutoscaler":
            mc.report(hpa.origin, "K2E402", name=hpa.meta.name, kind=hpa.target_kind or "(no kind)", target=hpa.target_name)
            continue
        detail = ("which is not translated to an ECS service" if hpa.target_kind in KEDA_TARGETS else
                  "which kube2ecs does not translate to an ECS service it can scale (only a Deployment, StatefulSet or "
                  "Argo Rollout)")
        mc.report(hpa.origin, "K2E741", name=hpa.meta.name, kind=hpa.target_kind, target=hpa.target_name, detail=detail)


def cluster_name(cluster: object) -> Value:
    """The cluster's name for a ResourceId: `Ref` of the stack's cluster, or the configured name (ARN or not)."""
    if isinstance(cluster, str):
        return cluster.rsplit("/", 1)[-1] if cluster.startswith("arn:") else cluster
    if isinstance(cluster, intrinsics.Ref):
        return cluster
    raise TypeError(f"not a cluster: {cluster!r}")


def map_autoscaler(mc: MapContext, nb: NamespaceBuild, hpa: Autoscaler, wl: Workload, service: ServiceBase,
                   td: TaskDefinition) -> Contribution:
    """The scalable target and its policies; the service leaves its desired count to them."""
    meta = provenance(wl.origin, hpa.origin)  # the workload first: a stack split keeps these beside its service
    keda = hpa.source == "ScaledObject"
    target_id = nb.ids.get(wl.meta.name, "ScalableTarget")
    actions = triggers.cron_actions(mc, hpa, service.service_name) if keda else ()
    target = ScalableTarget(target_id, metadata=meta,
                            resource_id=Join("/", ("service", cluster_name(service.cluster),
                                                   GetAtt(service.logical_id, "Name"))),
                            min_capacity=hpa.min_replicas, max_capacity=hpa.max_replicas, scheduled_actions=actions)
    nb.stack.add(target)
    scale_in, scale_out, disable_in = _cooldowns(mc, hpa)
    mc.report(hpa.origin, "K2E740" if keda else "K2E400", name=hpa.meta.name, service=service.service_name,
              min=hpa.min_replicas, max=hpa.max_replicas, scale_out=scale_out, scale_in=scale_in)
    if hpa.paused:
        mc.report(hpa.origin, "K2E780", name=hpa.meta.name, annotations=hpa.paused)
    per_resource: dict[str, int] = {}
    for metric in hpa.metrics:
        if (_is_resource(metric) and metric.target is None) or triggers.is_request_rate(metric):
            continue  # the parser reported the missing target; request rates wait for the load balancers
        value = _target_value(mc, hpa, metric, wl, td)
        if value is None:
            cluster = mc.options.cluster or "<cluster>"
            sketch = metrics.custom_metric_sketch(metric, service.service_name, cluster, target.logical_id)
            mc.report(metric.origin, "K2E403", type=metric.type, metric=metric.name or "(unnamed)",
                      target=metrics.describe(metric), name=hpa.meta.name, remediation=sketch)
            continue
        per_resource[metric.name] = per_resource.get(metric.name, 0) + 1
        suffix = "" if per_resource[metric.name] == 1 else str(per_resource[metric.name])  # Resource + ContainerResource
        nb.stack.add(ScalingPolicy(
            nb.ids.get(wl.meta.name, f"{metric.name.capitalize()}ScalingPolicy{suffix}"), metadata=meta,
            policy_name=f"{service.service_name}-{metric.name}{suffix}", scaling_target_id=intrinsics.Ref(target.logical_id),
            metric_type=metrics.PREDEFINED[metric.name], target_value=float(value),
            scale_in_cooldown=scale_in, scale_out_cooldown=scale_out, disable_scale_in=disable_in))
    if keda:
        queued = triggers.queue_policies(mc, nb, hpa, wl.meta.name, service, cluster_name(service.cluster), target_id,
                                         meta, (scale_in, scale_out, disable_in))
        triggers.report_others(mc, hpa, service.service_name, target_id)
        tracked = [f"{m.name} utilization" for m in hpa.metrics if _is_resource(m)] + ["SQS backlog per task"] * bool(queued)
        if hpa.min_replicas == 0 and tracked:
            mc.report(hpa.origin, "K2E742", name=hpa.meta.name, service=service.service_name, metrics=", ".join(tracked))
    return Contribution(origins=(hpa.origin,), scaled=True)


def map_request_rates(mc: MapContext, nb: NamespaceBuild, hpa: Autoscaler, wl: Workload, service: ServiceBase,
                      parts: list[Contribution]) -> None:
    """ALBRequestCountPerTarget policies of an autoscaler's request-rate metrics, once Services and Ingresses
    have put the service behind its load balancers (or not)."""
    if not any(triggers.is_request_rate(m) for m in hpa.metrics):
        return
    triggers.request_policies(mc, nb, hpa, wl.meta.name, service, parts, nb.ids.get(wl.meta.name, "ScalableTarget"),
                              provenance(wl.origin, hpa.origin), _cooldowns(mc, hpa, report=False))


def _cooldowns(mc: MapContext, hpa: Autoscaler, report: bool = True) -> tuple[int, int, bool]:
    """(ScaleInCooldown, ScaleOutCooldown, DisableScaleIn) from the behavior's stabilization windows; a
    ScaledObject's cooldownPeriod is the scale-in cooldown unless behavior.scaleDown sets a window."""
    cooldown = {"scaleDown": SCALE_IN_DEFAULT if hpa.cooldown is None else hpa.cooldown, "scaleUp": SCALE_OUT_DEFAULT}
    disable_in = False
    for rules in hpa.rules:
        name = "ScaleInCooldown" if rules.direction == "scaleDown" else "ScaleOutCooldown"
        if rules.window is not None:
            cooldown[rules.direction] = rules.window
            if report:
                mc.report(rules.origin, "K2E404", direction=rules.direction, window=rules.window, cooldown=name)
        if rules.select_policy == "Disabled" and rules.direction == "scaleDown":
            disable_in = True
        elif rules.select_policy != "Max" and report:
            _report_select(mc, hpa, rules.direction, rules.select_policy, rules.origin)
    return cooldown["scaleDown"], cooldown["scaleUp"], disable_in


def _report_select(mc: MapContext, hpa: Autoscaler, direction: str, policy: str, origin: Origin) -> None:
    if policy == "Disabled":
        detail = "a target-tracking policy always scales out"
        remediation = "Set maxReplicas to minReplicas if the service must never scale out."
    else:
        detail = "target tracking has no rate-limit policies to choose from"
        remediation = "Nothing to choose on ECS; the policies' rate limits are reported separately."
    mc.report(origin, "K2E405", direction=direction, policy=policy, name=hpa.meta.name, detail=detail,
              remediation=remediation)


def _is_resource(metric: MetricTarget) -> bool:
    """A cpu or memory metric, which has a predefined ECS metric."""
    return metric.type in ("Resource", "ContainerResource") and metric.name in metrics.PREDEFINED


def _target_value(mc: MapContext, hpa: Autoscaler, metric: MetricTarget, wl: Workload,
                  td: TaskDefinition) -> Decimal | None:
    """The rescaled TargetValue of a cpu or memory metric; None for every other metric."""
    if not _is_resource(metric) or metric.target is None:
        return None
    if metric.type == "ContainerResource":
        mc.report(metric.origin, "K2E414", metric=metric.name, container=metric.container or "(unnamed)")
    size = td.cpu if metric.name == "cpu" else td.memory
    unit = metrics.UNITS[metric.name]
    if metric.target_type == "Utilization":
        requested, missing = metrics.pod_requests(wl, metric.name)
        if missing:
            mc.report(metric.origin, "K2E406", metric=metric.name, target=metric.target, name=hpa.meta.name,
                      containers=", ".join(missing))
            value = metric.target
        else:
            value = metrics.rescale(metric.target, requested, size)
            mc.report(metric.origin, "K2E401", metric=metric.name, target=metric.target, requested=requested,
                      unit=unit, value=value, size=size)
    else:
        value = metrics.average_value_percent(metric.target, metric.name, size)
        mc.report(metric.origin, "K2E408", metric=metric.name, quantity=metrics.number(metric.target), value=value,
                  size=size, unit=unit)
    if metrics.capped(value) != value:
        mc.report(metric.origin, "K2E409", metric=metric.name, name=hpa.meta.name, value=value,
                  capped=metrics.capped(value))
    return metrics.capped(value)
