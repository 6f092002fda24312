"""Gateway API Gateways to Elastic Load Balancers: an ALB for HTTP and HTTPS listeners, an NLB for TCP, UDP and TLS.

Built from the same pieces as an Ingress's ALB (`alb.py`, `ingressbackends.py` for target groups and
their registration on ECS services): one load-balancer listener per port (Gateway listeners sharing a
port share it, their certificates served by SNI), a 404 default action as the spec requires when no
route matches, and one listener rule per route match (and hostname group), conditions and order from
`gatewayrules.py`. Routes attach through parentRefs (sectionName, port) where the listener admits them
(allowedRoutes: namespaces and kinds; hostnames that intersect). Backends are Services of the
Gateway's namespace, whose stack holds the load balancer; a backend in another namespace needs a
ReferenceGrant there (as on Kubernetes) and is reported, since its ECS service is in another stack.
"""

from __future__ import annotations

from dataclasses import replace

from translator.k8s.httproute import GROUP
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import camel, short_hash
from translator.mapping.network import alb, targetpolicies
from translator.mapping.network.albannotations import HealthOverrides, TargetSettings
from translator.mapping.network.gatewayrules import (
    Entry,
    describe,
    effective_hosts,
    host_groups,
    match_conditions,
    ordered,
    with_hosts,
)
from translator.mapping.network.ingressbackends import Backends, Member, Target
from translator.mapping.network.ingressrules import Unroutable, priority
from translator.mapping.network.networking import Link
from translator.mapping.service.assemble import Contribution, ServiceBase, bindings
from translator.mapping.task.probes import target_group_health_check, target_group_timeout
from translator.model.app import (
    BalancerConfiguration,
    Gateway,
    GatewayListener,
    IngressBackend,
    ObjectRef,
    Origin,
    Route,
    RouteRedirect,
    RouteRule,
)
from translator.model.ecs import (
    Action,
    Attribute,
    Certificate,
    FixedResponse,
    FixedResponseConfig,
    ForwardConfig,
    Listener,
    ListenerCertificate,
    ListenerRule,
    Matcher,
    Redirect,
    RedirectConfig,
    TargetGroup,
    TargetGroupTuple,
    TargetHealthCheck,
    TaskDefinition,
    WeightedForward,
)
from translator.model.intrinsics import Ref, Value
from translator.model.provenance import provenance
from translator.model.record import record

ALB_CONTROLLERS = ("gateway.k8s.aws/alb", "gateway.k8s.aws/nlb")  # the AWS Load Balancer Controller's Gateway classes
HTTP_PROTOCOLS = ("HTTP", "HTTPS")
L4_PROTOCOLS = ("TCP", "UDP", "TLS")
ROUTE_KINDS = {"HTTP": ("HTTPRoute", "GRPCRoute"), "HTTPS": ("HTTPRoute", "GRPCRoute"), "TCP": ("TCPRoute",),
               "UDP": ("UDPRoute",), "TLS": ("TLSRoute",)}  # what a listener admits without allowedRoutes.kinds
MAX_RULES = 100  # per ALB [ELB-QUOTA]
# How the rules of a route kind are ordered, when not by Gateway API precedence (K2E775).
ORDERS = {"VirtualService": "the rules keep the VirtualService's order, as Istio takes the first route that matches",
          "Istio httpsRedirect": "it answers every request for the server's hosts with a redirect to HTTPS, as Istio did"}
MAX_ACTION_GROUPS = 5  # target groups per forward action [ELB-QUOTA]
MAX_WEIGHT = 999  # of a target group in a forward action [ELB API TargetGroupTuple]
_REDIRECT_CODES = {301: "HTTP_301", 302: "HTTP_302"}
_FILTER_REMEDIES = {
    "URLRewrite": "An ALB forwards the path and host unchanged: rewrite them in the application, or in a "
                  "CloudFront function in front of the ALB (listener-rule transforms rewrite by regex, not by prefix).",
    "RequestHeaderModifier": "An ALB listener rule cannot set request headers: set them in the application or in a "
                             "CloudFront function in front of the ALB.",
    "ResponseHeaderModifier": "An ALB listener rule cannot set response headers: set them in the application, or "
                              "use the ALB's response-header attributes (HSTS, CORS, CSP) where they fit.",
    "RequestMirror": "An ALB cannot mirror requests: use VPC Traffic Mirroring or send a copy from the application.",
    "ExtensionRef": "The filter belongs to its controller: rebuild what it does with ALB or CloudFront features.",
    "CORS": "Answer CORS in the application, or with the ALB's response-header attributes.",
    "ExternalAuth": "Use the ALB's authenticate-oidc or authenticate-cognito action (added by hand) or authenticate in "
                    "the application.",
}


def map_gateways(mc: MapContext, nb: NamespaceBuild, links: list[Link],
                 built: dict[tuple[str, str], tuple[ServiceBase, TaskDefinition]],
                 parts: dict[tuple[str, str], list[Contribution]]) -> list[tuple[tuple[str, str], Contribution]]:
    """The load balancers of the namespace's Gateways; what they add to each workload's ECS service, in order.
    `parts`: the contributions to each ECS service so far (Services' and Ingresses' load balancers)."""
    bound = {key: {b.target_group_arn for b in bindings(own)} for key, own in parts.items()}
    out: list[tuple[tuple[str, str], Contribution]] = []
    for gw in sorted((g for g in mc.app.gateways if g.meta.namespace == nb.namespace), key=lambda g: g.meta.name):
        owner = f"gateway/{gw.meta.name}"
        backends = Backends(mc, nb, owner, f"Gateway {gw.meta.name}", nb.ids.get(owner, "LoadBalancer"), links,
                            built, bound)
        GatewayBuilder(mc, nb, gw, backends).build()
        out += backends.contributions
    return out


def report_unbuilt(mc: MapContext, namespaces: set[str]) -> None:
    """Gateways of namespaces without a translated workload, and route parents that are no Gateway of the input."""
    for gw in mc.app.gateways:
        if gw.meta.namespace not in namespaces:
            mc.report(gw.origin, "K2E446", kind="Gateway", name=gw.meta.name, namespace=gw.meta.namespace)
    known = {g.meta.key for g in mc.app.gateways}
    for route in mc.app.routes:
        if not route.parents:
            mc.report(route.origin, "K2E766", kind=route.kind, name=route.meta.name, gateway="(none)",
                      detail="it has no parentRefs")
        for parent in route.parents:
            if parent.kind == "Service" and parent.group in ("", "core"):
                mc.report(parent.origin, "K2E765", kind=route.kind, name=route.meta.name, service=parent.name)
            elif parent.kind in ("ListenerSet", "XListenerSet"):
                # On Kubernetes the ListenerSet's listeners join its Gateway and serve the route; nothing here does.
                mc.report(parent.origin, "K2E860", kind=route.kind, name=route.meta.name, parent_kind=parent.kind,
                          parent=parent.name, remediation=_LISTENER_SET)
            elif (parent.group, parent.kind) != (GROUP, "Gateway"):
                # A Mesh or a ServiceImport: routing between services that the output does not carry.
                mc.report(parent.origin, "K2E863", kind=route.kind, name=route.meta.name, parent_kind=parent.kind,
                          parent=parent.name)
            elif (parent.namespace, parent.name) not in known:
                mc.report(parent.origin, "K2E764", kind=route.kind, name=route.meta.name,
                          gateway=f"{parent.namespace}/{parent.name}")


_LISTENER_SET = ("Move the ListenerSet's listeners into spec.listeners of the Gateway it extends and attach the route "
                 "to that Gateway (sectionName: the listener's name), then convert again.")


def _grants(mc: MapContext, namespace: str, kind: str, source: str, to_kind: str, name: str) -> bool:
    """Whether a ReferenceGrant of `namespace` lets a `kind` of namespace `source` refer to `to_kind` `name`."""
    to_group = "" if to_kind in ("Service", "Secret") else GROUP
    return any(g.meta.namespace == namespace and g.permits(GROUP, kind, source, to_group, to_kind, name)
               for g in mc.app.reference_grants)


@record
class Attachment:
    """A route attached to one Gateway listener, with the hostnames it serves there."""

    route: Route
    listener: GatewayListener
    hosts: tuple[str, ...]


@record
class Source:
    """Where a Gateway comes from when it is not a Gateway API object of the input: an Istio Gateway, with
    its VirtualServices as routes (mapping/network/meshgateway.py), so one builder makes every ALB."""

    routes: tuple[Route, ...]
    controller: str  # what the load balancer takes the place of, for K2E761


class GatewayBuilder:
    """Builds the load balancers of one Gateway; attachment and backend checks are shared with VPC Lattice
    (mapping/network/lattice.py), which builds other resources from the same attachments."""

    def __init__(self, mc: MapContext, nb: NamespaceBuild, gw: Gateway, backends: Backends,
                 source: Source | None = None) -> None:
        self.mc, self.nb, self.gw, self.backends = mc, nb, gw, backends
        self.source = source
        self.routes = list(source.routes) if source is not None else mc.app.routes
        self.name = gw.meta.name
        self.owner = backends.owner
        self.lb_id = backends.balancer
        self.targets: dict[tuple[ObjectRef, bool], Target | None] = {}
        self.reported: set[tuple[object, ...]] = set()
        self.rules = 0
        self.config: tuple[BalancerConfiguration, ...] = ()  # the LoadBalancerConfigurations of the Gateway and its class
        self.configured: set[str] = set()  # PROTOCOL:PORT of the listeners made, for listenerConfigurations
        self.named = False  # whether a load balancer of the Gateway took the configuration's loadBalancerName

    # --- listeners and attachments ---------------------------------------------------------------

    def build(self) -> None:
        self._report_class()
        self.config = targetpolicies.configuration(self.mc, self.gw)
        http, l4 = self._listeners()
        attached = self._attachments([*http, *l4])
        if http:
            self._application(http, [a for a in attached if a.listener.protocol in HTTP_PROTOCOLS])
        if l4:
            self._network(l4, [a for a in attached if a.listener.protocol in L4_PROTOCOLS])
        targetpolicies.report_unmatched(self.mc, self.gw, self.config, self.configured)

    def _balancer(self, lb_id: str, lb_type: str, ports: tuple[tuple[str, int], ...]) -> str:
        """Add the Gateway's load balancer, with what its LoadBalancerConfiguration sets; its scheme."""
        fields = targetpolicies.BalancerFields()
        if self.config:
            fields = targetpolicies.balancer(self.mc, self.config, lb_id, lb_type, self.named)
            self.named = self.named or bool(fields.name)
        scheme = fields.scheme or self._scheme()
        alb.add_balancer(self.nb, alb.Balancer(
            lb_id, lb_type, scheme, f"Gateway {self.nb.namespace}/{self.name}", f"Gateway {self.name}",
            f"Gateway/{self.name}", ports, metadata=provenance(self.gw.origin, *(c.origin for c in self.config)),
            cidrs=fields.cidrs or alb.default_cidrs(fields.ip_address_type), name=fields.name,
            ip_address_type=fields.ip_address_type, attributes=fields.attributes, tags=fields.tags))
        return scheme

    def _listener_config(self, protocol: str, port: int, listener_id: str) -> tuple[list[Value], str]:
        """The certificate ARNs (default first) and SSL policy the LoadBalancerConfiguration gives a listener."""
        self.configured.add(f"{protocol}:{port}")
        _, arns, policy = targetpolicies.listener(self.mc, self.config, protocol, port, listener_id)
        return list(arns), policy

    def _report_class(self) -> None:
        known = self.mc.app.gateway_classes.get(self.gw.class_name)
        controller = known.controller if known is not None else ""
        if self.source is not None:
            controller = self.source.controller
        if controller not in ALB_CONTROLLERS:
            self.mc.report(self.gw.origin, "K2E761", name=self.name, gateway_class=self.gw.class_name or "(none)",
                           controller=controller or "controller unknown")

    def _listeners(self) -> tuple[list[GatewayListener], list[GatewayListener]]:
        """The listeners an ALB (HTTP, HTTPS) and an NLB (TCP, UDP, TLS) can serve; one protocol per port."""
        http: list[GatewayListener] = []
        l4: list[GatewayListener] = []
        ports: dict[int, str] = {}
        for gl in self.gw.listeners:
            why, remedy = self._unservable(gl, ports)
            if why:
                self.mc.report(gl.origin, "K2E762", name=self.name, listener=gl.name, protocol=gl.protocol,
                               port=gl.port, detail=why, remediation=remedy)
                continue
            ports.setdefault(gl.port, _lb_protocol(gl))
            (http if gl.protocol in HTTP_PROTOCOLS else l4).append(gl)
        return http, l4

    @staticmethod
    def _unservable(gl: GatewayListener, ports: dict[int, str]) -> tuple[str, str]:
        if gl.protocol not in (*HTTP_PROTOCOLS, *L4_PROTOCOLS):
            return (f"Elastic Load Balancing has no {gl.protocol} listener",
                    "A mesh or controller-specific protocol (HBONE is Istio's waypoint tunnel) has no load-balancer "
                    "equivalent; ECS Service Connect carries calls between ECS services. The listener was left out.")
        if gl.protocol == "HTTPS" and gl.tls_mode == "Passthrough":
            return ("an ALB terminates TLS: it cannot pass it through",
                    "Use a TLS listener with mode Passthrough (an NLB TCP listener) and a TLSRoute; the listener was left out.")
        if not 1 <= gl.port <= 65535:
            return "its port is not 1-65535", "Give the listener a port; it was left out."
        first = ports.get(gl.port)
        if first is not None and first != _lb_protocol(gl):
            return (f"port {gl.port} already has a {first} listener",
                    "A load balancer listens with one protocol per port: give this listener another port; it was left out.")
        return "", ""

    def _attachments(self, listeners: list[GatewayListener]) -> list[Attachment]:
        out: list[Attachment] = []
        routes = sorted(self.routes, key=lambda r: (r.meta.namespace, r.meta.name, r.kind))
        for route in routes:
            for parent in route.parents:
                if (parent.group, parent.kind, parent.namespace, parent.name) != (GROUP, "Gateway", self.gw.meta.namespace,
                                                                                  self.name):
                    continue
                out += self._attach(route, parent, listeners)
        return out

    def _attach(self, route: Route, parent: ObjectRef, listeners: list[GatewayListener]) -> list[Attachment]:
        named = [gl for gl in self.gw.listeners if (not parent.section or gl.name == parent.section)
                 and (parent.port is None or gl.port == parent.port)]
        if not named:
            wanted = " ".join(p for p in (f"sectionName {parent.section}" if parent.section else "",
                                          f"port {parent.port}" if parent.port is not None else "") if p)
            self._not_attached(route, parent, f"it has no listener of {wanted}")
            return []
        out: list[Attachment] = []
        refusals: list[str] = []
        for gl in named:
            if gl not in listeners:
                refusals.append(f"listener {gl.name} is not carried")
                continue
            why = self._refusal(route, gl)
            if why:
                refusals.append(f"listener {gl.name} {why}")
                continue
            hosts = effective_hosts(gl.hostname, route.hostnames)
            if hosts is None:
                refusals.append(f"listener {gl.name} serves {gl.hostname}, which none of its hostnames matches")
                continue
            out.append(Attachment(route, gl, hosts))
        if not out:
            self._not_attached(route, parent, "; ".join(refusals))
        return out

    def _refusal(self, route: Route, gl: GatewayListener) -> str:
        kinds = gl.route_kinds or ROUTE_KINDS.get(gl.protocol, ())
        if route.kind not in kinds:
            return f"admits {', '.join(kinds) or 'no route kind'}, not {route.kind}"
        namespace, own = route.meta.namespace, self.gw.meta.namespace
        if gl.routes_from == "Same" and namespace != own:
            return f"admits routes of namespace {own} only"
        if gl.routes_from == "Selector":
            chosen = gl.routes_selector
            # The API server labels every namespace with its name; a Namespace object of the input shows the rest.
            labels = (("kubernetes.io/metadata.name", namespace), *self.mc.app.namespace_labels.get(namespace, ()))
            if chosen is None or not chosen.matches(labels):
                if namespace in self.mc.app.namespace_labels:
                    return f"admits namespaces by label, and the labels of Namespace {namespace} do not match"
                return ("admits namespaces by label, and the input does not show namespace "
                        f"{namespace} to carry those labels (only kubernetes.io/metadata.name is known)")
        if gl.routes_from not in ("Same", "All", "Selector"):
            return f"admits routes from {gl.routes_from}"
        return ""

    def _not_attached(self, route: Route, parent: ObjectRef, detail: str) -> None:
        self.mc.report(parent.origin, "K2E766", kind=route.kind, name=route.meta.name,
                       gateway=f"{self.gw.meta.namespace}/{self.name}", detail=detail)

    # --- backends -------------------------------------------------------------------------------

    def _target(self, route: Route, ref: ObjectRef, grpc: bool) -> Target | None:
        """The target group of a backendRef (created on first use), or None with a finding that says why."""
        key = (ref, grpc)
        if key not in self.targets:
            self.targets[key] = self._resolve(route, ref, grpc, create=True)
        return self.targets[key]

    def _resolve(self, route: Route, ref: ObjectRef, grpc: bool, create: bool) -> Target | None:
        label = f"{ref.kind} {ref.name}" + (f":{ref.port}" if ref.port is not None else "")
        problem = self._problem(route, ref, label)
        if problem or not create:
            return None
        backend = IngressBackend(ref.name, ref.port or 0, origin=ref.origin, subset=ref.subset)
        settings = targetpolicies.alb_settings(self.mc, self.nb.namespace, ref.name, route, self._settings(grpc))
        target = self.backends.resolve(route, backend, settings)
        if target is not None:
            targetpolicies.mark(self.mc, self.nb.namespace, ref.name, target.target_group)
        return target

    def _problem(self, route: Route, ref: ObjectRef, label: str) -> bool:
        """Report (once) why a backendRef reaches no ECS service of this stack; False when it does."""
        params = {"kind": route.kind, "name": route.meta.name}
        detail = ""
        if ref.kind != "Service" or ref.group not in ("", "core"):
            detail = f"it is a {ref.kind} ({ref.group or 'core'}), not a Service; a load balancer forwards to ECS services only"
        elif ref.port is None:
            detail = "it names no port; a Service backendRef needs one"
        elif ref.namespace != route.meta.namespace and not _grants(self.mc, ref.namespace, route.kind,
                                                                     route.meta.namespace, "Service", ref.name):
            self._once(("grant", ref), ref.origin, "K2E767", target=f"Service {ref.name}", namespace=ref.namespace,
                       source=route.meta.namespace, **params)
            return True
        elif ref.namespace != self.nb.namespace:
            self._other_stack(route, ref)
            return True
        else:
            svc, port = self.backends.find(IngressBackend(ref.name, ref.port))
            if svc is None:
                detail = f"Service {ref.name} is not in the input"
            elif port is None:
                detail = f"port {ref.port} is not a port of Service {ref.name}"
            elif not self.backends.members_of(svc, port):
                detail = f"Service {ref.name} {self.backends.why_unlinked(svc, port)}"
        if detail:
            self._once(("backend", ref), ref.origin, "K2E769", backend=label, detail=detail, **params)
            return True
        return False

    def _other_stack(self, route: Route, ref: ObjectRef) -> None:
        """Report a backend whose ECS service is in another namespace's stack."""
        self._once(("stack", ref), ref.origin, "K2E768", service=ref.name, namespace=ref.namespace, gateway=self.name,
                   lb=self.lb_id, gateway_namespace=self.nb.namespace, kind=route.kind, name=route.meta.name)

    def _once(self, key: tuple[object, ...], where: Origin, code: str, **params: object) -> None:
        if key not in self.reported:
            self.reported.add(key)
            self.mc.report(where, code, **params)

    @staticmethod
    def _settings(grpc: bool) -> TargetSettings:
        return TargetSettings(version="GRPC", health=HealthOverrides()) if grpc else TargetSettings()

    def _routable(self, attached: list[Attachment], udp: bool = False) -> bool:
        """Whether any rule of the attached routes would answer: a redirect, or a backend that resolves."""
        for a in attached:
            for rule in a.route.rules:
                if any(f.type == "RequestRedirect" for f in rule.filters):
                    return True
                for ref in rule.backends:
                    if ref.weight > 0 and self._reachable(a.route, ref, udp):
                        return True
        return False

    def _reachable(self, route: Route, ref: ObjectRef, udp: bool) -> bool:
        if ref.kind != "Service" or ref.group not in ("", "core") or ref.port is None:
            return False
        if ref.namespace != self.nb.namespace:
            return False
        svc, port = self.backends.find(IngressBackend(ref.name, ref.port))
        if svc is None or port is None or port.protocol != ("UDP" if udp else "TCP"):
            return False
        return bool(self.backends.members_of(svc, port))

    # --- the ALB -------------------------------------------------------------------------------

    def _application(self, listeners: list[GatewayListener], attached: list[Attachment]) -> None:
        if not self._routable(attached):
            for a in attached:  # say why each backend fails
                for rule in a.route.rules:
                    for ref in rule.backends:
                        self._resolve(a.route, ref, a.route.kind == "GRPCRoute", create=False)
            detail = "no route is attached to its HTTP listeners" if not attached else \
                "none of the backends of its routes reaches a translated workload"
            self.mc.report(self.gw.origin, "K2E776", name=self.name, detail=detail)
            return
        ports = sorted({gl.port for gl in listeners})
        per_route: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        for port in ports:
            on_port = [gl for gl in listeners if gl.port == port]
            self._alb_listener(port, on_port, [a for a in attached if a.listener in on_port], per_route)
        scheme = self._balancer(self.lb_id, "application", tuple(("tcp", port) for port in ports))
        shown = ", ".join(f"{_lb_protocol(next(gl for gl in listeners if gl.port == p))} {p}" for p in ports)
        self.mc.report(self.gw.origin, "K2E760", name=self.name, lb_type="ALB", lb=self.lb_id, scheme=scheme,
                       listeners=shown)
        for (kind, namespace, name), made in sorted(per_route.items()):
            route = next(r for r in self.routes if (r.kind, r.meta.namespace, r.meta.name) == (kind, namespace, name))
            count = sum(n for _, n in made)
            if not count:
                continue  # each of its matches was reported
            order = ORDERS.get(kind, "the README states the rule order (Gateway API precedence)")
            self.mc.report(route.origin, "K2E775", kind=kind, name=name, rules=f"{count} rule{'s' * (count != 1)}",
                           lb=self.lb_id, listeners=", ".join(str(p) for p, n in made if n), order=order)

    def _scheme(self) -> str:
        if "load_balancer_scheme" in self.mc.options.explicit:
            return self.mc.options.load_balancer_scheme
        known = self.mc.app.gateway_classes.get(self.gw.class_name)
        if known is not None and known.controller in ALB_CONTROLLERS:
            return "internal"  # the AWS Load Balancer Controller's default, as for its Ingresses
        return self.mc.options.load_balancer_scheme

    def _alb_listener(self, port: int, listeners: list[GatewayListener], attached: list[Attachment],
                      per_route: dict[tuple[str, str, str], list[tuple[int, int]]]) -> None:
        listener_id = self.nb.ids.get(f"{self.owner}/{port}", "Listener")
        protocol = listeners[0].protocol
        configured, ssl_policy = self._listener_config(protocol, port, listener_id)
        certificates = self._certificates(listener_id, port, listeners, configured) if protocol == "HTTPS" else ()
        self.nb.stack.add(Listener(listener_id, load_balancer_arn=Ref(self.lb_id), port=port, protocol=protocol,
                                   metadata=provenance(self.gw.origin),
                                   default_actions=(alb.not_found(),), certificates=certificates, ssl_policy=ssl_policy))
        entries = [Entry(a.route, rule, match, i, group)
                   for a in attached for rule in a.route.rules for i, match in enumerate(rule.matches)
                   for group in host_groups(a.hosts)]
        seen: dict[tuple[object, ...], str] = {}
        created = 0
        counts: dict[tuple[str, str, str], int] = {}
        for entry in ordered(list(dict.fromkeys(entries))):
            made = self._entry_rules(entry, listener_id, port, protocol, seen, created)
            created += made
            key = (entry.route.kind, entry.route.meta.namespace, entry.route.meta.name)
            counts[key] = counts.get(key, 0) + made
        for key, n in counts.items():
            per_route.setdefault(key, []).append((port, n))

    def _entry_rules(self, entry: Entry, listener_id: str, port: int, protocol: str,
                     seen: dict[tuple[object, ...], str], created: int) -> int:
        route, rule = entry.route, entry.rule
        where = f"{route.kind} {route.meta.name} rule {rule.index}"
        match = describe(entry.match, route.kind)
        params = {"kind": route.kind, "name": route.meta.name, "rule": rule.index, "match": match}
        try:
            rules = with_hosts(match_conditions(entry.match, route.kind), entry.hosts)
        except Unroutable as err:
            self._once(("match", route.origin, rule.index, entry.match_index), entry.match.origin, "K2E770",
                       detail=err.detail, remediation=err.remediation, **params)
            return 0
        if route.kind == "GRPCRoute" and protocol != "HTTPS":
            self._once(("grpc-http", route.origin, port), route.origin, "K2E770", kind=route.kind,
                       name=route.meta.name, rule=rule.index, match=match,
                       detail=f"listener {port} is HTTP, and an ALB sends gRPC only through HTTPS listeners",
                       remediation="Attach the GRPCRoute to an HTTPS listener of the Gateway; the match was left out.")
            return 0
        action = self._action(entry, port)
        if action is None:
            return 0
        made = 0
        for conditions in rules:
            key = tuple(conditions)
            if key in seen:
                self._once(("shadow", route.origin, rule.index, entry.match_index, key), entry.match.origin,
                           "K2E774", first=seen[key], **params)
                continue
            if self.rules >= MAX_RULES:
                self._once(("limit",), entry.match.origin, "K2E444", lb=self.lb_id, port=port, limit=MAX_RULES)
                return made
            seen[key] = where
            rule_key = f"{route.meta.namespace}/{route.meta.name}|{route.kind}|{rule.index}|{entry.match_index}|" \
                       f"{','.join(entry.hosts)}|{made}"
            rule_id = self.nb.ids.get(f"{self.owner}/{port}/{route.meta.name}", "Rule" + short_hash(rule_key))
            self._register(route, rule, action, rule_id)
            metadata = provenance(route.origin, self.gw.origin, *self._origins(route, rule))
            self.nb.stack.add(ListenerRule(rule_id, listener_arn=Ref(listener_id), priority=priority(created + made + 1),
                                           conditions=conditions, actions=(action,), metadata=metadata))
            self.rules += 1
            made += 1
        return made

    def _origins(self, route: Route, rule: RouteRule) -> list[Origin]:
        grpc = route.kind == "GRPCRoute"
        targets = [self.targets.get((ref, grpc)) for ref in rule.backends]
        return [m.workload.origin for t in targets if t is not None for m in t.members]

    def _register(self, route: Route, rule: RouteRule, action: Action, rule_id: str) -> None:
        grpc = route.kind == "GRPCRoute"
        for ref in rule.backends:
            target = self.targets.get((ref, grpc))
            if target is not None and ref.weight > 0:
                self.backends.register(route, IngressBackend(ref.name, ref.port or 0, origin=ref.origin), target,
                                       rule_id, kind=route.kind)

    def _action(self, entry: Entry, port: int) -> Action | None:
        route, rule = entry.route, entry.rule
        params = {"kind": route.kind, "name": route.meta.name, "rule": rule.index}
        redirect: Redirect | None = None
        for f in rule.filters:
            if f.type == "RequestRedirect" and f.redirect is not None:
                redirect = self._redirect(route, rule, f.redirect)
            else:
                self._once(("filter", f.origin), f.origin, "K2E771", filter=f.type or "(no type)",
                           detail=f" ({f.detail})" if f.detail else "",
                           remediation=_FILTER_REMEDIES.get(f.type, "Rebuild what the filter does by hand."), **params)
        for f in rule.backend_filters:
            self._once(("filter", f.origin), f.origin, "K2E771", filter=f"{f.type or '(no type)'} on a backendRef",
                       detail=f" ({f.detail})" if f.detail else "",
                       remediation=_FILTER_REMEDIES.get(f.type, "Rebuild what the filter does by hand.") +
                       " Per-backend filters are not applied either.", **params)
        if redirect is not None:
            return redirect
        grpc = route.kind == "GRPCRoute"
        resolved = [(ref, self._target(route, ref, grpc)) for ref in rule.backends]
        live = [(ref, t) for ref, t in resolved if t is not None]
        if rule.backends and not live:
            return None  # every backend was reported; the rule is left out, as for an Ingress path
        weighted = [(ref, t) for ref, t in live if ref.weight > 0]
        if not weighted:
            return FixedResponse(FixedResponseConfig("500", "text/plain"))  # the spec's answer when no backend takes it
        if len(weighted) == 1:
            return alb.forward(weighted[0][1].target_group)
        return self._weighted(route, rule, live)

    def _weighted(self, route: Route, rule: RouteRule, live: list[tuple[ObjectRef, Target]]) -> Action:
        params = {"kind": route.kind, "name": route.meta.name, "rule": rule.index}
        merged: dict[str, int] = {}
        for ref, target in live:  # two refs to one Service port share its target group
            merged[target.target_group] = merged.get(target.target_group, 0) + ref.weight
        groups = sorted(merged.items(), key=lambda g: -g[1])
        if len(groups) > MAX_ACTION_GROUPS:
            kept = groups[:MAX_ACTION_GROUPS]
            self._once(("groups", route.origin, rule.index), rule.origin, "K2E773", count=len(groups),
                       detail=f"an ALB forward action takes at most {MAX_ACTION_GROUPS} target groups; kept the "
                              f"{MAX_ACTION_GROUPS} heaviest ({', '.join(g for g, _ in kept)})", **params)
            groups = kept
        order = [g for g in merged if g in dict(groups)]
        weights = [merged[g] for g in order]
        top = max(weights)
        scaled = weights if top <= MAX_WEIGHT else [round(w * MAX_WEIGHT / top) for w in weights]
        if scaled != weights:
            self._once(("weights", route.origin, rule.index), rule.origin, "K2E772",
                       weights=", ".join(map(str, weights)), scaled=", ".join(map(str, scaled)), **params)
        return WeightedForward(ForwardConfig(tuple(TargetGroupTuple(Ref(g), w) for g, w in zip(order, scaled, strict=True))))

    def _redirect(self, route: Route, rule: RouteRule, r: RouteRedirect) -> Redirect:
        params = {"kind": route.kind, "name": route.meta.name, "rule": rule.index}
        code = _REDIRECT_CODES.get(r.status_code)
        if code is None:
            code = "HTTP_301" if r.status_code in (308,) else "HTTP_302"
            self._once(("code", route.origin, rule.index), rule.origin, "K2E771", filter="RequestRedirect",
                       detail=f" (status {r.status_code})",
                       remediation=f"An ALB redirects with 301 or 302 only; {code[5:]} is used, which lets clients "
                                   "change the method of a non-GET request.", **params)
        path: str | None = None
        if r.path_type == "ReplaceFullPath":
            path = r.path or "/"
        elif r.path_type == "ReplacePrefixMatch":
            self._once(("prefix", route.origin, rule.index), rule.origin, "K2E771", filter="RequestRedirect",
                       detail=f" (ReplacePrefixMatch {r.path})",
                       remediation="An ALB redirect keeps or replaces the whole path; the request path is kept. "
                                   "Redirect each path with ReplaceFullPath, or in the application.", **params)
        scheme = r.scheme.upper()
        port = str(r.port) if r.port is not None else ("443" if scheme == "HTTPS" else "80" if scheme == "HTTP"
                                                       else "#{port}")
        return Redirect(RedirectConfig(scheme or "#{protocol}", port, code, host=r.hostname or None, path=path))

    def _certificates(self, listener_id: str, port: int, listeners: list[GatewayListener],
                      configured: list[Value] | None = None) -> tuple[Certificate, ...]:
        """The listener's default certificate; the others in a ListenerCertificate (served by SNI). `configured`:
        the LoadBalancerConfiguration's certificate ARNs, which stand in for the certificateRefs' parameters."""
        arns: list[Value] = list(configured or [])
        for gl in listeners if not arns else ():
            for arn in self._listener_certificates(gl):
                if arn not in arns:
                    arns.append(arn)
        if not arns:
            arns.append(alb.certificate_parameter(self.nb))
        if len(arns) > 1:
            self.nb.stack.add(ListenerCertificate(self.nb.ids.get(f"{self.owner}/{port}", "Certificates"),
                                                  listener_arn=Ref(listener_id),
                                                  certificates=tuple(Certificate(a) for a in arns[1:]),
                                                  metadata=provenance(self.gw.origin)))
        return (Certificate(arns[0]),)

    def _listener_certificates(self, gl: GatewayListener) -> list[Value]:
        out: list[Value] = []
        for ref in gl.certificates:
            if ref.kind != "Secret" or ref.group not in ("", "core"):
                self.mc.report(ref.origin, "K2E762", name=self.name, listener=gl.name, protocol=gl.protocol,
                               port=gl.port, detail=f"certificateRef {ref.kind} {ref.name} is not a Secret",
                               remediation="Reference a kubernetes.io/tls Secret; the listener uses the "
                                           "CertificateArn parameter.")
                continue
            if ref.namespace != self.gw.meta.namespace and not _grants(self.mc, ref.namespace, "Gateway",
                                                                       self.gw.meta.namespace, "Secret", ref.name):
                self._once(("grant", ref), ref.origin, "K2E767", kind="Gateway", name=self.name, target=f"Secret {ref.name}",
                           namespace=ref.namespace, source=self.gw.meta.namespace)
                continue
            self.mc.used.add(("Secret", ref.namespace, ref.name))
            if self.mc.options.certificate_arn:
                out.append(self.mc.options.certificate_arn)
                continue
            parameter = f"{camel(ref.name)}CertificateArn"
            out.append(alb.certificate_parameter(self.nb, parameter, f"ACM certificate ARN for TLS Secret {ref.name}"))
            self._once(("certificate", ref.namespace, ref.name), ref.origin, "K2E763", name=self.name, listener=gl.name,
                       secret=ref.name, parameter=parameter)
        return out

    # --- the NLB -------------------------------------------------------------------------------

    def _network(self, listeners: list[GatewayListener], attached: list[Attachment]) -> None:
        lb_id = self.nb.ids.get(f"{self.owner}/l4", "LoadBalancer")
        made: list[tuple[str, int]] = []
        for gl in sorted(listeners, key=lambda g: g.port):
            if any(p == gl.port for _, p in made):
                continue  # one listener per port: the first Gateway listener of the port
            mine = [a for a in attached if a.listener.port == gl.port]
            protocol = _lb_protocol(gl)
            target = self._l4_target(lb_id, gl, mine)
            if target is None:
                continue
            tg_id, route, ref, members = target
            listener_id = self.nb.ids.get(f"{self.owner}/l4/{gl.port}", "Listener")
            configured, ssl_policy = self._listener_config(protocol, gl.port, listener_id)
            certificates = (configured or self._listener_certificates(gl)) if protocol == "TLS" else []
            if protocol == "TLS" and not certificates:
                certificates.append(alb.certificate_parameter(self.nb))
            self.nb.stack.add(Listener(listener_id, load_balancer_arn=Ref(lb_id), port=gl.port, protocol=protocol,
                                       metadata=provenance(self.gw.origin, route.origin),
                                       default_actions=(alb.forward(tg_id),),
                                       certificates=(Certificate(certificates[0]),) if certificates else (),
                                       ssl_policy=ssl_policy))
            self.backends.register(route, IngressBackend(ref.name, ref.port or 0, origin=ref.origin),
                                   Target(tg_id, members), listener_id, kind=route.kind)
            made.append(("udp" if protocol == "UDP" else "tcp", gl.port))
        if not made:
            self.mc.report(self.gw.origin, "K2E776", name=self.name,
                           detail="none of its TCP, UDP or TLS listeners has a route with a backend in the input")
            return
        scheme = self._balancer(lb_id, "network", tuple(made))
        shown = ", ".join(f"{p.upper() if p == 'udp' else 'TCP'} {n}" for p, n in made)
        self.mc.report(self.gw.origin, "K2E760", name=self.name, lb_type="NLB", lb=lb_id, scheme=scheme, listeners=shown)

    def _l4_target(self, lb_id: str, gl: GatewayListener,
                   attached: list[Attachment]) -> tuple[str, Route, ObjectRef, list[Member]] | None:
        """The one target group an NLB listener forwards to: the heaviest backend of the first route's first rule."""
        udp = gl.protocol == "UDP"
        candidates = [(a.route, rule) for a in sorted(attached, key=lambda a: (a.route.created or "~",
                                                                              a.route.meta.namespace, a.route.meta.name))
                      for rule in a.route.rules]
        for route, rule in candidates:
            refs = sorted((r for r in rule.backends if r.weight > 0), key=lambda r: -r.weight)
            for ref in refs:
                if self._problem(route, ref, f"{ref.kind} {ref.name}:{ref.port}") or not self._reachable(route, ref, udp):
                    continue
                kept = f"{ref.name}:{ref.port}"
                others = len(candidates) + len(refs) - 2
                if others > 0:
                    self._once(("l4", gl.port), rule.origin, "K2E773", kind=route.kind, name=route.meta.name,
                               rule=rule.index, count=len(refs),
                               detail=f"an NLB listener forwards to one target group; kept {kept} for port {gl.port}")
                svc, port = self.backends.find(IngressBackend(ref.name, ref.port or 0))
                assert svc is not None and port is not None
                members = self.backends.members_of(svc, port)
                tg_id = self.nb.ids.get(f"{self.owner}/l4/{ref.name}/{ref.port}", "TargetGroup")
                first = members[0]
                readiness = next((c for c in first.workload.pod.containers if c.name == first.container), None)
                metadata = provenance(route.origin, svc.origin, *(m.workload.origin for m in members))
                settings = targetpolicies.alb_settings(self.mc, self.nb.namespace, ref.name, route,
                                                       TargetSettings(protocol="UDP" if udp else "TCP"))
                check = _overridden(target_group_health_check(self.mc, readiness, network=True), settings.health)
                self.nb.stack.add(TargetGroup(tg_id, metadata=metadata, port=first.number,
                                              protocol="UDP" if udp else "TCP", health_check=check,
                                              attributes=tuple(Attribute(k, v) for k, v in settings.attributes)))
                targetpolicies.mark(self.mc, self.nb.namespace, ref.name, tg_id)
                for m in members:
                    alb.open_to_tasks(self.nb, lb_id, f"{self.owner}/l4", m.number, "udp" if udp else "tcp",
                                      label=f"Gateway {self.name}", metadata=metadata)
                    alb.open_to_health_checks(self.nb, lb_id, f"{self.owner}/l4", check, m.number,
                                              "udp" if udp else "tcp", label=f"Gateway {self.name}", metadata=metadata)
                return tg_id, route, ref, members
        if attached:
            self.mc.report(gl.origin, "K2E762", name=self.name, listener=gl.name, protocol=gl.protocol, port=gl.port,
                           detail="no backend of its routes reaches a translated workload",
                           remediation="Point the route's backendRefs at Services of workloads in the input.")
        else:
            self.mc.report(gl.origin, "K2E762", name=self.name, listener=gl.name, protocol=gl.protocol, port=gl.port,
                           detail="no route is attached to it",
                           remediation="Attach a TCPRoute, UDPRoute or TLSRoute; an NLB listener needs a target group.")
        return None


def _overridden(check: TargetHealthCheck, h: HealthOverrides) -> TargetHealthCheck:
    """An NLB target group's check with a policy's settings over it: an HTTP or HTTPS check when it says so."""
    interval = h.interval if h.interval is not None else check.interval
    timeout = target_group_timeout(h.timeout if h.timeout is not None else check.timeout, interval)
    check = replace(check, interval=interval, timeout=timeout,
                    healthy=h.healthy if h.healthy is not None else check.healthy,
                    unhealthy=h.unhealthy if h.unhealthy is not None else check.unhealthy,
                    port=check.port if h.port is None else None if h.port == "traffic-port" else h.port)
    if h.protocol in HTTP_PROTOCOLS:
        check = replace(check, protocol=h.protocol, path=h.path or "/", matcher=Matcher(http_code=h.matcher or "200-399"))
    return check


def _lb_protocol(gl: GatewayListener) -> str:
    """The load-balancer listener protocol of a Gateway listener: TLS passthrough is plain TCP to the NLB."""
    if gl.protocol == "TLS" and gl.tls_mode == "Passthrough":
        return "TCP"
    return gl.protocol
