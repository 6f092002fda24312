"""The assessment: a view over one TranslationResult, as the versioned JSON payload every format renders.

Nothing here maps Kubernetes to ECS. Sizes come from the task definitions the pipeline built, the
requests and limits from the neutral model it parsed, verdicts from the fields each object used,
findings from the pipeline plus the assess-only lint (lint.py). The payload is plain data (JSON types
only, sorted, no clock unless asked) so the JSON report is exactly it and the HTML, Markdown and SARIF
reports are renderings of it; `schema/assessment-v1.schema.json` documents it.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from translator import __version__
from translator.api import TranslationResult
from translator.assess import callgraph, operations, rules
from translator.assess.cost import Cost, Prices, cents, workload_cost
from translator.assess.lint import ANTI_PATTERNS, access_of, lint
from translator.coverage.equivalence import VERDICTS, table
from translator.findings.catalogue import CATALOGUE
from translator.findings.model import Finding, Severity
from translator.k8s.registry import POD_SPECS
from translator.model.app import Container, Workload
from translator.model.ecs import TaskDefinition
from translator.options import MANAGED_INSTANCES, Options
from translator.source.quantity import mebibytes

SCHEMA_ID = "kube2ecs-assessment"
SCHEMA_VERSION = 1
SEVERITIES = ("error", "warning", "info")
UNTRANSLATED = ("K2E100", "K2E101", "K2E830", "K2E846")  # K2E830, K2E846: Istio and AWS controller kinds with no ECS resource
ROLE_CODES = ("K2E506", "K2E507")


def build(result: TranslationResult, options: Options, prices: Prices, inputs: list[str],
          generated_at: str | None = None) -> dict[str, Any]:
    findings = sorted([*result.findings, *lint(result.app)], key=Finding.sort_key)
    by_resource: dict[str, list[Finding]] = {}
    for f in findings:
        by_resource.setdefault(f.resource, []).append(f)
    access = access_of(result.app)
    sizes = _task_definitions(result)
    owners: dict[tuple[str, str], Workload] = {}
    for w in _owners(result.app.workloads):
        owners.setdefault(_key(w), w)
    workloads = [_workload(result, w, by_resource, access.get(w.origin.resource, ()),
                           sizes.get(_key(w)) if owners[_key(w)] is w else None, options, prices)
                 for w in _owners(result.app.workloads)]
    shown = {w.origin.resource for w in result.app.workloads}
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kube2ecs", "version": __version__},
        "generated_at": generated_at,
        "inputs": list(inputs),
        "summary": _summary(result, findings, workloads, _unread(findings, shown)),
        "call_graph": callgraph.graph(result.calls),
        "delivery": operations.delivery(result.stacks),
        "operations": operations.operations(result.stacks),
        "rules": {"readiness": rules.READINESS_RULE,
                  "effort": [{"class": c, "rule": r} for c, r in rules.EFFORT_RULES],
                  "effort_note": rules.EFFORT_NOTE,
                  "cost": _cost_rule(prices, options)},
        "prices": _prices(prices),
        "capacity_providers": [{"provider": p.provider, "weight": p.weight, "base": p.base}
                               for p in options.capacity_providers],
        "blockers": [_finding(f) for f in findings if f.severity is Severity.ERROR],
        "workloads": workloads,
        "finding_codes": _finding_codes(findings, workloads),
        "anti_patterns": _anti_patterns(findings),
        "equivalence": _equivalence(result, findings),
        "decisions": [{"option": d.option, "value": str(d.value), "default": d.default} for d in result.decisions],
        "other_findings": [_finding(f) for f in findings if f.resource not in shown],
        # other_findings keeps a role's K2E506/K2E507 as well: it is about the role, whichever workloads use it.
    }


def _key(wl: Workload) -> tuple[str, str]:
    return wl.meta.namespace, wl.meta.name


def _owners(workloads: list[Workload]) -> list[Workload]:
    """Sorted like the stacks build them; a second workload of the same name (reported K2E005) has no task of its own."""
    return sorted(workloads, key=lambda w: (w.meta.namespace, w.meta.name, w.kind))


def _task_definitions(result: TranslationResult) -> dict[tuple[str, str], TaskDefinition]:
    out: dict[tuple[str, str], TaskDefinition] = {}
    for stack in result.stacks:
        for r in stack.resources:
            if isinstance(r, TaskDefinition):
                out.setdefault((r.namespace, r.name), r)
    return out


def _resource_findings(resource: str, by_resource: dict[str, list[Finding]], related: tuple[str, ...]) -> list[Finding]:
    """A workload's findings, plus the over-broad-role findings of the roles and bindings its ServiceAccount uses."""
    out = list(by_resource.get(resource, []))
    for other in related:
        out.extend(f for f in by_resource.get(other, []) if f.code in ROLE_CODES)
    return sorted(out, key=Finding.sort_key)


def _workload(result: TranslationResult, wl: Workload, by_resource: dict[str, list[Finding]], related: tuple[str, ...],
              td: TaskDefinition | None, options: Options, prices: Prices) -> dict[str, Any]:
    resource = wl.origin.resource
    found = _resource_findings(resource, by_resource, related)
    effort, reason = rules.effort([(f.code, f.severity.label, f.message) for f in found])
    fields = [_field(name) for name in result.app.fields.get(resource, ())]
    loc = wl.origin.location
    return {
        "id": _anchor(resource),
        "resource": resource, "kind": wl.kind, "namespace": wl.meta.namespace, "name": wl.meta.name,
        "file": loc.file, "line": loc.line,
        "replicas": wl.replicas,
        "run": wl.run,
        "ready": effort != "blocked",
        "effort": effort, "effort_reason": reason,
        "size": _size(td, found),
        "containers": [_container(c) for c in (*wl.pod.init_containers, *wl.pod.containers)],
        "cost": _cost(workload_cost(prices, td.cpu, td.memory, td.ephemeral_gib, td.cpu_architecture,
                                    wl.replicas, options.capacity_providers), wl.run == "service") if td else None,
        "verdicts": {v: sum(f["verdict"] == v for f in fields) for v in VERDICTS},
        "fields": fields,
        "counts": {s: sum(f.severity.label == s for f in found) for s in SEVERITIES},
        "findings": [_finding(f) for f in found],
    }


def _anchor(resource: str) -> str:
    return "w-" + "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in resource.lower())


def _size(td: TaskDefinition | None, found: list[Finding]) -> dict[str, Any] | None:
    if td is None:
        return None
    basis = next((f.message for f in found if f.code in ("K2E300", "K2E302")), "")
    return {"cpu": td.cpu, "memory": td.memory, "ephemeral_gib": max(td.ephemeral_gib, 20),
            "architecture": td.cpu_architecture or "X86_64", "basis": basis}


def _container(c: Container) -> dict[str, Any]:
    res = c.resources
    role = "init" if c.init else "sidecar" if c.sidecar else "app"
    return {"name": c.name, "role": role, "image": c.image,
            "requests": {"cpu": _cpu(res.cpu_request), "memory": _memory(res.memory_request)},
            "limits": {"cpu": _cpu(res.cpu_limit), "memory": _memory(res.memory_limit)}}


def _cpu(cores: Decimal | None) -> str | None:
    return None if cores is None else f"{(cores * 1000).normalize():f}m"


def _memory(size: Decimal | None) -> str | None:
    return None if size is None else f"{mebibytes(size)}Mi"


def _money(value: Decimal | None) -> float | None:
    rounded = cents(value)
    return None if rounded is None else float(rounded)


def _cost(cost: Cost, always_on: bool) -> dict[str, Any]:
    """Monthly figures only for what runs all month (an ECS service); a task's month depends on how long it runs."""
    return {"hourly_fargate": float(round(cost.hourly_fargate, 6)),
            "hourly_fargate_spot": None if cost.hourly_spot is None else float(round(cost.hourly_spot, 6)),
            "fargate": _money(cost.fargate) if always_on else None,
            "fargate_spot": _money(cost.spot) if always_on else None,
            "strategy": _money(cost.strategy) if always_on else None,
            "tasks": {p: float(round(n, 4)) for p, n in sorted(cost.tasks.items())}}


def _field(name: str) -> dict[str, str]:
    row = table()[name]
    return {"field": name, "verdict": row.verdict, "target": row.target, "note": row.note or row.remediation}


def _finding(f: Finding) -> dict[str, Any]:
    out = f.as_dict()
    code = CATALOGUE.get(f.code)
    out["title"] = code.slug if code else ""
    out["headline"] = code.headline if code else ""
    return out


def _unread(findings: list[Finding], shown: set[str]) -> int:
    """Workload documents Kubernetes would refuse and kube2ecs therefore did not read (a key given twice,
    K2E010): not ready, and counted among the workloads so that readiness is not computed without them."""
    refused = {f.resource for f in findings if f.code == "K2E010" and f.resource not in shown}
    return sum(resource.split("/", 1)[0] in POD_SPECS for resource in refused)


def _summary(result: TranslationResult, findings: list[Finding], workloads: list[dict[str, Any]],
             unread: int) -> dict[str, Any]:
    ready = sum(w["ready"] for w in workloads)
    total = len(workloads) + unread
    costs = [w["cost"] for w in workloads if w["cost"] is not None and w["run"] == "service"]
    monthly: dict[str, float | None] = {}
    for key in ("fargate", "fargate_spot", "strategy"):
        values = [c[key] for c in costs]
        monthly[key] = None if None in values else float(sum((Decimal(str(v)) for v in values), Decimal(0)))
    return {
        "documents": sum(result.documents.values()),
        "kinds": dict(sorted(result.documents.items())),
        "workloads": total,
        "unread_workloads": unread,
        "ready": ready,
        "readiness_percent": round(100 * ready / total, 1) if total else 100.0,
        "blockers": sum(f.severity is Severity.ERROR for f in findings),
        "calls": len(result.calls),
        "broken_calls": sum(c.broken for c in result.calls),
        "findings": {s: sum(f.severity.label == s for f in findings) for s in SEVERITIES},
        "effort": {c: sum(w["effort"] == c for w in workloads) + (unread if c == "blocked" else 0)
                   for c in rules.EFFORT_CLASSES},
        "monthly_cost": monthly,
    }


def _cost_rule(prices: Prices, options: Options) -> str:
    rule = (f"monthly = (vCPU x vcpu_hour + GB x gb_hour + GiB of ephemeral storage above 20 x storage_gb_hour) "
            f"x {prices.hours_per_month} hours x tasks; tasks split between FARGATE and FARGATE_SPOT by the capacity "
            "provider strategy (bases first, the rest by weight, as an expected value). Only ECS services run all month; "
            "workloads that run as tasks (Jobs, CronJobs, run-once Pods) are priced per task-hour and left out of the "
            "monthly totals. Compute only: load balancers, NAT, logs and data transfer are not included.")
    if options.launch_type == MANAGED_INSTANCES:  # EC2 instances are billed, not tasks: no per-task price to give
        rule += (" launch_type MANAGED_INSTANCES: the task sizes are what the pods need, not Fargate sizes, and the "
                 "costs are what those tasks would cost on Fargate (on-demand rates), for comparison only: Managed "
                 "Instances bills the EC2 instances ECS launches, spot or on-demand, plus a management fee per instance. "
                 "GPUs and Neuron devices, which Fargate does not offer, are not priced.")
    return rule


def _prices(prices: Prices) -> dict[str, Any]:
    def rates(group: dict[str, Any]) -> dict[str, dict[str, str]]:
        return {a: {"vcpu_hour": str(r.vcpu_hour), "gb_hour": str(r.gb_hour)} for a, r in sorted(group.items())}

    return {"region": prices.region, "currency": prices.currency, "as_of": prices.as_of, "source": prices.source,
            "notes": prices.notes, "origin": prices.origin, "hours_per_month": str(prices.hours_per_month),
            "fargate": rates(prices.fargate), "fargate_spot": rates(prices.spot),
            "ephemeral_storage_gb_hour": str(prices.storage_gb_hour)}


def _finding_codes(findings: list[Finding], workloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every (code, severity) with its number of findings and of workloads it touches, worst and commonest first."""
    counts = Counter((f.code, f.severity.label) for f in findings)
    touched = Counter(key for w in workloads for key in {(x["code"], x["severity"]) for x in w["findings"]})
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return [{"code": code, "severity": sev, "title": CATALOGUE[code].slug, "headline": CATALOGUE[code].headline, "count": n,
             "workloads": touched[(code, sev)]}
            for (code, sev), n in sorted(counts.items(), key=lambda kv: (rank[kv[0][1]], -kv[1], kv[0][0]))]


def _anti_patterns(findings: list[Finding]) -> list[dict[str, Any]]:
    counts = Counter(f.code for f in findings)
    return [{"title": a.title, "codes": list(a.codes), "count": sum(counts[c] for c in a.codes)} for a in ANTI_PATTERNS]


def _equivalence(result: TranslationResult, findings: list[Finding]) -> dict[str, Any]:
    verdicts = Counter(table()[name].verdict for fields in result.app.fields.values() for name in fields)
    kinds: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.code in UNTRANSLATED:
            kind = f.resource.split("/", 1)[0]
            entry = kinds.setdefault(kind, {"kind": kind, "count": 0, "code": f.code, "advice": f.remediation})
            entry["count"] += 1
    return {**{v: verdicts[v] for v in VERDICTS}, "unknown": sum(f.code == "K2E202" for f in findings),
            "untranslated_kinds": sorted(kinds.values(), key=lambda k: (-k["count"], k["kind"]))}
