"""HTTPRoute (gateway.networking.k8s.io): HTTP routing rules attached to Gateway listeners.

Also the parts every Gateway API route shares (parentRefs, backendRefs), which grpcroute.py and
tcproute.py read through the same functions. Defaults follow the Gateway API spec: a parentRef
or backendRef without a namespace is in the route's; a rule without matches matches every path
(PathPrefix `/`); a match without a path type is a PathPrefix; a backendRef weighs 1.
"""

from __future__ import annotations

from collections.abc import Callable

from translator.k8s.common import origin, parse_meta
from translator.model.app import (
    Application,
    ObjectRef,
    Route,
    RouteFilter,
    RouteMatch,
    RouteRedirect,
    RouteRule,
    ValueMatch,
)
from translator.source.reader import Reader

GROUP = "gateway.networking.k8s.io"
# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"HTTPRoute": (GROUP,)}
# API group -> every version the Gateway API CRDs served it in (v1alpha2 up to v0.8, v1beta1 from v0.5, v1 from v1.0).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {GROUP: ("v1", "v1beta1", "v1alpha2")}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "listener rules of the ALB of each Gateway it attaches to (parentRefs, sectionName, port): path "
    "(PathPrefix `/foo` matches `/foo` and `/foo/*`, Exact), method, header and query-parameter matches and "
    "hostnames as ALB conditions; weighted backendRefs as a forward action over weighted target groups; "
    "RequestRedirect as a redirect action; priorities in Gateway API precedence order (see Gateway API)"
)
PATH_TYPES = ("Exact", "PathPrefix", "RegularExpression")
# A filter's type -> the field that holds its settings.
FILTER_FIELDS = {"RequestHeaderModifier": "requestHeaderModifier", "ResponseHeaderModifier": "responseHeaderModifier",
                 "RequestMirror": "requestMirror", "RequestRedirect": "requestRedirect", "URLRewrite": "urlRewrite",
                 "ExtensionRef": "extensionRef", "CORS": "cors", "ExternalAuth": "externalAuth"}


def parse(root: Reader, app: Application) -> None:
    route = parse_route(root, "HTTPRoute", _rule)
    if route is not None:
        app.routes.append(route)


def parse_route(root: Reader, kind: str, read_rule: Callable[[Reader, int, str], RouteRule]) -> Route | None:
    """The parts every route kind shares; `read_rule(reader, index, namespace)` reads one rule of the kind."""
    meta = parse_meta(root, labels=False, annotations=False)
    metadata = root.child("metadata")
    created = (metadata.str("creationTimestamp") or "") if metadata is not None else ""
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return None
    parents = tuple(parent_ref(p, meta.namespace) for p in spec.items("parentRefs"))
    hostnames = tuple(spec.str_list("hostnames"))
    rules = tuple(read_rule(r, i, meta.namespace) for i, r in enumerate(spec.items("rules")))
    return Route(kind, meta, parents, hostnames, rules, created, origin(root),
                 standalone=standalone(root) if kind in LATTICE_KINDS else None)


STANDALONE = "application-networking.k8s.aws/standalone"
LATTICE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute")  # the routes a VPC Lattice service carries


def standalone(root: Reader) -> bool | None:
    """The AWS Gateway API controller's standalone annotation ('true': the route's VPC Lattice service joins no
    service network; a route's value wins over its Gateway's); None when absent or neither true nor false."""
    metadata = root.child("metadata")
    annotations = metadata.child("annotations") if metadata is not None else None
    value = (annotations.str(STANDALONE) or "").strip().lower() if annotations is not None else ""
    return {"true": True, "false": False}.get(value)


def parent_ref(r: Reader, namespace: str) -> ObjectRef:
    group = r.str("group")
    return ObjectRef(GROUP if group is None else group, r.str("kind") or "Gateway", r.str("name") or "",
                     r.str("namespace") or namespace, port=r.int("port"), section=r.str("sectionName") or "",
                     origin=origin(r))


def backend_refs(rule: Reader, namespace: str) -> tuple[tuple[ObjectRef, ...], tuple[RouteFilter, ...]]:
    """A rule's backendRefs, and the filters set on them (which the load balancer cannot apply per backend)."""
    refs: list[ObjectRef] = []
    filters: list[RouteFilter] = []
    for b in rule.items("backendRefs"):
        weight = b.int("weight")
        refs.append(ObjectRef(b.str("group") or "", b.str("kind") or "Service", b.str("name") or "",
                              b.str("namespace") or namespace, port=b.int("port"),
                              weight=1 if weight is None else weight, origin=origin(b)))
        filters += [read_filter(f.for_report) for f in b.for_report.items("filters")]
    return tuple(refs), tuple(filters)


def read_filter(f: Reader) -> RouteFilter:
    """A route filter; only RequestRedirect becomes ALB configuration, the others are read for their finding."""
    kind = f.str("type") or ""
    if kind == "RequestRedirect" and not f.reporting:
        r = f.child("requestRedirect")
        if r is None:
            f.report("K2E004", "requestRedirect", field=f.field("requestRedirect"))
            return RouteFilter(kind, RouteRedirect(), origin=origin(f))
        path = r.child("path")
        path_type = path.str("type") or "" if path is not None else ""
        value = ((path.str("replaceFullPath") if path_type == "ReplaceFullPath" else path.str("replacePrefixMatch"))
                 or "") if path is not None else ""
        redirect = RouteRedirect(r.str("scheme") or "", r.str("hostname") or "", path_type, value, r.int("port"),
                                 r.int("statusCode") or 302)
        return RouteFilter(kind, redirect, origin=origin(f))
    report = f.for_report
    detail = _detail(report, kind)
    return RouteFilter(kind, detail=detail, origin=origin(f))


def _detail(f: Reader, kind: str) -> str:
    """What a filter the load balancer cannot apply asks for, in a few words for its finding."""
    key = FILTER_FIELDS.get(kind, "")
    if kind == "ExtensionRef":
        ref = f.child("extensionRef")
        return f"{ref.str('kind') or '?'} {ref.str('name') or '?'}" if ref is not None else ""
    body = f.child(key) if key else None
    if body is not None:
        body.ignore(*body.fields())  # the finding names the filter: every setting of it is accounted for
    if body is None:
        return ""
    if kind in ("RequestHeaderModifier", "ResponseHeaderModifier"):
        parts = [f"set {h.str('name')}" for h in body.items("set")] + [f"add {h.str('name')}" for h in body.items("add")]
        parts += [f"remove {n}" for n in body.str_list("remove")]
        return ", ".join(parts)
    if kind == "URLRewrite":
        path = body.child("path")
        parts = [f"hostname {body.str('hostname')}"] if body.has("hostname") else []
        if path is not None:
            parts.append(f"{path.str('type') or 'path'} {path.str('replaceFullPath') or path.str('replacePrefixMatch') or ''}")
        return ", ".join(parts)
    if kind == "RequestMirror":
        ref = body.child("backendRef")
        return f"to Service {ref.str('name') or '?'}" if ref is not None else ""
    return ""


def value_matches(m: Reader, key: str) -> tuple[ValueMatch, ...] | None:
    """The header or query-parameter matches of a match, or None when one has no name (K2E004): the API server
    refuses it, and the match is left out rather than widened to every request."""
    out = []
    for h in m.items(key):
        name = h.str("name") or ""
        if not name:
            h.report("K2E004", "name" if h.has("name") else None, field=h.field("name"))
            return None
        out.append(ValueMatch(name, h.str("value") or "", h.str("type") or "Exact"))
    return tuple(out)


def _rule(r: Reader, index: int, namespace: str) -> RouteRule:
    matches: list[RouteMatch] = []
    for m in r.items("matches"):
        path = m.child("path")
        path_type = (path.str("type") or "PathPrefix") if path is not None else "PathPrefix"
        value = (path.str("value") or "/") if path is not None else "/"
        if path_type not in PATH_TYPES:
            m.report("K2E003", "path", field=m.field("path.type"), expected="Exact, PathPrefix or RegularExpression",
                     got="another value")
            continue
        headers, queries = value_matches(m, "headers"), value_matches(m, "queryParams")
        if headers is None or queries is None:
            continue
        matches.append(RouteMatch(path_type, value, (m.str("method") or "").upper(), headers, queries,
                                  origin=origin(m)))
    if not r.has("matches"):
        matches.append(RouteMatch(origin=origin(r)))  # the spec's default: every path
    filters = tuple(read_filter(f) for f in r.items("filters"))
    backends, backend_filters = backend_refs(r, namespace)
    return RouteRule(index, tuple(matches), filters, backends, backend_filters, origin(r))
