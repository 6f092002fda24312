"""Migration anti-patterns, judged on the neutral model the translation built (codes K2E500-K2E549).

This is an assess-only pass, not a stage of `translate`: moving image tags, missing probes or
requests, no graceful shutdown, privileges and wildcard roles are habits of the source application
that make a move to ECS riskier, not gaps of the translation. Keeping them out of the pipeline keeps
`convert`'s findings to what was translated and what was lost; `assess` runs the same pipeline once
and then this pass over the model the pipeline built, so both kinds of finding point at the same
file:line. Two anti-patterns are already pipeline findings and are not repeated here: secret-looking
values in plain text (K2E337, K2E339) and containers with no requests or limits at all (K2E301); the
ANTI_PATTERNS table names them so the report counts them with the rest. Probes and graceful shutdown
are judged only for workloads that become ECS services: a Job's task runs to completion.
"""

from __future__ import annotations

from translator.findings.model import Finding, FindingSink
from translator.model.app import AccessBinding, AccessRole, Application, Container, Origin, Workload
from translator.model.record import record
from translator.source.reader import make_finding


@record
class AntiPattern:
    title: str
    codes: tuple[str, ...]


ANTI_PATTERNS = (
    AntiPattern("Image without a tag, or tagged latest", ("K2E500",)),
    AntiPattern("No readiness probe", ("K2E501",)),
    AntiPattern("No liveness probe", ("K2E502",)),
    AntiPattern("No resource requests", ("K2E301", "K2E503")),
    AntiPattern("No graceful shutdown", ("K2E504",)),
    AntiPattern("Privileged container", ("K2E505",)),
    AntiPattern("Credential in plain text (env, ConfigMap, args, probe header)", ("K2E337", "K2E339")),
    AntiPattern("Over-broad role", ("K2E506", "K2E507")),
)
DEFAULT_GRACE = 30
ADMIN_ROLES = ("cluster-admin",)


def lint(app: Application) -> list[Finding]:
    sink = FindingSink()
    for wl in app.workloads:
        _workload(sink, wl)
    for role in app.roles:
        _role(sink, app, role)
    for binding in app.bindings:
        _binding(sink, binding)
    return sink.sorted()


def _report(sink: FindingSink, origin: Origin, code: str, **params: object) -> None:
    sink.add(make_finding(code, origin.location, origin.resource, **params))


def _workload(sink: FindingSink, wl: Workload) -> None:
    pod = wl.pod
    for c in (*pod.init_containers, *pod.containers):
        _image(sink, c)
        if c.privileged:
            _report(sink, c.origin, "K2E505", container=c.name)
    for c in pod.containers:
        _requests(sink, c)
    if wl.run != "service":
        return  # a Job's task runs to completion: it takes no traffic and is not drained
    for c in pod.containers:
        if c.readiness is None:
            _report(sink, c.origin, "K2E501", container=c.name)
        if c.liveness is None:
            _report(sink, c.origin, "K2E502", container=c.name)
    if not any(c.pre_stop for c in pod.containers) and pod.termination_grace in (None, DEFAULT_GRACE):
        _report(sink, pod.origin, "K2E504", kind=wl.kind, name=wl.meta.name)


def image_problem(image: str) -> str:
    """Why an image reference is not pinned ('' when it is): no tag, or the `latest` tag; a digest pins."""
    if not image or "@" in image or "${" in image or "{{" in image:
        return ""
    name = image.rsplit("/", 1)[-1]
    if ":" not in name:
        return "has no tag, so it means latest"
    return "is tagged latest" if name.rsplit(":", 1)[1] == "latest" else ""


def _image(sink: FindingSink, c: Container) -> None:
    problem = image_problem(c.image)
    if problem:
        _report(sink, c.origin, "K2E500", image=c.image, container=c.name, detail=problem)


def _requests(sink: FindingSink, c: Container) -> None:
    """Exactly one of cpu and memory set (a limit counts: Kubernetes copies it to the request)."""
    res = c.resources
    cpu = res.cpu_request is not None or res.cpu_limit is not None
    memory = res.memory_request is not None or res.memory_limit is not None
    if cpu != memory:
        present, missing = ("cpu", "memory") if cpu else ("memory", "cpu")
        _report(sink, c.origin, "K2E503", container=c.name, present=present, missing=missing)


def _role(sink: FindingSink, app: Application, role: AccessRole) -> None:
    bound = _bound_text(app, role)
    for rule in role.rules:
        if "*" in rule.verbs or "*" in rule.resources:
            groups = ", ".join(g or "core" for g in rule.api_groups) or "core"
            what = f"verbs {', '.join(rule.verbs) or '(none)'} on resources {', '.join(rule.resources) or '(none)'} in API groups {groups}"
            _report(sink, rule.origin, "K2E506", kind=role.kind, name=role.meta.name, what=what, bound=bound)


def _binding(sink: FindingSink, binding: AccessBinding) -> None:
    if binding.role_kind == "ClusterRole" and binding.role_name in ADMIN_ROLES:
        subjects = ", ".join(f"{k} {ns + '/' if k == 'ServiceAccount' else ''}{n}" for k, ns, n in binding.subjects)
        _report(sink, binding.origin, "K2E507", kind=binding.kind, name=binding.meta.name,
                subjects=subjects or "no subject", role=binding.role_name)


def _binds(binding: AccessBinding, role: AccessRole) -> bool:
    if binding.role_kind != role.kind or binding.role_name != role.meta.name:
        return False
    return role.kind == "ClusterRole" or binding.meta.namespace == role.meta.namespace


def _bound_text(app: Application, role: AccessRole) -> str:
    accounts = sorted({f"{ns}/{name}" for b in app.bindings if _binds(b, role)
                       for kind, ns, name in b.subjects if kind == "ServiceAccount"})
    if not accounts:
        return ""
    users = sorted({f"{w.kind} {w.meta.namespace}/{w.meta.name}" for w in app.workloads
                    if f"{w.meta.namespace}/{w.pod.service_account or 'default'}" in accounts})
    text = f"; bound to ServiceAccount {', '.join(accounts)}"
    return text + (f", used by {', '.join(users)}" if users else "")


def access_of(app: Application) -> dict[str, tuple[str, ...]]:
    """Workload resource -> resources of the bindings and roles its ServiceAccount is bound through."""
    out: dict[str, tuple[str, ...]] = {}
    for wl in app.workloads:
        account = ("ServiceAccount", wl.meta.namespace, wl.pod.service_account or "default")
        found: set[str] = set()
        for binding in app.bindings:
            if account in binding.subjects:
                found.add(binding.origin.resource)
                found.update(r.origin.resource for r in app.roles if _binds(binding, r))
        out[wl.origin.resource] = tuple(sorted(found))
    return out
