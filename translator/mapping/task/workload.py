"""A workload to a task definition, its roles and log group (its ECS service: mapping/service/assemble.py)."""

from __future__ import annotations

from dataclasses import replace

from translator.findings.model import FindingSink
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import family, tag_value, tags
from translator.mapping.service import capacity
from translator.mapping.task import firelens, identity, placement, vertical
from translator.mapping.task.containers import container_definitions
from translator.mapping.task.sizing import (
    MAX_SIZE,
    SERVICE_CONNECT_CPU,
    SERVICE_CONNECT_MEMORY,
    container_need,
    fargate_size,
    pod_need,
)
from translator.mapping.task.volumes import map_volumes
from translator.model.app import Container, Port, Workload
from translator.model.ecs import ContainerDefinition, KeyValues, LogGroup, Metadata, Tag, TaskDefinition
from translator.model.intrinsics import Linked, Ref
from translator.model.provenance import provenance as origins_metadata
from translator.options import MANAGED_INSTANCES
from translator.source.quantity import cpu_units, mebibytes

EC2_MIN_CPU = 128  # the smallest task-level CPU ECS accepts on EC2


def provenance(wl: Workload) -> Metadata:
    return origins_metadata(wl.origin)


def map_task(mc: MapContext, nb: NamespaceBuild, wl: Workload, extra_ports: dict[str, list[Port]]) -> TaskDefinition:
    """The task definition with its log group and roles: all of a workload but the ECS service."""
    name = wl.meta.name
    meta = provenance(wl)
    wl = capacity.architecture(mc, wl)  # ARM64 where every Karpenter NodePool it runs on is arm64-only
    requested, vpa, changes = wl, vertical.target_of(mc, wl), ""
    if vpa is not None:  # the recommendation in place of the requests, for the task size and the containers
        wl, changes = vertical.resize(mc, wl, vpa)
    fam = family(wl.meta.namespace, name)
    log_group = nb.stack.add(LogGroup(nb.ids.get(name, "LogGroup"), metadata=meta, name=f"/ecs/{fam}",
                                      retention_days=mc.options.log_retention_days))
    log = KeyValues((("awslogs-group", Linked(Ref(log_group.logical_id), f"/ecs/{fam}")),
                     ("awslogs-region", Linked(Ref("AWS::Region"), mc.options.region))))
    definitions = container_definitions(mc, nb, wl, log, extra_ports)
    task_role = identity.task_role(mc, nb, wl)
    volumes = map_volumes(mc, nb, wl, definitions, log)
    definitions = placement.privileged(mc, wl, volumes.containers)
    routed = firelens.fits(mc, wl, definitions)
    if routed:
        definitions = firelens.route(mc, nb, wl, definitions, log, log_group, fam)
    execution = identity.execution_role(mc, nb, wl, log_group.logical_id, definitions, meta)
    sized = wl is not requested and vpa is not None
    cpu, memory = _task_size(mc, wl, "sum of the VerticalPodAutoscaler's targets, else limits, else requests"
                             if sized else "sum of container limits, else requests", routed)
    if sized and vpa is not None:
        quiet = replace(mc, sink=FindingSink())  # the size the requests alone would give, for comparison
        vertical.report_sizes(mc, vpa, wl, (cpu, memory), _task_size(quiet, requested, "", routed), changes)
    resource_tags = _tags(mc, wl)
    td = TaskDefinition(nb.ids.get(name, "TaskDefinition"), metadata=meta, family=fam, cpu=cpu, memory=memory,
                        containers=_fit_containers(definitions, cpu, memory), execution_role=execution,
                        task_role=task_role, volumes=tuple(volumes.volumes),
                        pid_mode=_pid_mode(mc, wl), ipc_mode="host" if _hosted(mc, wl.pod.host_ipc) else "",
                        cpu_architecture=wl.pod.cpu_architecture, ephemeral_gib=volumes.ephemeral_gib,
                        tags=resource_tags, namespace=wl.meta.namespace, name=name,
                        compatibility=mc.options.launch_type)
    nb.stack.add(td)
    return td


def _hosted(mc: MapContext, where: object) -> bool:
    """hostPID / hostIPC set (read for Managed Instances only), on Managed Instances."""
    return where is not None and mc.options.launch_type == MANAGED_INSTANCES


def _pid_mode(mc: MapContext, wl: Workload) -> str:
    """host: the instance's process namespace (hostPID, Managed Instances); task: shareProcessNamespace
    (Kubernetes refuses both at once)."""
    if _hosted(mc, wl.pod.host_pid):
        return "host"
    return "task" if wl.pod.share_process_namespace else ""


def _fit_containers(definitions: tuple[ContainerDefinition, ...], cpu: int,
                    memory: int) -> tuple[ContainerDefinition, ...]:
    """A pod larger than the largest Fargate task (K2E302) keeps the maximum task size; container
    reservations that no longer fit in it are dropped so the task definition still registers."""
    if sum(c.memory or c.memory_reservation or 0 for c in definitions) > memory:
        definitions = tuple(replace(c, memory=None, memory_reservation=None) for c in definitions)
    if sum(c.cpu or 0 for c in definitions) > cpu:
        definitions = tuple(replace(c, cpu=None) for c in definitions)
    return definitions


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


def _task_size(mc: MapContext, wl: Workload, basis: str = "sum of container limits, else requests",
               routed: bool = False) -> tuple[int, int]:
    pod = wl.pod
    app = [_need(mc, c) for c in pod.containers] + [_need(mc, c) for c in pod.init_containers if c.sidecar]
    inits = [_need(mc, c) for c in pod.init_containers if c.init]
    need_cpu, need_memory = pod_need(app, inits)
    if mc.options.service_connect and wl.run == "service" and not wl.daemon:  # no proxy for a task on its own or a DAEMON
        need_cpu, need_memory = need_cpu + SERVICE_CONNECT_CPU, need_memory + SERVICE_CONNECT_MEMORY
        basis += f", plus {SERVICE_CONNECT_CPU} CPU units / {SERVICE_CONNECT_MEMORY} MiB for the Service Connect proxy"
    if routed:  # the FireLens router reserves its memory; it shares the task's CPU
        need_memory += firelens.MEMORY
        basis += f", plus {firelens.MEMORY} MiB for the FireLens log router"
    if mc.options.on_instances:  # instances bin-pack tasks: no fixed sizes to round up to
        cpu = max(need_cpu, EC2_MIN_CPU)
        where = "EC2 launch type" if mc.options.launch_type == "EC2" else "Managed Instances"
        mc.report(pod.origin, "K2E300", cpu=cpu, memory=need_memory, need_cpu=need_cpu, need_memory=need_memory,
                  basis=basis + f"; {where}: the need itself, not a Fargate size")
        return cpu, need_memory
    size = fargate_size(need_cpu, need_memory)
    if size is None:
        mc.report(pod.origin, "K2E302", need_cpu=need_cpu, need_memory=need_memory)
        return MAX_SIZE
    mc.report(pod.origin, "K2E300", cpu=size[0], memory=size[1], need_cpu=need_cpu, need_memory=need_memory,
              basis=basis)
    return size


def _tags(mc: MapContext, wl: Workload) -> tuple[Tag, ...]:
    labels = dict(wl.meta.labels)
    pairs = [*wl.meta.labels, *((k, v) for k, v in wl.pod_labels if k not in labels), *wl.meta.annotations]
    result = tags(pairs)
    if result.dropped:
        mc.report(wl.origin, "K2E372", what="labels and annotations", name=wl.meta.name,
                  detail=", ".join(result.dropped))
    if result.cleaned:
        mc.report(wl.origin, "K2E376", what="labels and annotations", name=wl.meta.name,
                  keys=", ".join(result.cleaned))
    base = (Tag("kube2ecs:namespace", tag_value(wl.meta.namespace)), Tag("kube2ecs:object", tag_value(f"{wl.kind}/{wl.meta.name}")))
    return base + tuple(result.tags)

