"""GRPCRoute (gateway.networking.k8s.io): gRPC routing rules attached to Gateway listeners.

A gRPC call is an HTTP/2 POST to `/<package.Service>/<Method>`, so a service and method match is
an ALB path condition; the backends become target groups of protocol version GRPC.
"""

from __future__ import annotations

from translator.k8s.common import origin
from translator.k8s.httproute import GROUP, backend_refs, parse_route, read_filter, value_matches
from translator.model.app import Application, RouteMatch, RouteRule
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"GRPCRoute": (GROUP,)}
# API group -> every version the Gateway API CRDs served it in (v1alpha2 from v0.6 to v1.1, v1 from v1.1).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {GROUP: ("v1", "v1alpha2")}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "listener rules of the ALB of each Gateway it attaches to: a service and method match becomes the path "
    "`/package.Service/Method`, headers ALB header conditions; backends become target groups of protocol "
    "version GRPC with a gRPC health check"
)
MATCH_TYPES = ("Exact", "RegularExpression")


def parse(root: Reader, app: Application) -> None:
    route = parse_route(root, "GRPCRoute", _rule)
    if route is not None:
        app.routes.append(route)


def _rule(r: Reader, index: int, namespace: str) -> RouteRule:
    matches: list[RouteMatch] = []
    for m in r.items("matches"):
        method = m.child("method")
        kind = (method.str("type") or "Exact") if method is not None else "Exact"
        if kind not in MATCH_TYPES:
            m.report("K2E003", "method", field=m.field("method.type"), expected="Exact or RegularExpression",
                     got="another value")
            continue
        headers = value_matches(m, "headers")
        if headers is None:
            continue
        matches.append(RouteMatch(headers=headers, grpc_type=kind,
                                  service=(method.str("service") or "") if method is not None else "",
                                  grpc_method=(method.str("method") or "") if method is not None else "",
                                  origin=origin(m)))
    if not r.has("matches"):
        matches.append(RouteMatch(grpc_type="Exact", origin=origin(r)))  # every call
    filters = tuple(read_filter(f) for f in r.for_report.items("filters"))  # no GRPCRoute filter is carried
    backends, backend_filters = backend_refs(r, namespace)
    return RouteRule(index, tuple(matches), filters, backends, backend_filters, origin(r))
