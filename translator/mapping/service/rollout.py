"""Rolling-update strategy to ECS deployment percentages (mapping-reference 2.1, D5/D6).

Kubernetes rounds maxSurge up and maxUnavailable down; ECS rounds maximumPercent down and
minimumHealthyPercent up. With the formulas below the task counts agree exactly for R <= 100.
"""

from __future__ import annotations

import math

from translator.mapping.context import MapContext
from translator.model.app import Workload


def resolve(value: int | str, replicas: int, round_up: bool) -> int | None:
    if isinstance(value, int):
        return max(value, 0)
    text = value.strip()
    if not text.endswith("%") or not text[:-1].isdigit():
        return None
    share = replicas * int(text[:-1]) / 100
    return math.ceil(share) if round_up else math.floor(share)


def percentages(mc: MapContext, wl: Workload, report: bool = True) -> tuple[int, int]:
    """(maximumPercent, minimumHealthyPercent) for the workload's strategy; `report`: say it (K2E374), which
    is only true of a service ECS rolls out (a Rollout or Canary's strategy replaces the rolling update)."""
    replicas = wl.replicas
    strategy = wl.rollout
    if strategy.type == "Recreate":
        return 100, 0
    if replicas == 0:
        return 200, 100
    surge = resolve(strategy.max_surge, replicas, round_up=True)
    unavailable = resolve(strategy.max_unavailable, replicas, round_up=False)
    if surge is None or unavailable is None:
        surge, unavailable = math.ceil(replicas * 0.25), math.floor(replicas * 0.25)
    if surge == 0 and unavailable == 0:
        unavailable = 1  # Kubernetes' ResolveFenceposts: a rollout must be able to move
    maximum = math.ceil(100 * (replicas + surge) / replicas)
    minimum = math.floor(100 * (replicas - min(unavailable, replicas)) / replicas)
    if report:
        mc.report(wl.origin, "K2E374", surge=strategy.max_surge, unavailable=strategy.max_unavailable,
                  replicas=replicas, maximum=maximum, minimum=minimum)
    return maximum, minimum
