"""How each ECS service will be released and run: the assessment's delivery and operations sections.

A team lead deciding on a migration asks two things the findings answer only piecemeal: how will a
new version reach users (rolling, blue/green, canary, linear; who has to continue a paused one), and
how will the team operate it (a shell into a task, where the logs go, what scales it). Both are read
from the translated stacks, the same model the templates are rendered from, so the report says what
the output does, not what the input asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from translator.mapping.service.delivery import describe
from translator.model.ecs import EcsService, Resource, ScalableTarget, ScalingPolicy, Stack, TaskDefinition
from translator.model.intrinsics import GetAtt, Join
from translator.model.provenance import owner

ROLLING = "ROLLING"


def delivery(stacks: Iterable[Stack]) -> list[dict[str, Any]]:
    """One row per ECS service: its deployment strategy in words, and whether a person must continue it."""
    rows = []
    for stack, service in _services(stacks):
        strategy = service.deployment
        if strategy is None:
            name, detail, manual = ROLLING, _rolling(service), False
        else:
            name, detail = strategy.strategy, describe(strategy)
            manual = any(h.timeout_configuration is None for h in strategy.lifecycle_hooks)
        rows.append({"service": service.service_name, "namespace": stack.namespace,
                     "source": owner(service.metadata), "strategy": name, "detail": detail,
                     "waits_for_a_person": manual, "load_balanced": bool(service.load_balancers)})
    return rows


def operations(stacks: Iterable[Stack]) -> list[dict[str, Any]]:
    """One row per ECS service: ECS Exec, where its containers' logs go, and what scales it."""
    stacks = list(stacks)
    by_namespace: dict[str, list[Resource]] = {}
    for stack in stacks:  # the parts of a split stack refer to each other's resources by logical id
        by_namespace.setdefault(stack.namespace, []).extend(stack.resources)
    rows = []
    for stack, service in _services(stacks):
        resources = by_namespace[stack.namespace]
        td = next((r for r in resources if isinstance(r, TaskDefinition)
                   and r.logical_id == service.task_definition.name), None)
        drivers = sorted({c.log_configuration.log_driver for c in td.containers if c.log_configuration}) if td else []
        rows.append({"service": service.service_name, "namespace": stack.namespace,
                     "execute_command": service.enable_execute_command, "log_drivers": drivers,
                     "scaling": _scaling(resources, service)})
    return rows


def _services(stacks: Iterable[Stack]) -> Iterator[tuple[Stack, EcsService]]:
    for stack in sorted(stacks, key=lambda s: s.name):
        for service in sorted((r for r in stack.resources if isinstance(r, EcsService)), key=lambda s: s.service_name):
            yield stack, service


def _rolling(service: EcsService) -> str:
    if service.scheduling_strategy == "DAEMON":
        return "one task per instance, replaced in place"
    return (f"at most {service.maximum_percent}% running, at least {service.minimum_healthy_percent}% healthy"
            + ("; rolled back when tasks keep failing" if service.circuit_breaker else ""))


def _scaling(resources: list[Resource], service: EcsService) -> dict[str, Any] | None:
    """The service's scalable target and policies; None when its desired count is fixed."""
    target = next((r for r in resources if isinstance(r, ScalableTarget) and _targets(r, service)), None)
    if target is None:
        return None
    policies = [r for r in resources if isinstance(r, ScalingPolicy) and r.scaling_target_id.name == target.logical_id]
    return {"min": target.min_capacity, "max": target.max_capacity,
            "policies": [{"name": p.policy_name, "metric": _metric(p), "target": p.target_value}
                         for p in sorted(policies, key=lambda p: p.policy_name)],
            "scheduled": [{"name": a.scheduled_action_name, "schedule": a.schedule, "timezone": a.timezone or "UTC",
                           "min": a.scalable_target_action.min_capacity, "max": a.scalable_target_action.max_capacity}
                          for a in target.scheduled_actions]}


def _metric(policy: ScalingPolicy) -> str:
    """The predefined metric's name, or the label of the query a customized metric tracks."""
    if policy.customized is None:
        return policy.metric_type
    tracked = next((q for q in policy.customized.metrics if q.return_data), None)
    return f"custom metric: {tracked.label or tracked.expression or tracked.id}" if tracked else "custom metric"


def _targets(target: ScalableTarget, service: EcsService) -> bool:
    """A scalable target's resource id names the service by `Fn::GetAtt Service.Name` (mapping/service/scaling)."""
    parts = target.resource_id.parts if isinstance(target.resource_id, Join) else ()
    return isinstance(parts, tuple) and any(isinstance(p, GetAtt) and p.logical_id == service.logical_id for p in parts)
