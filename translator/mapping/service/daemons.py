"""A DaemonSet on Managed Instances: an ECS managed daemon (`AWS::ECS::Daemon`) and its daemon task definition.

ECS runs exactly one daemon task on every instance of the daemon's Managed Instances capacity providers,
starts it before the instance takes other tasks, and by default drains and replaces an instance whose
daemon stops (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons.html), as the
DaemonSet controller keeps one pod per node. The daemon task definition is built like any task
definition (mapping/task/workload.py) and then takes the daemon's shape: it has no network mode and no
port mappings, and its volumes are host paths or task storage (schema of AWS::ECS::DaemonTaskDefinition,
cfn-lint 1.58), so container ports and EFS volumes are reported and left out. hostPID and hostIPC become
PidMode and IpcMode `shared`: the daemon joins the instance's namespace (the same schema's descriptions).
"""

from __future__ import annotations

from dataclasses import replace

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.service import managed
from translator.mapping.task.workload import map_task
from translator.model.app import Workload
from translator.model.ecs import ContainerDefinition, Daemon, DaemonTaskDefinition, TaskDefinition, TaskVolume
from translator.model.intrinsics import GetAtt, Ref, Sub, Value
from translator.model.provenance import provenance


def map_daemon(mc: MapContext, nb: NamespaceBuild, wl: Workload, cluster: Value, made: managed.Capacity) -> None:
    """The daemon task definition in place of the task definition, and the daemon that runs it."""
    td = map_task(mc, nb, wl, {})
    definition = _daemon_definition(mc, wl, td)
    nb.stack.replace(definition)
    providers = managed.daemon_providers(mc, wl, made)
    logical_id = nb.ids.get(wl.meta.name, "Daemon")
    nb.stack.add(Daemon(logical_id, metadata=provenance(wl.origin), depends_on=(made.association,) if made.association else (),
                        daemon_name=wl.meta.name, drain_percent=drain_percent(mc, wl),
                        cluster_arn=_cluster_arn(cluster), daemon_task_definition_arn=Ref(definition.logical_id),
                        capacity_provider_arns=tuple(managed.provider_arn(p) for p in providers), tags=td.tags))
    mc.report(wl.origin, "K2E876", name=wl.meta.name, providers=", ".join(p.ref.name for p in providers))


def drain_percent(mc: MapContext, wl: Workload) -> int | None:
    """A rolling update's maxUnavailable as a percentage is the share of instances ECS drains at once
    (DeploymentConfiguration DrainPercent, 0-100; ECS's default is 25). A count has no share to become, and
    OnDelete no equivalent: ECS rolls a new daemon task definition out itself. Both keep ECS's default."""
    rollout = wl.rollout
    unavailable = rollout.max_unavailable
    if rollout.type == "RollingUpdate" and isinstance(unavailable, str) and unavailable[:-1].isdigit() \
            and unavailable.endswith("%"):
        percent = min(100, int(unavailable[:-1] or 0))
        mc.report(wl.origin, "K2E880", name=wl.meta.name, detail=f"maxUnavailable {unavailable}",
                  result=f"DrainPercent {percent}: ECS drains {percent}% of the instances at a time")
        return percent
    detail = "OnDelete" if rollout.type == "OnDelete" else f"maxUnavailable {unavailable} (a count)"
    mc.report(wl.origin, "K2E880", name=wl.meta.name, detail=detail,
              result="ECS's default DrainPercent 25: it drains a quarter of the instances at a time")
    return None


def _daemon_definition(mc: MapContext, wl: Workload, td: TaskDefinition) -> DaemonTaskDefinition:
    volumes = tuple(v for v in td.volumes if v.efs_volume_configuration is None)
    dropped = {v.name for v in td.volumes} - {v.name for v in volumes}
    if dropped:
        mc.report(wl.pod.origin, "K2E878", name=wl.meta.name, volumes=", ".join(sorted(dropped)))
    containers = tuple(_daemon_container(mc, wl, c, dropped) for c in td.containers)
    return DaemonTaskDefinition(
        td.logical_id, metadata=td.metadata, family=td.family, cpu=td.cpu, memory=td.memory, containers=containers,
        execution_role=td.execution_role, task_role=td.task_role, volumes=_host_volumes(volumes),
        pid_mode="shared" if td.pid_mode == "host" else "", ipc_mode="shared" if td.ipc_mode == "host" else "",
        tags=td.tags)


def _daemon_container(mc: MapContext, wl: Workload, c: ContainerDefinition, dropped: set[str]) -> ContainerDefinition:
    if c.port_mappings:
        ports = ", ".join(str(p.container_port) for p in c.port_mappings)
        source = next((k for k in (*wl.pod.init_containers, *wl.pod.containers) if k.name == c.name), None)
        mc.report(source.origin if source else wl.pod.origin, "K2E877", name=wl.meta.name, container=c.name, ports=ports)
    mounts = tuple(m for m in c.mount_points or () if m.source_volume not in dropped) or None
    return replace(c, port_mappings=None, mount_points=mounts)


def _host_volumes(volumes: tuple[TaskVolume, ...]) -> tuple[TaskVolume, ...]:
    return tuple(TaskVolume(v.name, host=v.host) for v in volumes)


def _cluster_arn(cluster: Value) -> Value:
    """The ARN the daemon names its cluster by: the stack's cluster's, or a configured name's."""
    if isinstance(cluster, Ref):
        return GetAtt(cluster.name, "Arn")
    if isinstance(cluster, str) and not cluster.startswith("arn:"):
        return Sub(f"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:cluster/{cluster}")
    return cluster
