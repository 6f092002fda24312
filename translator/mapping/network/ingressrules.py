"""Ingress hosts and paths to ALB rule conditions, and the order of the rules on a listener.

Path types follow the AWS Load Balancer Controller (mapping-reference I2-I4):
- Exact `/foo` -> `["/foo"]` (no wildcards allowed);
- Prefix `/` -> `["/*"]`; Prefix `/foo` or `/foo/` -> `["/foo", "/foo/*"]`, which matches `/foo` and
  everything under it element-wise, as Kubernetes does (`/foobar` does not match);
- ImplementationSpecific -> the path as it is, an exact match in which `*` and `?` are ALB
  wildcards; no path matches every path.

Order (ALB evaluates the lowest priority first): group.order first; then rules with an exact
host, a wildcard host, no host, because Kubernetes picks the host before the path; then Exact
paths, Prefix paths longest first, ImplementationSpecific paths in the order they were written;
remaining ties by host and path text. Priorities are 10, 20, 30... so that a rule added by hand
fits between two generated ones.
"""

from __future__ import annotations

import re
from typing import Any

from translator.model.app import IngressPath
from translator.model.ecs import ConditionValues, RuleCondition
from translator.model.record import record

_PATH_CHARS = re.compile(r"^[A-Za-z0-9_\-.$/~\"'@:+*?]*$")
_HOST = re.compile(r"^[A-Za-z0-9*?]([A-Za-z0-9*?.-]*)\.[A-Za-z*?]+$")
MAX_VALUE = 128  # characters per host or path value
MAX_WILDCARDS = 5  # per rule
PRIORITY_STEP = 10


class Unroutable(ValueError):
    """A host or path an ALB condition cannot express; `remediation` says what to do."""

    def __init__(self, detail: str, remediation: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.remediation = remediation


def path_patterns(path: str, path_type: str) -> list[str]:
    """ALB path-pattern values for an Ingress path; [] means every path."""
    _check_path(path)
    if path_type == "ImplementationSpecific":
        values = [path] if path else []
    elif "*" in path or "?" in path:
        raise Unroutable(f"a {path_type} path cannot contain * or ?",
                         "Use pathType ImplementationSpecific for ALB wildcards; the rule was left out.")
    elif path_type == "Prefix":
        stem = path.rstrip("/")
        values = [stem, stem + "/*"] if stem else ["/*"]
    else:
        values = [path or "/"]
    for value in values:
        _check_path(value)
    return values


def _check_path(value: str) -> None:
    if len(value) > MAX_VALUE:
        raise Unroutable(f"the pattern is longer than {MAX_VALUE} characters",
                         "Shorten the path; the rule was left out.")
    if not _PATH_CHARS.match(value):
        bad = "".join(sorted({c for c in value if not _PATH_CHARS.match(c)}))
        raise Unroutable(f"ALB path patterns do not allow the characters {bad!r}",
                         "Regular expressions of other ingress controllers cannot be carried: write the path "
                         "with the ALB wildcards * and ? (pathType ImplementationSpecific); the rule was left out.")


def check_host(host: str) -> None:
    if len(host) > MAX_VALUE:
        raise Unroutable(f"longer than {MAX_VALUE} characters")
    if not _HOST.match(host):
        raise Unroutable("not a DNS name with a dot and letters after the last dot")


def conditions(host: str, patterns: list[str]) -> tuple[RuleCondition, ...]:
    """host-header and path-pattern conditions; an ALB rule needs at least one, so `/*` stands for every path."""
    out: list[RuleCondition] = []
    if host:
        out.append(RuleCondition("host-header", host_header_config=ConditionValues((host,))))
    if patterns or not host:
        out.append(RuleCondition("path-pattern", path_pattern_config=ConditionValues(tuple(patterns or ["/*"]))))
    wildcards = sum(v.count("*") + v.count("?") for c in out for v in c.values)
    if wildcards > MAX_WILDCARDS:
        raise Unroutable(f"the rule would need {wildcards} wildcards, more than the {MAX_WILDCARDS} an ALB rule allows",
                         "Use fewer * and ? in the host and path; the rule was left out.")
    return tuple(out)


@record
class Candidate:
    """One Ingress path on one listener, before it gets its priority."""

    order: int  # alb.ingress.kubernetes.io/group.order of its Ingress
    ingress: str
    path: IngressPath

    def sort_key(self) -> tuple[Any, ...]:
        p = self.path
        host_rank = 2 if not p.host else 1 if ("*" in p.host or "?" in p.host) else 0
        if p.path_type == "ImplementationSpecific":
            return (self.order, host_rank, 2, 0, p.host, "", self.ingress, p.index)
        if p.path_type == "Exact":  # exact paths never overlap: their order is only the text's
            return (self.order, host_rank, 0, 0, p.host, p.path, self.ingress, p.index)
        return (self.order, host_rank, 1, -len(p.path.rstrip("/")), p.host, p.path, self.ingress, p.index)

    @property
    def route(self) -> tuple[str, str, str]:
        """What the rule matches; two candidates with the same route are the same rule."""
        p = self.path
        return (p.host.lower(), p.path_type, p.path.rstrip("/") if p.path_type == "Prefix" else p.path)


def ordered(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates in evaluation order."""
    return sorted(candidates, key=Candidate.sort_key)


def priority(position: int) -> int:
    """Priority of the rule at `position` (1-based) of a listener."""
    return PRIORITY_STEP * position
