"""Deploy checks on the ECS model for what cfn-lint and botocore do not catch (tooling-notes 1).

Each check returns problems as text; a problem is a kube2ecs bug, reported as K2E901 so that the
user never deploys a template that would fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from translator.checks.elb import check_load_balancing
from translator.findings.model import Location
from translator.mapping.context import MapContext
from translator.mapping.task.sizing import is_valid_size
from translator.model.ecs import ContainerDefinition, EcsService, Resource, Stack, TaskDefinition
from translator.source.reader import make_finding

_HC_RANGES = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "start_period": (0, 300)}
_HC_NAMES = {"start_period": "startPeriod"}


def check_task_definition(td: TaskDefinition) -> Iterator[str]:
    names = [c.name for c in td.containers]
    if len(set(names)) != len(names):
        yield f"{td.family}: duplicate container names"
    if not any(c.essential for c in td.containers):
        yield f"{td.family}: no essential container"
    if td.compatibility == "FARGATE" and not is_valid_size(td.cpu, td.memory):
        yield f"{td.family}: {td.cpu}/{td.memory} is not a Fargate size"
    if len(td.family) > 255 or len(td.containers) > 10:
        yield f"{td.family}: family too long or more than 10 containers"
    memory = sum(c.memory or c.memory_reservation or 0 for c in td.containers)
    if memory > td.memory:
        yield f"{td.family}: containers reserve {memory} MiB, more than the task's {td.memory}"
    for c in td.containers:
        yield from _container(td, c, set(names))


def _container(td: TaskDefinition, c: ContainerDefinition, names: set[str]) -> Iterator[str]:
    for dep in c.depends_on or ():
        if dep.container_name not in names or dep.container_name == c.name:
            yield f"{td.family}/{c.name}: dependsOn {dep.container_name} is not another container"
    for key, (low, high) in _HC_RANGES.items():
        value = getattr(c.health_check, key) if c.health_check is not None else None
        if value is not None and not low <= value <= high:
            yield f"{td.family}/{c.name}: healthCheck {_HC_NAMES.get(key, key)} {value} outside {low}-{high}"
    if c.memory is not None and c.memory_reservation is not None and c.memory <= c.memory_reservation:
        yield f"{td.family}/{c.name}: memory must exceed memoryReservation"
    if c.stop_timeout is not None and not 2 <= c.stop_timeout <= 120:
        yield f"{td.family}/{c.name}: stopTimeout {c.stop_timeout} outside 2-120"


def check_service(service: EcsService, td: TaskDefinition) -> Iterator[str]:
    ports = {(c.name, p.container_port) for c in td.containers for p in c.port_mappings or ()}
    port_names = [p.name for c in td.containers for p in c.port_mappings or ()]
    if len(set(port_names)) != len(port_names):
        yield f"{td.family}: duplicate port-mapping names"
    for lb in service.load_balancers:
        if (lb.container_name, lb.container_port) not in ports:
            yield f"{service.service_name}: load balancer targets {lb.container_name}:{lb.container_port}, not a port mapping"
    for entry in service.connect_services:
        if entry.port_name not in port_names:
            yield f"{service.service_name}: Service Connect port {entry.port_name} is not a port mapping"
        if len(entry.discovery_name) > 64:
            yield f"{service.service_name}: discovery name longer than 64"


def check_references(stack: Stack) -> Iterator[str]:
    ids = stack.ids()
    for resource in stack.resources:
        for dep in resource.depends_on:
            if dep not in ids:
                yield f"{resource.logical_id}: DependsOn {dep} does not exist"
    if len(ids) != len(stack.resources):
        yield f"stack {stack.name}: duplicate logical ids"


def check_service_connect_names(services: list[EcsService]) -> Iterator[str]:
    """Discovery names and (alias, port) pairs are unique in a Cloud Map namespace."""
    owners: dict[object, str] = {}
    for service in services:
        for entry in service.connect_services:
            keys: list[tuple[Any, ...]] = [("discovery", entry.discovery_name)]
            keys += [("alias", a.dns_name, a.port) for a in entry.client_aliases]
            for key in keys:
                owner = owners.setdefault(key, service.service_name)
                if owner != service.service_name:
                    yield f"{service.service_name}: Service Connect {key[0]} {key[1]} already belongs to {owner}"


def check_stack(mc: MapContext, stack: Stack) -> None:
    by_id: dict[str, Resource] = {r.logical_id: r for r in stack.resources}
    problems: list[str] = list(check_references(stack))
    problems.extend(check_service_connect_names([r for r in stack.resources if isinstance(r, EcsService)]))
    problems.extend(check_load_balancing(stack))
    for resource in stack.resources:
        if isinstance(resource, TaskDefinition):
            problems.extend(check_task_definition(resource))
        elif isinstance(resource, EcsService):
            td = by_id.get(resource.task_definition.name)
            if isinstance(td, TaskDefinition):
                problems.extend(check_service(resource, td))
    for problem in problems:
        mc.sink.add(make_finding("K2E901", Location(), f"stack/{stack.name}", detail=problem))

