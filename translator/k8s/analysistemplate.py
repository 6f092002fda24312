"""Argo Rollouts `AnalysisTemplate` and `ClusterAnalysisTemplate`: the metrics a Rollout's analysis
checks, which become CloudWatch alarms on the ECS deployment where the provider is CloudWatch
(mapping/service/alarms.py)."""

from __future__ import annotations

import re

from translator.k8s.common import first_of_each, origin, parse_meta
from translator.model.app import AnalysisMetric, AnalysisQuery, AnalysisTemplate, Application
from translator.source.reader import Reader

# What CloudWatch accepts as the id of a metric data query (schema AWS::CloudWatch::Alarm MetricDataQuery Id).
QUERY_ID = re.compile(r"^[a-z][A-Za-z0-9_]*$")

KINDS: dict[str, tuple[str, ...]] = {"AnalysisTemplate": ("argoproj.io",), "ClusterAnalysisTemplate": ("argoproj.io",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"argoproj.io": ("v1alpha1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "for the Rollouts whose analysis names them: a CloudWatch alarm per `cloudWatch` metric (its metricDataQueries as "
    "metric math, the threshold from a `result[0] < x` success or failure condition) in the ECS service's "
    "DeploymentConfiguration Alarms, which roll a failing deployment back; other providers a finding with the nearest "
    "CloudWatch metric (K2E701)"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    spec.ignore("args", "dryRun", "measurementRetention")  # values are read as written; runs are not kept
    # Argo refuses a template with two metrics of one name, and each becomes one alarm: the first is kept.
    metrics = tuple(first_of_each(spec, [_metric(m) for m in spec.items("metrics")], lambda m: m.name,
                                  "analysis metric", lambda m: m.name))
    app.analysis_templates.append(AnalysisTemplate(meta, root.str("kind") == "ClusterAnalysisTemplate", metrics,
                                                   origin(root)))


def _metric(metric: Reader) -> AnalysisMetric:
    metric.ignore("interval", "initialDelay", "count", "inconclusiveLimit", "consecutiveErrorLimit",
                  "consecutiveSuccessLimit")  # the alarm evaluates every period for the whole deployment
    provider = metric.child("provider")
    kinds = provider.fields() if provider is not None else []
    kind = kinds[0] if kinds else ""
    queries: tuple[AnalysisQuery, ...] = ()
    text = ""
    if provider is not None and kind == "cloudWatch":
        cloudwatch = provider.child("cloudWatch")
        if cloudwatch is not None:
            cloudwatch.ignore("interval")
            queries = tuple(_query(q) for q in cloudwatch.items("metricDataQueries"))
    elif provider is not None and kind:
        body = provider.for_report.child(kind)
        if body is not None:
            text = " ".join((body.str("query") or body.str("url") or "").split())
            body.ignore(*body.fields())
    return AnalysisMetric(metric.str("name") or "", kind, success_condition=metric.str("successCondition") or "",
                          failure_condition=metric.str("failureCondition") or "",
                          failure_limit=metric.int("failureLimit"), queries=queries, query=text, origin=origin(metric))


def _query(query: Reader) -> AnalysisQuery:
    stat = query.child("metricStat")
    metric = stat.child("metric") if stat is not None else None
    dimensions = _dimensions(metric) if metric else ()
    # A dimension without its name or value names no CloudWatch metric: the query has none (the alarm is not made).
    metric_name = (metric.str("metricName") or "" if metric else "") if dimensions is not None else ""
    query_id = query.str("id") or ""
    if query_id and not QUERY_ID.match(query_id):  # an id CloudWatch refuses names no query: no alarm is made
        query.report("K2E003", "id", field=query.field("id"), got=repr(query_id),
                     expected="a CloudWatch query id (a lowercase letter, then letters, digits or _)")
        query_id = ""
    return AnalysisQuery(
        query_id, expression=query.str("expression") or "", label=query.str("label") or "",
        return_data=query.bool("returnData"), namespace=metric.str("namespace") or "" if metric else "",
        metric_name=metric_name, dimensions=dimensions or (),
        period=(stat.int("period") if stat else None) or query.int("period") or 300,
        stat=stat.str("stat") or "" if stat else "", unit=stat.str("unit") or "" if stat else "")


def _dimensions(metric: Reader) -> tuple[tuple[str, str], ...] | None:
    """The metric's dimensions, or None when one lacks its name or value (reported: CloudWatch requires both)."""
    out = []
    for d in metric.items("dimensions"):
        name, value = d.str("name") or "", d.str("value") or ""
        for key, text in (("name", name), ("value", value)):
            if not text:
                d.report("K2E004", key if d.has(key) else None, field=d.field(key))
        out.append((name, value))
    return tuple(out) if all(n and v for n, v in out) else None
