"""Gateway API route matches to ALB rule conditions, and the order of the rules on a listener.

Conditions (one ALB rule per route match and hostname group; the values of one condition are
alternatives, the conditions of a rule all apply, as a match's parts do):
- path: Exact `/foo` -> path-pattern `/foo`; PathPrefix `/foo` -> `/foo` and `/foo/*` (element-wise,
  as for an Ingress Prefix path); RegularExpression has no ALB form;
- GRPCRoute method: service and method -> path `/pkg.Service/Method` (`*` for the part left out), plus
  an http-header condition content-type `application/grpc*`, so that only gRPC calls match;
- headers -> one http-header condition each, query parameters one query-string condition each, method
  an http-request-method condition; Exact only, without `*` or `?` (wildcards in ALB values);
- hostnames (the route's, narrowed by the listener's hostname) -> a host-header condition.
An ALB rule holds at most 5 condition values and 5 wildcards [ELB-QUOTA], so hostnames are spread
over several rules when the other conditions leave too little room.

Order (Gateway API precedence, HTTPRoute `rules[].matches` and `hostnames`, GRPCRoute `rules[].matches`
in the API reference): hostname first (most characters of a non-wildcard hostname, then most
characters of any hostname); then GRPCRoute rules before HTTPRoute rules of the same hostnames (gRPC
paths are the more specific, and the spec does not merge the two kinds); for an HTTPRoute an Exact
path, then the longest PathPrefix, a method match, the most header matches, the most query-parameter
matches; for a GRPCRoute the most characters of service, then of method, then the most header
matches; then the oldest route (creationTimestamp, when read from a cluster), the route's
`namespace/name`, and the rule's and match's place in the route.
"""

from __future__ import annotations

from typing import Any

from translator.mapping.network.ingressrules import MAX_VALUE, Unroutable, check_host, path_patterns
from translator.model.app import Route, RouteMatch, RouteRule
from translator.model.ecs import (
    ConditionValues,
    HttpHeaderConfig,
    QueryStringConfig,
    QueryStringKeyValue,
    RuleCondition,
)
from translator.model.record import record

MAX_CONDITION_VALUES = 5  # per rule [ELB-QUOTA]
MAX_WILDCARDS = 5  # per rule [ELB-QUOTA]
MAX_METHOD = 40  # characters of an http-request-method value [ELB API HttpRequestMethodConditionConfig]
GRPC_CONTENT_TYPE = RuleCondition("http-header",
                                  http_header_config=HttpHeaderConfig("content-type", ("application/grpc*",)))
_WILD = ("*", "?")


def describe(match: RouteMatch, kind: str) -> str:
    """A match in a few words, for findings."""
    if kind == "GRPCRoute":
        parts = [f"{match.service or '*'}/{match.grpc_method or '*'}"]
    else:
        parts = [f"{match.path_type} {match.path}"]
        if match.method:
            parts.append(match.method)
    parts += [f"header {h.name}" for h in match.headers] + [f"query {q.name}" for q in match.queries]
    return ", ".join(parts)


def _exact_value(what: str, value: str) -> str:
    if any(w in value for w in _WILD):
        raise Unroutable(f"{what} {value!r} holds * or ?, which an ALB reads as wildcards",
                         "Match a value without * and ?; the match was left out.")
    if len(value) > MAX_VALUE:
        raise Unroutable(f"{what} is longer than {MAX_VALUE} characters", "Shorten the value; the match was left out.")
    return value


def _regex(what: str) -> Unroutable:
    return Unroutable(f"{what} is a RegularExpression match, which ALB conditions cannot express",
                      "Rewrite it as Exact or PathPrefix matches (ALB patterns take * and ? wildcards only); "
                      "the match was left out.")


def path_values(match: RouteMatch, kind: str) -> list[str]:
    """The path-pattern values of a match."""
    if kind == "GRPCRoute":
        if match.grpc_type == "RegularExpression":
            raise _regex("the method")
        service = _exact_value("the service", match.service) if match.service else "*"
        method = _exact_value("the method", match.grpc_method) if match.grpc_method else "*"
        return [f"/{service}/{method}"] if (match.service or match.grpc_method) else ["/*"]
    if match.path_type == "RegularExpression":
        raise _regex(f"the path {match.path!r}")
    _exact_value("the path", match.path)
    try:
        return path_patterns(match.path, "Exact" if match.path_type == "Exact" else "Prefix")
    except Unroutable as err:
        raise Unroutable(err.detail, "Write the path with letters, digits and - _ . $ / ~ \" ' @ : +; "
                                     "the match was left out.") from err


def match_conditions(match: RouteMatch, kind: str) -> list[RuleCondition]:
    """Every condition of a match but the hostnames."""
    out = [RuleCondition("path-pattern", path_pattern_config=ConditionValues(tuple(path_values(match, kind))))]
    if kind == "GRPCRoute":
        out.append(GRPC_CONTENT_TYPE)
    if match.method:
        if len(match.method) > MAX_METHOD:
            raise Unroutable(f"the method is longer than {MAX_METHOD} characters", "Shorten it; the match was left out.")
        out.append(RuleCondition("http-request-method", http_request_method_config=ConditionValues((match.method,))))
    for h in match.headers:
        if h.type == "RegularExpression":
            raise _regex(f"header {h.name}")
        out.append(RuleCondition("http-header", http_header_config=HttpHeaderConfig(
            _exact_value("the header name", h.name), (_exact_value(f"header {h.name}", h.value),))))
    for q in match.queries:
        if q.type == "RegularExpression":
            raise _regex(f"query parameter {q.name}")
        out.append(RuleCondition("query-string", query_string_config=QueryStringConfig((QueryStringKeyValue(
            _exact_value("the query parameter name", q.name), _exact_value(f"query parameter {q.name}", q.value)),))))
    return out


def with_hosts(conditions: list[RuleCondition], hosts: tuple[str, ...]) -> list[tuple[RuleCondition, ...]]:
    """The rules a match needs: its conditions plus a host-header condition, hostnames spread so that each
    rule keeps within the ALB's 5 condition values and 5 wildcards."""
    used = sum(len(c.values) for c in conditions)
    wild = sum(v.count("*") + v.count("?") for c in conditions for v in c.values)
    if used > MAX_CONDITION_VALUES or wild > MAX_WILDCARDS or (hosts and used == MAX_CONDITION_VALUES):
        raise Unroutable(f"it needs {used + (1 if hosts else 0)} condition values or {wild} wildcards; an ALB rule "
                         f"takes at most {MAX_CONDITION_VALUES} of each",
                         "Split the match into matches with fewer headers and query parameters (a PathPrefix path "
                         "takes two values); the match was left out.")
    if not hosts:
        return [tuple(conditions)]
    for host in hosts:
        try:
            check_host(host)
        except Unroutable as err:
            raise Unroutable(f"hostname {host!r} is {err.detail}",
                             "ALB host conditions take names of at most 128 characters with a dot and letters after "
                             "the last dot; the match was left out.") from err
    room = MAX_CONDITION_VALUES - used
    out: list[tuple[RuleCondition, ...]] = []
    chunk: list[str] = []
    for host in hosts:
        wildcards = sum(h.count("*") + h.count("?") for h in chunk) + host.count("*") + host.count("?")
        if chunk and (len(chunk) == room or wild + wildcards > MAX_WILDCARDS):
            out.append(_hosted(conditions, chunk))
            chunk = []
        chunk.append(host)
    out.append(_hosted(conditions, chunk))
    return out


def _hosted(conditions: list[RuleCondition], hosts: list[str]) -> tuple[RuleCondition, ...]:
    return (RuleCondition("host-header", host_header_config=ConditionValues(tuple(hosts))), *conditions)


def intersect(listener: str, route: str) -> str | None:
    """The hostnames a listener hostname and a route hostname both match: the more specific one, or None."""
    if listener == route:
        return route
    if listener.startswith("*.") and route.endswith(listener[1:]):
        return route
    if route.startswith("*.") and listener.endswith(route[1:]):
        return listener
    return None


def effective_hosts(listener: str, route: tuple[str, ...]) -> tuple[str, ...] | None:
    """The hostnames a route serves through a listener; () for every host, None when they share none."""
    if not route:
        return (listener,) if listener else ()
    if not listener:
        return tuple(dict.fromkeys(h.lower() for h in route))
    found = [h for h in (intersect(listener.lower(), r.lower()) for r in route) if h]
    return tuple(dict.fromkeys(found)) or None


def host_groups(hosts: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Hostnames grouped by precedence (exact ones, longest first, then wildcards, longest first): each
    group gets rules of its own, so a request for an exact name reaches the rules for that name first."""
    if not hosts:
        return [()]
    keys = sorted({_host_rank(h) for h in hosts})
    return [tuple(sorted(h for h in hosts if _host_rank(h) == k)) for k in keys]


def _host_rank(host: str) -> tuple[int, int]:
    wildcard = host.startswith("*")
    return (-(0 if wildcard else len(host)), -len(host))


@record
class Entry:
    """One route match with one group of hostnames on one listener, before it gets its priority."""

    route: Route
    rule: RouteRule
    match: RouteMatch
    match_index: int
    hosts: tuple[str, ...]

    def sort_key(self) -> tuple[Any, ...]:
        host = min((_host_rank(h) for h in self.hosts), default=(0, 0))
        m, route = self.match, self.route
        if route.kind == "GRPCRoute":
            specific: tuple[Any, ...] = (0, -len(m.service), -len(m.grpc_method), -len(m.headers), 0, 0)
        elif route.kind == "VirtualService":  # Istio takes the first route that matches: the routes keep their order
            specific = (2, 0, 0, 0, 0, 0)
        else:
            rank = 0 if m.path_type == "Exact" else 1 if m.path_type == "PathPrefix" else 2
            length = -len(m.path.rstrip("/")) if m.path_type == "PathPrefix" else 0
            specific = (1, rank, length, 0 if m.method else 1, -len(m.headers), -len(m.queries))
        return (*host, *specific, route.created or "~", f"{route.meta.namespace}/{route.meta.name}", route.kind,
                self.rule.index, self.match_index, self.hosts)


def ordered(entries: list[Entry]) -> list[Entry]:
    """Entries in Gateway API precedence order: the ALB evaluates the lowest priority first."""
    return sorted(entries, key=Entry.sort_key)
