"""A bare Pod: an ECS service with one task when it restarts Always, else a task definition run once."""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.podtemplate import parse_pod
from translator.model.app import Application, Batch, Rollout, Workload
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"Pod": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"Pod": "/spec"}
BECOMES = (
    "restartPolicy Always: an ECS service with one task; Never / OnFailure: a task definition and the "
    "`aws ecs run-task` command that starts it once; its spec is the pod template below"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    policy = spec.str("restartPolicy") or "Always"
    pod = parse_pod(spec)
    if policy == "Always":
        root.report("K2E423", name=meta.name)
        batch = None
    else:
        batch = Batch(completions=1, parallelism=1, backoff_limit=None, restart_policy=policy, origin=origin(spec))
    # A new task starts before the old one stops: nothing in a bare Pod asks for downtime.
    app.workloads.append(Workload(kind="Pod", meta=meta, replicas=1, pod=pod, pod_labels=meta.labels,
                                  rollout=Rollout("RollingUpdate", 1, 0), origin=origin(root),
                                  run="service" if batch is None else "task", batch=batch))
