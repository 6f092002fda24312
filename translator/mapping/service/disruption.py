"""PodDisruptionBudget -> the ECS service's MinimumHealthyPercent (mapping-reference 2.7, B1).

The budget says how many selected pods must stay up: minAvailable m, or R - maxUnavailable u,
where a percentage is taken of R and rounded UP for both fields (the disruption controller's
GetScaledValueFromIntOrPercent(..., roundUp=true)) [K8S-PDB-CODE]. ECS keeps
ceil(R x MinimumHealthyPercent / 100) tasks during a deployment [ECS-DEPCFG], so

    MinimumHealthyPercent = floor(100 x needed / R)

keeps exactly `needed` tasks for R <= 100. The stricter of this and the rolling update's value
(mapping/service/rollout.py) wins. When the result leaves ECS no task it may start or stop, maximumPercent
is raised by one task so deployments can proceed.
"""

from __future__ import annotations

import math

from translator.mapping.context import MapContext
from translator.mapping.service.assemble import Contribution, ServiceBase
from translator.model.app import DisruptionBudget, LabelRequirement, Workload


def link(mc: MapContext, namespace: str, workloads: list[Workload]) -> dict[tuple[str, str], list[DisruptionBudget]]:
    """The budgets that select each ECS-service workload (a budget may select several)."""
    out: dict[tuple[str, str], list[DisruptionBudget]] = {}
    for budget in sorted((b for b in mc.app.disruption_budgets if b.meta.namespace == namespace), key=lambda b: b.meta.name):
        selected = [wl for wl in workloads if wl.run == "service" and selects(budget, dict(wl.pod_labels))]
        for wl in selected:
            out.setdefault(wl.meta.key, []).append(budget)
            mc.used.add(("PodDisruptionBudget", namespace, budget.meta.name))
        if len(selected) > 1:  # Kubernetes counts their pods together; ECS keeps a minimum per service
            mc.report(budget.origin, "K2E427", name=budget.meta.name, count=len(selected),
                      services=", ".join(wl.meta.name for wl in selected))
    return out


def report_unlinked(mc: MapContext) -> None:
    for budget in mc.app.disruption_budgets:
        if ("PodDisruptionBudget", budget.meta.namespace, budget.meta.name) not in mc.used:
            mc.report(budget.origin, "K2E411", name=budget.meta.name, selector=_selector_text(budget))


def selects(budget: DisruptionBudget, labels: dict[str, str]) -> bool:
    return (all(labels.get(k) == v for k, v in budget.match_labels)
            and all(_matches(r, labels) for r in budget.match_expressions))


def _matches(r: LabelRequirement, labels: dict[str, str]) -> bool:
    if r.operator == "In":
        return labels.get(r.key) in r.values
    if r.operator == "NotIn":
        return labels.get(r.key) not in r.values
    if r.operator == "Exists":
        return r.key in labels
    if r.operator == "DoesNotExist":
        return r.key not in labels
    return False  # an unknown operator (or the empty-selector marker) selects nothing, as the API server would reject it


def _selector_text(budget: DisruptionBudget) -> str:
    parts = [f"{k}={v}" for k, v in budget.match_labels]
    parts += [f"{r.key} {r.operator} ({', '.join(r.values)})" if r.values else f"{r.key} {r.operator}"
              for r in budget.match_expressions if r.key]
    return ", ".join(parts) or "empty selector"


def needed(value: int | str, replicas: int, available: bool) -> int | None:
    """Tasks that must stay up for minAvailable (available=True) or maxUnavailable; None if the value is invalid."""
    if isinstance(value, int):
        count = value
    elif value.endswith("%") and value[:-1].isdigit():
        count = math.ceil(replicas * int(value[:-1]) / 100)
    else:
        return None
    keep = count if available else replicas - count
    return min(max(keep, 0), replicas)


def fold(mc: MapContext, wl: Workload, base: ServiceBase, budgets: list[DisruptionBudget]) -> list[Contribution]:
    """Raise the service's MinimumHealthyPercent to what each budget keeps, and report both values:
    one contribution per budget that counts, with the percentages as they stand after it."""
    replicas = wl.replicas
    minimum, maximum = base.minimum_healthy_percent, base.maximum_percent
    out: list[Contribution] = []
    for budget in budgets:
        field, value = (("minAvailable", budget.min_available) if budget.min_available is not None
                        else ("maxUnavailable", budget.max_unavailable))
        if value is None:
            continue  # neither field: the budget allows every disruption, nothing to keep
        keep = needed(value, replicas, field == "minAvailable")
        if keep is None:
            mc.report(budget.origin, "K2E413", field=field, value=str(value))
            continue
        percent = math.floor(100 * keep / replicas) if replicas else 0
        rollout = minimum
        minimum = max(percent, rollout)
        mc.report(budget.origin, "K2E410", name=budget.meta.name, service=base.service_name, budget=f"{field} {value}", needed=keep,
                  replicas=replicas, pdb=percent, rollout=rollout, chosen=minimum)
        maximum = _keep_room(mc, budget, minimum, maximum, replicas)
        out.append(Contribution(origins=(budget.origin,), minimum_healthy_percent=minimum, maximum_percent=maximum))
    return out


def _keep_room(mc: MapContext, budget: DisruptionBudget, minimum: int, maximum: int, replicas: int) -> int:
    """ECS runs at most floor(R x max / 100) and keeps ceil(R x min / 100) tasks: the first must exceed the
    second. The maximumPercent that leaves room."""
    if replicas == 0:
        return maximum
    kept = math.ceil(replicas * minimum / 100)
    if math.floor(replicas * maximum / 100) > kept:
        return maximum
    raised = math.ceil(100 * (kept + 1) / replicas)
    mc.report(budget.origin, "K2E412", minimum=minimum, maximum=maximum, replicas=replicas, raised=raised)
    return raised
