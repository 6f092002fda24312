"""KEDA `ScaledObject` to the neutral Autoscaler the HorizontalPodAutoscaler parser makes, plus its
cron, aws-sqs-queue and other triggers (mapping/service/scaling.py and triggers.py map them).

KEDA's own defaults (https://keda.sh/docs/latest/reference/scaledobject-spec/): scaleTargetRef kind
Deployment, minReplicaCount 0, maxReplicaCount 100, cooldownPeriod 300 s, pollingInterval 30 s; a
trigger's metricType AverageValue; the aws-sqs-queue scaler's queueLength 5, scaleOnInFlight true,
scaleOnDelayed false (https://keda.sh/docs/latest/scalers/aws-sqs/). The other KEDA kinds are reported
as a whole: a ScaledJob (a Job per event) and the TriggerAuthentications that give scalers credentials.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from translator.k8s.common import origin, parse_meta
from translator.k8s.horizontalpodautoscaler import behavior
from translator.k8s.job import parse_job_spec
from translator.model.app import Application, Autoscaler, CronTrigger, MetricTarget, OtherTrigger, QueueTrigger, Workload
from translator.source.quantity import parse_quantity
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"ScaledObject": ("keda.sh",), "ScaledJob": ("keda.sh",),
                                     "TriggerAuthentication": ("keda.sh",), "ClusterTriggerAuthentication": ("keda.sh",)}
# API group -> every version KEDA served it in.
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"keda.sh": ("v1alpha1",)}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields; a ScaledJob's
# jobTargetRef reads as a Job's spec (its fields beside the template: backoffLimit, deadlines).
POD_SPECS: dict[str, str] = {"ScaledJob": "/spec/jobTargetRef/template/spec"}
EMBEDDED: dict[str, tuple[str, str, str]] = {"ScaledJob": ("/spec/jobTargetRef", "Job", "/spec")}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "ScaledObject: the Application Auto Scaling scalable target of its Deployment, StatefulSet or Rollout's ECS "
    "service; cpu and memory triggers target-tracking policies rescaled as for an HPA, cron triggers scheduled actions, "
    "aws-sqs-queue a backlog-per-task policy on CloudWatch metric math, other triggers a finding with a policy sketch "
    "(K2E748); ScaledJob: its jobTargetRef's task definition as for a Job, run by hand, and a finding for the "
    "one-Job-per-event start (K2E750); TriggerAuthentication: a finding (K2E749)"
)
DEFAULT_MIN, DEFAULT_MAX = 0, 100
# https://keda.sh/docs/latest/concepts/scaling-deployments/#pausing-autoscaling
PAUSE_ANNOTATIONS = ("autoscaling.keda.sh/paused", "autoscaling.keda.sh/paused-replicas")
DEFAULT_QUEUE_LENGTH = Decimal(5)
# KEDA reads these trigger types from the pod's requests: the HPA's resource metrics.
RESOURCE_TRIGGERS = ("cpu", "memory")
# The metadata key that holds the target of common scalers, to name it in the finding.
_TARGET_KEYS = ("threshold", "lagThreshold", "listLength", "queueLength", "value", "targetValue", "targetMetricValue",
                "activationThreshold")


def parse(root: Reader, app: Application) -> None:
    kind = root.ctx.doc.kind
    if kind == "ScaledJob":
        workload = _scaled_job(root)
        if workload is not None:
            app.workloads.append(workload)
        return
    if kind != "ScaledObject":
        _report_other_kind(root, kind)
        return
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    ref = spec.child("scaleTargetRef") if spec else None
    name = (ref.str("name") or "") if ref else ""
    if spec is None or ref is None or not name:
        root.report("K2E004", "spec" if spec is not None else None, field="spec.scaleTargetRef.name")
        return
    ref.ignore("apiVersion")  # the kind and name identify the workload within the namespace
    target_kind = ref.str("kind") or "Deployment"
    minimum = max(spec.int("minReplicaCount", DEFAULT_MIN) or 0, 0)
    maximum = max(spec.int("maxReplicaCount", DEFAULT_MAX) or DEFAULT_MAX, minimum, 1)
    advanced = spec.child("advanced")
    config = advanced.child("horizontalPodAutoscalerConfig") if advanced else None
    rules = behavior(config) if config else ()
    metrics: list[MetricTarget] = []
    crons: list[CronTrigger] = []
    queues: list[QueueTrigger] = []
    others: list[OtherTrigger] = []
    for trigger in spec.items("triggers"):
        trigger.ignore("name")  # the trigger's name for KEDA's metrics
        kind_of = trigger.str("type") or ""
        metadata = trigger.child("metadata")
        if metadata is None:
            trigger.report("K2E004", None, field=f"{trigger.field()}.metadata")
            continue
        if kind_of in RESOURCE_TRIGGERS:
            metric = _resource(trigger, metadata, kind_of)
            if metric is not None:
                metrics.append(metric)
        elif kind_of == "cron":
            cron = _cron(trigger, metadata)
            if cron is not None:
                crons.append(cron)
        elif kind_of == "aws-sqs-queue":
            queues.append(_queue(trigger, metadata))
        else:
            others.append(_other(trigger, metadata, kind_of))
    app.autoscalers.append(Autoscaler(
        meta=meta, target_kind=target_kind, target_name=name, min_replicas=minimum, max_replicas=maximum,
        metrics=tuple(metrics), rules=rules, origin=origin(root), source="ScaledObject",
        cooldown=spec.int("cooldownPeriod"), crons=tuple(crons), queues=tuple(queues), others=tuple(others),
        paused=_paused(root)))


def _paused(root: Reader) -> str:
    """KEDA's pause annotations, which hold the workload where it is (or at paused-replicas), as written; ''
    when it is not paused. They stay unread: the sweep reports the annotations as a whole (KS8a)."""
    metadata = root.data.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict):
        return ""
    return ", ".join(f"{key}: {annotations[key]}" for key in PAUSE_ANNOTATIONS if key in annotations
                     and (key != "autoscaling.keda.sh/paused" or str(annotations[key]).lower() == "true"))


def _report_other_kind(root: Reader, kind: str) -> None:
    meta = parse_meta(root)
    name = meta.name or "(unnamed)"
    spec = root.data.get("spec")
    sources = sorted(k for k in spec if k != "podIdentity") if isinstance(spec, dict) else []
    identity = spec.get("podIdentity") if isinstance(spec, dict) else None
    if isinstance(identity, dict) and identity.get("provider"):
        sources.append(f"podIdentity {identity['provider']}")
    root.report_all("K2E749", kind=kind, name=name, detail=", ".join(sources) or "no credentials")


def _scaled_job(root: Reader) -> Workload | None:
    """A ScaledJob's jobTargetRef is a Job spec: its task definition, as a Job's (run by hand, K2E415); the
    event-driven start of one Job per event is the finding (K2E750), which accounts for the other fields."""
    meta = parse_meta(root)
    spec = root.child("spec")
    triggers = spec.data.get("triggers") if spec is not None else None
    types = sorted({str(t.get("type")) for t in triggers if isinstance(t, dict) and t.get("type")}) \
        if isinstance(triggers, list) else []
    job = spec.child("jobTargetRef") if spec is not None else None
    if spec is None or job is None:
        root.report_all("K2E750", name=meta.name or "(unnamed)", triggers=", ".join(types) or "no triggers")
        return None
    spec.for_report.ignore(*(key for key in spec.fields() if key != "jobTargetRef"))
    root.report("K2E750", name=meta.name, triggers=", ".join(types) or "no triggers")
    return parse_job_spec(job, meta, root)


def _number(r: Reader, key: str) -> Decimal | None:
    """A KEDA metadata value: a string in KEDA's API, a number when written unquoted."""
    raw = r.scalar(key)
    if raw is None:
        return None
    try:
        return parse_quantity(raw)
    except (ValueError, InvalidOperation):
        r.report("K2E304", key, value=str(raw)[:40])
        return None


def _resource(trigger: Reader, metadata: Reader, resource: str) -> MetricTarget | None:
    """cpu and memory: `metricType` (or the deprecated metadata `type`) Utilization or AverageValue, `value`."""
    kind = trigger.str("metricType") or metadata.str("type") or "Utilization"
    value = _number(metadata, "value")
    if value is None:
        metadata.report("K2E004", None, field=f"{metadata.field()}.value")
        return None
    container = metadata.str("containerName") or ""
    return MetricTarget("ContainerResource" if container else "Resource", resource,
                        "AverageValue" if kind == "AverageValue" else "Utilization", value, container=container,
                        origin=origin(trigger))


def _cron(trigger: Reader, metadata: Reader) -> CronTrigger | None:
    start, end = metadata.str("start") or "", metadata.str("end") or ""
    timezone = metadata.str("timezone") or ""
    desired = _number(metadata, "desiredReplicas")  # reported (K2E304) when written but not a number
    written = metadata.scalar("desiredReplicas") is not None
    missing = [k for k, v in (("start", start), ("end", end), ("timezone", timezone), ("desiredReplicas", desired))
               if v in ("", None) and not (k == "desiredReplicas" and written)]
    if missing:
        metadata.report("K2E004", None, field=f"{metadata.field()}.{missing[0]}")
    if missing or desired is None:
        return None
    if desired < 0 or desired != desired.to_integral_value():
        metadata.report("K2E003", "desiredReplicas", field=metadata.field("desiredReplicas"),
                        expected="a whole number of replicas", got=repr(metadata.scalar("desiredReplicas")))
        return None
    return CronTrigger(start, end, timezone, int(desired), origin(trigger))


def _queue(trigger: Reader, metadata: Reader) -> QueueTrigger:
    report = metadata.for_report
    report.ignore("identityOwner", "activationQueueLength", "awsEndpoint", "queueURLFromEnv", "awsAccessKeyID",
                  "awsSecretAccessKey", "awsSessionToken", "awsRoleArn")
    url = metadata.str("queueURL") or ""
    length = _number(metadata, "queueLength")
    return QueueTrigger(url, DEFAULT_QUEUE_LENGTH if length is None else length, metadata.str("awsRegion") or "",
                        _flag(metadata, "scaleOnInFlight", True), _flag(metadata, "scaleOnDelayed", False),
                        origin(trigger))


def _flag(metadata: Reader, key: str, default: bool) -> bool:
    raw = metadata.scalar(key) if not isinstance(metadata.data.get(key), bool) else metadata.bool(key)
    if raw is None:
        return default
    return str(raw).strip().lower() == "true"


def _other(trigger: Reader, metadata: Reader, kind: str) -> OtherTrigger:
    """A trigger with no CloudWatch metric kube2ecs knows: only reported, with a policy sketch."""
    trigger.for_report.ignore("metricType")
    values = metadata.for_report
    target = next((f"{k} {values.data[k]}" for k in _TARGET_KEYS if isinstance(values.data.get(k), str | int | float)),
                  "")
    values.ignore(*values.fields())
    return OtherTrigger(kind or "(no type)", target, origin(trigger))
