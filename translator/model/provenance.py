"""Which Kubernetes objects a generated resource comes from, kept in the resource's Metadata.

A reviewer reading a template (or a `kube2ecs diff`) needs to get from any resource back to the
manifest that produced it. Mapping code states the objects it knows; the render step
(`render/provenance.py`) completes every other resource from the references between resources.
"""

from __future__ import annotations

from typing import Any

from translator.model.app import Origin

KEY = "kube2ecs"


def entry(origin: Origin) -> dict[str, Any]:
    """One object: file relative to the input root, document index in it, kind/namespace/name.

    Objects read from a cluster, and a namespace only named by its objects, have no file.
    """
    kind, _, rest = origin.resource.partition("/")
    namespace, _, name = rest.partition("/")
    loc = origin.location
    where: dict[str, Any] = {"source": loc.file, "document": loc.document} if loc.file else {}
    scope = {"namespace": namespace} if namespace else {}  # a Namespace itself has none
    return {**where, "kind": kind, **scope, "name": name}


def provenance(*origins: Origin) -> dict[str, Any]:
    """Metadata naming `origins` in the order given (the first is the resource's owner)."""
    objects: list[dict[str, Any]] = []
    for origin in origins:
        item = entry(origin)
        if item not in objects:
            objects.append(item)
    return {KEY: {"objects": objects}}


def with_origins(metadata: dict[str, Any], *origins: Origin) -> dict[str, Any]:
    """A copy of `metadata` that also names `origins` after the objects it already names."""
    known = objects_of(metadata)
    objects = known + [o for o in provenance(*origins)[KEY]["objects"] if o not in known]
    return {**metadata, KEY: {**metadata.get(KEY, {}), "objects": objects}}


def objects_of(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    value = metadata.get(KEY, {})
    return list(value.get("objects", [])) if isinstance(value, dict) else []


def owner(metadata: dict[str, Any]) -> str:
    """`Kind/namespace/name` of the first object, '' when the mapping named none."""
    found = objects_of(metadata)
    if not found:
        return ""
    first = found[0]
    return f"{first['kind']}/{first.get('namespace', '')}/{first['name']}"
