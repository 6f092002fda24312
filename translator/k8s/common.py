"""Parsing shared by every kind: object metadata and origins."""

from __future__ import annotations

from translator.model.app import Meta, Origin
from translator.source.reader import Reader

# Written by the API server, not by the user: nothing to translate and nothing lost.
SERVER_FIELDS = ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                 "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds")


def origin(r: Reader) -> Origin:
    return Origin(r.ctx.location(r.pointer), r.ctx.resource)


def parse_meta(root: Reader, default_namespace: str = "default") -> Meta:
    meta = root.child("metadata")
    if meta is None:
        return Meta(name="", namespace=default_namespace)
    meta.ignore(*SERVER_FIELDS)
    name = meta.str("name") or ""
    namespace = meta.str("namespace") or default_namespace
    labels = tuple(sorted(meta.str_map("labels").items()))
    annotations = tuple(sorted(meta.str_map("annotations").items()))
    return Meta(name=name, namespace=namespace, labels=labels, annotations=annotations)


def read_default(r: Reader, key: str, default: object) -> None:
    """Read a field whose value equals the Kubernetes default: nothing to translate, nothing lost.

    Generated manifests (kubectl get -o yaml, helm) spell out defaults such as
    `dnsPolicy: ClusterFirst`; reporting those would bury the real gaps.
    """
    if r.data.get(key) == default:
        r.ignore(key)
