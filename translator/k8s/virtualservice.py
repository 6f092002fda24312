"""VirtualService (networking.istio.io): how Istio's proxies route requests to a host.

Read into `VirtualService`: its hosts, the gateways it binds to (none: `mesh`, the sidecars), and each
`http` route's matches, weighted destinations (host, DestinationRule subset, port), timeout and
redirect. What ECS does not carry as such (retries, fault injection, mirror, corsPolicy, headers,
rewrite, regex and other match parts, tcp and tls routes) is read for its finding only
(`Reader.for_report`); the mapping (`mapping/network/mesh*.py`) says what is lost and what to do.
Istio's defaults (https://istio.io/latest/docs/reference/config/networking/virtual-service/): a route
without `match` matches every request; a single destination takes every request; `gateways` absent
is `mesh`.
"""

from __future__ import annotations

from translator.k8s.common import origin, origin_at, parse_meta
from translator.model.app import (
    Application,
    MeshDestination,
    MeshFeature,
    MeshMatch,
    MeshRoute,
    RouteRedirect,
    ValueMatch,
    VirtualService,
)
from translator.source.duration import seconds
from translator.source.reader import Reader

NETWORKING = "networking.istio.io"
SECURITY = "security.istio.io"
# Every version Istio serves its networking kinds in (v1alpha3 since 1.0, v1beta1 since 1.5, v1 since 1.22).
NETWORKING_VERSIONS = ("v1", "v1beta1", "v1alpha3")
SECURITY_VERSIONS = ("v1", "v1beta1")  # security.istio.io: v1beta1 since 1.5, v1 since 1.22
KINDS: dict[str, tuple[str, ...]] = {"VirtualService": (NETWORKING,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {NETWORKING: NETWORKING_VERSIONS}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "bound to an Istio Gateway: listener rules of the Gateway's ALB (hosts as host-header conditions, uri and "
    "exact header matches as conditions, weights over DestinationRule subsets as a forward action over weighted "
    "target groups, one per subset); in the mesh, a split over subsets of a Service behind an Ingress: the Ingress "
    "rules' weighted forward; `timeout`: the Service Connect per-request timeout of the host's Service; "
    "retries, fault injection, mirror, corsPolicy, headers, rewrite, mesh weights, tcp and tls routes: a finding "
    "each with what to do"
)
# HTTP route fields ECS does not carry as such: read for their finding only.
REPORTED = ("retries", "fault", "mirror", "mirrors", "mirrorPercentage", "corsPolicy", "headers",
            "rewrite", "delegate", "directResponse", "mirrorPercent")


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    routes = tuple(_route(r, i) for i, r in enumerate(spec.items("http")))
    others = tuple(MeshFeature(key, _count(spec.data[key]), origin_at(spec, key))
                   for key in ("tcp", "tls", "exportTo") if spec.has(key))
    spec.for_report.ignore("tcp", "tls", "exportTo")  # read for their finding: ECS Service Connect routes no TCP
    app.virtual_services.append(VirtualService(meta, tuple(spec.str_list("hosts")), tuple(spec.str_list("gateways")),
                                               routes, others, origin(root)))


def _count(value: object) -> str:
    return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}" if isinstance(value, list) else ""


def _route(r: Reader, index: int) -> MeshRoute:
    matches = tuple(_match(m) for m in r.items("match"))
    destinations = tuple(_destination(d) for d in r.items("route"))
    timeout_text = r.str("timeout") or ""
    timeout = seconds(timeout_text) if timeout_text else None
    if timeout_text and timeout is None:
        r.report("K2E003", "timeout", field=r.field("timeout"), expected="a duration such as 10s", got=timeout_text)
    return MeshRoute(index, r.str("name") or "", matches, destinations, timeout, timeout_text, _redirect(r),
                     tuple(_feature(r.for_report, key) for key in REPORTED if r.has(key)), origin(r))


def _destination(d: Reader) -> MeshDestination:
    dest = d.child("destination")
    port = dest.child("port") if dest is not None else None
    if dest is None:
        d.report("K2E004", field=d.field("destination"))
    return MeshDestination((dest.str("host") or "") if dest is not None else "",
                           (dest.str("subset") or "") if dest is not None else "",
                           port.int("number") if port is not None else None, d.int("weight"), origin(d))


def _match(m: Reader) -> MeshMatch:
    """One match: uri, exact headers and method carry; every other part is kept for its finding."""
    uri_type, uri = _uri(m.child("uri"))
    headers, unmatched = _headers(m.child("headers"))
    method, other = _method(m.child("method"))
    report = m.for_report
    for key in ("queryParams", "port", "scheme", "authority", "sourceLabels", "sourceNamespace", "withoutHeaders",
                "ignoreUriCase"):
        if m.has(key):
            report.ignore(key)
            unmatched.append(MeshFeature(key, "", origin_at(m, key)))
    m.ignore("name", "statPrefix")  # a match's name and stat prefix only label its metrics
    return MeshMatch(uri_type, uri, tuple(headers), method, tuple(m.str_list("gateways")), (*unmatched, *other),
                     origin(m))


def _uri(r: Reader | None) -> tuple[str, str]:
    """(exact | prefix | regex, value), or ('', '') for every path."""
    for kind in ("exact", "prefix", "regex") if r is not None else ():
        if r is not None and r.has(kind):
            return kind, r.str(kind) or ""
    return "", ""


def _headers(h: Reader | None) -> tuple[list[ValueMatch], list[MeshFeature]]:
    """Exact header matches, and the others (prefix, regex) for their finding."""
    exact: list[ValueMatch] = []
    other: list[MeshFeature] = []
    for name in h.fields() if h is not None else ():
        body = h.child(name) if h is not None else None
        if body is not None and body.has("exact") and len(body.data) == 1:
            exact.append(ValueMatch(name, body.str("exact") or ""))
        elif body is not None:
            body.for_report.ignore(*body.fields())
            other.append(MeshFeature(f"headers.{name}", ", ".join(body.fields()), origin(body)))
    return exact, other


def _method(r: Reader | None) -> tuple[str, list[MeshFeature]]:
    if r is not None and r.has("exact") and len(r.data) == 1:
        return (r.str("exact") or "").upper(), []
    if r is None:
        return "", []
    r.for_report.ignore(*r.fields())
    return "", [MeshFeature("method", ", ".join(r.fields()), origin(r))]


def _redirect(r: Reader) -> RouteRedirect | None:
    red = r.child("redirect")
    if red is None:
        return None
    code = red.int("redirectCode")
    scheme = red.str("scheme") or ""
    return RouteRedirect(scheme, red.str("authority") or "", "ReplaceFullPath" if red.has("uri") else "",
                         red.str("uri") or "", red.int("port"), code if code is not None else 301)


def _feature(r: Reader, key: str) -> MeshFeature:
    """A route setting ECS does not carry, with a few words of what it asks for."""
    value = r.data.get(key)
    r.ignore(key)
    detail = ""
    if isinstance(value, dict):
        detail = ", ".join(str(k) for k in value)
        if key == "retries":
            detail = ", ".join(f"{k} {value[k]}" for k in ("attempts", "perTryTimeout", "retryOn") if k in value)
        elif key == "fault":
            detail = ", ".join(_fault(kind, value[kind]) for kind in ("delay", "abort") if isinstance(value.get(kind), dict))
        elif key == "mirror":
            detail = f"to {value.get('host', '?')}"
    return MeshFeature(key, detail, origin_at(r, key))


def _fault(kind: str, body: dict[str, object]) -> str:
    share = body.get("percentage")
    percent = share.get("value") if isinstance(share, dict) else body.get("percent")
    what = body.get("fixedDelay") if kind == "delay" else body.get("httpStatus", body.get("grpcStatus"))
    return f"{kind} {what}" + (f" for {percent}%" if percent is not None else "")
