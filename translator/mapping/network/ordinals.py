"""A StatefulSet whose pods are called by name becomes one ECS service per pod (docs/service-connect.md).

`cassandra-0.cassandra.default.svc.cluster.local` names one pod: Kubernetes gives each pod of a
StatefulSet a stable name under its governing headless Service, and peer lists and seeds rely on it.
ECS gives no task a name of its own, and an ECS service registers all its tasks under one Cloud Map
service. So each ordinal gets its own ECS service (desired count 1) that registers its task as
`<sts>-<i>.<svc>` in the namespace's private DNS namespace (`<ns>.svc.cluster.local`): the per-pod
name then resolves as written, from any task of the VPC. Each member gets its own EFS access point
per claim template (`/<claim>-<sts>-<i>`, the PVC's name), rolls out after the one before it
(DependsOn, like OrderedReady), and replaces its one task by stopping it first (a pod's identity
exists once). The number of members is the replica count at conversion time.
"""

from __future__ import annotations

from dataclasses import replace

from translator.mapping.context import MapContext
from translator.mapping.network import discovery
from translator.mapping.stackbuilder import StackBuilder
from translator.mapping.task.storage import claim_key
from translator.model.app import Service, Workload
from translator.model.ecs import (
    AuthorizationConfig,
    Condition,
    Conditions,
    EcsService,
    EfsAccessPoint,
    Metadata,
    Role,
    ScalableTarget,
    ScalingPolicy,
    Statement,
    TaskDefinition,
    TaskVolume,
)
from translator.model.intrinsics import GetAtt, Linked, Ref
from translator.model.provenance import provenance
from translator.model.record import record


@record
class Members:
    """A StatefulSet split per pod: its governing Service and the ECS service it was built as."""

    workload: Workload
    service: Service
    logical_id: str  # the ECS service; member 0 keeps it

    @property
    def count(self) -> int:
        return self.workload.replicas

    def pod(self, ordinal: int) -> str:
        return f"{self.workload.meta.name}-{ordinal}"

    def name(self, ordinal: int) -> str:
        """The Cloud Map service name: `<pod>.<svc>`, joined to `<ns>.svc.cluster.local` by DNS."""
        return f"{self.pod(ordinal)}.{self.service.meta.name}"

    def dns(self, ordinal: int) -> str:
        return f"{self.name(ordinal)}.{discovery.domain(self.workload.meta.namespace)}"

    def ordinal(self, pod: str) -> int | None:
        stem, _, number = pod.rpartition("-")
        if stem != self.workload.meta.name or not number.isdigit() or (len(number) > 1 and number[0] == "0"):
            return None
        return int(number) if int(number) < self.count else None

    def logical(self, ordinal: int) -> str:
        return self.logical_id if ordinal == 0 else f"{self.logical_id.removesuffix('Service')}Pod{ordinal}Service"


def candidate(workload: Workload | None, svc: Service) -> bool:
    """Whether the pods of `svc` have names of their own: a StatefulSet that it governs, with pods."""
    return (workload is not None and workload.kind == "StatefulSet" and workload.stateful is not None
            and workload.stateful.service_name == svc.meta.name and workload.replicas > 0)


def split(mc: MapContext, stack: StackBuilder, members: Members, callers: list[str], namespace_meta: Metadata) -> None:
    """Replace the StatefulSet's ECS service by one per ordinal, each registered under its pod's DNS name."""
    wl, svc = members.workload, members.service
    original = stack.get(members.logical_id)
    assert isinstance(original, EcsService)
    td = stack.get(original.task_definition.name)
    assert isinstance(td, TaskDefinition)
    points = _claim_access_points(stack, wl, td)
    meta = provenance(wl.origin)
    previous = ""
    for ordinal in range(members.count):
        logical = members.logical(ordinal)
        definition = _task_definition(stack, td, points, ordinal)
        entry = discovery.registry(stack, logical, members.name(ordinal),
                                   f"Pod {members.pod(ordinal)} of StatefulSet {wl.meta.name}", meta, namespace_meta)
        service = replace(original, logical_id=logical, service_name=f"{original.service_name}-{ordinal}",
                          task_definition=Ref(definition.logical_id), desired_count=1, maximum_percent=100,
                          minimum_healthy_percent=0, service_registries=(entry,),
                          connect_services=original.connect_services if ordinal == 0 else (),
                          depends_on=(*original.depends_on, previous) if previous else original.depends_on)
        if ordinal == 0:
            stack.replace(service)
        else:
            stack.add(service)
        previous = logical
    _drop_scaling(mc, stack, members)
    names = ", ".join(members.pod(i) for i in range(min(members.count, 3))) + (", ..." if members.count > 3 else "")
    claims = ", ".join(c.meta.name for c in wl.stateful.claim_templates) if wl.stateful else ""
    volumes = f", and its own EFS access point for each claim template ({claims})" if points else ""
    mc.sink.withdraw(("K2E460", "K2E463"), wl.origin.resource)  # lost names, shared claims: no longer true
    mc.report(wl.origin, "K2E362", name=wl.meta.name, count=members.count, pods=names, example=members.dns(0), volumes=volumes,
              callers=", ".join(callers), service=svc.meta.name, first=members.pod(0))


def _claim_access_points(stack: StackBuilder, wl: Workload, td: TaskDefinition) -> dict[str, EfsAccessPoint]:
    """The access points of the StatefulSet's claim templates that its task mounts, by logical id."""
    assert wl.stateful is not None
    stems = {f"/{claim_key(c)}" for c in wl.stateful.claim_templates}
    out: dict[str, EfsAccessPoint] = {}
    for volume in td.volumes:
        config = volume.efs_volume_configuration
        if config is None or not isinstance(config.authorization_config.access_point_id.cfn, Ref):
            continue
        point = stack.get(config.authorization_config.access_point_id.cfn.name)
        if isinstance(point, EfsAccessPoint) and ("/" + point.path.split("/")[1]) in stems:
            out[point.logical_id] = point
    return out


def _task_definition(stack: StackBuilder, td: TaskDefinition, points: dict[str, EfsAccessPoint],
                     ordinal: int) -> TaskDefinition:
    """The member's task definition: the StatefulSet's own when it has no claim, else one with the member's
    access points (`/<claim>-<sts>-<i>`); member 0 keeps the logical ids and changes the paths in place."""
    if not points:
        return td
    renamed: dict[str, str] = {}
    for logical, point in points.items():
        first, _, rest = point.path[1:].partition("/")
        path = f"/{first}-{ordinal}" + (f"/{rest}" if rest else "")
        own = logical if ordinal == 0 else f"{logical.removesuffix('AccessPoint')}Pod{ordinal}AccessPoint"
        member = replace(point, logical_id=own, path=path,
                         tags=tuple(replace(t, value=t.value.replace(point.path, path)) if t.key == "Name" else t
                                    for t in point.tags))
        if ordinal == 0:
            stack.replace(member)
        else:
            stack.add(member)
            renamed[logical] = own
    if ordinal == 0:
        return td
    _grant(stack, renamed)
    volumes = tuple(_volume(v, renamed) for v in td.volumes)
    logical = f"{td.logical_id.removesuffix('TaskDefinition')}Pod{ordinal}TaskDefinition"
    clone = replace(td, logical_id=logical, family=f"{td.family}-{ordinal}", name=f"{td.name}-{ordinal}", volumes=volumes)
    stack.add(clone)
    return clone


def _volume(volume: TaskVolume, renamed: dict[str, str]) -> TaskVolume:
    config = volume.efs_volume_configuration
    if config is None or not isinstance(config.authorization_config.access_point_id.cfn, Ref):
        return volume
    own = renamed.get(config.authorization_config.access_point_id.cfn.name)
    if own is None:
        return volume
    access = AuthorizationConfig(Linked(Ref(own), "${" + own + "}"), config.authorization_config.iam)
    return replace(volume, efs_volume_configuration=replace(config, authorization_config=access))


def _grant(stack: StackBuilder, renamed: dict[str, str]) -> None:
    """Each role that mounts through an access point may mount through the member's copy of it too."""
    for role in [r for r in stack.resources if isinstance(r, Role)]:
        added: list[Statement] = []
        for statement in role.statements:
            for item in statement.conditions.items if statement.conditions else ():
                value = item.value
                if isinstance(value, GetAtt) and value.logical_id in renamed:
                    copy = Condition(item.operator, item.key, GetAtt(renamed[value.logical_id], "Arn"))
                    added.append(replace(statement, conditions=Conditions((copy,))))
        if added:
            stack.replace(replace(role, statements=(*role.statements, *added)))


def _drop_scaling(mc: MapContext, stack: StackBuilder, members: Members) -> None:
    """A member is one pod: an autoscaler cannot add pods to it, so its scalable target and policies go."""
    targets = {r.logical_id for r in stack.resources if isinstance(r, ScalableTarget)
               and GetAtt(members.logical_id, "Name") in getattr(r.resource_id, "parts", ())}
    if not targets:
        return
    stack.resources = [r for r in stack.resources if r.logical_id not in targets
                       and not (isinstance(r, ScalingPolicy) and r.scaling_target_id.name in targets)]
    wl = members.workload
    for hpa in mc.app.autoscalers:
        if hpa.meta.namespace == wl.meta.namespace and hpa.target_kind == "StatefulSet" and hpa.target_name == wl.meta.name:
            mc.report(hpa.origin, "K2E363", name=hpa.meta.name, statefulset=wl.meta.name, count=members.count,
                      low=hpa.min_replicas, high=hpa.max_replicas)
