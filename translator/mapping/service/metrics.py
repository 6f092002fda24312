"""HorizontalPodAutoscaler targets in ECS terms (mapping-reference 2.6, H3-H5, H9-H10).

Kubernetes measures resource utilization against the pod's REQUESTS; ECS measures
ECSServiceAverageCPUUtilization / ECSServiceAverageMemoryUtilization against the TASK SIZE
(the task definition's Cpu units or Memory MiB) [ECS-UTIL]. For the service to scale at the
same absolute use per task, the target is rescaled:

    TargetValue = target% x sum(pod requests) / task size

e.g. requests 1.5 vCPU (1536 units) in a 2048-unit task at a 70 % target -> 52.5.
An AverageValue target (a quantity per pod) becomes `100 x quantity / task size`.
A container without a request gets its limit (Kubernetes defaults the request to the limit); the
requests summed are those of the app containers and sidecars, the containers the HPA counts.
Values are rounded half-up to one decimal and kept within 0.1-100: a Fargate task never uses
more than its size, so a higher target would never scale out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from translator.model.app import Container, MetricTarget, Workload
from translator.source.quantity import cpu_units, mebibytes

PREDEFINED = {"cpu": "ECSServiceAverageCPUUtilization", "memory": "ECSServiceAverageMemoryUtilization"}
UNITS = {"cpu": "CPU units", "memory": "MiB"}
_TENTH = Decimal("0.1")


def rescale(percent: Decimal, requested: int, task_size: int) -> Decimal:
    """Percent of the pod's requests -> percent of the task size (see the module docstring)."""
    return (percent * requested / task_size).quantize(_TENTH, rounding=ROUND_HALF_UP)


def average_value_percent(quantity: Decimal, resource: str, task_size: int) -> Decimal:
    """A per-pod quantity (cores or bytes) -> percent of the task size."""
    amount = cpu_units(quantity) if resource == "cpu" else mebibytes(quantity)
    return (Decimal(100) * amount / task_size).quantize(_TENTH, rounding=ROUND_HALF_UP)


def capped(value: Decimal) -> Decimal:
    return min(max(value, _TENTH), Decimal(100))


def counted_containers(wl: Workload) -> list[Container]:
    return [*wl.pod.containers, *(c for c in wl.pod.init_containers if c.sidecar)]


def pod_requests(wl: Workload, resource: str) -> tuple[int, list[str]]:
    """(sum of the requests in CPU units or MiB, names of containers without a request or limit)."""
    total, missing = 0, []
    for c in counted_containers(wl):
        res = c.resources
        quantity = (res.cpu_request or res.cpu_limit) if resource == "cpu" else (res.memory_request or res.memory_limit)
        if quantity is None:
            missing.append(c.name)
            continue
        total += cpu_units(quantity) if resource == "cpu" else mebibytes(quantity)
    return total, missing


def custom_metric_sketch(metric: MetricTarget, service: str, cluster: str, target_id: str) -> str:
    """A concrete customized-metric target-tracking policy for a Pods, Object or External metric."""
    target = number(metric.target) if metric.target is not None else "<value one task can handle>"
    dimensions = f"[{{Name: ClusterName, Value: {cluster}}}, {{Name: ServiceName, Value: {service}}}]"
    policy = (f"add an AWS::ApplicationAutoScaling::ScalingPolicy (PolicyType TargetTrackingScaling, ScalingTargetId "
              f"{target_id}) with TargetTrackingScalingPolicyConfiguration: ")
    if metric.type == "External" and metric.target_type == "AverageValue":  # a total divided by the task count
        return (f"Find {metric.name} in CloudWatch (e.g. an SQS queue's ApproximateNumberOfMessagesVisible), then {policy}"
                f"{{CustomizedMetricSpecification: {{Metrics: [{{Id: m1, MetricStat: {{Metric: {{Namespace: <namespace>, "
                f"MetricName: {metric.name}}}, Stat: Sum}}, ReturnData: false}}, {{Id: m2, MetricStat: {{Metric: {{Namespace: "
                f"ECS/ContainerInsights, MetricName: RunningTaskCount, Dimensions: {dimensions}}}, Stat: Average}}, "
                f"ReturnData: false}}, {{Id: e1, Expression: m1 / m2, ReturnData: true}}]}}, TargetValue: {target}}}.")
    statistic = "Sum" if metric.type == "External" else "Average"
    text = (f"Publish {metric.name} to CloudWatch (CloudWatch agent, embedded metric format or Amazon Managed Prometheus), "
            f"then {policy}{{CustomizedMetricSpecification: {{Namespace: <namespace>, MetricName: {metric.name}, "
            f"Dimensions: {dimensions}, Statistic: {statistic}}}, TargetValue: {target}}}.")
    if metric.type == "Object":
        text += (" For a request rate behind an ALB use PredefinedMetricType ALBRequestCountPerTarget with ResourceLabel "
                 "app/<load-balancer>/<id>/targetgroup/<target-group>/<id> and TargetValue = requests per task.")
    return text


def describe(metric: MetricTarget) -> str:
    if metric.target is None:
        return f"{metric.target_type} target not set"
    return f"{metric.target_type} {number(metric.target)}"


def number(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 1E+3 -> 1000, 0.50 -> 0.5."""
    return format(value.normalize(), "f")
