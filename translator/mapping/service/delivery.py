"""Progressive delivery (Argo Rollouts, Flagger) to ECS's native deployment strategies.

ECS deploys a service with BLUE_GREEN, CANARY (one traffic step, a bake, then all) or LINEAR (equal
steps with equal bakes up to 100%), and can hold a deployment at a lifecycle stage with a PAUSE hook
until someone calls ContinueServiceDeployment or the hook's timeout acts. `plan` turns a Delivery
into that shape, and says in findings exactly where the ECS deployment differs from the steps the
manifest wrote. The limits are those of the CloudFormation schema (ecs-recent-features 1):
percentages in tenths, canary 0.1-100, linear step 3-100, bake times 0-1440 minutes, and a
deployment CloudFormation can wait for: at most 33 hours of bake in all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.service import alarms, assemble, traffic
from translator.mapping.service.assemble import Contribution, ServiceBase
from translator.model.app import Delivery, DeliveryStep, Origin, Workload
from translator.model.ecs import CanaryConfiguration, DeploymentStrategy, HookTimeout, LifecycleHook, LinearConfiguration
from translator.model.record import record

MAX_BAKE = 1440  # minutes, each bake time
MAX_HOOK_WAIT = 20160  # minutes a lifecycle hook's timeout may be (14 days)
MAX_TOTAL = 33 * 60  # minutes of bake CloudFormation waits for in one deployment
MIN_LINEAR_STEP = Decimal(3)
TENTH = Decimal("0.1")
MANUAL_STAGE = "PRE_PRODUCTION_TRAFFIC_SHIFT"  # after test traffic reached the new revision, before production


@record
class Note:
    """A finding to report: where, which code, with what parameters."""

    origin: Origin
    code: str
    params: tuple[tuple[str, Any], ...]


@dataclass
class _Plan:
    notes: list[Note] = field(default_factory=list)

    def note(self, origin: Origin, code: str, **params: Any) -> None:
        self.notes.append(Note(origin, code, tuple(sorted(params.items()))))


def plan(delivery: Delivery) -> tuple[DeploymentStrategy | None, tuple[Note, ...]]:
    """The ECS strategy of `delivery`, or None when it is a plain rolling update; and its findings."""
    out = _Plan()
    name = f"{delivery.source} {delivery.meta.name}"
    if delivery.analyses:
        out.note(delivery.origin, "K2E382", name=name, analyses=", ".join(delivery.analyses))
    strategy = _blue_green(delivery, name, out) if delivery.strategy == "blueGreen" else _canary(delivery, name, out)
    if strategy is not None:
        out.note(delivery.origin, "K2E380", name=name, workload=f"{delivery.target[0]} {delivery.target[1]}",
                 strategy=strategy.strategy, detail=describe(strategy))
    return strategy, tuple(out.notes)


def describe(strategy: DeploymentStrategy) -> str:
    """The strategy in words, as the findings and the assessment say it."""
    parts = []
    if strategy.canary_configuration is not None:
        c = strategy.canary_configuration
        parts.append(f"{c.canary_percent}% for {c.canary_bake_time_in_minutes} min, then 100%")
    if strategy.linear_configuration is not None:
        lc = strategy.linear_configuration
        parts.append(f"{lc.step_percent}% more every {lc.step_bake_time_in_minutes} min up to 100%")
    for hook in strategy.lifecycle_hooks:
        wait = (f"up to {hook.timeout_configuration.timeout_in_minutes} min, then {hook.timeout_configuration.action.lower()}"
                if hook.timeout_configuration else "until continued by hand")
        parts.append(f"paused at {', '.join(hook.lifecycle_stages)} {wait}")
    parts.append(f"previous revision kept {strategy.bake_time_in_minutes} min")
    return "; ".join(parts)


def _blue_green(delivery: Delivery, name: str, out: _Plan) -> DeploymentStrategy:
    hooks: tuple[LifecycleHook, ...] = ()
    if not delivery.auto_promotion:
        hooks = (LifecycleHook((MANUAL_STAGE,)),)
        out.note(delivery.origin, "K2E383", name=name, stage=MANUAL_STAGE)
    elif delivery.auto_promotion_seconds:
        wait = _capped(out, delivery, name, Decimal(delivery.auto_promotion_seconds), MAX_HOOK_WAIT,
                       "autoPromotionSeconds", "the pause hook", low=1)
        hooks = (LifecycleHook((MANUAL_STAGE,), timeout_configuration=HookTimeout(wait, "CONTINUE")),)
    bake = _capped(out, delivery, name, Decimal(delivery.scale_down_delay or 0), MAX_BAKE, "scaleDownDelaySeconds",
                   "the bake time")
    return DeploymentStrategy("BLUE_GREEN", bake, lifecycle_hooks=hooks)


def _canary(delivery: Delivery, name: str, out: _Plan) -> DeploymentStrategy | None:
    pairs, manual = _weights(delivery.steps, name, out)
    manual = manual or not delivery.auto_promotion  # a confirmation webhook waits for a person too
    if not pairs:
        out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps) or "(none)",
                 change="no traffic weight is set, so the canary is a rolling update: ECS rolls the service as a Deployment")
        return None
    bake = _capped(out, delivery, name, Decimal(delivery.scale_down_delay or 0), MAX_BAKE, "scaleDownDelaySeconds",
                   "the bake time")
    if pairs[-1][0] >= 100:  # the last step already shifts everything: its pause keeps the old revision
        bake = _capped(out, delivery, name, pairs[-1][1], MAX_BAKE, "the pause after setWeight 100", "the bake time")
        pairs = pairs[:-1] or [(Decimal(100), Decimal(0))]
    hooks = (LifecycleHook((MANUAL_STAGE,)),) if manual else ()
    strategy = _linear(pairs, bake, hooks) or _single(pairs, bake, hooks)
    _report_step_cap(strategy, pairs, delivery, name, out)
    if manual:
        out.note(delivery.origin, "K2E383", name=name, stage=MANUAL_STAGE)
        out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps) or "(none)",
                 change=(f"ECS runs {MANUAL_STAGE} before every traffic shift of a {strategy.strategy} deployment, so "
                         "it waits for a person before each step, where the manifest waits once"))
    if strategy.canary_configuration is not None and len(pairs) > 1:
        out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps),
                 change=(f"ECS shifts {strategy.canary_configuration.canary_percent}% for the summed pauses "
                         f"({strategy.canary_configuration.canary_bake_time_in_minutes} min), then all traffic: "
                         "its steps are either one canary step or equal steps with equal pauses"))
    elif strategy.linear_configuration is not None:
        _linear_tail(strategy.linear_configuration, pairs, delivery, name, out)
    return _within_total(strategy, delivery, name, out)


def _weights(steps: tuple[DeliveryStep, ...], name: str, out: _Plan) -> tuple[list[tuple[Decimal, Decimal]], bool]:
    """(weight, seconds paused after it) per setWeight step; whether a pause waits for a person."""
    pairs: list[tuple[Decimal, Decimal]] = []
    manual = False
    for step in steps:
        if step.action == "setWeight" and step.weight is not None:
            pairs.append((step.weight, Decimal(0)))
        elif step.action == "pause" and step.pause is None:
            manual = True
        elif step.action == "pause" and pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + (step.pause or Decimal(0)))
        elif step.action not in ("pause", "analysis", "setWeight"):  # a weight out of range: K2E003 at parse
            out.note(step.origin, "K2E381", name=name, steps=step.action,
                     change=f"ECS has no {step.action} step; it is left out")
    return pairs, manual


def _linear(pairs: list[tuple[Decimal, Decimal]], bake: int, hooks: tuple[LifecycleHook, ...]) -> DeploymentStrategy | None:
    """LINEAR when the weights are equal steps from 0 with one pause length, within ECS's step range."""
    step = _tenth(pairs[0][0])
    equal = all(_tenth(w) == step * (i + 1) for i, (w, _) in enumerate(pairs))
    if len(pairs) < 2 or not equal or len({p for _, p in pairs}) != 1 or step < MIN_LINEAR_STEP:
        return None
    return DeploymentStrategy("LINEAR", bake, linear_configuration=LinearConfiguration(
        step, _minutes(pairs[0][1], 0, MAX_BAKE)), lifecycle_hooks=hooks)


def _single(pairs: list[tuple[Decimal, Decimal]], bake: int, hooks: tuple[LifecycleHook, ...]) -> DeploymentStrategy:
    """CANARY with the first weight for all the pauses together: the nearest one-step shape."""
    percent = min(max(_tenth(pairs[0][0]), TENTH), Decimal(100))
    waited = sum((p for _, p in pairs), Decimal(0))
    return DeploymentStrategy("CANARY", bake, canary_configuration=CanaryConfiguration(
        percent, _minutes(waited, 0, MAX_BAKE)), lifecycle_hooks=hooks)


def _linear_tail(config: LinearConfiguration, pairs: list[tuple[Decimal, Decimal]], delivery: Delivery, name: str,
                 out: _Plan) -> None:
    """The manifest may stop at a weight below 100 and then shift the rest at once; ECS keeps stepping."""
    steps_ecs = math.ceil(Decimal(100) / config.step_percent)
    last = _tenth(pairs[-1][0])
    if last + config.step_percent < 100:
        out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps),
                 change=(f"the manifest shifts the rest at once after {last}%; ECS keeps stepping {config.step_percent}% "
                         f"up to 100% ({steps_ecs} steps instead of {len(pairs) + 1})"))


def _within_total(strategy: DeploymentStrategy, delivery: Delivery, name: str, out: _Plan) -> DeploymentStrategy:
    """Shorten the step bake so the whole deployment stays within what CloudFormation waits for."""
    cc = strategy.canary_configuration
    if cc is not None and strategy.bake_time_in_minutes + cc.canary_bake_time_in_minutes > MAX_TOTAL:
        shorter = max(MAX_TOTAL - strategy.bake_time_in_minutes, 0)
        out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps),
                 change=(f"the canary step's {cc.canary_bake_time_in_minutes} min and the bake time's "
                         f"{strategy.bake_time_in_minutes} min exceed the {MAX_TOTAL // 60} hours a CloudFormation "
                         f"deployment may take; the canary step waits {shorter} min instead"))
        return replace(strategy, canary_configuration=CanaryConfiguration(cc.canary_percent, shorter))
    lc = strategy.linear_configuration
    if lc is None:
        return strategy
    hundred = Decimal(100) / lc.step_percent
    steps = int(hundred) - 1 if hundred == hundred.to_integral_value() else math.floor(hundred)
    total = strategy.bake_time_in_minutes + lc.step_bake_time_in_minutes * steps
    if total <= MAX_TOTAL or steps == 0:
        return strategy
    shorter = max((MAX_TOTAL - strategy.bake_time_in_minutes) // steps, 0)
    out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps),
             change=(f"{steps} steps of {lc.step_bake_time_in_minutes} min exceed the {MAX_TOTAL // 60} hours a "
                     f"CloudFormation deployment may take; each step waits {shorter} min instead"))
    return DeploymentStrategy(strategy.strategy, strategy.bake_time_in_minutes,
                              linear_configuration=LinearConfiguration(lc.step_percent, shorter),
                              lifecycle_hooks=strategy.lifecycle_hooks)


def _capped(out: _Plan, delivery: Delivery, name: str, seconds: Decimal, high: int, written: str, where: str,
            low: int = 0) -> int:
    """`_minutes`, saying so when ECS's limit shortens a wait the manifest asks for."""
    minutes = _minutes(seconds, low, high)
    if math.ceil(seconds / 60) > high:
        out.note(delivery.origin, "K2E381", name=name, steps=f"{written} {seconds}s",
                 change=f"ECS waits at most {high} min in {where}, so it waits {high} min instead of {math.ceil(seconds / 60)}")
    return minutes


def _report_step_cap(strategy: DeploymentStrategy, pairs: list[tuple[Decimal, Decimal]], delivery: Delivery, name: str,
                     out: _Plan) -> None:
    """A canary's summed pauses, or a linear step's pause, longer than ECS's longest bake (1440 minutes)."""
    if strategy.canary_configuration is not None:
        asked = math.ceil(sum((p for _, p in pairs), Decimal(0)) / 60)
    elif strategy.linear_configuration is not None:
        asked = math.ceil(pairs[0][1] / 60)
    else:
        return
    if asked > MAX_BAKE:
        out.note(delivery.origin, "K2E381", name=name, steps=_written(delivery.steps),
                 change=f"ECS waits at most {MAX_BAKE} min after a traffic step, so it waits {MAX_BAKE} min instead of {asked}")


def _minutes(seconds: Decimal, low: int, high: int) -> int:
    """Whole minutes, rounded up so a wait is never shorter than written, within [low, high]."""
    return min(max(math.ceil(seconds / 60), low), high)


def _tenth(value: Decimal) -> Decimal:
    """A percentage in the tenths ECS takes; a whole one without decimals, as people write it."""
    rounded = value.quantize(TENTH, rounding=ROUND_HALF_UP)
    return Decimal(int(rounded)) if rounded == rounded.to_integral_value() else rounded


def _written(steps: tuple[DeliveryStep, ...]) -> str:
    """The steps as the manifest wrote them, shortly: `setWeight 20, pause 1h, ...`."""
    out = []
    for step in steps:
        if step.action == "setWeight":
            out.append(f"setWeight {step.weight if step.weight is not None else '(left out)'}")
        elif step.action == "pause":
            out.append("pause" if step.pause is None else f"pause {step.pause}s")
        else:
            out.append(step.action)
    return ", ".join(out)


def link(mc: MapContext, namespace: str, workloads: list[Workload]) -> dict[tuple[str, str], Delivery]:
    """The delivery of each ECS-service workload of the namespace: a Rollout with a pod template rolls
    out itself; a `workloadRef` or a Canary's `targetRef` names the workload (kind and name)."""
    by_ref = {(wl.kind, wl.meta.name): wl for wl in workloads if wl.run == "service"}
    services = {s.meta.key for s in mc.app.services}
    chosen: dict[tuple[str, str], Delivery] = {}
    for delivery in sorted((d for d in mc.app.deliveries if d.meta.namespace == namespace),
                           key=lambda d: (d.source, d.meta.name)):
        wl = by_ref.get(delivery.target)
        if wl is None:
            continue  # reported once for the whole run by report_unlinked
        mc.used.add((delivery.source, namespace, delivery.meta.name))
        first = chosen.setdefault(wl.meta.key, delivery)
        if first is not delivery:  # one ECS service has one deployment configuration: the first by kind and name
            mc.report(delivery.origin, "K2E779", name=f"{delivery.source} {delivery.meta.name}",
                      workload=f"{wl.kind} {wl.meta.name}", first=f"{first.source} {first.meta.name}")
            continue
        if delivery.source == "Canary" and (namespace, delivery.active_service) not in services:
            mc.report(delivery.origin, "K2E386", name=delivery.meta.name, service=delivery.active_service,
                      workload=f"{wl.kind} {wl.meta.name}")
    return chosen


def decide(mc: MapContext, nb: NamespaceBuild, wl: Workload, delivery: Delivery | None, parts: list[Contribution],
           base: ServiceBase) -> list[Contribution]:
    """The ECS service's deployment strategy (its Rollout's or Canary's, else the option's) with every
    finding the plan made; a DAEMON service keeps ECS's rolling update, the only one it takes (its
    MaximumPercent is 100: no second revision runs beside the first); behind a load balancer, the target groups, rules and role ECS shifts traffic
    with (traffic.py), or, where ECS cannot shift it as the stack routes it, a rolling update (K2E385)."""
    bindings = assemble.bindings(parts)
    if delivery is not None and wl.daemon:  # one task per instance: no room beside it for a second revision
        mc.report(delivery.origin, "K2E778", name=f"{delivery.source} {delivery.meta.name}", workload=wl.meta.name)
        return [Contribution(origins=(delivery.origin,))]
    if delivery is not None:
        name, workload = f"{delivery.source} {delivery.meta.name}", f"{delivery.target[0]} {delivery.target[1]}"
        strategy, notes = plan(delivery)
        origin = delivery.origin
    else:
        name, workload = "option deployment_strategy", f"{wl.kind} {wl.meta.name}"
        chosen = OPTION_STRATEGIES.get(mc.options.deployment_strategy)
        if chosen is None or wl.daemon:
            return []
        strategy, origin = chosen, wl.origin
        notes = (Note(origin, "K2E380", (("detail", describe(chosen)), ("name", name), ("strategy", chosen.strategy),
                                         ("workload", workload))),)
    # only a shifting strategy behind a load balancer needs the routes: finding them scans the stack
    routes, blocked = traffic.blocker(nb.stack, bindings) if strategy is not None and bindings else ([], "")
    if strategy is not None and bindings and blocked:
        notes = tuple(n for n in notes if n.code == "K2E382")
        mc.report(origin, "K2E385", name=name, strategy=strategy.strategy, workload=workload, reason=blocked)
        strategy = None
    out = [Contribution(origins=(delivery.origin,) if delivery is not None else ())]
    tested: list[str] = []
    groups: list[tuple[str, str, str]] = []
    if strategy is not None and bindings:
        shifted = traffic.route(mc, nb, routes, strategy, delivery, origin, name, workload)
        out.append(shifted.contribution)
        tested, groups = shifted.tested, shifted.groups
    if strategy is not None and delivery is not None:
        outcome = alarms.for_delivery(mc, nb, delivery, groups, name)
        strategy = replace(strategy, alarms=outcome.alarms) if outcome.alarms is not None else strategy
        notes = tuple(_uncovered(n, delivery, outcome.covered) for n in notes)
        header = traffic.preview_header(mc, nb.namespace, delivery, strategy, base.logical_id, name, tested)
        out += [header] if header is not None else []
    for note in notes:
        if note.code != "K2E382" or dict(note.params)["analyses"]:
            mc.report(note.origin, note.code, **dict(note.params))
    out[0] = replace(out[0], deployment=strategy)
    return out


def _uncovered(note: Note, delivery: Delivery, covered: frozenset[str]) -> Note:
    """K2E382 names only the analyses no alarm stands for (none left: an empty list, dropped by the caller)."""
    if note.code != "K2E382" or not covered:
        return note
    left = ", ".join(a for a in delivery.analyses if a not in covered)
    return Note(note.origin, note.code, tuple((k, left if k == "analyses" else v) for k, v in note.params))


def report_unlinked(mc: MapContext) -> None:
    """A delivery whose workload is no ECS service: missing from the input (K2E384), or a DaemonSet, which runs as a
    managed daemon or not at all (K2E470) and in either case rolls (K2E778)."""
    daemons = {(wl.meta.namespace, wl.meta.name) for wl in mc.app.workloads if wl.daemon}
    for delivery in mc.app.deliveries:
        if (delivery.source, delivery.meta.namespace, delivery.meta.name) not in mc.used:
            kind, target = delivery.target
            if kind == "DaemonSet" and (delivery.meta.namespace, target) in daemons:
                mc.report(delivery.origin, "K2E778", name=f"{delivery.source} {delivery.meta.name}", workload=target)
                continue
            mc.report(delivery.origin, "K2E384", name=f"{delivery.source} {delivery.meta.name}", kind=kind,
                      target=target or "(no name)", source=delivery.source)


# What ECS does when a strategy is chosen without its settings (the AWS::ECS::Service schema: bake 15
# minutes for BLUE_GREEN, CANARY and LINEAR; canary 5% for 10 minutes; linear 10% every 6 minutes).
OPTION_STRATEGIES = {
    "BLUE_GREEN": DeploymentStrategy("BLUE_GREEN", 15),
    "CANARY": DeploymentStrategy("CANARY", 15, canary_configuration=CanaryConfiguration(Decimal(5), 10)),
    "LINEAR": DeploymentStrategy("LINEAR", 15, linear_configuration=LinearConfiguration(Decimal(10), 6)),
}
