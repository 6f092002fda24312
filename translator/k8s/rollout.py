"""Argo Rollouts `Rollout`: a Deployment with a blue/green or canary strategy, i.e. an ECS service
with a native BLUE_GREEN, CANARY or LINEAR deployment (mapping/service/delivery.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from translator.findings.model import FindingSink
from translator.k8s.common import INT32_MAX, origin, origin_at, parse_meta
from translator.k8s.podtemplate import parse_pod, pod_template
from translator.model.app import AlbRouting, Application, Delivery, DeliveryStep, IngressBackend, Meta, Workload
from translator.source.duration import seconds
from translator.source.reader import Reader, make_finding

KINDS: dict[str, tuple[str, ...]] = {"Rollout": ("argoproj.io",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"argoproj.io": ("v1alpha1",)}
USE_ANNOTATION = "use-annotation"  # an Ingress backend port that the ALB controller reads from an actions annotation
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
        own = (1 if replicas is None else max(replicas, 0)) if reference is not None else None
        app.deliveries.append(replace(delivery, replicas=own))


def adopt_workloads(app: Application, sink: FindingSink) -> None:
    """One ECS service stands for a Rollout with a `workloadRef` and the workload it names: it runs the
    Rollout's replica count (Argo scales the workload itself down, its `scaleDown`, so the workload's own
    count, often 0, is not what runs), and an autoscaler whose scaleTargetRef names the Rollout, as Argo
    asks, scales that service. Called once every document is read: the workload may come after the Rollout."""
    referring = {(d.meta.namespace, d.meta.name): d for d in app.deliveries
                 if d.source == "Rollout" and d.target[0] != "Rollout"}
    # delivery.link follows one delivery per workload, a Flagger Canary first, then Rollouts by name (K2E779)
    canaries = {(d.meta.namespace, *d.target) for d in app.deliveries if d.source == "Canary"}
    by_target: dict[tuple[str, str, str], Delivery] = {}
    for key in sorted(referring):
        if (key[0], *referring[key].target) not in canaries:
            by_target.setdefault((key[0], *referring[key].target), referring[key])
    for index, wl in enumerate(app.workloads):
        owner = by_target.get((wl.meta.namespace, wl.kind, wl.meta.name))
        if owner is None or owner.replicas is None or owner.replicas == wl.replicas:
            continue
        sink.add(make_finding("K2E777", owner.origin.location, owner.origin.resource, name=owner.meta.name,
                              kind=wl.kind, workload=wl.meta.name, replicas=owner.replicas, own=wl.replicas))
        app.workloads[index] = replace(wl, replicas=owner.replicas)
    for index, scaler in enumerate(app.autoscalers):
        named = referring.get((scaler.meta.namespace, scaler.target_name)) if scaler.target_kind == "Rollout" else None
        if named is not None:
            app.autoscalers[index] = replace(scaler, target_kind=named.target[0], target_name=named.target[1])
    for d in app.deliveries:
        if d.alb is not None:
            _route_alb(app, sink, d, d.alb)


def _route_alb(app: Application, sink: FindingSink, delivery: Delivery, alb: AlbRouting) -> None:
    """The Ingress backend `rootService:use-annotation` of a canary's ALB routing is the action Argo writes at run
    time (forward to the canary and stable Services by weight): on ECS, the root Service at servicePort, whose
    rule ECS shifts between the service's two target groups itself."""
    for index, ing in enumerate(app.ingresses):
        if ing.meta.namespace != delivery.meta.namespace or ing.meta.name not in alb.ingresses:
            continue
        paths = tuple(replace(p, backend=_root(p.backend, alb)) for p in ing.paths)
        default = _root(ing.default_backend, alb) if ing.default_backend is not None else None
        if paths != ing.paths or default != ing.default_backend:
            app.ingresses[index] = replace(ing, paths=paths, default_backend=default)
            sink.add(make_finding("K2E781", delivery.origin.location, delivery.origin.resource, name=delivery.meta.name,
                                  ingress=ing.meta.name, service=alb.root_service, port=alb.service_port))


def _root(backend: IngressBackend, alb: AlbRouting) -> IngressBackend:
    if backend.service == alb.root_service and backend.port == USE_ANNOTATION:
        return replace(backend, port=alb.service_port)
    return backend


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
    stable = canary.str("stableService") or ""
    return Delivery(meta, "Rollout", target, "canary", active_service=stable,
                    preview_service=canary.str("canaryService") or "", steps=steps,
                    scale_down_delay=canary.int("scaleDownDelaySeconds"), analyses=background + stepped,
                    traffic_router=router, alb=_alb(routing.data.get("alb") if routing is not None else None, stable),
                    origin=origin(canary))


def _alb(alb: object, stable: str) -> AlbRouting | None:
    """`trafficRouting.alb` as Argo reads it: `ingress` or `ingresses`, `rootService` (else the stableService)."""
    if not isinstance(alb, dict) or not isinstance(alb.get("servicePort"), int) or isinstance(alb["servicePort"], bool):
        return None
    listed = alb.get("ingresses")
    names = [alb.get("ingress"), *(listed if isinstance(listed, list) else [])]
    root = alb.get("rootService")
    return AlbRouting(tuple(n for n in names if isinstance(n, str) and n), root if isinstance(root, str) and root else stable,
                      alb["servicePort"])


def _step(step: Reader) -> DeliveryStep:
    where = origin(step)
    if "setWeight" in step.fields():
        weight = step.scalar("setWeight")
        percent = _percent(weight)
        if percent is None and weight is not None:  # Argo refuses the Rollout; the step is left out
            step.report("K2E003", "setWeight", field=step.field("setWeight"), expected="a whole percentage from 0 to 100",
                        got=repr(weight))
        return DeliveryStep("setWeight", weight=percent, origin=origin_at(step, "setWeight"))
    if "pause" in step.fields():
        pause = step.child("pause")
        duration = pause.scalar("duration") if pause is not None else None
        wait = seconds(duration) if duration is not None else None
        if pause is not None and duration is not None and wait is None:  # left out: a pause without end, as Argo reads it
            pause.report("K2E003", "duration", field=pause.field("duration"),
                         expected="a duration such as 30s, 10m or 1h (or whole seconds)", got=repr(duration))
        return DeliveryStep("pause", pause=wait, origin=where)
    kinds = step.fields()
    return DeliveryStep(kinds[0] if kinds else "", origin=where)  # analysis, experiment, setCanaryScale...


def _percent(value: object) -> Decimal | None:
    """A setWeight: Argo's is an int32 percentage, so 33.3 is refused as 150 is."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if 0 <= number <= 100 and number == number.to_integral_value() else None


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
