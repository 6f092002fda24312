"""HorizontalPodAutoscaler (autoscaling/v1, v2beta1, v2beta2, v2) to one neutral Autoscaler.

The four versions spell the same things differently: v1 has only targetCPUUtilizationPercentage,
v2beta1 puts targets beside the metric name (targetAverageUtilization, metricName), v2beta2 and v2
nest them (`target: {type, averageUtilization}`, `metric: {name}`) and add `behavior`. The mapping
(mapping/service/scaling.py) sees one shape.
"""

from __future__ import annotations

from decimal import Decimal

from translator.k8s.common import origin, origin_at, parse_meta
from translator.model.app import Application, Autoscaler, MetricTarget, ScalingRules
from translator.source.quantity import parse_quantity
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"HorizontalPodAutoscaler": ("autoscaling",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"autoscaling": ("v1", "v2", "v2beta1", "v2beta2")}
BECOMES = (
    "an Application Auto Scaling scalable target on the ECS service and one target-tracking policy per cpu or memory "
    "metric, the target rescaled from percent of requests to percent of task size; stabilization windows to cooldowns; "
    "the service's DesiredCount left out of the template; other metrics: a finding with a customized-metric policy sketch"
)
DEFAULT_CPU = 80  # the HPA controller's target when no metric is given (v1 and v2)
MAX_WINDOW = 3600  # behavior stabilizationWindowSeconds, as the API server validates it


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    ref = spec.child("scaleTargetRef")
    kind = (ref.str("kind") or "") if ref else ""
    name = (ref.str("name") or "") if ref else ""
    if ref is not None:
        ref.ignore("apiVersion")  # the kind and name identify the workload within the namespace
    maximum = spec.int("maxReplicas")
    if not name or maximum is None:
        spec.report("K2E004", field="spec.scaleTargetRef.name" if not name else "spec.maxReplicas")
        return
    minimum = spec.int("minReplicas", 1) or 1
    if minimum > maximum:  # refused by the API server; the maximum is raised to the minimum below
        spec.report("K2E003", "minReplicas", field="spec.minReplicas", expected=f"at most maxReplicas ({maximum})",
                    got=str(minimum))
    app.autoscalers.append(Autoscaler(
        meta=meta, target_kind=kind, target_name=name, min_replicas=max(minimum, 0),
        max_replicas=max(maximum, minimum, 1), metrics=_metrics(spec), rules=behavior(spec), origin=origin(root)))


def _metrics(spec: Reader) -> tuple[MetricTarget, ...]:
    if "targetCPUUtilizationPercentage" in spec.data:
        percent = spec.int("targetCPUUtilizationPercentage", DEFAULT_CPU)
        if percent is not None and percent < 1:  # refused by the API server: the controller's default is used
            spec.report("K2E003", "targetCPUUtilizationPercentage", field="spec.targetCPUUtilizationPercentage",
                        expected=f"a percentage above 0 ({DEFAULT_CPU} used)", got=str(percent))
        percent = percent if percent and percent >= 1 else DEFAULT_CPU
        return (MetricTarget("Resource", "cpu", "Utilization", Decimal(percent),
                             origin=origin_at(spec, "targetCPUUtilizationPercentage")),)
    metrics = tuple(m for m in (_metric(item) for item in spec.items("metrics")) if m is not None)
    if metrics or spec.data.get("metrics"):
        return metrics
    return (MetricTarget("Resource", "cpu", "Utilization", Decimal(DEFAULT_CPU), origin=origin(spec)),)


def _metric(m: Reader) -> MetricTarget | None:
    kind = m.str("type") or ""
    for key, type_ in (("resource", "Resource"), ("containerResource", "ContainerResource")):
        block = m.child(key)
        if block is not None:
            target_type, target = _resource_target(block)
            if target is None:
                block.report("K2E004", field=f"{block.field()} target")
            return MetricTarget(type_, block.str("name") or "", target_type, target,
                                container=block.str("container") or "", origin=origin(m))
    for key, type_ in (("pods", "Pods"), ("object", "Object"), ("external", "External")):
        block = m.for_report.child(key)  # no predefined ECS metric: a policy sketch in a finding (K2E403)
        if block is not None:
            name, target_type, target = _custom(block)
            m.for_report.ignore(key)  # the custom-metric finding accounts for the whole block (selectors, described object)
            return MetricTarget(type_, name, target_type, target, origin=origin(m))
    if kind:
        m.report("K2E004", field=f"{m.field()}.{kind[:1].lower()}{kind[1:]}")
    return None


def _resource_target(block: Reader) -> tuple[str, Decimal | None]:
    """(target type, value): v2 `target: {type, averageUtilization|averageValue}`, v2beta1 `targetAverage*`."""
    target = block.child("target")
    if target is not None:
        kind = target.str("type") or "Utilization"
        if kind == "Utilization":
            return kind, _number(target.int("averageUtilization"))
        return kind, _quantity(target, "averageValue" if kind == "AverageValue" else "value")
    if "targetAverageValue" in block.data:
        return "AverageValue", _quantity(block, "targetAverageValue")
    return "Utilization", _number(block.int("targetAverageUtilization"))


def _custom(block: Reader) -> tuple[str, str, Decimal | None]:
    """(metric name, target type, value) of a Pods, Object or External metric in any version."""
    metric = block.child("metric")
    name = (metric.str("name") if metric else None) or block.str("metricName") or ""
    target = block.child("target")
    if target is not None and "type" in target.data:  # v2beta2 / v2
        kind = target.str("type") or "Value"
        return name, kind, _quantity(target, "averageValue" if kind == "AverageValue" else "value")
    for key, kind in (("targetAverageValue", "AverageValue"), ("averageValue", "AverageValue"), ("targetValue", "Value")):
        if key in block.data:
            return name, kind, _quantity(block, key)
    return name, "Value", None


def _number(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _quantity(r: Reader, key: str) -> Decimal | None:
    raw = r.scalar(key)
    if raw is None:
        return None
    try:
        return parse_quantity(raw)
    except ValueError:
        r.report("K2E304", key, value=str(raw)[:40])
        return None


def behavior(spec: Reader) -> tuple[ScalingRules, ...]:
    behavior = spec.child("behavior")
    if behavior is None:
        return ()
    rules = []
    for direction in ("scaleUp", "scaleDown"):
        r = behavior.child(direction)
        if r is None:
            continue
        # scaleDown's Disabled becomes DisableScaleIn; any other policy, and scaleUp's, is only reported.
        select = (r if direction == "scaleDown" else r.for_report).str("selectPolicy") or "Max"
        window = r.int("stabilizationWindowSeconds")
        if window is not None and not 0 <= window <= MAX_WINDOW:  # refused by the API server; ECS refuses no cooldown
            r.report("K2E003", "stabilizationWindowSeconds", field=r.field("stabilizationWindowSeconds"),
                     expected=f"seconds from 0 to {MAX_WINDOW}", got=str(window))
            window = None
        rules.append(ScalingRules(direction, window, select, origin(r)))
    return tuple(rules)
