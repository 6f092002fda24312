"""ReplicationController: the Deployment's predecessor, translated like a Deployment with default strategy."""

from __future__ import annotations

from translator.k8s.common import INT32_MAX, origin, parse_meta
from translator.k8s.podtemplate import controller_template, parse_pod
from translator.model.app import Application, Workload
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"ReplicationController": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"ReplicationController": "/spec/template/spec"}
BECOMES = "like a Deployment with the default rolling update: a task definition and an ECS service"


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    found = controller_template(root)
    if found is None:
        return
    spec, template = found
    replicas = spec.int_in("replicas", 0, INT32_MAX, default=1)
    root.report("K2E424", name=meta.name)
    app.workloads.append(Workload(kind="ReplicationController", meta=meta,
                                  replicas=1 if replicas is None else max(replicas, 0), pod=parse_pod(template.spec),
                                  pod_labels=tuple(sorted(template.labels.items())), origin=origin(root)))
