"""Exact findings and resources for HorizontalPodAutoscaler, PodDisruptionBudget, Job, CronJob, Pod and
ReplicationController: every finding of each input (code, line, pointer), not a subset."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.manifests import deployment
from tests.support.results import found as _found
from translator.api import TranslationResult, translate_text
from translator.mapping.service.disruption import needed
from translator.mapping.service.metrics import average_value_percent, rescale
from translator.model.ecs import EcsService, Resource, ScalableTarget, ScalingPolicy, Schedule

DEPLOYMENT = deployment("web", "example/web:1", replicas=4, container="""\
          resources: {requests: {cpu: 1500m, memory: 1Gi}, limits: {cpu: 1500m, memory: 1Gi}}
""") + "---\n"
# Task size: need 1536 + 256 (Service Connect) CPU units, 1024 + 64 MiB -> 2048 / 4096.


def _resources(result: TranslationResult, kind: type[Resource]) -> list[Resource]:
    return [r for s in result.stacks for r in s.resources if isinstance(r, kind)]


def _deployment_findings(replicas_line: int = 1) -> set[tuple[str, int, str]]:
    return {("K2E374", replicas_line, "/"), ("K2E300", 9, "/spec/template/spec")}


def test_hpa_v2_scales_the_service_with_rescaled_targets() -> None:
    text = DEPLOYMENT + """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 8
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    - type: Resource
      resource: {name: memory, target: {type: AverageValue, averageValue: 1Gi}}
    - type: External
      external:
        metric: {name: queue_depth, selector: {matchLabels: {queue: orders}}}
        target: {type: AverageValue, averageValue: "30"}
  behavior:
    scaleDown: {selectPolicy: Disabled}
    scaleUp: {stabilizationWindowSeconds: 120, selectPolicy: Min}
"""
    result = translate_text(text, name="hpa.yaml")
    assert _found(result) == _deployment_findings() | {
        ("K2E400", 15, "/"),
        ("K2E401", 23, "/spec/metrics/0"),
        ("K2E408", 25, "/spec/metrics/1"),
        ("K2E403", 27, "/spec/metrics/2"),
        ("K2E404", 33, "/spec/behavior/scaleUp"),
        ("K2E405", 33, "/spec/behavior/scaleUp"),
    }
    target = _resources(result, ScalableTarget)
    assert [(t.min_capacity, t.max_capacity) for t in target] == [(2, 8)]  # type: ignore[attr-defined]
    policies = {p.metric_type: p for p in _resources(result, ScalingPolicy)}  # type: ignore[attr-defined]
    cpu, memory = policies["ECSServiceAverageCPUUtilization"], policies["ECSServiceAverageMemoryUtilization"]
    assert (cpu.target_value, memory.target_value) == (52.5, 25.0)  # type: ignore[attr-defined]
    assert (cpu.scale_in_cooldown, cpu.scale_out_cooldown, cpu.disable_scale_in) == (300, 120, True)  # type: ignore[attr-defined]
    service = _resources(result, EcsService)[0]
    assert service.desired_count is None  # type: ignore[attr-defined]
    assert "      DesiredCount:" not in result.templates["shop.yaml"]
    sketch = next(f for f in result.findings if f.code == "K2E403").remediation
    assert "Expression: m1 / m2" in sketch and "MetricName: queue_depth" in sketch and "TargetValue: 30" in sketch


def test_hpa_v1_and_v2beta1_shapes() -> None:
    text = DEPLOYMENT + """\
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 5
  targetCPUUtilizationPercentage: 50
---
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata: {name: web-pods, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Pods
      pods: {metricName: packets-per-second, targetAverageValue: 1k}
---
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: api}
  maxReplicas: 3
"""
    result = translate_text(text, name="hpa.yaml")
    assert _found(result) == _deployment_findings() | {
        ("K2E400", 15, "/"),
        ("K2E401", 21, "/spec/targetCPUUtilizationPercentage"),
        ("K2E407", 23, "/"),
        ("K2E402", 34, "/"),
    }
    policy = _resources(result, ScalingPolicy)[0]
    assert policy.target_value == 37.5  # type: ignore[attr-defined]  # 50 x 1536 / 2048


def test_rescaling_formula() -> None:
    assert rescale(Decimal(70), 1536, 2048) == Decimal("52.5")
    assert rescale(Decimal(80), 768, 4096) == Decimal("15.0")
    assert average_value_percent(Decimal("0.5"), "cpu", 1024) == Decimal("50.0")
    assert average_value_percent(Decimal(2**29), "memory", 2048) == Decimal("25.0")


def test_pdb_folds_into_minimum_healthy_percent() -> None:
    text = DEPLOYMENT.replace("replicas: 4", "replicas: 3") + """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 34%
  selector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: other, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: other}}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: broken, namespace: shop}
spec:
  minAvailable: half
  selector: {matchLabels: {app: web}}
"""
    result = translate_text(text, name="pdb.yaml")
    # broken comes first by name: its value is reported and skipped; web: ceil(3 x 34%) = 2 may go, 1 stays -> 33,
    # not stricter than the rolling update's 100 (25% of 3 rounds down to 0 unavailable).
    assert _found(result) == _deployment_findings() | {
        ("K2E410", 18, "/spec"), ("K2E411", 25, "/spec"), ("K2E413", 32, "/spec")}
    service = _resources(result, EcsService)[0]
    assert (service.maximum_percent, service.minimum_healthy_percent) == (134, 100)  # type: ignore[attr-defined]
    assert [needed("34%", 3, False), needed(2, 3, True), needed("50%", 3, True), needed(5, 3, True)] == [1, 2, 2, 3]


def test_pdb_stricter_than_recreate_widens_the_rollout() -> None:
    text = DEPLOYMENT.replace("replicas: 4", "replicas: 2\n  strategy: {type: Recreate}") + """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 100%
  selector: {matchLabels: {app: web}}
"""
    result = translate_text(text, name="pdb.yaml")
    assert _found(result) == {("K2E300", 10, "/spec/template/spec"), ("K2E410", 19, "/spec"), ("K2E412", 19, "/spec")}
    service = _resources(result, EcsService)[0]
    assert (service.maximum_percent, service.minimum_healthy_percent) == (150, 100)  # type: ignore[attr-defined]


JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: import, namespace: etl}
spec:
  completions: 12
  parallelism: 4
  backoffLimit: 0
  activeDeadlineSeconds: 900
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: import
          image: example/import:1
          resources: {requests: {cpu: 250m, memory: 512Mi}}
"""


def test_job_becomes_a_task_definition_and_a_run_task_command() -> None:
    result = translate_text(JOB, name="job.yaml")
    assert _found(result) == {("K2E415", 1, "/"), ("K2E416", 4, "/spec"), ("K2E200", 8, "/spec/activeDeadlineSeconds"),
                              ("K2E300", 10, "/spec/template/spec")}
    assert _resources(result, EcsService) == []
    assert list(result.task_definitions) == ["etl.import.json"]
    command = next(f for f in result.findings if f.code == "K2E415").remediation
    assert command.startswith(
        "Run it with: aws ecs run-task --cluster $CLUSTER --task-definition etl-import --count 4 --launch-type FARGATE "
        "--platform-version LATEST --network-configuration \"awsvpcConfiguration={subnets=[$SUBNETS],"
        "securityGroups=[$SECURITY_GROUP],assignPublicIp=DISABLED}\"")
    assert "Outputs:\n  ClusterName:" in result.templates["etl.yaml"]


CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: etl}
spec:
  schedule: "0 6 15 * MON"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1
              resources: {requests: {cpu: 250m, memory: 512Mi}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick, namespace: etl}
spec:
  schedule: "@every 90m"
  timeZone: America/New_York
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: tick
              image: example/tick:1
              resources: {limits: {cpu: 250m, memory: 512Mi}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: never, namespace: etl}
spec:
  schedule: "@reboot"
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: never
              image: example/never:1
              resources: {limits: {cpu: 250m, memory: 512Mi}}
"""


def test_cronjob_becomes_schedules_with_a_scoped_role() -> None:
    result = translate_text(CRONJOB, name="cron.yaml")
    assert _found(result) == {
        ("K2E418", 5, "/spec/schedule"), ("K2E419", 5, "/spec/schedule"), ("K2E422", 5, "/spec/schedule"),
        ("K2E417", 8, "/spec/jobTemplate/spec"), ("K2E300", 10, "/spec/jobTemplate/spec/template/spec"),
        ("K2E418", 21, "/spec/schedule"), ("K2E421", 21, "/spec/schedule"),
        ("K2E300", 27, "/spec/jobTemplate/spec/template/spec"),
        ("K2E420", 38, "/spec/schedule"), ("K2E300", 43, "/spec/jobTemplate/spec/template/spec"),
    }
    schedules = {s.logical_id: s for s in _resources(result, Schedule)}  # type: ignore[attr-defined]
    assert {k: (s.expression, s.timezone, s.state) for k, s in schedules.items()} == {  # type: ignore[attr-defined]
        "ReportSchedule": ("cron(0 6 15 * ? *)", "", "DISABLED"),
        "ReportWeekdaySchedule": ("cron(0 6 ? * MON *)", "", "DISABLED"),
        "TickSchedule": ("rate(90 minutes)", "America/New_York", "ENABLED"),
    }
    template = result.templates["etl.yaml"]
    assert template.count("Service: scheduler.amazonaws.com\n") == 2
    assert "task-definition/etl-report:*" in template and "iam:PassedToService: ecs-tasks.amazonaws.com\n" in template
    assert sorted(result.task_definitions) == ["etl.never.json", "etl.report.json", "etl.tick.json"]


def test_bare_pods_by_restart_policy() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: toolbox, namespace: ops, labels: {app: toolbox}}
spec:
  containers:
    - name: toolbox
      image: example/toolbox:1
      resources: {limits: {cpu: 250m, memory: 512Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: once, namespace: ops}
spec:
  restartPolicy: OnFailure
  containers:
    - name: once
      image: example/once:1
      resources: {limits: {cpu: 250m, memory: 512Mi}}
"""
    result = translate_text(text, name="pods.yaml")
    assert _found(result) == {
        ("K2E423", 1, "/"), ("K2E374", 1, "/"), ("K2E300", 4, "/spec"),
        ("K2E415", 10, "/"), ("K2E417", 13, "/spec"), ("K2E300", 13, "/spec"),
    }
    services = _resources(result, EcsService)
    assert [(s.service_name, s.desired_count, s.maximum_percent, s.minimum_healthy_percent)  # type: ignore[attr-defined]
            for s in services] == [("ops-toolbox", 1, 200, 100)]
    assert sorted(result.task_definitions) == ["ops.once.json", "ops.toolbox.json"]


def test_replication_controller_is_a_deployment() -> None:
    text = """\
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy, namespace: ops}
spec:
  replicas: 3
  selector: {app: legacy}
  minReadySeconds: 10
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers:
        - name: legacy
          image: example/legacy:1
          resources: {limits: {cpu: 250m, memory: 512Mi}}
"""
    result = translate_text(text, name="rc.yaml")
    assert _found(result) == {("K2E424", 1, "/"), ("K2E374", 1, "/"), ("K2E200", 7, "/spec/minReadySeconds"),
                              ("K2E300", 10, "/spec/template/spec")}
    service = _resources(result, EcsService)[0]
    assert (service.desired_count, service.maximum_percent, service.minimum_healthy_percent) == (3, 134, 100)  # type: ignore[attr-defined]


def test_hpa_resource_metric_without_target_is_a_missing_field() -> None:
    text = DEPLOYMENT + """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: {name: cpu}
"""
    result = translate_text(text, name="hpa.yaml")
    assert _found(result) == _deployment_findings() | {("K2E400", 15, "/"), ("K2E004", 23, "/spec/metrics/0/resource")}
    assert _resources(result, ScalingPolicy) == []


def test_configured_cluster_and_capacity_providers_reach_schedules_and_commands() -> None:
    from tests.support.validation import cfn_lint_errors
    from translator.options import options_from_dict

    options = options_from_dict({"cluster": "prod", "capacity_providers": [
        {"provider": "FARGATE_SPOT", "weight": 3}, {"provider": "FARGATE", "weight": 1, "base": 1}]})
    text = DEPLOYMENT + """\
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 5
---
""" + JOB.replace("namespace: etl", "namespace: shop") + "---\n" + CRONJOB.split("---\n")[0].replace("namespace: etl", "namespace: shop")
    result = translate_text(text, options=options, name="all.yaml")
    template = result.templates["shop.yaml"]
    assert cfn_lint_errors(template) == []
    assert "- - service\n            - prod\n" in template  # the ScalableTarget's ResourceId
    assert "Fn::Sub: arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/prod\n" in template
    assert "ClusterName" not in template
    command = next(f for f in result.findings if f.code == "K2E415").remediation
    assert ("--cluster prod --task-definition shop-import --count 4 --capacity-provider-strategy "
            "capacityProvider=FARGATE_SPOT,weight=3,base=0 capacityProvider=FARGATE,weight=1,base=1 ") in command


def test_pdb_over_two_services_is_applied_to_each() -> None:
    second = DEPLOYMENT.replace("name: web,", "name: worker,").replace("- name: web", "- name: worker")
    text = DEPLOYMENT + second + """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: web}}
"""
    result = translate_text(text, name="pdb.yaml")
    codes = sorted((f.code, f.location.line) for f in result.findings if f.code in ("K2E410", "K2E427"))
    assert codes == [("K2E410", 32), ("K2E410", 32), ("K2E427", 32)]
    assert [s.minimum_healthy_percent for s in _resources(result, EcsService)] == [75, 75]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("deadline", "age"), [(10, 60), (300, 300), (200000, 86400)])
def test_starting_deadline_becomes_the_retry_window_within_the_scheduler_bounds(deadline: int, age: int) -> None:
    cronjob = CRONJOB.split("---\n")[1].replace("  timeZone: America/New_York\n",
                                               f"  startingDeadlineSeconds: {deadline}\n")
    result = translate_text(cronjob, name="cron.yaml")
    assert f"RetryPolicy:\n          MaximumEventAgeInSeconds: {age}\n" in result.templates["etl.yaml"]
    assert [(f.location.line, f.message) for f in result.findings if f.code == "K2E428"] == [
        (6, f"CronJob tick startingDeadlineSeconds {deadline} becomes the schedule's retry window of {age} s")]


@pytest.mark.parametrize(("annotations", "expected"), [
    ('{helm.sh/hook: "pre-install,pre-upgrade", helm.sh/hook-weight: "-5"}',
     "Helm marks Job migrate as a hook (pre-install, pre-upgrade): run it before deploying the stack"),
    ("{helm.sh/hook: post-install}", "Helm marks Job migrate as a hook (post-install): run it after deploying the stack"),
    ("{argocd.argoproj.io/hook: PreSync}", "Argo CD marks Job migrate as a hook (PreSync): run it before deploying the stack"),
    ("{argocd.argoproj.io/hook: SyncFail}", "Argo CD marks Job migrate as a hook (SyncFail): run it when a deploy fails"),
])
def test_hook_annotations_say_when_the_job_runs(annotations: str, expected: str) -> None:
    manifest = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations: {annotations}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: example/migrate:1
"""
    hooks = [f for f in translate_text(manifest, name="job.yaml").findings if f.code == "K2E429"]
    assert [(f.location.line, f.message) for f in hooks] == [
        (1, f"{expected}; CloudFormation starts nothing by itself")]
    assert hooks[0].remediation.startswith("Run it ") and "aws ecs run-task --cluster $CLUSTER --task-definition shop-migrate" in hooks[0].remediation


@pytest.mark.parametrize(("wave", "expected", "when"), [
    ('"-1"', "Argo CD marks Job migrate as a hook (Sync, sync wave -1 before the services' 0): run it before deploying "
             "the stack", "before"),
    ('"5"', "Argo CD marks Job migrate as a hook (Sync, sync wave 5 after the services' 2): run it after deploying the "
            "stack", "after"),
    ('"1"', "Argo CD marks Job migrate as a hook (Sync): run it while the stack deploys", None),
    ('"0"', "Argo CD marks Job migrate as a hook (Sync): run it while the stack deploys", None),
    ("soon", "Argo CD marks Job migrate as a hook (Sync): run it while the stack deploys", None),
])
def test_an_argo_cd_sync_hook_runs_before_or_after_the_stack_by_its_sync_wave(wave: str, expected: str,
                                                                            when: str | None) -> None:
    """Argo CD applies a Sync hook in its wave among the other objects: before every service's wave, it runs before
    them; after every one, after them; between (or in one of theirs), while they deploy."""
    job = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations: {{argocd.argoproj.io/hook: Sync, argocd.argoproj.io/sync-wave: {wave}}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: m, image: example/migrate:1}}]
"""
    services = (deployment("api") + "---\n"
                + deployment("web", metadata='annotations: {argocd.argoproj.io/sync-wave: "2"}'))
    result = translate_text(job + "---\n" + services, name="app.yaml")
    assert [f.message for f in result.findings if f.code == "K2E429"] == [
        f"{expected}; CloudFormation starts nothing by itself"]
    assert result.next_steps is not None
    runs = [s.when for s in result.next_steps.steps() if s.kind == "run-task"]
    assert runs == ([when] if when else [])


def test_hpa_values_the_api_server_refuses_are_errors_not_silent_repairs() -> None:
    """minReplicas above maxReplicas became a fixed size, a target of 0% became 80% and a window of -1 s a
    ScaleInCooldown of -1, each without a finding."""
    text = DEPLOYMENT + """\
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  minReplicas: 5
  maxReplicas: 3
  targetCPUUtilizationPercentage: 0
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: other}
spec:
  scaleTargetRef: {kind: Deployment, name: other}
  maxReplicas: 3
  behavior: {scaleDown: {stabilizationWindowSeconds: -1}, scaleUp: {stabilizationWindowSeconds: 7200}}
"""
    result = translate_text(text)
    errors = [(f.location.line, f.message) for f in result.findings if f.code == "K2E003"]
    assert errors == [
        (20, "spec.minReplicas must be at most maxReplicas (3), got 5"),
        (22, "spec.targetCPUUtilizationPercentage must be a percentage above 0 (80 used), got 0"),
        (30, "spec.behavior.scaleDown.stabilizationWindowSeconds must be seconds from 0 to 3600, got -1"),
        (30, "spec.behavior.scaleUp.stabilizationWindowSeconds must be seconds from 0 to 3600, got 7200")]
    [scaling] = [r for r in result.app.autoscalers if r.meta.name == "other"]
    assert [(rule.direction, rule.window) for rule in scaling.rules] == [("scaleUp", None), ("scaleDown", None)]
