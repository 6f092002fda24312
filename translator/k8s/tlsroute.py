"""TLSRoute (gateway.networking.k8s.io): TLS passthrough or terminated TLS routes of a Gateway's TLS listeners.

Read like a TCPRoute (tcproute.py); its hostnames (SNI names) have no NLB condition and are reported.
"""

from __future__ import annotations

from translator.k8s.httproute import GROUP, parse_route
from translator.k8s.tcproute import read_rule
from translator.model.app import Application
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"TLSRoute": (GROUP,)}
# API group -> every version the Gateway API CRDs served it in (v1alpha2 from v0.4, v1alpha3 in v1.3-1.4, v1 from v1.5).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {GROUP: ("v1", "v1alpha3", "v1alpha2")}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = ("the default action of the NLB listener of the TLS Gateway listener it attaches to, as a TCPRoute; "
           "SNI hostnames are not matched")


def parse(root: Reader, app: Application) -> None:
    route = parse_route(root, "TLSRoute", read_rule)
    if route is not None:
        app.routes.append(route)
