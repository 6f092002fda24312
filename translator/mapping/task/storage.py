"""Persistent volumes on EFS (mapping-reference 2.3 V7, 4 item 17).

A claim becomes one EFS file system (kept when the stack is deleted), mount targets in the task
subnets, and an access point whose POSIX user comes from the pod's runAsUser / fsGroup, so
files get the owner Kubernetes would give them. Tasks mount through the access point with TLS
and IAM authorisation; the task role may mount only the file systems of its own claims.
"""

from __future__ import annotations

import re

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import camel
from translator.mapping.network import groups
from translator.mapping.network.alb import SERVICES_SG
from translator.model.app import Claim, Workload
from translator.model.ecs import (
    AuthorizationConfig,
    Condition,
    Conditions,
    CreationInfo,
    EcsService,
    EfsAccessPoint,
    EfsFileSystem,
    EfsMountTarget,
    EfsVolumeConfiguration,
    Output,
    PosixUser,
    SecurityGroup,
    Statement,
    Tag,
    TaskDefinition,
    TaskVolume,
)
from translator.model.intrinsics import Equals, GetAtt, Join, Linked, Not, Ref, Select, Split
from translator.model.intrinsics import Ref as RefOf
from translator.model.provenance import provenance
from translator.model.record import record
from translator.source.quantity import gibibytes

EFS_SG = "EfsSecurityGroup"
_NOT_PATH = re.compile(r"[^A-Za-z0-9_.-]+")
NFS_PORT = 2049
# One mount target per Availability Zone; no Region has more than six zones.
MAX_MOUNT_TARGETS = 6
# The subnets, then empty items: Fn::Select of an index past the end of a list fails the deploy.
_PADDED_SUBNETS = Split(",", Join("", (Join(",", RefOf("Subnets")), "," * (MAX_MOUNT_TARGETS - 1))))


@record
class Posix:
    """The identity the access point imposes: uid None means none (the container's own user)."""

    uid: int | None
    gid: int | None
    basis: str


def efs_volume(mc: MapContext, nb: NamespaceBuild, wl: Workload, claim: Claim, name: str, sub_path: str,
               posix: Posix, read_only: bool) -> TaskVolume:
    """The task-definition volume for a claim (or a subPath of it), creating what it needs once."""
    fs = _file_system(mc, nb, claim)
    ap = _access_point(mc, nb, claim, fs, sub_path, posix)
    _authorise(mc, nb, wl, fs, ap, posix, read_only)
    access = AuthorizationConfig(Linked(Ref(ap), "${" + ap + "}"), "ENABLED")
    return TaskVolume(name, efs_volume_configuration=EfsVolumeConfiguration(Linked(Ref(fs), "${" + fs + "}"), "ENABLED",
                                                                            access))


def mount_targets_of(td: TaskDefinition) -> tuple[str, ...]:
    """The first mount target of each file system the task mounts (the one that always exists):
    a service that starts before it would fail to mount and trip its circuit breaker."""
    out: list[str] = []
    for volume in td.volumes:
        config = volume.efs_volume_configuration
        if config is not None:
            assert isinstance(config.file_system_id.cfn, Ref)
            target = config.file_system_id.cfn.name.removesuffix("FileSystem") + "MountTarget1"
            if target not in out:
                out.append(target)
    return tuple(out)


def claim_label(claim: Claim) -> str:
    if claim.template_of:
        return f"volumeClaimTemplate {claim.meta.name} of StatefulSet {claim.template_of}"
    return f"PersistentVolumeClaim {claim.meta.name}"


def _file_system(mc: MapContext, nb: NamespaceBuild, claim: Claim) -> str:
    key = claim_key(claim)
    if key in nb.file_systems:
        return nb.file_systems[key]
    _network(nb)
    logical = nb.ids.get(key, "FileSystem")
    stem = logical.removesuffix("FileSystem")
    name = f"{nb.namespace}/{key}"
    tags = (Tag("Name", name), Tag("kube2ecs:namespace", nb.namespace), Tag("kube2ecs:claim", key))
    meta = provenance(claim.origin)
    nb.stack.add(EfsFileSystem(logical, metadata=meta, tags=tags))
    for index in range(MAX_MOUNT_TARGETS):
        subnet = Select(0, RefOf("Subnets")) if index == 0 else Select(index, _PADDED_SUBNETS)
        condition = "" if index == 0 else _subnet_condition(nb, index)
        nb.stack.add(EfsMountTarget(f"{stem}MountTarget{index + 1}", metadata=meta, condition=condition,
                                    file_system_id=RefOf(logical), subnet_id=subnet,
                                    security_groups=(GetAtt(EFS_SG, "GroupId"),)))
    nb.stack.outputs[logical] = Output(RefOf(logical))
    nb.file_systems[key] = logical
    mc.report(claim.origin, "K2E468", what=claim_label(claim), detail=claim_detail(claim), file_system=logical)
    return logical


def claim_key(claim: Claim) -> str:
    """Claims of a StatefulSet template are named `<template>-<statefulset>` like the first pod's PVC stem."""
    return f"{claim.meta.name}-{claim.template_of}" if claim.template_of else claim.meta.name


def _subnet_condition(nb: NamespaceBuild, index: int) -> str:
    name = f"HasSubnet{index + 1}"
    nb.stack.conditions[name] = Not(Equals(Select(index, _PADDED_SUBNETS), ""))
    return name


def _network(nb: NamespaceBuild) -> None:
    """NFS from the namespace's tasks to the mount targets, once per stack."""
    if nb.stack.has(EFS_SG):
        return
    nb.stack.add(SecurityGroup(EFS_SG, description=f"EFS mount targets of namespace {nb.namespace}"[:groups.DESCRIPTION_LIMIT]))
    nb.stack.add(groups.ingress("EfsNfsIngress", EFS_SG, SERVICES_SG, "NFS from the tasks of the namespace",
                                from_port=NFS_PORT, to_port=NFS_PORT))


def admit(nb: NamespaceBuild, services: list[tuple[EcsService, TaskDefinition]]) -> None:
    """NFS from every security group of a service that mounts EFS: a NetworkPolicy can take a service out
    of the namespace group that the mount targets admit."""
    for service, td in services:
        if not mount_targets_of(td):
            continue
        for group in service.security_groups:
            logical = group.logical_id if isinstance(group, GetAtt) else ""
            rule = f"EfsNfsIngressFrom{logical}"
            if logical and logical != SERVICES_SG and not nb.stack.has(rule):
                nb.stack.add(groups.ingress(rule, EFS_SG, logical, f"NFS from {service.service_name}",
                                            from_port=NFS_PORT, to_port=NFS_PORT))


def _access_point(mc: MapContext, nb: NamespaceBuild, claim: Claim, fs: str, sub_path: str, posix: Posix) -> str:
    key = (claim_key(claim), sub_path, str(posix.uid), str(posix.gid))
    if key in nb.access_points:
        return nb.access_points[key]
    stem = fs.removesuffix("FileSystem") + (camel(sub_path) if sub_path else "")
    taken = sum(1 for k in nb.access_points if k[:2] == key[:2])
    logical = nb.ids.get(f"{key[0]}/{sub_path}/{taken}", "AccessPoint") if taken else f"{stem}AccessPoint"
    path = root_directory(key[0], sub_path)
    owner_gid = posix.gid if posix.gid is not None else 0
    user = PosixUser(str(posix.uid), str(posix.gid)) if posix.uid is not None else None
    creation = CreationInfo(str(posix.uid if posix.uid is not None else 0), str(owner_gid),
                            "0775" if posix.uid is not None else "0777")
    point = EfsAccessPoint(logical, metadata=provenance(claim.origin), file_system_id=RefOf(fs), posix_user=user,
                           path=path, creation_info=creation, tags=(Tag("Name", f"{nb.namespace}{path}"),))
    nb.stack.add(point)
    nb.stack.outputs[logical] = Output(RefOf(logical))
    nb.access_points[key] = logical
    _report(mc, claim, point, posix)
    return logical


def root_directory(claim: str, sub_path: str) -> str:
    """`/<claim>[/<subPath>]` as EFS accepts it: at most four parts of `[A-Za-z0-9_.-]` not starting with a dot."""
    parts = [_NOT_PATH.sub("-", p).strip("-").lstrip(".") for p in [claim, *sub_path.split("/")]]
    parts = [p for p in parts if p] or ["data"]
    if len(parts) > 4:
        parts = [*parts[:3], "-".join(parts[3:])]
    return ("/" + "/".join(parts))[:100].rstrip("/")


def _report(mc: MapContext, claim: Claim, point: EfsAccessPoint, posix: Posix) -> None:
    if posix.uid is None:
        mc.report(claim.origin, "K2E469", access_point=point.logical_id, path=point.path,
                  detail=f"has no POSIX user ({posix.basis}): the directory is created with mode 0777 "
                         "and the task role may act as root on the file system",
                  remediation="Set runAsUser (and fsGroup) on the pod so the access point owns the files as that user.")
        return
    mc.report(claim.origin, "K2E469", access_point=point.logical_id, path=point.path,
              detail=f"acts as uid {posix.uid} gid {posix.gid} for every file operation ({posix.basis})",
              remediation=f"Files written through it get that owner whatever user the container runs as, as with fsGroup "
                          f"on Kubernetes. In the task-definition JSON, ${{{point.logical_id}}} stands for the stack output "
                          "of that name.")


def claim_detail(claim: Claim) -> str:
    parts = [f"{gibibytes(claim.size)} GiB requested" if claim.size is not None else "no size requested"]
    parts.append(", ".join(claim.access_modes) or "no access mode")
    parts.append(f"storage class {claim.storage_class}" if claim.storage_class else "default storage class")
    if claim.volume_name:
        parts.append(f"bound to PersistentVolume {claim.volume_name}, whose data is not copied")
    return "; ".join(parts)


def _authorise(mc: MapContext, nb: NamespaceBuild, wl: Workload, fs: str, ap: str, posix: Posix,
               read_only: bool) -> None:
    """Mount (and write) on this file system through this access point only, for the task role."""
    actions = ["elasticfilesystem:ClientMount"]
    if not read_only:
        actions.append("elasticfilesystem:ClientWrite")
    if posix.uid is None or posix.uid == 0:
        actions.append("elasticfilesystem:ClientRootAccess")  # root is squashed otherwise
    statement = Statement("Allow", tuple(actions), (GetAtt(fs, "Arn"),), Conditions((
        Condition("StringEquals", "elasticfilesystem:AccessPointArn", GetAtt(ap, "Arn")),)))
    account = wl.pod.service_account or "default"
    role = nb.task_roles.get(account)
    if role is None:
        where = mc.app.service_accounts.get((nb.namespace, account))
        arn = where.role_arn if where is not None else account
        mc.report(where.origin if where is not None else wl.pod.origin, "K2E469", access_point=ap,
                  detail=f"is mounted with IAM authorisation by task role {arn}, which the stack does not create",
                  remediation=f"Grant that role {' and '.join(actions)} on file system {fs} (stack output {fs}).")
        return
    granted = nb.statements.setdefault(role, [])
    if statement not in granted:
        granted.append(statement)
