"""Istio Gateways to load balancers, through the Gateway API builder (`gateway.py`).

An Istio Gateway and the VirtualServices bound to it say what a Gateway API Gateway and its
HTTPRoutes say, so they are read as such and built by the same `GatewayBuilder` (one ALB builder):
- each HTTP (HTTP2, GRPC) server becomes an HTTP listener, each HTTPS server with TLS mode SIMPLE an
  HTTPS listener with a certificate parameter for its credentialName Secret; a server's hosts become
  listener hostnames (`*` every host; a `namespace/` prefix is dropped); other protocols and TLS modes
  are reported (K2E841). Istio admits VirtualServices of any namespace (routes_from All). An HTTP
  server with `tls.httpsRedirect` becomes an HTTP listener that admits no VirtualService and whose one
  rule redirects every request to HTTPS on port 443 with a 301, as Istio's gateway answers it.
- each bound VirtualService becomes a route of kind VirtualService: its hosts the hostnames (host-header
  conditions), each `http` route a rule, in the VirtualService's order (Istio takes the first route
  that matches), uri exact / prefix and exact header and method matches its conditions, its
  destinations weighted backends: a destination with a DestinationRule subset gets a target group of
  the subset's workloads (those whose pod labels the subset names), so weights over subsets become a
  forward action over weighted target groups. A redirect becomes a redirect action.
Destinations the mapping cannot reach (not a Service of the input, an unknown subset) are left out
here and reported once by `meshreport.py`.
"""

from __future__ import annotations

from translator.k8s.httproute import GROUP
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network.gateway import GatewayBuilder, Source
from translator.mapping.network.ingressbackends import Backends
from translator.mapping.network.meshindex import Key, Labels, MeshIndex, gateway_key, index, resolve, service_key
from translator.mapping.network.networking import Link
from translator.mapping.service.assemble import Contribution, ServiceBase, bindings
from translator.model.app import (
    Gateway,
    GatewayListener,
    MeshDestination,
    MeshGateway,
    MeshMatch,
    MeshRoute,
    MeshServer,
    Meta,
    ObjectRef,
    Route,
    RouteFilter,
    RouteMatch,
    RouteRedirect,
    RouteRule,
    VirtualService,
)
from translator.model.ecs import TaskDefinition

CONTROLLER = "Istio ingress gateway"
KIND = "VirtualService"
REDIRECT_KIND = "Istio httpsRedirect"  # the route of an httpsRedirect server's listener: no VirtualService attaches
HTTP = ("HTTP", "HTTP2", "GRPC")
_PATH_TYPES = {"exact": "Exact", "prefix": "PathPrefix", "regex": "RegularExpression"}
_TLS_REMEDY = ("An ALB terminates TLS with an ACM certificate: use mode SIMPLE (the certificate imported into ACM), "
               "or expose the Service through an NLB (type LoadBalancer) to pass TLS through; the server was left out.")


def map_mesh_gateways(mc: MapContext, nb: NamespaceBuild, links: list[Link],
                      built: dict[tuple[str, str], tuple[ServiceBase, TaskDefinition]],
                      parts: dict[tuple[str, str], list[Contribution]]) -> list[tuple[tuple[str, str], Contribution]]:
    """The load balancers of the namespace's Istio Gateways; what they add to each workload's ECS service."""
    mesh = index(mc)
    mine = sorted((g for g in mesh.gateways.values() if mesh.home(g) == nb.namespace), key=lambda g: g.meta.key)
    if not mine:
        return []
    bound = {key: {b.target_group_arn for b in bindings(own)} for key, own in parts.items()}
    labelled = _labelled(links)
    out: list[tuple[tuple[str, str], Contribution]] = []
    for mg in mine:
        owner = f"istio-gateway/{mg.meta.name}" if mg.meta.namespace == nb.namespace else \
            f"istio-gateway/{mg.meta.namespace}/{mg.meta.name}"
        backends = Backends(mc, nb, owner, f"Istio Gateway {mg.meta.name}", nb.ids.get(owner, "LoadBalancer"), links,
                            built, bound)
        listeners = _listeners(mc, mg)
        gw = Gateway(mg.meta, "istio", tuple(listeners), mg.origin)
        routes = tuple(_route(mesh, mg, vs, labelled) for vs in mesh.bound.get(mg.meta.key, []))
        routes += tuple(_https_redirect(mg, gl) for gl in listeners if gl.route_kinds == (REDIRECT_KIND,))
        GatewayBuilder(mc, nb, gw, backends, Source(routes, CONTROLLER)).build()
        out += backends.contributions
    return out


# --- servers to listeners --------------------------------------------------------------------


def _listeners(mc: MapContext, mg: MeshGateway) -> list[GatewayListener]:
    out: list[GatewayListener] = []
    for i, server in enumerate(mg.servers):
        protocol = _protocol(mc, mg, server)
        if not protocol:
            continue
        certificates = (ObjectRef("", "Secret", server.credential, mg.meta.namespace, origin=server.origin),) \
            if protocol == "HTTPS" and server.credential else ()
        kinds = (REDIRECT_KIND,) if protocol == "HTTP" and server.https_redirect else (KIND,)
        for j, host in enumerate(_hosts(server)):
            out.append(GatewayListener(f"{server.name or i}-{j}", protocol, server.port, host, certificates,
                                       routes_from="All", route_kinds=kinds, origin=server.origin))
    return out


def _https_redirect(mg: MeshGateway, gl: GatewayListener) -> Route:
    """The route of an httpsRedirect server's listener: every request, whatever its path, to HTTPS port 443 (301)."""
    parent = ObjectRef(GROUP, "Gateway", mg.meta.name, mg.meta.namespace, section=gl.name, origin=gl.origin)
    redirect = RouteFilter("RequestRedirect", RouteRedirect("https", port=443, status_code=301), origin=gl.origin)
    meta = Meta(f"{mg.meta.name}/{gl.name}", mg.meta.namespace)
    every = RouteMatch(origin=gl.origin)  # path prefix /: every request
    return Route(REDIRECT_KIND, meta, (parent,), rules=(RouteRule(0, (every,), (redirect,), origin=gl.origin),),
                 origin=gl.origin)


def _hosts(server: MeshServer) -> list[str]:
    """Listener hostnames: `ns/host` -> host; `*` (every host) makes one listener without a hostname."""
    hosts = [h.split("/", 1)[1] if "/" in h else h for h in server.hosts]
    return [""] if not hosts or "*" in hosts else list(dict.fromkeys(h.lower() for h in hosts))


def _protocol(mc: MapContext, mg: MeshGateway, server: MeshServer) -> str:
    """The Gateway API protocol of a server, or '' with a finding when the ALB cannot serve it."""
    params = {"name": mg.meta.name, "server": server.name or str(server.port), "protocol": server.protocol or "?",
              "port": server.port}
    if server.protocol in HTTP:
        return "HTTP"
    if server.protocol == "HTTPS" and server.tls_mode == "SIMPLE":
        return "HTTPS"
    if server.protocol == "HTTPS":
        mode = server.tls_mode or "PASSTHROUGH (Istio's default)"
        mc.report(server.origin, "K2E841", detail=f"TLS mode {mode} is not TLS the ALB terminates with a certificate",
                  remediation=_TLS_REMEDY, **params)
        return ""
    mc.report(server.origin, "K2E841", detail="an ALB serves HTTP and HTTPS only, and ECS carries no tcp or tls routes",
              remediation="Expose the Service with type LoadBalancer (an NLB) for TCP or TLS; the server was left out.",
              **params)
    return ""


# --- VirtualServices to routes ---------------------------------------------------------------


def _route(mesh: MeshIndex, mg: MeshGateway, vs: VirtualService, labelled: dict[Key, list[Labels]]) -> Route:
    hostnames = () if "*" in vs.hosts else tuple(h for h in vs.hosts if not _mesh_name(mesh, h, vs.meta.namespace))
    parent = ObjectRef(GROUP, "Gateway", mg.meta.name, mg.meta.namespace, origin=vs.origin)
    rules = tuple(rule for r in vs.http if (rule := _rule(mesh, mg, vs, r, labelled)) is not None)
    return Route(KIND, vs.meta, (parent,), hostnames, rules, origin=vs.origin)


def _mesh_name(mesh: MeshIndex, host: str, namespace: str) -> bool:
    """A host that names a Service of the cluster (`reviews`, `reviews.shop.svc.cluster.local`): the mesh's name
    for calls inside, which no request through the gateway carries as its Host."""
    key = service_key(host, namespace)
    return "." not in host or (key is not None and key in mesh.services)


def _applies(match: MeshMatch, mg: MeshGateway, namespace: str) -> bool:
    """A match that names gateways applies to those only."""
    return not match.gateways or any(gateway_key(g, namespace) == mg.meta.key for g in match.gateways)


def _rule(mesh: MeshIndex, mg: MeshGateway, vs: VirtualService, r: MeshRoute,
          labelled: dict[Key, list[Labels]]) -> RouteRule | None:
    matches = [_match(m) for m in r.matches if _applies(m, mg, vs.meta.namespace)]
    if r.matches and not matches:
        return None  # every match of the route names other gateways
    single = len(r.destinations) == 1
    backends = tuple(ref for d in r.destinations if (ref := _backend(mesh, vs, d, single, labelled)) is not None)
    filters = (RouteFilter("RequestRedirect", r.redirect, origin=r.origin),) if r.redirect is not None else ()
    return RouteRule(r.index, tuple(matches) or (RouteMatch(origin=r.origin),), filters, backends, (), r.origin)


def _match(m: MeshMatch) -> RouteMatch:
    path_type = _PATH_TYPES.get(m.uri_type, "PathPrefix")
    return RouteMatch(path_type, m.uri or "/", m.method, m.headers, origin=m.origin)


def _backend(mesh: MeshIndex, vs: VirtualService, d: MeshDestination, single: bool,
             labelled: dict[Key, list[Labels]]) -> ObjectRef | None:
    found = resolve(mesh, vs, d, labelled)
    if found.key is None:
        return None  # reported once by meshreport
    weight = d.weight if d.weight is not None else (100 if single else 0)
    return ObjectRef("", "Service", found.key[1], found.key[0], port=found.port, weight=weight, origin=d.origin,
                     subset=found.subset)


def _labelled(links: list[Link]) -> dict[Key, list[Labels]]:
    """Service -> the pod labels of each workload it selects."""
    out: dict[Key, list[Labels]] = {}
    for link in links:
        out.setdefault(link.service.meta.key, []).append(link.workload.pod_labels)
    return out
