"""Exact findings and resources for event-driven scaling: KEDA ScaledObject (cpu, memory, cron, aws-sqs-queue and
other triggers), ScaledJob, TriggerAuthentication, and HorizontalPodAutoscaler request-rate metrics."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.support.manifests import deployment, service
from tests.support.results import found
from translator.api import TranslationResult, translate_text
from translator.mapping.batch.cron import to_eventbridge
from translator.mapping.service.triggers import is_request_rate, queue_name
from translator.model.app import MetricTarget, QueueTrigger
from translator.model.ecs import (
    CustomizedMetricSpecification,
    EcsService,
    Resource,
    ScalableTarget,
    ScalableTargetAction,
    ScalingPolicy,
    ScheduledAction,
)
from translator.model.intrinsics import GetAtt, Join, Ref

WORKER = deployment("worker", "example/worker:1", container="""\
          resources: {requests: {cpu: 500m, memory: 512Mi}}
""") + "---\n"
# 11 lines; task size 1024 CPU units (512 + 256 for Service Connect -> 1024) / 2048 MiB.


def _of(result: TranslationResult, kind: type[Resource]) -> list[Resource]:
    return [r for s in result.stacks for r in s.resources if isinstance(r, kind)]


def _scaled_object(body: str, name: str = "worker", target: str = "name: worker") -> str:
    return f"""apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {{name: {name}, namespace: shop}}
spec:
  scaleTargetRef: {{{target}}}
""" + body


def test_scaled_object_with_cron_cpu_and_sqs_triggers() -> None:
    text = WORKER + _scaled_object("""\
  minReplicaCount: 1
  maxReplicaCount: 12
  cooldownPeriod: 90
  triggers:
    - type: cron
      metadata: {timezone: America/New_York, start: "30 7 * * 0", end: "0 20 * * 7", desiredReplicas: "4"}
    - type: cpu
      metricType: Utilization
      metadata: {value: "50"}
    - type: aws-sqs-queue
      metadata:
        queueURL: https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo
        queueLength: "8"
        scaleOnInFlight: "false"
        identityOwner: operator
""")
    result = translate_text(text, name="keda.yaml")
    assert found(result) == {
        ("K2E374", 1, "/"), ("K2E300", 8, "/spec/template/spec"),
        ("K2E740", 14, "/"),
        ("K2E743", 23, "/spec/triggers/0"),
        ("K2E401", 25, "/spec/triggers/1"),
        ("K2E746", 28, "/spec/triggers/2"),
    }
    [target] = _of(result, ScalableTarget)
    assert isinstance(target, ScalableTarget)
    assert (target.min_capacity, target.max_capacity) == (1, 12)
    # Sunday is 0 (or 7) in Kubernetes' cron and 1 (SUN) for AWS: the names say it without numbers.
    assert target.scheduled_actions == (
        ScheduledAction("shop-worker-cron-start", "cron(30 7 ? * SUN *)", "America/New_York", ScalableTargetAction(4)),
        ScheduledAction("shop-worker-cron-end", "cron(0 20 ? * SUN *)", "America/New_York", ScalableTargetAction(1)),
    )
    cpu, queue = sorted(_of(result, ScalingPolicy), key=lambda p: p.logical_id)
    assert isinstance(cpu, ScalingPolicy) and isinstance(queue, ScalingPolicy)
    assert (cpu.metric_type, cpu.target_value, cpu.scale_in_cooldown, cpu.scale_out_cooldown) == \
        ("ECSServiceAverageCPUUtilization", 25.0, 90, 0)
    assert queue.logical_id == "WorkerQueueScalingPolicy" and queue.target_value == 8.0
    assert isinstance(queue.customized, CustomizedMetricSpecification)
    m1, tasks, backlog = queue.customized.metrics
    assert m1.metric_stat is not None and m1.metric_stat.metric.metric_name == "ApproximateNumberOfMessagesVisible"
    assert m1.metric_stat.metric.dimensions[0].value == "jobs.fifo"
    assert tasks.metric_stat is not None and tasks.metric_stat.metric.namespace == "ECS/ContainerInsights"
    assert [d.value for d in tasks.metric_stat.metric.dimensions] == [Ref("Cluster"), GetAtt("WorkerService", "Name")]
    assert (backlog.expression, backlog.return_data) == ("m1 / tasks", True)
    messages = {f.code: f.message for f in result.findings}
    assert "(ApproximateNumberOfMessagesVisible) / RunningTaskCount" in messages["K2E746"]
    assert "MinCapacity 4 at the start, 1 at the end" in messages["K2E743"]
    [service_] = _of(result, EcsService)
    assert isinstance(service_, EcsService) and service_.desired_count is None


def test_defaults_scale_to_zero_and_other_triggers_are_sketched() -> None:
    text = WORKER + _scaled_object("""\
  pollingInterval: 30
  triggers:
    - type: memory
      metadata: {type: AverageValue, value: 256Mi}
    - type: prometheus
      metadata: {serverAddress: "http://prometheus:9090", query: "sum(rate(jobs[1m]))", threshold: "40"}
    - type: kafka
      authenticationRef: {name: kafka-auth}
      metadata: {bootstrapServers: "kafka:9092", consumerGroup: g, topic: t, lagThreshold: "100"}
""")
    result = translate_text(text, name="keda.yaml")
    assert found(result) == {
        ("K2E300", 8, "/spec/template/spec"),
        ("K2E740", 14, "/"),
        ("K2E408", 21, "/spec/triggers/0"),
        ("K2E748", 23, "/spec/triggers/1"),
        ("K2E748", 25, "/spec/triggers/2"),
        ("K2E200", 26, "/spec/triggers/2/authenticationRef"),
        ("K2E742", 14, "/"),
    }  # pollingInterval 30 is KEDA's default: nothing to report
    [target] = _of(result, ScalableTarget)
    assert isinstance(target, ScalableTarget) and (target.min_capacity, target.max_capacity) == (0, 100)
    sketches = [f for f in result.findings if f.code == "K2E748"]
    assert "(threshold 40)" in sketches[0].message and "CloudWatch agent's Prometheus" in sketches[0].remediation
    assert "(lagThreshold 100)" in sketches[1].message and "AWS/Kafka" in sketches[1].remediation
    assert "TargetValue: 100}" in sketches[1].remediation and "ScalingTargetId WorkerScalableTarget" in sketches[1].remediation
    assert "memory utilization" in next(f.message for f in result.findings if f.code == "K2E742")


@pytest.mark.parametrize(("metadata", "detail"), [
    ("queueURLFromEnv: QUEUE_URL", "the queue URL comes from the workload's environment (queueURLFromEnv)"),
    ("queueURL: not-a-url", "'not-a-url' is not an SQS queue URL"),
])
def test_an_unknown_queue_is_reported(metadata: str, detail: str) -> None:
    text = WORKER + _scaled_object(f"""\
  minReplicaCount: 1
  triggers:
    - type: aws-sqs-queue
      metadata: {{{metadata}}}
""")
    result = translate_text(text, name="keda.yaml")
    assert found(result) == {("K2E374", 1, "/"), ("K2E300", 8, "/spec/template/spec"), ("K2E740", 14, "/"),
                             ("K2E747", 21, "/spec/triggers/0")}
    assert detail in next(f.message for f in result.findings if f.code == "K2E747")
    assert _of(result, ScalingPolicy) == []


def test_queue_names_from_urls() -> None:
    def name(url: str) -> tuple[str, str]:
        return queue_name(QueueTrigger(url, Decimal(5)))

    assert name("https://sqs.eu-west-1.amazonaws.com/123456789012/orders") == ("orders", "eu-west-1")
    assert name("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/a_b-c.fifo") == ("a_b-c.fifo", "cn-north-1")
    assert name("http://localstack:4566/000000000000/local") == ("local", "")
    assert name("https://example.com/queue") == ("", "")


def test_cron_that_cannot_be_converted_and_both_day_fields() -> None:
    text = WORKER + _scaled_object("""\
  minReplicaCount: 2
  maxReplicaCount: 5
  triggers:
    - type: cron
      metadata: {timezone: UTC, start: "0 9 1 * MON", end: "0 17 1 * MON", desiredReplicas: "9"}
    - type: cron
      metadata: {timezone: UTC, start: "0 9 * *", end: "0 17 * * *", desiredReplicas: "3"}
""")
    result = translate_text(text, name="keda.yaml")
    assert found(result) == {("K2E374", 1, "/"), ("K2E300", 8, "/spec/template/spec"), ("K2E740", 14, "/"),
                             ("K2E743", 22, "/spec/triggers/0"), ("K2E744", 24, "/spec/triggers/1")}
    [target] = _of(result, ScalableTarget)
    assert isinstance(target, ScalableTarget)
    # Kubernetes ORs two restricted day fields: one action per field; desiredReplicas 9 is capped at max 5.
    assert [(a.scheduled_action_name, a.schedule, a.scalable_target_action.min_capacity) for a in target.scheduled_actions] == [
        ("shop-worker-cron1-start", "cron(0 9 1 * ? *)", 5), ("shop-worker-cron1-start2", "cron(0 9 ? * MON *)", 5),
        ("shop-worker-cron1-end", "cron(0 17 1 * ? *)", 2), ("shop-worker-cron1-end2", "cron(0 17 ? * MON *)", 2)]
    assert "start '0 9 * *' cannot be converted: expected 5 fields" in \
        next(f.message for f in result.findings if f.code == "K2E744")



def test_cron_desired_replicas_written_wrong_is_one_error_not_missing() -> None:
    """'-3' was both 'not a quantity' and 'required field ... is missing'; 2.5 was cut to 2 without a word."""
    text = WORKER + _scaled_object("""\
  minReplicaCount: 1
  triggers:
    - type: cron
      metadata: {timezone: UTC, start: "0 9 * * *", end: "0 17 * * *", desiredReplicas: "-3"}
    - type: cron
      metadata: {timezone: UTC, start: "0 9 * * *", end: "0 17 * * *", desiredReplicas: "2.5"}
    - type: cron
      metadata: {timezone: UTC, start: "0 9 * * *", end: "0 17 * * *"}
""")
    result = translate_text(text, name="keda.yaml")
    errors = [(f.code, f.location.line, f.message) for f in result.findings if f.severity.label == "error"]
    assert errors == [
        ("K2E304", 22, "'-3' is not a Kubernetes quantity"),
        ("K2E003", 24, "spec.triggers.1.metadata.desiredReplicas must be a whole number of replicas, got '2.5'"),
        ("K2E004", 26, "required field spec.triggers.2.metadata.desiredReplicas is missing")]
    assert [a for t in _of(result, ScalableTarget) for a in t.scheduled_actions] == []

@pytest.mark.parametrize(("schedule", "expected"), [
    ("0 8 * * 1-5", "cron(0 8 ? * MON-FRI *)"),  # AWS numbers MON 2 .. FRI 6: names avoid the shift
    ("0 8 * * 0,6", "cron(0 8 ? * SUN,SAT *)"),
    ("0 8 * * 5-7", "cron(0 8 ? * SUN,FRI,SAT *)"),  # 7 is Sunday too
    ("*/15 * * * *", "cron(0/15 * * * ? *)"),  # every day: day-of-week is ?
    ("0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"),  # a day of the month: day-of-week is ?
    ("0 12 * * */2", "cron(0 12 ? * SUN,TUE,THU,SAT *)"),  # no step in AWS's day-of-week
])
def test_five_field_schedules_become_aws_six_field_cron(schedule: str, expected: str) -> None:
    assert to_eventbridge(schedule).expressions == (expected,)


def test_target_kinds_duplicates_and_other_keda_kinds() -> None:
    text = WORKER + _scaled_object("  triggers: [{type: cpu, metadata: {value: '70'}}]\n") + "---\n" + """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: worker-hpa, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: worker}
  maxReplicas: 4
---
""" + _scaled_object("  triggers: []\n", name="agents", target="kind: DaemonSet, name: agents") + """---
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata: {name: importer, namespace: shop}
spec:
  jobTargetRef: {template: {spec: {containers: [{name: i, image: "example/i:1"}]}}}
  triggers: [{type: aws-sqs-queue, metadata: {queueURL: x}}, {type: rabbitmq, metadata: {}}]
---
apiVersion: keda.sh/v1alpha1
kind: ClusterTriggerAuthentication
metadata: {name: aws-creds}
spec:
  secretTargetRef: [{parameter: awsAccessKeyID, name: aws, key: id}]
"""
    result = translate_text(text, name="keda.yaml")
    assert found(result) == {
        ("K2E300", 8, "/spec/template/spec"),
        ("K2E740", 14, "/"), ("K2E401", 19, "/spec/triggers/0"), ("K2E742", 14, "/"),
        ("K2E751", 21, "/"),
        ("K2E741", 28, "/"),
        ("K2E750", 35, "/"),  # the one-Job-per-event start; the Job spec is a task definition, as a Job's
        ("K2E415", 35, "/"), ("K2E417", 39, "/spec/jobTargetRef"), ("K2E300", 39, "/spec/jobTargetRef/template/spec"),
        ("K2E301", 39, "/spec/jobTargetRef/template/spec/containers/0"),
        ("K2E749", 42, "/"),
    }
    assert "shop.importer.json" in result.task_definitions
    messages = {f.code: f.message for f in result.findings}
    assert messages["K2E751"] == ("ScaledObject worker and HorizontalPodAutoscaler worker-hpa both scale worker; the "
                                  "ScaledObject was translated and HorizontalPodAutoscaler worker-hpa left out")
    assert "DaemonSet agents, which kube2ecs does not translate" in messages["K2E741"]
    assert messages["K2E750"] == ("ScaledJob importer starts a Job per event (aws-sqs-queue, rabbitmq); ECS has no "
                                  "event-driven job runner")
    assert messages["K2E749"] == ("ClusterTriggerAuthentication aws-creds gives KEDA scalers credentials "
                                  "(secretTargetRef); nothing reads it on ECS")
    assert len(_of(result, ScalableTarget)) == 1


RPS_HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Pods
      pods:
        metric: {name: http_requests_per_second}
        target: {type: AverageValue, averageValue: 500m}
"""
API = deployment("api", "example/api:1", container="          ports: [{name: http, containerPort: 8080}]\n") + "---\n"


def test_request_rate_behind_an_alb_becomes_alb_request_count_per_target() -> None:
    ingress = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: shop}
spec:
  ingressClassName: alb
  defaultBackend: {service: {name: api, port: {number: 80}}}
---
"""
    text = API + service("api", "{port: 80, targetPort: http}") + "---\n" + ingress + RPS_HPA
    result = translate_text(text, name="rps.yaml")
    codes = {(c, p) for c, _, p in found(result)}
    assert ("K2E752", "/spec/metrics/0") in codes and not {c for c, _ in codes} & {"K2E403", "K2E753"}
    [policy] = _of(result, ScalingPolicy)
    assert isinstance(policy, ScalingPolicy)
    assert (policy.metric_type, policy.target_value) == ("ALBRequestCountPerTarget", 30.0)  # 0.5 per second x 60
    assert policy.resource_label == Join("/", (GetAtt("IngressAlbLoadBalancer", "LoadBalancerFullName"),
                                               GetAtt("IngressAlbApi80TargetGroup", "TargetGroupFullName")))
    message = next(f.message for f in result.findings if f.code == "K2E752")
    assert "0.5 requests per second per task" in message and "30 requests per target per minute" in message


def test_request_rate_without_an_alb_is_reported() -> None:
    text = API + service("api", "{port: 80, targetPort: http}") + "---\n" + RPS_HPA
    result = translate_text(text, name="rps.yaml")
    [finding] = [f for f in result.findings if f.code == "K2E753"]
    assert (finding.location.line, finding.location.pointer) == (29, "/spec/metrics/0")
    assert finding.message == ("Pods metric http_requests_per_second of HorizontalPodAutoscaler api: its ECS service is "
                               "not behind an Application Load Balancer, so ALBRequestCountPerTarget cannot measure it; "
                               "no policy was created")
    assert _of(result, ScalingPolicy) == []


@pytest.mark.parametrize(("name", "rate"), [("requests-per-second", True), ("http_requests", True),
                                            ("nginx_ingress_requests_per_second", True), ("rps", True),
                                            ("queue_depth", False), ("requests_latency_p99", False)])
def test_request_rate_metric_names(name: str, rate: bool) -> None:
    assert is_request_rate(MetricTarget("Object", name, "Value", None)) is rate
    assert not is_request_rate(MetricTarget("Resource", "cpu", "Utilization", None))


def test_a_value_target_is_read_per_task_with_a_warning() -> None:
    hpa = RPS_HPA.replace("""    - type: Pods
      pods:
        metric: {name: http_requests_per_second}
        target: {type: AverageValue, averageValue: 500m}""", """    - type: Object
      object:
        metric: {name: requests-per-second}
        describedObject: {apiVersion: v1, kind: Service, name: api}
        target: {type: Value, value: 2k}""")
    text = API + service("api", "{name: http, port: 80, targetPort: http}", type="LoadBalancer") + "---\n" + hpa
    result = translate_text(text, name="rps.yaml")
    [finding] = [f for f in result.findings if f.code == "K2E752"]
    assert finding.severity.label == "warning"
    assert "2000 requests per second per task (a Value target is the whole object's rate" in finding.message
    [policy] = _of(result, ScalingPolicy)
    assert isinstance(policy, ScalingPolicy) and policy.target_value == 120000.0


def test_more_queue_urls() -> None:
    def name(url: str) -> tuple[str, str]:
        return queue_name(QueueTrigger(url, Decimal(5)))

    assert name("https://us-east-2.queue.amazonaws.com/123456789012/legacy") == ("legacy", "us-east-2")
    assert name("https://sqs.us-east-1.amazonaws.com/123456789012/") == ("", "")
    assert name("https://sqs.us-east-1.amazonaws.com/1234/orders") == ("", "")
    assert name("https://sqs.us-east-1.amazonaws.com/123456789012/" + "q" * 81) == ("", "")
    assert name("https://sqs.us-east-1.amazonaws.com/123456789012/a.b") == ("", "")


def test_a_scaled_job_keeps_its_job_as_a_task_definition() -> None:
    """Only the start of one Job per event has no ECS equivalent: the worker itself (image, command, env, Secrets,
    size) was dropped with the whole ScaledJob; its fields read as a Job's, the others are K2E750's."""
    result = translate_text("""\
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata: {name: importer, namespace: shop}
spec:
  jobTargetRef:
    parallelism: 1
    activeDeadlineSeconds: 600
    template:
      spec:
        restartPolicy: Never
        containers: [{name: i, image: "example/i:1", args: [run], resources: {requests: {cpu: 500m, memory: 1Gi}}}]
  pollingInterval: 10
  maxReplicaCount: 20
  scalingStrategy: {strategy: accurate}
  successfulJobsHistoryLimit: 3
  triggers: [{type: aws-sqs-queue, metadata: {queueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"}}]
""", name="keda.yaml")
    task = json.loads(result.task_definitions["shop.importer.json"])
    [worker] = [c for c in task["containerDefinitions"] if c["name"] == "i"]
    assert (worker["image"], worker["command"], task["cpu"], task["memory"]) == ("example/i:1", ["run"], "512", "1024")
    found = [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings if f.code != "K2E370"]
    assert found == [
        ("K2E415", "warning", 1, "ScaledJob importer becomes task definition shop-importer, which nothing starts by "
                                 "itself"),
        ("K2E750", "warning", 1, "ScaledJob importer starts a Job per event (aws-sqs-queue); ECS has no event-driven "
                                 "job runner"),
        ("K2E417", "warning", 5, "ScaledJob importer retries a failed pod (backoffLimit 6, restartPolicy Never); ECS "
                                 "runs the task once"),
        ("K2E200", "warning", 7, "spec.activeDeadlineSeconds has no ECS equivalent and was not translated (none): ECS "
                                 "tasks have no deadline"),
        ("K2E300", "info", 9, "task size 512 CPU units / 1024 MiB chosen for a need of 512 / 1024 MiB (sum of "
                              "container limits, else requests)")]


def test_a_paused_scaled_object_is_a_warning_where_its_scaling_is_made() -> None:
    """KEDA holds a paused workload still; the policies made from the ScaledObject act at once on ECS."""
    text = WORKER + _scaled_object("""\
  triggers: [{type: cpu, metricType: Utilization, metadata: {value: "60"}}]
""").replace("namespace: shop}", "namespace: shop, annotations: {autoscaling.keda.sh/paused-replicas: '2'}}") \
        + "---\n" + _scaled_object("  triggers: []\n", name="idle", target="name: missing").replace(
            "namespace: shop}", "namespace: shop, annotations: {autoscaling.keda.sh/paused: 'true'}}") \
        + "---\n" + _scaled_object("  triggers: []\n", name="other", target="name: missing").replace(
            "namespace: shop}", "namespace: shop, annotations: {autoscaling.keda.sh/paused: 'false'}}")
    result = translate_text(text, name="keda.yaml")
    paused = [(f.code, f.severity.label, f.resource, f.message) for f in result.findings if f.code == "K2E780"]
    assert paused == [("K2E780", "warning", "ScaledObject/shop/worker", (
        "ScaledObject worker is paused (autoscaling.keda.sh/paused-replicas: 2): KEDA does not scale its workload, "
        "but the ECS scaling made from it acts from the first deploy"))]
