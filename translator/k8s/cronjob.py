"""CronJob: a Job on a schedule, i.e. a task definition that EventBridge Scheduler starts."""

from __future__ import annotations

from dataclasses import replace

from translator.k8s.common import SERVER_FIELDS, origin_at, parse_meta
from translator.k8s.job import parse_job_spec
from translator.model.app import Application, CronSchedule
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"CronJob": ("batch",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"batch": ("v1", "v1beta1", "v2alpha1")}
# Objects embedded in this kind read like another kind: the jobTemplate is a Job.
EMBEDDED: dict[str, tuple[str, str, str]] = {"CronJob": ("/spec/jobTemplate", "Job", "")}
BECOMES = (
    "a task definition and an EventBridge Scheduler schedule that runs it on the cluster (role limited to ecs:RunTask "
    "on the family and iam:PassRole on its roles); the five-field cron converted to `cron(...)` with the day-of-month / "
    "day-of-week `?` rules; timeZone, suspend; the job spec as for Job"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    template = spec.child("jobTemplate") if spec else None
    job_spec = template.child("spec") if template else None
    schedule = spec.str("schedule") if spec else None
    if spec is None or job_spec is None or template is None or not schedule:
        missing = "spec.schedule" if spec is not None and not schedule else "spec.jobTemplate.spec"
        root.report("K2E004", field=missing)
        return
    workload = parse_job_spec(job_spec, meta, root)
    if workload is None:
        return
    cron = CronSchedule(schedule, spec.str("timeZone") or "", bool(spec.bool("suspend")),
                        spec.int("startingDeadlineSeconds"), origin_at(spec, "schedule"),
                        origin_at(spec, "startingDeadlineSeconds"))
    job_meta = template.child("metadata")
    extra: dict[str, str] = {}
    if job_meta is not None:  # labels and annotations the controller copies onto each Job: tags here
        job_meta.ignore(*SERVER_FIELDS)
        extra = {**job_meta.str_map("annotations"), **job_meta.str_map("labels")}
    labels = dict(workload.pod_labels) | {k: v for k, v in extra.items() if k not in dict(workload.pod_labels)}
    app.workloads.append(replace(workload, cron=cron, pod_labels=tuple(sorted(labels.items()))))
