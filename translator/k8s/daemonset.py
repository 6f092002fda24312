"""DaemonSet: one task per container instance, i.e. an ECS DAEMON service on the EC2 launch type, or an
ECS managed daemon on Managed Instances (mapping/service/daemons.py).

Fargate has no instances to run one task on each, so there the DaemonSet is reported with the
alternatives (mapping/service/scheduling.py) and nothing is created.
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.podtemplate import controller_template, parse_pod
from translator.model.app import Application, Rollout, Workload
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"DaemonSet": ("apps", "extensions")}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"apps": ("v1", "v1beta1", "v1beta2"), "extensions": ("v1beta1",)}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"DaemonSet": "/spec/template/spec"}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "with `launch_type: EC2`, a task definition and an ECS service with the DAEMON scheduling strategy; with "
    "`launch_type: MANAGED_INSTANCES`, an ECS managed daemon (AWS::ECS::Daemon and its daemon task definition) on "
    "the stack's Managed Instances capacity providers; "
    "on Fargate a finding with the alternatives (a sidecar in each task, or EC2); a Fluent Bit or Fluentd "
    "log agent: a finding pointing to `log_router: firelens`, which replaces it with a log router in every task"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    found = controller_template(root)
    if found is None:
        return
    spec, template = found
    app.workloads.append(Workload(
        kind="DaemonSet", meta=meta, replicas=1, pod=parse_pod(template.spec, template.labels),
        pod_labels=tuple(sorted(template.labels.items())), rollout=_rollout(spec), daemon=True, origin=origin(root)))


def _rollout(spec: Reader) -> Rollout:
    """Read here, reported in mapping: on Fargate the DaemonSet is not translated, and a DAEMON service
    rolls out with ECS's own defaults, so the strategy only feeds the rollout finding."""
    strategy = spec.for_report.child("updateStrategy")
    if strategy is None:
        return Rollout("RollingUpdate", 0, 1)
    kind = strategy.str("type", "RollingUpdate") or "RollingUpdate"
    rolling = strategy.child("rollingUpdate")
    if rolling is None:
        return Rollout(kind, 0, 1)
    return Rollout(kind, rolling.int_or_str("maxSurge", 0) or 0, rolling.int_or_str("maxUnavailable", 1) or 1)
