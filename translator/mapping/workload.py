"""A Deployment (or ReplicaSet) to a task definition, its roles and log group, and an ECS service."""

from __future__ import annotations

from typing import Any

from translator.mapping import identity, rollout
from translator.mapping.containers import container_definitions
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import family, tag_value, tags
from translator.mapping.sizing import (
    MAX_SIZE,
    SERVICE_CONNECT_CPU,
    SERVICE_CONNECT_MEMORY,
    container_need,
    fargate_size,
    pod_need,
)
from translator.model.app import Container, Workload
from translator.model.ecs import EcsService, LogGroup, Ref, TaskDefinition, ref
from translator.model.provenance import provenance as origins_metadata
from translator.source.quantity import cpu_units, gibibytes, mebibytes


def provenance(wl: Workload) -> dict[str, Any]:
    return origins_metadata(wl.origin)


def map_workload(mc: MapContext, nb: NamespaceBuild, wl: Workload, extra_ports: dict[str, list[int]]) -> EcsService:
    td = map_task(mc, nb, wl, extra_ports)
    maximum, minimum = rollout.percentages(mc, wl)
    return EcsService(nb.ids.get(wl.meta.name, "Service"), metadata=provenance(wl), service_name=td.family,
                      task_definition=td.logical_id, desired_count=wl.replicas,
                      maximum_percent=maximum, minimum_healthy_percent=minimum, tags=td.tags)


def map_task(mc: MapContext, nb: NamespaceBuild, wl: Workload, extra_ports: dict[str, list[int]]) -> TaskDefinition:
    """The task definition with its log group and roles: all of a workload but the ECS service."""
    name = wl.meta.name
    meta = provenance(wl)
    fam = family(wl.meta.namespace, name)
    log_group = nb.stack.add(LogGroup(nb.ids.get(name, "LogGroup"), metadata=meta, name=f"/ecs/{fam}",
                                      retention_days=mc.options.log_retention_days))
    log = {"awslogs-group": Ref(ref(log_group.logical_id), f"/ecs/{fam}"),
           "awslogs-region": Ref({"Ref": "AWS::Region"}, mc.options.region)}
    definitions, secrets = container_definitions(mc, nb, wl, log, extra_ports)
    execution = identity.execution_role(mc, nb, wl, log_group.logical_id, secrets, meta)
    task_role = identity.task_role(mc, nb, wl)
    cpu, memory = _task_size(mc, wl)
    resource_tags = _tags(mc, wl)
    td = TaskDefinition(nb.ids.get(name, "TaskDefinition"), metadata=meta, family=fam, cpu=cpu, memory=memory,
                        containers=definitions, execution_role=execution, task_role=task_role,
                        volumes=[{"name": v.name} for v in wl.pod.volumes if v.kind == "emptyDir"],
                        pid_mode="task" if wl.pod.share_process_namespace else "",
                        cpu_architecture=wl.pod.cpu_architecture, ephemeral_gib=_ephemeral(wl),
                        tags=resource_tags, namespace=wl.meta.namespace, name=name)
    _mounts(wl, td)
    _fit_containers(td)
    nb.stack.add(td)
    return td


def _fit_containers(td: TaskDefinition) -> None:
    """A pod larger than the largest Fargate task (K2E302) keeps the maximum task size; container
    reservations that no longer fit in it are dropped so the task definition still registers."""
    if sum(c.get("memory") or c.get("memoryReservation") or 0 for c in td.containers) > td.memory:
        for c in td.containers:
            c.pop("memory", None)
            c.pop("memoryReservation", None)
    if sum(c.get("cpu", 0) for c in td.containers) > td.cpu:
        for c in td.containers:
            c.pop("cpu", None)


def _mounts(wl: Workload, td: TaskDefinition) -> None:
    volumes = {v["name"] for v in td.volumes}
    by_name = {c.name: c for c in (*wl.pod.init_containers, *wl.pod.containers)}
    for definition in td.containers:
        container = by_name.get(definition["name"])
        mounts = [{"sourceVolume": m.volume, "containerPath": m.path, "readOnly": m.read_only}
                  for m in (container.mounts if container else ()) if m.volume in volumes and m.path]
        if mounts:
            definition["mountPoints"] = mounts


def _need(mc: MapContext, c: Container) -> tuple[int, int]:
    res = c.resources
    cpu_q = res.cpu_limit or res.cpu_request
    mem_q = res.memory_limit or res.memory_request
    cpu, memory = container_need(cpu_units(cpu_q) if cpu_q else None, mebibytes(mem_q) if mem_q else None)
    if cpu_q is None and mem_q is None and not c.init:
        mc.report(c.origin, "K2E301", container=c.name, cpu=cpu, memory=memory)
    if res.cpu_limit and res.cpu_request and res.cpu_limit > res.cpu_request:
        mc.report(c.origin, "K2E305", container=c.name, limit=str(res.cpu_limit))
    return cpu, memory


def _task_size(mc: MapContext, wl: Workload) -> tuple[int, int]:
    pod = wl.pod
    app = [_need(mc, c) for c in pod.containers] + [_need(mc, c) for c in pod.init_containers if c.sidecar]
    inits = [_need(mc, c) for c in pod.init_containers if c.init]
    need_cpu, need_memory = pod_need(app, inits)
    basis = "sum of container limits, else requests"
    if mc.options.service_connect and wl.run == "service":  # a task started on its own has no proxy
        need_cpu, need_memory = need_cpu + SERVICE_CONNECT_CPU, need_memory + SERVICE_CONNECT_MEMORY
        basis += f", plus {SERVICE_CONNECT_CPU} CPU units / {SERVICE_CONNECT_MEMORY} MiB for the Service Connect proxy"
    size = fargate_size(need_cpu, need_memory)
    if size is None:
        mc.report(pod.origin, "K2E302", need_cpu=need_cpu, need_memory=need_memory)
        return MAX_SIZE
    mc.report(pod.origin, "K2E300", cpu=size[0], memory=size[1], need_cpu=need_cpu, need_memory=need_memory,
              basis=basis)
    return size


def _ephemeral(wl: Workload) -> int:
    total = 0
    for c in wl.pod.containers:
        size = c.resources.storage_limit or c.resources.storage_request
        total += gibibytes(size) if size else 0
    return min(total, 200) if total > 20 else 0


def _tags(mc: MapContext, wl: Workload) -> list[dict[str, str]]:
    labels = dict(wl.meta.labels)
    pairs = [*wl.meta.labels, *((k, v) for k, v in wl.pod_labels if k not in labels), *wl.meta.annotations]
    result, dropped = tags(pairs)
    if dropped:
        mc.report(wl.origin, "K2E372", what="labels and annotations", name=wl.meta.name, detail=", ".join(dropped))
    base = [{"Key": "kube2ecs:namespace", "Value": tag_value(wl.meta.namespace)},
            {"Key": "kube2ecs:object", "Value": tag_value(f"{wl.kind}/{wl.meta.name}")}]
    return base + result

