"""Rollout analyses to CloudWatch alarms that fail and roll back the ECS deployment.

An Argo Rollouts analysis fails a rollout when a metric misses its condition. ECS fails (and rolls
back) a deployment when one of the alarms in `DeploymentConfiguration.Alarms` goes off while it
runs (the AWS::ECS::Service schema: AlarmNames, Enable and Rollback, ECS controller only). So a
`cloudWatch` metric of an AnalysisTemplate becomes an `AWS::CloudWatch::Alarm` on the same metric
math, alarming when the condition fails: `result[0] < 0.01` (or `all(result[0].Values, {# < 0.01})`,
as Argo's CloudWatch examples write it) as success means an alarm at `>= 0.01`; a failure condition
alarms as written. `failureLimit` failures in a row fail the analysis: the alarm's evaluation periods.
Other providers (Prometheus, Datadog, web) have no AWS equivalent to read: a finding names the
nearest CloudWatch metric to alarm on instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from translator.mapping.context import MapContext, NamespaceBuild
from translator.model.app import AnalysisMetric, AnalysisQuery, AnalysisTemplate, Delivery
from translator.model.ecs import (
    AlarmMetric,
    AlarmMetricStat,
    CloudWatchAlarm,
    DeploymentAlarms,
    MetricDataQuery,
    MetricDimension,
)
from translator.model.intrinsics import Ref
from translator.model.provenance import provenance

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


@dataclass(frozen=True)
class Outcome:
    """The alarms made, and the analyses they stand for entirely (left out of K2E382)."""

    alarms: DeploymentAlarms | None
    covered: frozenset[str]


def for_delivery(mc: MapContext, nb: NamespaceBuild, delivery: Delivery, name: str) -> Outcome:
    """An alarm per CloudWatch metric of every AnalysisTemplate the Rollout's analyses name."""
    if delivery.source != "Rollout":
        return Outcome(None, frozenset())
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
    if not made:
        return Outcome(None, frozenset(covered))
    return Outcome(DeploymentAlarms(tuple(Ref(i) for i in made)), frozenset(covered))


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
            stat = AlarmMetricStat(AlarmMetric(q.namespace, q.metric_name,
                                               tuple(MetricDimension(k, v) for k, v in q.dimensions)),
                                   q.period, q.stat or "Average", q.unit or None)
        if stat is None and not q.expression:
            return ()
        out.append(MetricDataQuery(q.id, expression=q.expression or None, label=q.label or None, metric_stat=stat,
                                   return_data=q.id == returned))
    return tuple(out)
