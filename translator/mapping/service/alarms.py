"""Rollout analyses to CloudWatch alarms that fail and roll back the ECS deployment.

An Argo Rollouts analysis fails a rollout when a metric misses its condition. ECS fails (and rolls
back) a deployment when one of the alarms in `DeploymentConfiguration.Alarms` goes off while it
runs (the AWS::ECS::Service schema: AlarmNames, Enable and Rollback, ECS controller only). So a
`cloudWatch` metric of an AnalysisTemplate becomes an `AWS::CloudWatch::Alarm` on the same metric
math, alarming when the condition fails: `result[0] < 0.01` (or `all(result[0].Values, {# < 0.01})`,
as Argo's CloudWatch examples write it) as success means an alarm at `>= 0.01`; a failure condition
alarms as written. `failureLimit` failures in a row fail the analysis: the alarm's evaluation periods.
Other providers (Prometheus, Datadog, web) have no AWS equivalent to read: a finding names the
nearest CloudWatch metric to alarm on instead. A Flagger Canary's builtin checks read the mesh's or
ingress controller's request metrics; behind an ALB the ALB's own metrics of both target groups say
the same (5XX responses over requests, p99 TargetResponseTime), so they become alarms as well.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from translator.mapping.context import MapContext, NamespaceBuild
from translator.model.app import AnalysisMetric, AnalysisQuery, AnalysisTemplate, Delivery
from translator.model.ecs import (
    AlarmMetricStat,
    CloudWatchAlarm,
    CloudWatchMetric,
    DeploymentAlarms,
    MetricDataQuery,
    MetricDimension,
)
from translator.model.intrinsics import GetAtt, Ref
from translator.model.provenance import provenance
from translator.model.record import record

_NUMBER = r"(-?\d+(?:\.\d+)?)"
_OPERATOR = r"(<=|>=|<|>)"
# `result[0] < 0.01`, `result < 0.01`, `all(result[0].Values, {# < 0.01})`
_CONDITIONS = (re.compile(rf"^\s*result(?:\[0\])?\s*{_OPERATOR}\s*{_NUMBER}\s*$"),
               re.compile(rf"^\s*all\(\s*result(?:\[0\])?\.Values\s*,\s*\{{\s*#\s*{_OPERATOR}\s*{_NUMBER}\s*\}}\s*\)\s*$"))
# operator of the condition -> the alarm's comparison: when a success condition fails, or a failure condition holds
_WHEN_NOT = {"<": "GreaterThanOrEqualToThreshold", "<=": "GreaterThanThreshold",
             ">": "LessThanOrEqualToThreshold", ">=": "LessThanThreshold"}
_WHEN = {"<": "LessThanThreshold", "<=": "LessThanOrEqualToThreshold",
         ">": "GreaterThanThreshold", ">=": "GreaterThanOrEqualToThreshold"}
# The nearest CloudWatch metric for what other providers' analyses usually check.
SKETCH = ("for an error rate, metric math 100 * HTTPCode_Target_5XX_Count / RequestCount (AWS/ApplicationELB, Sum, "
          "dimensions LoadBalancer and TargetGroup); for latency, TargetResponseTime p99 (AWS/ApplicationELB); for "
          "a metric the application exports, the same query through CloudWatch Container Insights or an EMF metric")


@record
class Outcome:
    """The alarms made, and the analyses they stand for entirely (left out of K2E382)."""

    alarms: DeploymentAlarms | None
    covered: frozenset[str]


def for_delivery(mc: MapContext, nb: NamespaceBuild, delivery: Delivery, groups: list[tuple[str, str, str]],
                 name: str) -> Outcome:
    """A Rollout: an alarm per CloudWatch metric of every AnalysisTemplate its analyses name. A Canary: an
    ALB alarm per builtin metric check, over both target groups (`groups`: load balancer, primary and
    alternate target group, as traffic.route made them)."""
    if delivery.source == "Canary":
        return _checks(mc, nb, delivery, groups, name)
    made: list[str] = []
    covered: set[str] = set()
    for template_name in dict.fromkeys(delivery.analyses):
        template = _template(mc, delivery.meta.namespace, template_name)
        if template is None:
            continue
        ids = [_alarm(mc, nb, template, metric, name) for metric in template.metrics]
        made += [i for i in ids if i]
        if ids and all(ids):
            covered.add(template_name)
    return Outcome(DeploymentAlarms(tuple(Ref(i) for i in made)) if made else None, frozenset(covered))


def _checks(mc: MapContext, nb: NamespaceBuild, delivery: Delivery, groups: list[tuple[str, str, str]],
            name: str) -> Outcome:
    """Flagger's request-success-rate (thresholdRange min, percent) and request-duration (max, milliseconds)
    read the mesh's or ingress controller's metrics; behind an ALB its own metrics say the same of both
    target groups: 5XX responses over requests, and the p99 TargetResponseTime."""
    made: list[str] = []
    covered: set[str] = set()
    for check in delivery.checks:
        where = f"metric check {check.name}"
        limit = check.minimum if check.name == "request-success-rate" else check.maximum
        if check.custom or check.name not in BUILTINS or limit is None:
            mc.report(check.origin, "K2E701", name=name, metric=where, provider="a Flagger metric template or query",
                      query=check.name, sketch=SKETCH)
            continue
        if not groups:
            bound = f"thresholdRange {'min' if check.name == 'request-success-rate' else 'max'} {limit}"
            mc.report(check.origin, "K2E701", name=name, metric=where,
                      provider=f"Flagger's builtin {check.name}, from the mesh or ingress controller", query=bound,
                      sketch=SKETCH)
            continue
        logical_id = nb.ids.get(f"{delivery.meta.name}-{check.name}", "Alarm")
        if check.name == "request-success-rate":
            metrics, threshold = _error_rate(groups), float(Decimal(100) - limit)
        else:
            metrics, threshold = _latency(groups), float(limit / 1000)
        nb.stack.add(CloudWatchAlarm(
            logical_id, metadata=provenance(check.origin), metrics=metrics,
            alarm_description=f"{where}: fails the ECS deployment of {name} and rolls it back"[:1024],
            comparison_operator="GreaterThanThreshold", threshold=threshold))
        mc.report(check.origin, "K2E700", name=name, metric=where, alarm=logical_id, operator="GreaterThanThreshold",
                  threshold=threshold, periods=1)
        made.append(logical_id)
        covered.add(check.name)
    return Outcome(DeploymentAlarms(tuple(Ref(i) for i in made)) if made else None, frozenset(covered))


BUILTINS = ("request-success-rate", "request-duration")
ALB = "AWS/ApplicationELB"


def _alb_metric(query_id: str, metric: str, stat: str, balancer: str, group: str) -> MetricDataQuery:
    dimensions = (MetricDimension("LoadBalancer", GetAtt(balancer, "LoadBalancerFullName")),
                  MetricDimension("TargetGroup", GetAtt(group, "TargetGroupFullName")))
    return MetricDataQuery(query_id, metric_stat=AlarmMetricStat(CloudWatchMetric(ALB, metric, dimensions), 60, stat),
                           return_data=False)


def _error_rate(groups: list[tuple[str, str, str]]) -> tuple[MetricDataQuery, ...]:
    """100 x 5XX / requests over every target group, 0 while there are no requests (at most 9 queries a group pair)."""
    pairs = [(lb, tg) for lb, primary, alternate in groups for tg in (primary, alternate)]
    errors = [_alb_metric(f"e{i}", "HTTPCode_Target_5XX_Count", "Sum", lb, tg) for i, (lb, tg) in enumerate(pairs, 1)]
    requests = [_alb_metric(f"r{i}", "RequestCount", "Sum", lb, tg) for i, (lb, tg) in enumerate(pairs, 1)]
    total_errors = "SUM([" + ", ".join(f"FILL({q.id}, 0)" for q in errors) + "])"
    total = "SUM([" + ", ".join(f"FILL({q.id}, 0)" for q in requests) + "])"
    rate = MetricDataQuery("errorpercent", expression=f"IF({total} > 0, 100 * {total_errors} / {total}, 0)",
                           label="5XX responses, percent of requests", return_data=True)
    return (rate, *errors, *requests)


def _latency(groups: list[tuple[str, str, str]]) -> tuple[MetricDataQuery, ...]:
    pairs = [(lb, tg) for lb, primary, alternate in groups for tg in (primary, alternate)]
    times = [_alb_metric(f"t{i}", "TargetResponseTime", "p99", lb, tg) for i, (lb, tg) in enumerate(pairs, 1)]
    slowest = MetricDataQuery("p99", expression="MAX([" + ", ".join(f"FILL({q.id}, 0)" for q in times) + "])",
                              label="p99 target response time, seconds", return_data=True)
    return (slowest, *times)


def _template(mc: MapContext, namespace: str, name: str) -> AnalysisTemplate | None:
    """The namespace's AnalysisTemplate of that name, else the ClusterAnalysisTemplate."""
    found = [t for t in mc.app.analysis_templates if t.meta.name == name and (t.cluster or t.meta.namespace == namespace)]
    found.sort(key=lambda t: t.cluster)
    return found[0] if found else None


def _alarm(mc: MapContext, nb: NamespaceBuild, template: AnalysisTemplate, metric: AnalysisMetric, name: str) -> str:
    """The alarm's logical id, or '' when the metric has no CloudWatch form (reported)."""
    where = f"metric {metric.name} of {'Cluster' if template.cluster else ''}AnalysisTemplate {template.meta.name}"
    if metric.provider != "cloudWatch":
        mc.report(metric.origin, "K2E701", name=name, metric=where, provider=metric.provider or "(none)",
                  query=metric.query or "(none)", sketch=SKETCH)
        return ""
    comparison = _comparison(metric)
    queries = _queries(metric.queries)
    if comparison is None or not queries:
        condition = metric.failure_condition or metric.success_condition or "(none)"
        mc.report(metric.origin, "K2E702", name=name, metric=where, condition=condition)
        return ""
    operator, threshold = comparison
    logical_id = nb.ids.get(f"{template.meta.name}-{metric.name}", "Alarm")
    periods = (metric.failure_limit or 0) + 1
    nb.stack.add(CloudWatchAlarm(
        logical_id, metadata=provenance(metric.origin, template.origin),
        alarm_description=f"{where}: fails the ECS deployment of {name} and rolls it back"[:1024],
        metrics=queries, comparison_operator=operator, threshold=threshold, evaluation_periods=periods,
        datapoints_to_alarm=periods))
    mc.report(metric.origin, "K2E700", name=name, metric=where, alarm=logical_id, operator=operator,
              threshold=threshold, periods=periods)
    return logical_id


def _comparison(metric: AnalysisMetric) -> tuple[str, float] | None:
    for text, table in ((metric.failure_condition, _WHEN), (metric.success_condition, _WHEN_NOT)):
        if not text:
            continue
        for pattern in _CONDITIONS:
            match = pattern.match(text)
            if match:
                try:
                    return table[match.group(1)], float(Decimal(match.group(2)))
                except InvalidOperation:
                    return None
        return None
    return None


def _queries(queries: tuple[AnalysisQuery, ...]) -> tuple[MetricDataQuery, ...]:
    """The metric math of the alarm: exactly one query returns data (Argo's result[0], the first returned)."""
    returned = next((q.id for q in queries if q.return_data is not False), "")
    out = []
    for q in queries:
        stat = None
        if q.metric_name:
            stat = AlarmMetricStat(CloudWatchMetric(q.namespace, q.metric_name,
                                               tuple(MetricDimension(k, v) for k, v in q.dimensions)),
                                   q.period, q.stat or "Average", q.unit or None)
        if (stat is None and not q.expression) or not q.id:  # CloudWatch needs both: the alarm is not made
            return ()
        out.append(MetricDataQuery(q.id, expression=q.expression or None, label=q.label or None, metric_stat=stat,
                                   return_data=q.id == returned))
    return tuple(out)
