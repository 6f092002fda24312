"""Which Kubernetes objects a generated resource comes from, kept in the resource's Metadata.

A reviewer reading a template (or a `kube2ecs diff`) needs to get from any resource back to the
manifest that produced it. Mapping code states the objects it knows; the render step
(`render/provenance.py`) completes every other resource from the references between resources.
"""

from __future__ import annotations

from translator.model.app import Origin
from translator.model.ecs import Metadata, SourceObject

KEY = "kube2ecs"


def entry(origin: Origin) -> SourceObject:
    """One object: file relative to the input root, document index in it, kind/namespace/name.

    Objects read from a cluster, and a namespace only named by its objects, have no file.
    """
    kind, _, rest = origin.resource.partition("/")
    namespace, _, name = rest.partition("/")
    loc = origin.location
    if loc.file:
        return SourceObject(source=loc.file, document=loc.document, kind=kind, namespace=namespace, name=name)
    return SourceObject(kind=kind, namespace=namespace, name=name)  # a Namespace itself has no namespace


def provenance(*origins: Origin) -> Metadata:
    """Metadata naming `origins` in the order given (the first is the resource's owner)."""
    return Metadata(tuple(dict.fromkeys(entry(origin) for origin in origins)))


def with_origins(metadata: Metadata, *origins: Origin) -> Metadata:
    """A copy of `metadata` that also names `origins` after the objects it already names."""
    return Metadata(tuple(dict.fromkeys([*metadata.objects, *provenance(*origins).objects])))


def objects_of(metadata: Metadata) -> list[SourceObject]:
    return list(metadata.objects)


def owner(metadata: Metadata) -> str:
    """`Kind/namespace/name` of the first object, '' when the mapping named none."""
    if not metadata.objects:
        return ""
    first = metadata.objects[0]
    return f"{first.kind}/{first.namespace}/{first.name}"
