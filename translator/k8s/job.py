"""Job: a pod that runs to completion, i.e. an ECS task definition that is started, not kept running.

The job spec parsing is shared with CronJob (its jobTemplate.spec is a Job spec).
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.podtemplate import parse_pod, pod_template
from translator.model.app import Application, Batch, Meta, Workload
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"Job": ("batch",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"batch": ("v1", "v1beta1", "v2alpha1")}
# Where the pod spec sits, so the sweep reads its fields as pod and container fields.
POD_SPECS: dict[str, str] = {"Job": "/spec/template/spec"}
BECOMES = (
    "a task definition and a finding with the `aws ecs run-task` command that starts it; completions, parallelism, "
    "retries and deadlines reported"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    workload = parse_job_spec(spec, meta, root)
    if workload is not None:
        app.workloads.append(workload)


def parse_job_spec(spec: Reader, meta: Meta, root: Reader) -> Workload | None:
    """The Job spec of a Job or of a CronJob's jobTemplate, as a workload that runs as a task."""
    template = pod_template(spec)
    if template is None:
        return None
    if spec.for_report.bool("suspend"):
        spec.report("K2E425", "suspend", name=meta.name)
    # Retries and the restart policy only feed the finding that says ECS does not retry (mapping/batch).
    batch = Batch(completions=spec.int("completions"), parallelism=spec.int("parallelism"),
                  backoff_limit=spec.for_report.int("backoffLimit", 6),
                  restart_policy=template.spec.for_report.str("restartPolicy") or "Never", origin=origin(spec))
    return Workload(kind=root.ctx.doc.kind, meta=meta, replicas=1, pod=parse_pod(template.spec),
                    pod_labels=tuple(sorted(template.labels.items())), run="task", batch=batch, origin=origin(root))
