"""Pod volumes and volume mounts to task-definition volumes and mount points (mapping-reference 2.3).

emptyDir: a task volume on the task's own storage. persistentVolumeClaim and StatefulSet claim
templates: EFS (storage.py). configMap and secret: files written before the app starts
(files.py). hostPath: a host volume on EC2, a finding on Fargate. Other volume types are
reported by the sweep; mounts of a volume that was not translated are left out with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from translator.findings.model import Severity
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import short_hash
from translator.mapping.task import storage
from translator.mapping.task.containers import MAX_CONTAINERS
from translator.mapping.task.files import MAX_LITERAL_BYTES, WRITER, Files, write_volume
from translator.model.app import Claim, Container, Meta, Mount, Volume, Workload
from translator.model.ecs import (
    ContainerDefinition,
    ContainerDependency,
    HostVolumeProperties,
    KeyValues,
    MountPoint,
    TaskVolume,
)
from translator.source.quantity import gibibytes

FARGATE_DEFAULT_GIB = 20
FARGATE_MAX_GIB = 200
_READ_ONLY_KINDS = ("configMap", "secret")
_NOT_VOLUME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class _Entry:
    """A translatable volume: the pod volume (or claim template) and, for claims, the claim."""

    volume: Volume
    claim: Claim | None = None


@dataclass
class TaskStorage:
    """The task's volumes and ephemeral storage, and its container definitions with their mount points
    (and the file writer first, when configMap or secret volumes are mounted)."""

    volumes: list[TaskVolume] = field(default_factory=list)
    ephemeral_gib: int = 0
    containers: tuple[ContainerDefinition, ...] = ()


def map_volumes(mc: MapContext, nb: NamespaceBuild, wl: Workload, definitions: tuple[ContainerDefinition, ...],
                log: KeyValues) -> TaskStorage:
    """Volumes of the task definition, and `definitions` with their mount points and the file writer."""
    result = TaskStorage()
    entries = _entries(mc, nb, wl)
    files = Files()
    mounted = {m.volume for c in (*wl.pod.init_containers, *wl.pod.containers) for m in c.mounts if not m.sub_path}
    written = {name for name, e in entries.items() if e.volume.kind in _READ_ONLY_KINDS and name in mounted
               and write_volume(mc, nb, e.volume, files, wl.pod.fs_group)}
    if written and files.literal_bytes > MAX_LITERAL_BYTES:
        mc.report(wl.pod.origin, "K2E488", name=wl.meta.name,
                  detail=f"they hold {files.literal_bytes} bytes, more than the {MAX_LITERAL_BYTES} a task definition's environment can carry",
                  remediation="Use config_backend: ssm in kube2ecs.yaml (one parameter per file), or build the files into the image.")
        written = set()
    if written and len(definitions) >= MAX_CONTAINERS:
        mc.report(wl.pod.origin, "K2E488", name=wl.meta.name,
                  detail=f"the task already has {len(definitions)} containers and the files need one more",
                  remediation="Merge containers, or build the files into the image.")
        written = set()
    entries = {n: e for n, e in entries.items() if e.volume.kind not in _READ_ONLY_KINDS or n in written}
    templates = wl.stateful.claim_templates if wl.stateful else ()
    builder = _Builder(mc, nb, wl, entries, result, {v.name for v in wl.pod.volumes} | {c.meta.name for c in templates})
    by_name = {c.name: c for c in (*wl.pod.init_containers, *wl.pod.containers)}
    mounting: list[ContainerDefinition] = []
    for definition in definitions:
        container = by_name.get(definition.name)
        points = tuple(p for m in container.mounts if (p := builder.mount(container, m))) if container else ()
        mounting.append(replace(definition, mount_points=points) if points else definition)
    result.containers = _with_writer(mounting, files, log) if written else tuple(mounting)
    result.volumes.extend(TaskVolume(n) for n in sorted(written) if not any(v.name == n for v in result.volumes))
    result.volumes.sort(key=lambda v: v.name)
    result.ephemeral_gib = _ephemeral(mc, wl)
    return result


def _entries(mc: MapContext, nb: NamespaceBuild, wl: Workload) -> dict[str, _Entry]:
    out: dict[str, _Entry] = {}
    for volume in wl.pod.volumes:
        entry = _entry(mc, nb, volume)
        if entry is not None:
            out[volume.name] = entry
    templates = wl.stateful.claim_templates if wl.stateful else ()
    for claim in templates:
        replaced = next((v for v in wl.pod.volumes if v.name == claim.meta.name), None)
        if replaced is not None:
            mc.report(replaced.origin, "K2E465", volume=claim.meta.name, name=wl.meta.name)
        if claim.block:
            mc.report(claim.origin, "K2E466", what=storage.claim_label(claim))
            out.pop(claim.meta.name, None)
            continue
        out[claim.meta.name] = _Entry(Volume(claim.meta.name, "persistentVolumeClaim", origin=claim.origin), claim)
    return out


def _entry(mc: MapContext, nb: NamespaceBuild, volume: Volume) -> _Entry | None:
    if volume.kind in ("emptyDir", *_READ_ONLY_KINDS):
        return _Entry(volume)
    if volume.kind == "hostPath":
        if mc.options.on_instances:
            return _Entry(volume)
        mc.report(volume.origin, "K2E480", what=f"hostPath volume {volume.name} ({volume.source})", launch="Fargate",
                  severity=Severity.ERROR,
                  remediation="Fargate tasks cannot mount host paths; use an emptyDir or EFS volume, and the mounts were left out.")
        return None
    if volume.kind != "persistentVolumeClaim":
        return None
    mc.used.add(("PersistentVolumeClaim", nb.namespace, volume.source))
    claim = mc.app.claims.get((nb.namespace, volume.source))
    if claim is None:
        mc.report(volume.origin, "K2E467", volume=volume.name, claim=volume.source)
        claim = Claim(Meta(volume.source, nb.namespace), origin=volume.origin)
    if claim.block:
        mc.report(claim.origin, "K2E466", what=storage.claim_label(claim))
        return None
    return _Entry(volume, claim)


class _Builder:
    """Task volumes made on first use: one per volume, and one per (claim or host path, subPath)."""

    def __init__(self, mc: MapContext, nb: NamespaceBuild, wl: Workload, entries: dict[str, _Entry],
                 result: TaskStorage, known: set[str]) -> None:
        self.mc, self.nb, self.wl, self.entries, self.result = mc, nb, wl, entries, result
        self.known = known  # every volume name the pod declares, translated or not
        self.names: dict[tuple[str, str], str] = {}

    def mount(self, c: Container, m: Mount) -> MountPoint | None:
        declared = next((v for v in self.wl.pod.volumes if v.name == m.volume), None)
        if declared is not None and declared.kind in _READ_ONLY_KINDS and m.sub_path:
            self.mc.used.add(("ConfigMap" if declared.kind == "configMap" else "Secret", self.nb.namespace, declared.source))
            self.mc.report(m.origin, "K2E475", volume=m.volume, container=c.name, sub_path=m.sub_path,
                           kind=declared.kind, path=m.path, result="the mount was left out")
            return None
        entry = self.entries.get(m.volume)
        if entry is None or not m.path:
            if m.volume not in self.known:
                self.mc.report(m.origin, "K2E004", field=f"volume {m.volume} (mounted by container {c.name})")
            return None
        if m.propagation:
            self.mc.report(m.origin, "K2E476", volume=m.volume, container=c.name, mode=m.propagation)
        kind = entry.volume.kind
        sub_path = m.sub_path if kind in ("persistentVolumeClaim", "hostPath") else ""
        if m.sub_path and not sub_path:
            self.mc.report(m.origin, "K2E475", volume=m.volume, container=c.name, sub_path=m.sub_path, kind=kind,
                           path=m.path, result="the whole volume was mounted", severity=Severity.WARNING)
        read_only = m.read_only or entry.volume.read_only or kind in _READ_ONLY_KINDS
        if kind == "emptyDir" and not read_only:
            self._owner_note(c, m)
        name = self._volume(entry, sub_path)
        return MountPoint(name, m.path, read_only)

    def _volume(self, entry: _Entry, sub_path: str) -> str:
        key = (entry.volume.name, sub_path.strip("/"))
        if key in self.names:
            return self.names[key]
        name = entry.volume.name if not key[1] else _sub_volume_name(entry.volume.name, key[1], set(self.names.values()))
        self.names[key] = name
        kind = entry.volume.kind
        if kind == "persistentVolumeClaim" and entry.claim is not None:
            self.result.volumes.append(self._efs(entry, entry.claim, name, key[1]))
        elif kind == "hostPath":
            path = entry.volume.source.rstrip("/") + (f"/{key[1]}" if key[1] else "") or "/"
            self.result.volumes.append(TaskVolume(name, host=HostVolumeProperties(path)))
            self.mc.report(entry.volume.origin, "K2E484", volume=entry.volume.name, path=path, type=entry.volume.host_type or "none",
                           detail=f" (subPath {key[1]})" if key[1] else "")
        else:
            self.result.volumes.append(TaskVolume(name))
        return name

    def _efs(self, entry: _Entry, claim: Claim, name: str, sub_path: str) -> TaskVolume:
        writers = [c for c in _mounting(self.wl, entry.volume.name) if not _all_read_only(c, entry.volume.name)]
        read_only = entry.volume.read_only or not writers
        volume = storage.efs_volume(self.mc, self.nb, self.wl, claim, name, sub_path, _posix(self.wl, entry.volume.name),
                                    read_only)
        if claim.template_of:
            replicas = self.wl.replicas
            self.mc.report(claim.origin, "K2E463", claim=claim.meta.name, name=self.wl.meta.name, replicas=replicas,
                           severity=Severity.WARNING if replicas != 1 else Severity.INFO)  # one task shares with nobody
        return volume

    def _owner_note(self, c: Container, m: Mount) -> None:
        uid = c.user.split(":", 1)[0]
        if self.mc.options.launch_type == "FARGATE" and uid and uid != "0":
            self.mc.report(m.origin, "K2E477", container=c.name, user=c.user, volume=m.volume, path=m.path)


def _sub_volume_name(volume: str, sub_path: str, taken: set[str]) -> str:
    """`uploads` + `thumbnails` -> `uploads-thumbnails`; task volume names allow `[A-Za-z0-9_-]`."""
    name = f"{volume}-{_NOT_VOLUME.sub('-', sub_path).strip('-')}"[:255]
    return name if name not in taken else f"{volume}-{short_hash(sub_path)}"


def _mounting(wl: Workload, volume: str) -> list[Container]:
    return [c for c in (*wl.pod.init_containers, *wl.pod.containers) if any(m.volume == volume for m in c.mounts)]


def _all_read_only(c: Container, volume: str) -> bool:
    return all(m.read_only for m in c.mounts if m.volume == volume)


def _posix(wl: Workload, volume: str) -> storage.Posix:
    """uid from the user of the containers that mount the claim; gid from fsGroup, else their group."""
    pod = wl.pod
    users = sorted({c.user for c in _mounting(wl, volume) if c.user})
    uid: int | None = None
    gid: int | None = None
    basis: list[str] = []
    if len(users) == 1 and users[0].split(":", 1)[0].isdigit():
        parts = users[0].split(":", 1)
        uid, gid = int(parts[0]), int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        basis.append(f"user {users[0]} of the containers that mount it")
    elif pod.run_as_user is not None:
        uid, gid = pod.run_as_user, pod.run_as_group
        basis.append(f"runAsUser {uid} of the pod")
    if pod.fs_group is not None:
        gid = pod.fs_group
        basis.append(f"fsGroup {gid}")
    if uid is not None and gid is None:
        gid = uid
    if uid is None:
        basis.insert(0, "the pod sets no runAsUser" if len(users) <= 1 else f"its containers run as different users ({', '.join(users)})")
    return storage.Posix(uid, gid, ", ".join(basis))


def _with_writer(definitions: list[ContainerDefinition], files: Files, log: KeyValues) -> tuple[ContainerDefinition, ...]:
    """The file writer runs first; every container that mounts one of its volumes waits for it."""
    waits = ContainerDependency(WRITER, "SUCCESS")
    return (files.definition(log), *(
        replace(d, depends_on=(waits, *(d.depends_on or ())))
        if any(p.source_volume in files.volumes for p in d.mount_points or ()) else d
        for d in definitions))


def _ephemeral(mc: MapContext, wl: Workload) -> int:
    """Task ephemeral storage: container ephemeral-storage limits (else requests) plus emptyDir size limits."""
    total = Decimal(0)
    basis = []
    for c in wl.pod.containers:
        size = c.resources.storage_limit or c.resources.storage_request
        if size:
            total += size
            basis.append(f"container {c.name}")
    for v in wl.pod.volumes:
        if v.kind == "emptyDir" and v.size_limit:
            total += v.size_limit
            basis.append(f"emptyDir {v.name}")
    need = gibibytes(total)
    if need <= FARGATE_DEFAULT_GIB:
        return 0
    if mc.options.on_instances:  # ephemeralStorage is invalid on Managed Instances too
        mc.report(wl.pod.origin, "K2E487", need=need)
        return 0
    text = "the sum of " + ", ".join(basis)
    if need > FARGATE_MAX_GIB:
        mc.report(wl.pod.origin, "K2E479", need=need, basis=text)
        return FARGATE_MAX_GIB
    mc.report(wl.pod.origin, "K2E478", size=need, basis=text)
    return need
