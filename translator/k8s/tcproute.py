"""TCPRoute and UDPRoute (gateway.networking.k8s.io): layer-4 routes of a Gateway's TCP and UDP listeners
(TLSRoute, for TLS listeners, is read the same way: tlsroute.py).

Each becomes the default action of the NLB listener it attaches to (mapping/network/gateway.py):
an NLB listener forwards to one target group, so a rule with several backendRefs keeps the
heaviest one and says so.
"""

from __future__ import annotations

from translator.k8s.common import origin
from translator.k8s.httproute import GROUP, backend_refs, parse_route
from translator.model.app import Application, RouteRule
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"TCPRoute": (GROUP,), "UDPRoute": (GROUP,)}
# API group -> every version the Gateway API CRDs served them in (v1alpha2 from v0.4, v1 from v1.5).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {GROUP: ("v1", "v1alpha2")}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = ("the default action of the NLB listener of the Gateway listener it attaches to: a forward to the "
           "target group of its backend (the heaviest one when it has several)")


def parse(root: Reader, app: Application) -> None:
    route = parse_route(root, root.ctx.doc.kind, read_rule)
    if route is not None:
        app.routes.append(route)


def read_rule(r: Reader, index: int, namespace: str) -> RouteRule:
    backends, backend_filters = backend_refs(r, namespace)
    return RouteRule(index, (), (), backends, backend_filters, origin(r))
