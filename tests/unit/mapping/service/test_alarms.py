"""Rollout analyses to CloudWatch alarms on the ECS deployment, exactly (mapping/service/alarms.py)."""

from __future__ import annotations

import pytest

from translator.api import translate_text
from translator.model.ecs import (
    AlarmMetricStat,
    CloudWatchAlarm,
    CloudWatchMetric,
    DeploymentAlarms,
    EcsService,
    MetricDataQuery,
    MetricDimension,
)
from translator.model.intrinsics import GetAtt, Ref

ROLLOUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
  strategy:
    blueGreen:
      activeService: web
      prePromotionAnalysis:
        templates: [{templateName: errors}, {templateName: latency}]
"""
CLOUDWATCH = """\
apiVersion: argoproj.io/v1alpha1
kind: %s
metadata: {name: errors%s}
spec:
  metrics:
    - name: error-rate
      failureLimit: 2
      %s
      provider:
        cloudWatch:
          interval: 1m
          metricDataQueries:
            - {id: rate, expression: errors / requests}
            - id: errors
              returnData: false
              metricStat:
                metric: {namespace: Shop, metricName: Errors, dimensions: [{name: Service, value: web}]}
                period: 60
                stat: Sum
            - id: requests
              returnData: false
              metricStat: {metric: {namespace: Shop, metricName: Requests}, period: 60, stat: Sum, unit: Count}
"""
PROMETHEUS = """\
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: latency, namespace: shop}
spec:
  metrics:
    - name: p99
      successCondition: result[0] < 0.5
      provider:
        prometheus: {address: "http://prometheus:9090", query: "histogram_quantile(0.99, rate(latency[5m]))"}
"""


def _translate(*documents: str) -> tuple[dict[str, object], list[tuple[str, str]]]:
    result = translate_text("---\n".join(documents))
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    findings = [(f.code, f.message) for f in result.findings if f.code in ("K2E382", "K2E700", "K2E701", "K2E702")]
    return resources, findings


@pytest.mark.parametrize(("condition", "operator", "threshold"), [
    ("successCondition: result[0] < 0.01", "GreaterThanOrEqualToThreshold", "0.01"),
    ("successCondition: 'all(result[0].Values, {# <= 0.01})'", "GreaterThanThreshold", "0.01"),
    ("failureCondition: result[0] >= 0.05", "GreaterThanOrEqualToThreshold", "0.05"),
])
def test_a_cloudwatch_metric_becomes_an_alarm_in_the_deployment(condition: str, operator: str, threshold: str) -> None:
    resources, findings = _translate(ROLLOUT, CLOUDWATCH % ("AnalysisTemplate", ", namespace: shop", condition), PROMETHEUS)
    alarm = resources["ErrorsErrorRateAlarm"]
    assert isinstance(alarm, CloudWatchAlarm)
    assert alarm.metrics == (
        MetricDataQuery("rate", expression="errors / requests", return_data=True),
        MetricDataQuery("errors", metric_stat=AlarmMetricStat(
            CloudWatchMetric("Shop", "Errors", (MetricDimension("Service", "web"),)), 60, "Sum"), return_data=False),
        MetricDataQuery("requests", metric_stat=AlarmMetricStat(CloudWatchMetric("Shop", "Requests"), 60, "Sum", "Count"),
                        return_data=False))
    assert (alarm.comparison_operator, alarm.threshold, alarm.evaluation_periods, alarm.datapoints_to_alarm,
            alarm.treat_missing_data) == (operator, float(threshold), 3, 3, "notBreaching")
    service = resources["WebService"]
    assert isinstance(service, EcsService) and service.deployment is not None
    assert service.deployment.alarms == DeploymentAlarms((Ref("ErrorsErrorRateAlarm"),), True, True)
    assert findings == [
        ("K2E382", "Rollout web checks latency before promoting; ECS runs no such analysis"),
        ("K2E700", f"Rollout web: metric error-rate of AnalysisTemplate errors becomes CloudWatch alarm "
                   f"ErrorsErrorRateAlarm ({operator} {threshold} for 3 period(s)), which fails the ECS deployment "
                   "and rolls it back"),
        ("K2E701", "Rollout web: metric p99 of AnalysisTemplate latency reads prometheus (histogram_quantile(0.99, "
                   "rate(latency[5m]))), which ECS cannot alarm on"),
    ]


def test_a_cluster_template_serves_every_namespace() -> None:
    resources, findings = _translate(ROLLOUT, CLOUDWATCH % ("ClusterAnalysisTemplate", "", "successCondition: result < 1"))
    assert isinstance(resources["ErrorsErrorRateAlarm"], CloudWatchAlarm)
    assert [code for code, _ in findings] == ["K2E382", "K2E700"]  # latency: no template, still K2E382


def test_a_condition_of_another_shape_is_reported_and_makes_no_alarm() -> None:
    resources, findings = _translate(ROLLOUT, CLOUDWATCH % ("AnalysisTemplate", ", namespace: shop",
                                                            "successCondition: result[0] < 0.01 && result[1] > 3"))
    assert not any(isinstance(r, CloudWatchAlarm) for r in resources.values())
    service = resources["WebService"]
    assert isinstance(service, EcsService) and service.deployment is not None and service.deployment.alarms is None
    assert findings == [
        ("K2E382", "Rollout web checks errors, latency before promoting; ECS runs no such analysis"),
        ("K2E702", "Rollout web: metric error-rate of AnalysisTemplate errors has condition 'result[0] < 0.01 && "
                   "result[1] > 3' or no metric, where kube2ecs reads a threshold only from result[0] < x (or "
                   "all(result[0].Values, {# < x}))"),
    ]


@pytest.mark.parametrize("dimension", ["{value: web}", "{name: Service}", "{name: '', value: web}"])
def test_a_dimension_without_its_name_or_value_is_reported_and_makes_no_alarm(dimension: str) -> None:
    """CloudWatch requires both; an alarm with `Name: ''` is refused at deploy time."""
    template = CLOUDWATCH % ("AnalysisTemplate", ", namespace: shop", "successCondition: result[0] < 0.01")
    template = template.replace("dimensions: [{name: Service, value: web}]", f"dimensions: [{dimension}]")
    result = translate_text("---\n".join((ROLLOUT, template)))
    assert not any(isinstance(r, CloudWatchAlarm) for s in result.stacks for r in s.resources)
    missing = "name" if "name: Service" not in dimension else "value"
    dimensions = "spec.metrics.0.provider.cloudWatch.metricDataQueries.1.metricStat.metric.dimensions.0"
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E004", "K2E700", "K2E702")] == [
        ("K2E702", 22, "Rollout web: metric error-rate of AnalysisTemplate errors has condition 'result[0] < 0.01' or "
                       "no metric, where kube2ecs reads a threshold only from result[0] < x (or all(result[0].Values, "
                       "{# < x}))"),
        ("K2E004", 33, f"required field {dimensions}.{missing} is missing"),
    ]


@pytest.mark.parametrize("query_id", ["Errors", "1st", "ünï", "err-rate"])
def test_a_query_id_cloudwatch_refuses_is_reported_and_makes_no_alarm(query_id: str) -> None:
    template = CLOUDWATCH % ("AnalysisTemplate", ", namespace: shop", "successCondition: result[0] < 0.01")
    template = template.replace("- id: errors", f"- id: {query_id}")
    result = translate_text("---\n".join((ROLLOUT, template)))
    assert not any(isinstance(r, CloudWatchAlarm) for s in result.stacks for r in s.resources)
    expected = "a CloudWatch query id (a lowercase letter, then letters, digits or _)"
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E003", "K2E702")] == [
        ("K2E702", 22, "Rollout web: metric error-rate of AnalysisTemplate errors has condition 'result[0] < 0.01' or "
                       "no metric, where kube2ecs reads a threshold only from result[0] < x (or all(result[0].Values, "
                       "{# < x}))"),
        ("K2E003", 30, f"spec.metrics.0.provider.cloudWatch.metricDataQueries.1.id must be {expected}, got "
                       f"{query_id!r}"),
    ]


def test_a_second_metric_of_one_name_is_reported_and_makes_no_second_alarm() -> None:
    """Argo refuses the template; each metric's alarm is named for it, so a copy gave two resources of one id."""
    template = CLOUDWATCH % ("AnalysisTemplate", ", namespace: shop", "successCondition: result[0] < 0.01")
    metric = template[template.index("    - name: error-rate"):]
    result = translate_text("---\n".join((ROLLOUT, template + metric)))
    assert [r.logical_id for s in result.stacks for r in s.resources if isinstance(r, CloudWatchAlarm)] == [
        "ErrorsErrorRateAlarm"]
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E005", "K2E901")] == [
        ("K2E005", 39, "analysis metric error-rate is defined more than once (first at <text>:22)")]


CANARY = """\
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  service: {port: 80, targetPort: 8080}
  analysis:
    interval: 1m
    stepWeight: 20
    maxWeight: 100
    metrics:
      - {name: request-success-rate, thresholdRange: {min: 99}, interval: 1m}
      - {name: request-duration, thresholdRange: {max: 500}, interval: 1m}
      - {name: queue-depth, templateRef: {name: sqs}, thresholdRange: {max: 10}}
"""
WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 8080}]}]
"""
WEB_LB = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
"""


def test_flagger_builtin_checks_behind_an_alb_become_alarms_on_both_target_groups() -> None:
    from tests.support.validation import cfn_lint_errors

    result = translate_text("---\n".join((WEB, WEB_LB, CANARY)))
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    errors, latency = resources["WebRequestSuccessRateAlarm"], resources["WebRequestDurationAlarm"]
    assert isinstance(errors, CloudWatchAlarm) and isinstance(latency, CloudWatchAlarm)
    assert (errors.comparison_operator, errors.threshold, latency.threshold) == ("GreaterThanThreshold", 1.0, 0.5)
    assert errors.metrics[0].expression == (
        "IF(SUM([FILL(r1, 0), FILL(r2, 0)]) > 0, 100 * SUM([FILL(e1, 0), FILL(e2, 0)]) / SUM([FILL(r1, 0), FILL(r2, 0)]), 0)")
    assert [(q.id, q.metric_stat.metric.metric_name, q.metric_stat.metric.dimensions[1].value)
            for q in errors.metrics[1:] if q.metric_stat is not None] == [
        ("e1", "HTTPCode_Target_5XX_Count", GetAtt("Web80TargetGroup", "TargetGroupFullName")),
        ("e2", "HTTPCode_Target_5XX_Count", GetAtt("Web80AlternateTargetGroup", "TargetGroupFullName")),
        ("r1", "RequestCount", GetAtt("Web80TargetGroup", "TargetGroupFullName")),
        ("r2", "RequestCount", GetAtt("Web80AlternateTargetGroup", "TargetGroupFullName"))]
    assert latency.metrics[0].expression == "MAX([FILL(t1, 0), FILL(t2, 0)])"
    service = resources["WebService"]
    assert isinstance(service, EcsService) and service.deployment is not None
    assert service.deployment.alarms == DeploymentAlarms(
        (Ref("WebRequestSuccessRateAlarm"), Ref("WebRequestDurationAlarm")), True, True)
    found = [(f.code, f.message) for f in result.findings if f.code in ("K2E382", "K2E700", "K2E701")]
    assert [code for code, _ in found] == ["K2E382", "K2E700", "K2E700", "K2E701"]
    assert found[0][1] == "Canary web checks queue-depth before promoting; ECS runs no such analysis"
    assert cfn_lint_errors(result.files()["cloudformation/shop.yaml"]) == []


def test_flagger_builtin_checks_without_a_load_balancer_are_reported_with_the_alb_sketch() -> None:
    service = WEB_LB.replace("  type: LoadBalancer\n", "")
    result = translate_text("---\n".join((WEB, service, CANARY)))
    assert not any(isinstance(r, CloudWatchAlarm) for s in result.stacks for r in s.resources)
    found = [f.message for f in result.findings if f.code == "K2E701"]
    assert found[0] == ("Canary web: metric check request-success-rate reads Flagger's builtin "
                        "request-success-rate, from the mesh or ingress controller (thresholdRange min 99), which ECS "
                        "cannot alarm on")
    assert len(found) == 3
