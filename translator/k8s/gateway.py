"""Gateway and GatewayClass (gateway.networking.k8s.io): the load balancer and its listeners.

A Gateway's listeners say on which port and protocol it listens, for which hostname, with which
certificates, and which routes may attach (allowedRoutes). The mapping
(`mapping/network/gateway.py`) makes an ALB of its HTTP and HTTPS listeners and an NLB of its
TCP, UDP and TLS ones; the routes attached to them become the listener rules.
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.httproute import GROUP, standalone
from translator.k8s.networkpolicy import selector
from translator.model.app import Application, Gateway, GatewayClass, GatewayListener, ObjectRef
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Gateway": (GROUP,), "GatewayClass": (GROUP,)}
# API group -> every version the Gateway API CRDs served it in (v1alpha2 up to v0.8, v1beta1 from v0.5, v1 from v1.0).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {GROUP: ("v1", "v1beta1", "v1alpha2")}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "an ALB for its HTTP and HTTPS listeners, an NLB for its TCP, UDP and TLS ones, built like an Ingress's; "
    "one listener per port, with a certificate parameter per certificateRefs Secret; allowedRoutes decides "
    "which routes attach. Rules in Gateway API precedence: hostname (non-wildcard characters, then "
    "characters), Exact path, longest PathPrefix, method, most headers, most query parameters, oldest "
    "route, route `namespace/name`, rule and match order; priorities 10, 20, ... per listener. "
    "GatewayClass: which Gateways the ALB stands for. With `gateway_target: vpc-lattice`, a VPC Lattice service "
    "network associated with the VPC instead, each route a Lattice service (docs/vpc-lattice.md)"
)


def parse(root: Reader, app: Application) -> None:
    if root.ctx.doc.kind == "GatewayClass":
        _parse_class(root, app)
        return
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    listeners = tuple(_listener(r, meta.namespace) for r in spec.items("listeners"))
    infrastructure = spec.child("infrastructure")
    ref = infrastructure.child("parametersRef") if infrastructure is not None else None
    parameters = ObjectRef(ref.str("group") or "", ref.str("kind") or "", ref.str("name") or "", meta.namespace,
                           origin=origin(ref)) if ref is not None else None
    app.gateways.append(Gateway(meta, spec.str("gatewayClassName") or "", listeners, origin(root), parameters,
                                standalone=standalone(root)))


def _listener(r: Reader, namespace: str) -> GatewayListener:
    protocol = r.str("protocol") or ""
    tls = r.child("tls")
    certificates: tuple[ObjectRef, ...] = ()
    mode = "Terminate"
    if tls is not None:
        mode = tls.str("mode") or "Terminate"
        certificates = tuple(ObjectRef(c.str("group") or "", c.str("kind") or "Secret", c.str("name") or "",
                                       c.str("namespace") or namespace, origin=origin(c))
                             for c in tls.items("certificateRefs"))
    allowed = r.child("allowedRoutes")
    namespaces = allowed.child("namespaces") if allowed is not None else None
    routes_from = (namespaces.str("from") or "Same") if namespaces is not None else "Same"
    chosen = selector(namespaces.child("selector")) if namespaces is not None and routes_from == "Selector" else None
    kinds: list[str] = []
    for k in allowed.items("kinds") if allowed is not None else ():
        k.ignore("group")  # every route kind is of the Gateway API group
        kinds.append(k.str("kind") or "")
    return GatewayListener(r.str("name") or "", protocol, r.int("port") or 0, r.str("hostname") or "", certificates,
                           mode, routes_from, chosen, tuple(kinds), origin(r))


def _parse_class(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    controller = (spec.str("controllerName") or "") if spec is not None else ""
    ref = spec.child("parametersRef") if spec is not None else None  # cluster-wide: it names its namespace
    parameters = ObjectRef(ref.str("group") or "", ref.str("kind") or "", ref.str("name") or "",
                           ref.str("namespace") or "", origin=origin(ref)) if ref is not None else None
    app.gateway_classes[meta.name] = GatewayClass(meta, controller, origin(root), parameters)
    root.report("K2E102", kind="GatewayClass", name=meta.name,
                detail=f"its Gateways become load balancers, or VPC Lattice service networks with gateway_target: "
                       f"vpc-lattice (controller {controller or 'not set'})")
