"""configMap and secret volumes: files written into a task volume before the app starts.

ECS cannot project a ConfigMap or Secret as files. The pattern kube2ecs emits instead: one
non-essential container (busybox) receives every file's content as an environment variable
(ConfigMap values as literals or SSM parameters, Secret keys as Secrets Manager references, so
no value enters the template) and writes the files, with their modes, into task volumes; the
containers that mount the volume start after it has succeeded and see the files read-only.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.task.containers import log_configuration
from translator.mapping.task.environment import missing_key
from translator.mapping.task.secrets import config_parameter, secret_ref
from translator.model.app import ConfigMap, KeyToPath, Volume
from translator.model.ecs import FILES_WRITER, ContainerDefinition, KeyValuePair, KeyValues, MountPoint, Secret
from translator.model.intrinsics import Linked

WRITER = FILES_WRITER
IMAGE = "public.ecr.aws/docker/library/busybox:1.36"
ROOT = "/kube2ecs-files"
DEFAULT_MODE = 0o644
# The environment of a task definition counts toward its 64 KiB limit; larger files belong in the image or S3.
MAX_LITERAL_BYTES = 32 * 1024


@dataclass
class Files:
    """What the writer needs: its definition pieces, the task volumes it fills, the Secrets it reads."""

    environment: list[KeyValuePair] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    mounts: list[MountPoint] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    literal_bytes: int = 0

    def definition(self, log: KeyValues) -> ContainerDefinition:
        script = "set -e\n" + "\n".join(self.script) + "\n"
        return ContainerDefinition(WRITER, IMAGE, essential=False, entry_point=("sh", "-c"), command=(script,),
                                   mount_points=tuple(self.mounts), environment=tuple(self.environment) or None,
                                   secrets=tuple(self.secrets) or None, log_configuration=log_configuration(log, WRITER))


def write_volume(mc: MapContext, nb: NamespaceBuild, volume: Volume, files: Files, fs_group: int | None) -> bool:
    """Add the volume's files to the writer; False when its source is missing (the volume is left out).

    With fsGroup the files get that group and group read, as the kubelet gives them.
    """
    keys = _keys(mc, nb, volume)
    if keys is None:
        return False
    folder = f"{ROOT}/{volume.name}"
    files.volumes.append(volume.name)
    files.mounts.append(MountPoint(volume.name, folder, False))
    for item in keys:
        variable = f"FILE_{len(files.environment) + len(files.secrets)}"
        target = f"{folder}/{item.path}"
        mode = item.mode if item.mode is not None else volume.default_mode if volume.default_mode is not None else DEFAULT_MODE
        quoted = shlex.quote(target)
        line = (f"mkdir -p {shlex.quote(target.rsplit('/', 1)[0])} && printf '%s' \"${variable}\" > {quoted}"
                f" && chmod {(mode | (0o440 if fs_group is not None else 0)) & 0o7777:o} {quoted}")
        files.script.append(line + (f" && chgrp {fs_group} {quoted}" if fs_group is not None else ""))
        _value(mc, nb, volume, item.key, variable, files)
    if volume.kind != "secret" or (nb.namespace, volume.source) in mc.app.secrets:
        _report(mc, volume, len(keys))  # a Secret the input lacks is one finding, K2E331, not two
    return True


def _keys(mc: MapContext, nb: NamespaceBuild, volume: Volume) -> list[KeyToPath] | None:
    """The files to write; None when the source is missing and Kubernetes would not start the pod."""
    kind = "ConfigMap" if volume.kind == "configMap" else "Secret"
    mc.used.add((kind, nb.namespace, volume.source))
    source = (mc.app.config_maps if kind == "ConfigMap" else mc.app.secrets).get((nb.namespace, volume.source))
    if source is None:
        if volume.optional:
            return []
        if kind == "Secret" and volume.items:
            return list(volume.items)  # the keys are known: reference them, a finding asks for the secret
        mc.report(volume.origin, "K2E474", volume=volume.name, kind=kind, source=volume.source)
        return None
    available = [k for k, _ in source.data] if isinstance(source, ConfigMap) else list(source.keys)
    if volume.items:
        for item in volume.items:
            if item.key not in available:
                missing_key(mc, volume.origin, f"volume {volume.name}", kind, volume.source, item.key, volume.optional,
                            f"file {item.path}")
        return [i for i in volume.items if i.key in available and _safe(i.path)]
    return [KeyToPath(k, k) for k in available if _safe(k)]


def _safe(key: str) -> bool:
    return bool(key) and ".." not in key.split("/") and not key.startswith("/")


def _value(mc: MapContext, nb: NamespaceBuild, volume: Volume, key: str, variable: str, files: Files) -> None:
    if volume.kind == "secret":
        value: Linked = secret_ref(mc, nb, volume.source, key, volume.origin, f"volume {volume.name}")
        files.secrets.append(Secret(variable, value))
        return
    source = mc.app.config_maps.get((nb.namespace, volume.source))
    text = dict(source.data).get(key, "") if source is not None else ""
    parameter = config_parameter(mc, nb, volume.source, key, text) if mc.options.config_backend == "ssm" and text else None
    if parameter is not None:
        files.secrets.append(Secret(variable, parameter))
        return
    files.environment.append(KeyValuePair(variable, text))
    files.literal_bytes += len(text.encode())


def _report(mc: MapContext, volume: Volume, count: int) -> None:
    kind = "ConfigMap" if volume.kind == "configMap" else "Secret"
    if kind == "ConfigMap":
        remediation = ("The files are a snapshot taken when the task starts; a changed ConfigMap needs a new deployment "
                       "(Kubernetes updates mounted files in place).")
    else:
        remediation = ("The values are read from Secrets Manager when the task starts and written to the task's storage "
                       "(encrypted at rest on Fargate, not in memory as on Kubernetes); a rotated secret needs a new deployment.")
    mc.report(volume.origin, "K2E473", kind=kind, volume=volume.name, source=f"{volume.source}, {count} file(s)",
              writer=WRITER, remediation=remediation)
