"""Event-driven scaling: KEDA cron, aws-sqs-queue and other triggers, and HPA request-rate metrics.

- cron (start, end, timezone, desiredReplicas): two scheduled actions on the scalable target each time a
  schedule starts: at `start` MinCapacity = desiredReplicas, at `end` MinCapacity back to minReplicaCount.
  The five-field schedules are converted as CronJob schedules are (mapping/batch/cron.py): six fields,
  `?` in one day field, no step in day-of-week, the same `cron(...)` syntax as EventBridge
  (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html).
- aws-sqs-queue: target tracking on the queue's backlog per task, the metric math AWS documents
  (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html,
  "Example: Amazon SQS queue backlog per task"): the queue's messages (AWS/SQS, QueueName; with KEDA's
  scaleOnInFlight default the in-flight ones too, with scaleOnDelayed the delayed ones) divided by the
  service's RunningTaskCount (ECS/ContainerInsights, ClusterName and ServiceName), TargetValue queueLength.
- a request-rate metric of an HPA (requests per second per pod) on a service behind an ALB:
  ALBRequestCountPerTarget with ResourceLabel `app/<lb>/<id>/targetgroup/<tg>/<id>` (the Join of the
  load balancer's LoadBalancerFullName and the target group's TargetGroupFullName). The metric counts
  requests per target in one minute, so the per-second target is multiplied by 60
  (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html:
  "specify the target utilization as the optimal average request count per target during any
  one-minute interval"; ResourceLabel: API_PredefinedMetricSpecification.html).
- every other trigger: a finding with the CloudWatch metric to publish and a customized-metric policy sketch.
"""

from __future__ import annotations

import re
from decimal import Decimal

from translator.findings.model import Severity
from translator.mapping.batch.cron import to_eventbridge
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.service import metrics
from translator.mapping.service.assemble import Contribution, ServiceBase, bindings
from translator.model import intrinsics
from translator.model.app import Autoscaler, MetricTarget, QueueTrigger
from translator.model.ecs import (
    CloudWatchMetric,
    CustomizedMetricSpecification,
    Forward,
    Listener,
    ListenerRule,
    LoadBalancer,
    Metadata,
    MetricDimension,
    ScalableTargetAction,
    ScalingPolicy,
    ScheduledAction,
    TargetGroup,
    TargetTrackingMetricDataQuery,
    TargetTrackingMetricStat,
)
from translator.model.intrinsics import GetAtt, Join, Value

ACTION_NAME_LIMIT = 256  # characters of a scheduled action's name
REQUEST_RATE = re.compile(r"(requests?|reqs?)[-_ .]?(per[-_ .]?)?(second|sec|s)\b|http_requests|\brps\b", re.IGNORECASE)
SECONDS_PER_MINUTE = 60
_QUEUE_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.fifo)?")  # at most 80 characters before .fifo

# What to publish to CloudWatch for the common KEDA scalers, for the finding of an untranslated trigger.
PUBLISH = {
    "prometheus": "the PromQL query's value, scraped by the CloudWatch agent's Prometheus support (or exported "
                  "from Amazon Managed Service for Prometheus)",
    "kafka": "the consumer group's lag: Amazon MSK publishes it (AWS/Kafka SumOffsetLag or MaxOffsetLag with "
             "enhanced monitoring per consumer group)",
    "apache-kafka": "the consumer group's lag: Amazon MSK publishes it (AWS/Kafka SumOffsetLag with enhanced monitoring)",
    "rabbitmq": "the queue's messages: Amazon MQ for RabbitMQ publishes them (AWS/AmazonMQ MessageCount per Queue)",
    "redis": "the list's length, published by the application or the CloudWatch agent (StatsD or embedded metric format)",
    "aws-cloudwatch": "nothing: the metric is already in CloudWatch, use its namespace, name and dimensions",
    "aws-kinesis-stream": "the stream's shard count or iterator age (AWS/Kinesis GetRecords.IteratorAgeMilliseconds)",
    "aws-dynamodb": "the query's count, published by a scheduled Lambda function",
    "postgresql": "the query's value, published by a scheduled Lambda function or the application",
    "mysql": "the query's value, published by a scheduled Lambda function or the application",
    "metrics-api": "the value of the metrics endpoint, published by the application with embedded metric format",
}


def is_request_rate(metric: MetricTarget) -> bool:
    """A Pods, Object or External metric of requests per second (`requests-per-second`, `http_requests`, ...)."""
    return metric.type in ("Pods", "Object", "External") and bool(REQUEST_RATE.search(metric.name))


def cron_actions(mc: MapContext, scaler: Autoscaler, service: str) -> tuple[ScheduledAction, ...]:
    """Two scheduled actions per schedule a cron trigger starts (more when a schedule ORs its day fields)."""
    actions: list[ScheduledAction] = []
    for index, cron in enumerate(scaler.crons, start=1):
        start, end = to_eventbridge(cron.start), to_eventbridge(cron.end)
        failed = next(((field, text, c) for field, text, c in (("start", cron.start, start), ("end", cron.end, end))
                       if c.error or c.interval), None)
        if failed is not None:
            field, text, conversion = failed
            mc.report(cron.origin, "K2E744", name=scaler.meta.name, field=field, schedule=text,
                      detail=conversion.error or "an @every interval has no fixed start time")
            continue
        desired = min(max(cron.desired, scaler.min_replicas), scaler.max_replicas)
        stem = f"{service}-cron{'' if len(scaler.crons) == 1 else index}"
        made: list[ScheduledAction] = []
        for when, conversion, capacity in (("start", start, desired), ("end", end, scaler.min_replicas)):
            for number, expression in enumerate(conversion.expressions, start=1):
                name = f"{stem}-{when}{'' if number == 1 else number}"[:ACTION_NAME_LIMIT]
                made.append(ScheduledAction(name, expression, cron.timezone or None,
                                            ScalableTargetAction(min_capacity=capacity)))
        actions += made
        shown = ", ".join(f"{a.scheduled_action_name} {a.schedule}" for a in made)
        mc.report(cron.origin, "K2E743", name=scaler.meta.name, start=cron.start, end=cron.end,
                  timezone=cron.timezone, desired=cron.desired, capacity=desired, actions=shown,
                  min=scaler.min_replicas)
    return tuple(actions)


def queue_name(trigger: QueueTrigger) -> tuple[str, str]:
    """(queue name, Region in the URL or '') of an SQS queue URL, `https://sqs.<region>.amazonaws.com/<account>/<queue>`
    (or `<region>.queue.amazonaws.com`, or another endpoint such as LocalStack's); ('', '') when it is not one."""
    scheme, _, rest = trigger.queue_url.partition("://")
    host, _, path = rest.partition("/")
    parts = path.strip("/").split("/")
    if scheme not in ("http", "https") or not host or len(parts) != 2:
        return "", ""
    account, name = parts
    if not (len(account) == 12 and account.isdigit()) or not _QUEUE_NAME.fullmatch(name) \
            or len(name.removesuffix(".fifo")) > 80:
        return "", ""
    labels = host.split(".")
    if "amazonaws" not in labels:
        return name, ""
    region = labels[1] if labels[0] == "sqs" and len(labels) > 3 else labels[0] if labels[1:2] == ["queue"] else ""
    return name, region


def queue_policies(mc: MapContext, nb: NamespaceBuild, scaler: Autoscaler, owner: str, service: ServiceBase,
                   cluster: Value, target_id: str, metadata: Metadata, cooldowns: tuple[int, int, bool]) -> int:
    """One backlog-per-task policy per aws-sqs-queue trigger; the number made."""
    made = 0
    region = "" if mc.options.region.startswith("$") else mc.options.region  # "${AWS_REGION}": not known
    for index, trigger in enumerate(scaler.queues, start=1):
        name, url_region = queue_name(trigger)
        if not name:
            detail = ("the queue URL comes from the workload's environment (queueURLFromEnv)" if not trigger.queue_url
                      else f"{trigger.queue_url!r} is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)")
            mc.report(trigger.origin, "K2E747", name=scaler.meta.name, detail=detail)
            continue
        queue_region = trigger.region or url_region
        if queue_region and region and queue_region != region:
            mc.report(trigger.origin, "K2E747", name=scaler.meta.name,
                      detail=f"queue {name} is in {queue_region}, the stack in {region}; a target-tracking metric is read "
                             f"in the stack's Region")
            continue
        counted = ["ApproximateNumberOfMessagesVisible"]
        if trigger.in_flight:
            counted.append("ApproximateNumberOfMessagesNotVisible")
        if trigger.delayed:
            counted.append("ApproximateNumberOfMessagesDelayed")
        queries = [TargetTrackingMetricDataQuery(
            f"m{i}", TargetTrackingMetricStat(CloudWatchMetric("AWS/SQS", metric, (MetricDimension("QueueName", name),)),
                                              "Sum")) for i, metric in enumerate(counted, start=1)]
        tasks = TargetTrackingMetricDataQuery("tasks", TargetTrackingMetricStat(CloudWatchMetric(
            "ECS/ContainerInsights", "RunningTaskCount",
            (MetricDimension("ClusterName", cluster), MetricDimension("ServiceName", GetAtt(service.logical_id, "Name")))),
            "Average"))
        backlog = " + ".join(q.id for q in queries)
        expression = f"({backlog}) / tasks" if len(queries) > 1 else f"{backlog} / tasks"
        total = TargetTrackingMetricDataQuery("backlog", expression=expression, label="messages per running task",
                                              return_data=True)
        suffix = "" if len(scaler.queues) == 1 else str(index)
        scale_in, scale_out, disable_in = cooldowns
        nb.stack.add(ScalingPolicy(
            nb.ids.get(owner, f"QueueScalingPolicy{suffix}"), metadata=metadata,
            policy_name=f"{service.service_name}-queue{suffix}", scaling_target_id=intrinsics.Ref(target_id),
            target_value=float(trigger.queue_length), scale_in_cooldown=scale_in, scale_out_cooldown=scale_out,
            disable_scale_in=disable_in,
            customized=CustomizedMetricSpecification((*queries, tasks, total))))
        made += 1
        mc.report(trigger.origin, "K2E746", name=scaler.meta.name, queue=name, length=metrics.number(trigger.queue_length),
                  counted=" + ".join(counted), cluster=mc.options.cluster or "the stack's cluster")
    return made


def report_others(mc: MapContext, scaler: Autoscaler, service: str, target_id: str) -> None:
    cluster = mc.options.cluster or "<cluster>"
    for trigger in scaler.others:
        publish = PUBLISH.get(trigger.type, "the scaler's value to CloudWatch from the application or the CloudWatch "
                                            "agent (embedded metric format or StatsD)")
        value = trigger.target.split(" ", 1)[1] if " " in trigger.target else ""
        sketch_metric = MetricTarget("External", f"<{trigger.type} metric>", "AverageValue",
                                     Decimal(value) if _decimal(value) else None)
        sketch = metrics.custom_metric_sketch(sketch_metric, service, cluster, target_id)
        mc.report(trigger.origin, "K2E748", type=trigger.type, name=scaler.meta.name,
                  target=trigger.target or "no target", publish=publish, sketch=sketch)


def _decimal(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return bool(text)


# --- request rates ----------------------------------------------------------------------------------


def request_policies(mc: MapContext, nb: NamespaceBuild, scaler: Autoscaler, owner: str, service: ServiceBase,
                     parts: list[Contribution], target_id: str, metadata: Metadata,
                     cooldowns: tuple[int, int, bool]) -> None:
    """ALBRequestCountPerTarget for each request-rate metric, once the service's load balancers are known."""
    for metric in (m for m in scaler.metrics if is_request_rate(m)):
        found = _alb_target_group(nb, parts)
        if found is None or metric.target is None:
            cluster = mc.options.cluster or "<cluster>"
            sketch = metrics.custom_metric_sketch(metric, service.service_name, cluster, target_id)
            reason = ("its ECS service is not behind an Application Load Balancer, so ALBRequestCountPerTarget cannot "
                      "measure it" if found is None else "it sets no target")
            mc.report(metric.origin, "K2E753", type=metric.type, metric=metric.name, source=scaler.source,
                      name=scaler.meta.name, reason=reason, remediation=sketch)
            continue
        lb, tg = found
        per_minute = metric.target * SECONDS_PER_MINUTE
        total = metric.target_type == "Value"  # the object's whole rate, which has no per-target form
        detail = ("a Value target is the whole object's rate; it was read as the rate of one task, check it"
                  if total else "an average per pod, as ALBRequestCountPerTarget is per target")
        label = Join("/", (GetAtt(lb, "LoadBalancerFullName"), GetAtt(tg, "TargetGroupFullName")))
        scale_in, scale_out, disable_in = cooldowns
        nb.stack.add(ScalingPolicy(
            nb.ids.get(owner, "RequestScalingPolicy"), metadata=metadata,
            policy_name=f"{service.service_name}-requests", scaling_target_id=intrinsics.Ref(target_id),
            metric_type="ALBRequestCountPerTarget", target_value=float(per_minute), scale_in_cooldown=scale_in,
            scale_out_cooldown=scale_out, disable_scale_in=disable_in, resource_label=label))
        mc.report(metric.origin, "K2E752", type=metric.type, metric=metric.name, name=scaler.meta.name,
                  target=metrics.number(metric.target), value=metrics.number(per_minute), group=tg, detail=detail,
                  severity=Severity.WARNING if total else Severity.INFO)
        return  # one request-count policy: a second would track the same metric


def _alb_target_group(nb: NamespaceBuild, parts: list[Contribution]) -> tuple[str, str] | None:
    """(load balancer, target group) logical ids of the first target group of the service behind an ALB."""
    listeners: dict[str, str] = {}
    forwards: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for resource in nb.stack.resources:
        if isinstance(resource, LoadBalancer):
            kinds[resource.logical_id] = resource.lb_type
        elif isinstance(resource, Listener):
            listeners[resource.logical_id] = resource.load_balancer_arn.name
            for action in resource.default_actions:
                if isinstance(action, Forward):
                    forwards.setdefault(action.target_group_arn.name, []).append(resource.logical_id)
        elif isinstance(resource, ListenerRule):
            for action in resource.actions:
                if isinstance(action, Forward):
                    forwards.setdefault(action.target_group_arn.name, []).append(resource.listener_arn.name)
    for binding in bindings(parts):
        group = binding.target_group_arn.name
        if not isinstance(nb.stack.get(group), TargetGroup):
            continue
        for listener in forwards.get(group, []):
            lb = listeners.get(listener, "")
            if kinds.get(lb) == "application":
                return lb, group
    return None
