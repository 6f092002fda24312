"""Namespace: becomes a CloudFormation stack and a Cloud Map namespace of its own."""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.model.app import Application
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Namespace": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = "a CloudFormation stack and a Cloud Map namespace"


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, annotations=False)  # labels: a Gateway listener may admit routes by them
    root.ignore("spec")  # finalizers only
    if meta.name:
        app.namespaces.add(meta.name)
        app.namespace_origins[meta.name] = origin(root)
        app.namespace_labels[meta.name] = meta.labels
    root.report("K2E102", kind="Namespace", name=meta.name,
                detail=f"its objects go to stack {meta.name} and Cloud Map namespace {meta.name}")
