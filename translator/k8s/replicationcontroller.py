"""ReplicationController: the Deployment's predecessor, translated like a Deployment with default strategy."""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.podtemplate import parse_pod
from translator.model.app import Application, Workload
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"ReplicationController": ("",)}
BECOMES = "like a Deployment with the default rolling update: a task definition and an ECS service"


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    template = spec.child("template") if spec else None
    pod_spec = template.child("spec") if template else None
    if spec is None or template is None or pod_spec is None:
        root.report("K2E004", field="spec.template.spec")
        return
    spec.ignore("selector")  # binds pods to the controller; an ECS service owns its tasks
    template_meta = template.child("metadata")
    pod_labels = template_meta.str_map("labels") if template_meta else {}
    if template_meta is not None:
        template_meta.ignore("creationTimestamp")
    replicas = spec.int("replicas", 1)
    root.report("K2E424", name=meta.name)
    app.workloads.append(Workload(kind="ReplicationController", meta=meta,
                                  replicas=1 if replicas is None else max(replicas, 0), pod=parse_pod(pod_spec),
                                  pod_labels=tuple(sorted(pod_labels.items())), origin=origin(root)))
