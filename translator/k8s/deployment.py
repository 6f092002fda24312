"""Deployment and ReplicaSet: a long-running replicated pod, i.e. an ECS service."""

from __future__ import annotations

from translator.k8s.common import INT32_MAX, origin, parse_meta
from translator.k8s.podtemplate import controller_template, parse_pod
from translator.model.app import Application, Rollout, Workload
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Deployment": ("apps", "extensions"), "ReplicaSet": ("apps", "extensions")}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"apps": ("v1", "v1beta1", "v1beta2"), "extensions": ("v1beta1",)}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"Deployment": "/spec/template/spec", "ReplicaSet": "/spec/template/spec"}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "task definition (Fargate, awsvpc) and ECS service; replicas; rolling update to maximum/minimum "
    "healthy percent with Kubernetes' rounding; circuit breaker with rollback; labels to tags; the pod "
    "template as below"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    found = controller_template(root)
    if found is None:
        return
    spec, template = found
    replicas = spec.int_in("replicas", 0, INT32_MAX, default=1)
    spec.int("progressDeadlineSeconds")  # the circuit breaker stands in for it (table D8)
    app.workloads.append(Workload(
        kind=root.ctx.doc.kind,
        meta=meta,
        replicas=1 if replicas is None else max(replicas, 0),
        pod=parse_pod(template.spec, template.labels),
        pod_labels=tuple(sorted(template.labels.items())),
        rollout=_rollout(spec),
        origin=origin(root),
    ))


def _rollout(spec: Reader) -> Rollout:
    strategy = spec.child("strategy")
    if strategy is None:
        return Rollout()
    kind = strategy.str("type") or "RollingUpdate"
    rolling = strategy.child("rollingUpdate")
    if rolling is None:
        return Rollout(type=kind)
    return Rollout(kind, rolling.int_or_str("maxSurge", "25%") or 0, rolling.int_or_str("maxUnavailable", "25%") or 0)
