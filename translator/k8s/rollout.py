"""Argo Rollouts `Rollout`: a Deployment with a blue/green or canary strategy, i.e. an ECS service
with a native BLUE_GREEN, CANARY or LINEAR deployment (mapping/service/delivery.py)."""

from __future__ import annotations

from decimal import Decimal

from translator.k8s.common import INT32_MAX, origin, origin_at, parse_meta
from translator.k8s.podtemplate import parse_pod, pod_template
from translator.model.app import Application, Delivery, DeliveryStep, Meta, Workload
from translator.source.duration import seconds
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"Rollout": ("argoproj.io",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"argoproj.io": ("v1alpha1",)}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"Rollout": "/spec/template/spec"}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "a task definition and ECS service as for a Deployment (or the Deployment its `workloadRef` names), deployed "
    "with ECS's native strategy, traffic shifted through Service Connect: blueGreen to BLUE_GREEN (scaleDownDelaySeconds "
    "the bake time), canary steps to CANARY or LINEAR (else the nearest, reported), autoPromotionEnabled false or a "
    "pause without end to a PAUSE lifecycle hook; behind an ALB an alternate target group, production and test "
    "listener rules and an ECS role (an NLB, or a target group several rules reach, stays rolling: K2E385); the "
    "previewService reached with a test header (K2E379)"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    replicas = spec.int_in("replicas", 0, INT32_MAX, default=1)
    reference = spec.child("workloadRef")
    if reference is not None:
        target = (reference.str("kind") or "Deployment", reference.str("name") or "")
        reference.ignore("apiVersion", "scaleDown")  # one ECS service replaces both: nothing is scaled down
        spec.ignore("selector")
    else:
        template = pod_template(spec)
        if template is None:
            return
        target = ("Rollout", meta.name)
        app.workloads.append(Workload(kind="Rollout", meta=meta, replicas=1 if replicas is None else max(replicas, 0),
                                      pod=parse_pod(template.spec, template.labels),
                                      pod_labels=tuple(sorted(template.labels.items())), origin=origin(root)))
    spec.int("progressDeadlineSeconds")  # the deployment circuit breaker stands in for it, as for a Deployment
    delivery = _strategy(spec, meta, target)
    if delivery is not None:
        app.deliveries.append(delivery)


def _strategy(spec: Reader, meta: Meta, target: tuple[str, str]) -> Delivery | None:
    strategy = spec.child("strategy")
    if strategy is None:
        spec.report("K2E004", "strategy", field="spec.strategy")
        return None
    blue_green, canary = strategy.child("blueGreen"), strategy.child("canary")
    if blue_green is not None:
        return _blue_green(blue_green, meta, target)
    if canary is not None:
        return _canary(canary, meta, target)
    strategy.report("K2E004", None, field="spec.strategy.blueGreen or spec.strategy.canary")
    return None


def _blue_green(bg: Reader, meta: Meta, target: tuple[str, str]) -> Delivery:
    analyses = _templates(bg, "prePromotionAnalysis") + _templates(bg, "postPromotionAnalysis")
    return Delivery(meta, "Rollout", target, "blueGreen", active_service=bg.str("activeService") or "",
                    preview_service=bg.str("previewService") or "",
                    auto_promotion=bool(bg.bool("autoPromotionEnabled", True)),
                    auto_promotion_seconds=bg.int("autoPromotionSeconds"),
                    scale_down_delay=bg.int("scaleDownDelaySeconds", 30), analyses=analyses, origin=origin(bg))


def _canary(canary: Reader, meta: Meta, target: tuple[str, str]) -> Delivery:
    readers = list(canary.items("steps"))  # once: a step that is not a mapping is reported once
    steps = tuple(_step(s) for s in readers)
    background = _templates(canary, "analysis")  # background analysis, run through the whole rollout
    stepped = tuple(name for s in readers for name in _templates(s, "analysis"))
    routing = canary.child("trafficRouting")
    router = next(iter(routing.fields()), "") if routing is not None else ""
    canary.ignore("trafficRouting")  # ECS shifts the weights itself (table AR24)
    return Delivery(meta, "Rollout", target, "canary", active_service=canary.str("stableService") or "",
                    preview_service=canary.str("canaryService") or "", steps=steps,
                    scale_down_delay=canary.int("scaleDownDelaySeconds"), analyses=background + stepped,
                    traffic_router=router, origin=origin(canary))


def _step(step: Reader) -> DeliveryStep:
    where = origin(step)
    if "setWeight" in step.fields():
        weight = step.scalar("setWeight")
        return DeliveryStep("setWeight", weight=_percent(weight), origin=origin_at(step, "setWeight"))
    if "pause" in step.fields():
        pause = step.child("pause")
        duration = pause.scalar("duration") if pause is not None else None
        return DeliveryStep("pause", pause=seconds(duration) if duration is not None else None, origin=where)
    kinds = step.fields()
    return DeliveryStep(kinds[0] if kinds else "", origin=where)  # analysis, experiment, setCanaryScale...


def _percent(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if 0 <= number <= 100 else None


def _templates(parent: Reader, key: str) -> tuple[str, ...]:
    """The analysis templates an analysis block names; its arguments and timing go with it (K2E382)."""
    block = parent.child(key)
    if block is None:
        return ()
    block.ignore("args", "startingStep", "dryRun", "measurementRetention")
    names = []
    for template in block.items("templates"):
        template.ignore("clusterScope")
        names.append(template.str("templateName") or "")
    return tuple(names)
