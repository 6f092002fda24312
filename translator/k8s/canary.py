"""Flagger `Canary`: progressive delivery of the Deployment its `targetRef` names, i.e. that workload's
ECS service deployed with ECS's native CANARY, LINEAR or BLUE_GREEN strategy (mapping/service/delivery.py)."""

from __future__ import annotations

import math
from decimal import Decimal

from translator.k8s.common import origin, origin_at, parse_meta
from translator.model.app import Application, Delivery, DeliveryStep, MetricCheck
from translator.source.duration import seconds
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"Canary": ("flagger.app",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"flagger.app": ("v1beta1", "v1alpha3", "v1alpha2", "v1alpha1")}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "the ECS service of the workload its `targetRef` names, deployed with ECS's native strategy: stepWeight or "
    "stepWeights to LINEAR or CANARY, iterations without weights to BLUE_GREEN; behind an ALB the builtin metric checks "
    "CloudWatch alarms that roll back (K2E700), other checks and webhooks reported (K2E701, K2E382), a confirm webhook "
    "a PAUSE lifecycle hook; behind an ALB an alternate target group, a production "
    "listener rule and an ECS role (an NLB, or a target group several rules reach, stays rolling: K2E385)"
)
# flagger pkg/apis/flagger/v1beta1/canary.go GetAnalysisInterval: unset or unreadable is 60 s, and at least 10 s.
DEFAULT_INTERVAL, MIN_INTERVAL = Decimal(60), Decimal(10)
# flagger pkg/controller/scheduler.go maxWeight: an unset maxWeight is the total weight, 100.
DEFAULT_MAX_WEIGHT = Decimal(100)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    reference = spec.child("targetRef") if spec else None
    if spec is None or reference is None:
        root.report("K2E004", "spec", field="spec.targetRef")
        return
    target = (reference.str("kind") or "Deployment", reference.str("name") or "")
    reference.ignore("apiVersion")
    analysis = spec.child("analysis") or spec.child("canaryAnalysis")
    if analysis is None:
        spec.report("K2E004", None, field="spec.analysis")
        return
    service = spec.child("service")
    name = (service.str("name") if service else None) or target[1]
    spec.ignore("service", "autoscalerRef", "progressDeadlineSeconds")  # table FC4, FC5, FC7
    interval = max(seconds(analysis.scalar("interval")) or DEFAULT_INTERVAL, MIN_INTERVAL)
    weights = _weights(analysis)
    metrics = [_check(m) for m in analysis.items("metrics")]
    checks = tuple(m.name for m in metrics)
    hooks = tuple(f"webhook {_named(w, 'url', 'timeout', 'metadata', 'muteAlert', 'retries')} ({w.str('type') or 'rollout'})"
                  for w in analysis.items("webhooks"))
    where = origin(analysis)
    steps = tuple(s for w in weights for s in (DeliveryStep("setWeight", weight=w, origin=where),
                                                DeliveryStep("pause", pause=interval, origin=where)))
    strategy = "canary" if weights else "blueGreen"
    iterations = analysis.int("iterations")
    bake = int(interval * iterations) if iterations and not weights else None
    app.deliveries.append(Delivery(
        meta, "Canary", target, strategy, active_service=name, preview_service=f"{name}-canary", steps=steps,
        analyses=checks + hooks, auto_promotion=not any("confirm-" in h for h in hooks),
        auto_promotion_seconds=bake, traffic_router=spec.str("provider") or "", checks=tuple(metrics),
        origin=origin_at(spec, "analysis")
        if "analysis" in spec.fields() else where))


def _check(metric: Reader) -> MetricCheck:
    """A metric check and its thresholdRange; a templateRef or query makes it a custom check (K2E701)."""
    custom = any(key in metric.fields() for key in ("templateRef", "query"))
    metric.ignore("interval", "templateRef", "templateVariables", "query", "threshold")
    limits = metric.child("thresholdRange")
    low, high = (limits.scalar("min"), limits.scalar("max")) if limits is not None else (None, None)
    return MetricCheck(metric.str("name") or "", Decimal(str(low)) if low is not None and _number(low) else None,
                       Decimal(str(high)) if high is not None and _number(high) else None, custom, origin(metric))


def _named(item: Reader, *details: str) -> str:
    """A metric check's or webhook's name; what it checks and calls goes with it into K2E382."""
    item.ignore(*details)
    return item.str("name") or ""


def _weights(analysis: Reader) -> tuple[Decimal, ...]:
    """The canary's traffic weights in order: `stepWeights`, or `stepWeight` added until the weight reaches
    `maxWeight` (the last step may pass it, as Flagger's scheduler adds a whole step each time), at most 100."""
    listed = analysis.str_list("stepWeights")
    if listed:
        return tuple(Decimal(w) for w in listed if _number(w))
    step = analysis.scalar("stepWeight")
    if step is None or not _number(step) or Decimal(str(step)) <= 0:
        return ()
    ceiling = analysis.scalar("maxWeight")
    top = Decimal(str(ceiling)) if ceiling is not None and _number(ceiling) else DEFAULT_MAX_WEIGHT
    size = Decimal(str(step))
    return tuple(min(size * i, DEFAULT_MAX_WEIGHT) for i in range(1, math.ceil(top / size) + 1))


def _number(value: object) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True
