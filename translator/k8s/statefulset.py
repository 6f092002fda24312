"""StatefulSet: an ECS service like a Deployment, with EFS for its claim templates.

What a StatefulSet promises beyond a Deployment is reported here, where it is read: stable pod
names and ordinals, ordered start-up, per-pod volumes, partitioned or on-delete updates. It rolls
out like Kubernetes rolls a StatefulSet: no extra task, at most maxUnavailable (default 1) down.
"""

from __future__ import annotations

from translator.k8s.common import INT32_MAX, origin, parse_meta
from translator.k8s.persistentvolumeclaim import parse_claim
from translator.k8s.podtemplate import controller_template, parse_pod
from translator.model.app import Application, Claim, Meta, Rollout, Stateful, Workload
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"StatefulSet": ("apps",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"apps": ("v1", "v1beta1", "v1beta2")}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"StatefulSet": "/spec/template/spec"}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "task definition and ECS service rolled out one task at a time; each volumeClaimTemplate an EFS file system "
    "shared by all tasks; its headless Service a Service Connect name; lost identity, order and per-pod volumes "
    "reported"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    found = controller_template(root)
    if found is None:
        return
    spec, template = found
    written = spec.int_in("replicas", 0, INT32_MAX, default=1)
    replicas = 1 if written is None else written
    claims = tuple(_claim_templates(spec, meta))
    service_name = spec.for_report.str("serviceName") or ""  # named in the identity finding (K2E460, K2E464)
    _report_semantics(spec, meta.name, replicas, service_name)
    app.workloads.append(Workload(
        kind="StatefulSet", meta=meta, replicas=replicas,
        pod=parse_pod(template.spec, template.labels, claim_templates=bool(claims)),
        pod_labels=tuple(sorted(template.labels.items())), rollout=_rollout(spec, meta.name),
        stateful=Stateful(service_name, claims), origin=origin(root)))


def _claim_templates(spec: Reader, owner: Meta) -> list[Claim]:
    out = []
    for item in spec.items("volumeClaimTemplates"):
        metadata = item.child("metadata")
        name = metadata.str("name") if metadata is not None else None
        claim_spec = item.child("spec")
        if not name or claim_spec is None:
            item.report("K2E004", field=f"{item.field()}.metadata.name and .spec")
            continue
        if metadata is not None:
            metadata.ignore("creationTimestamp", "namespace")
        out.append(parse_claim(Meta(name, owner.namespace), metadata, claim_spec, owner.name))
    return out


def _report_semantics(spec: Reader, name: str, replicas: int, service: str) -> None:
    names = ", ".join(f"{name}-{i}" + (f".{service}" if service else "") for i in range(min(max(replicas, 1), 2)))
    spec.report("K2E460", "serviceName" if service else None, name=name, replicas=replicas,
                names=names + (", ..." if replicas > 2 else ""))
    if spec.for_report.str("podManagementPolicy", "OrderedReady") == "OrderedReady" and replicas > 1:
        spec.report("K2E461", "podManagementPolicy" if "podManagementPolicy" in spec.data else None, name=name)


def _rollout(spec: Reader, name: str) -> Rollout:
    """No surge (a pod's identity exists once), maxUnavailable default 1, as the StatefulSet controller does."""
    strategy = spec.child("updateStrategy")
    kind = strategy.for_report.str("type", "RollingUpdate") if strategy is not None else "RollingUpdate"
    rolling = strategy.child("rollingUpdate") if strategy is not None else None
    unavailable = rolling.int_or_str("maxUnavailable", 1) if rolling is not None else 1
    partition = rolling.for_report.int("partition", 0) if rolling is not None else 0
    if kind == "OnDelete" and strategy is not None:
        strategy.report("K2E462", "type", kind="StatefulSet", name=name, detail="OnDelete",
                        remediation="ECS replaces tasks whenever the task definition changes; deploy the stack only "
                                    "when the tasks may be replaced. Tasks are replaced one at a time.")
    if partition and rolling is not None:
        rolling.report("K2E462", "partition", kind="StatefulSet", name=name, detail=f"partition {partition}",
                       remediation="ECS updates every task; run the canary as a second ECS service, or use a blue/green "
                                   "deployment with CodeDeploy.")
    return Rollout("RollingUpdate", 0, 1 if unavailable is None else unavailable)
