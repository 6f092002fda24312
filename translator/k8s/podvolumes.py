"""Pod volumes and volume mounts, shared by every controller kind.

Only the fields of the volume types kube2ecs maps are read (emptyDir, persistentVolumeClaim,
configMap, secret, hostPath); every other volume type stays unread, so the sweep reports it
with its row of the equivalence table.
"""

from __future__ import annotations

from decimal import Decimal

from translator.k8s.common import first_of_each, origin
from translator.model.app import KeyToPath, Mount, Volume
from translator.source.quantity import parse_quantity
from translator.source.reader import Reader

MAPPED = ("emptyDir", "persistentVolumeClaim", "configMap", "secret", "hostPath")


def parse_volumes(spec: Reader) -> list[Volume]:
    out: list[Volume] = []
    for v in spec.items("volumes"):
        name = v.str("name") or ""
        kind = next((k for k in v.fields() if k != "name"), "unknown")
        body = v.child(kind) if kind in MAPPED and isinstance(v.data.get(kind), dict) else None
        if kind in MAPPED and body is None:
            v.ignore(kind)  # `emptyDir: {}` or null: the defaults
        out.append(_volume(name, kind, body, v) if body is not None else Volume(name, kind, origin=origin(v)))
    return first_of_each(spec, out, lambda v: v.name, "volume", lambda v: v.name)


def _volume(name: str, kind: str, body: Reader, v: Reader) -> Volume:
    where = origin(body)
    if kind == "emptyDir":
        return Volume(name, kind, size_limit=_size(body), origin=where)
    if kind == "persistentVolumeClaim":
        return Volume(name, kind, source=body.str("claimName") or "", read_only=bool(body.bool("readOnly")),
                      origin=where)
    if kind == "hostPath":
        return Volume(name, kind, source=body.str("path") or "", host_type=body.for_report.str("type") or "", origin=where)
    source = body.str("secretName" if kind == "secret" else "name") or ""
    items = tuple(KeyToPath(i.str("key") or "", i.str("path") or "", i.int("mode")) for i in body.items("items"))
    return Volume(name, kind, source=source, optional=bool(body.bool("optional")), items=items,
                  default_mode=body.int("defaultMode"), origin=where)


def _size(body: Reader) -> Decimal | None:
    raw = body.scalar("sizeLimit")
    if raw is None:
        return None
    try:
        return parse_quantity(raw)
    except ValueError:
        body.report("K2E304", "sizeLimit", value=str(raw)[:40])
        return None


def parse_mounts(c: Reader) -> list[Mount]:
    out: list[Mount] = []
    for m in c.items("volumeMounts"):
        propagation = m.for_report.str("mountPropagation") or ""  # ECS has none: only reported
        out.append(Mount(m.str("name") or "", m.str("mountPath") or "", bool(m.bool("readOnly")),
                         sub_path=m.str("subPath") or "", propagation="" if propagation == "None" else propagation,
                         origin=origin(m)))
    return first_of_each(c, out, lambda m: m.path, "volume mount on", lambda m: m.path)
