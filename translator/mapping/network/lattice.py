"""Gateway API Gateways to Amazon VPC Lattice (kube2ecs.yaml `gateway_target: vpc-lattice`).

As the AWS Gateway API Controller for VPC Lattice does (docs/vpc-lattice.md): a Gateway becomes a
service network (named as the Gateway) associated with the stack's VPC; each HTTPRoute or GRPCRoute
becomes one Lattice service (named `<route>-<namespace>`, as the controller names it) associated with
the service network of each Gateway it attaches to, with one listener per Gateway listener it attaches
through (HTTP or HTTPS, port of the Gateway listener, 404 by default) and one rule per route match, in
Gateway API precedence order (`gatewayrules.ordered`), matches from `latticerules.py`. The route's
hostname is the service's custom domain name. A TLSRoute on a Passthrough TLS listener gets a
TLS_PASSTHROUGH listener instead, whose one (default) rule forwards to TCP target groups by SNI on that
name. Backends are IP target groups that the ECS services register in (`latticetargets.py`).
Attachment and backend checks are the load-balancer path's (`gateway.GatewayBuilder`); what Lattice
cannot do (redirects, other filters, TCP and UDP listeners, TLS termination on a TLS listener, query and
regular-expression matches) is reported at the route or listener.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network import alb, latticepolicies
from translator.mapping.network.gateway import HTTP_PROTOCOLS, Attachment, GatewayBuilder
from translator.mapping.network.gatewayrules import Entry, describe, ordered
from translator.mapping.network.ingressbackends import Backends
from translator.mapping.network.ingressrules import Unroutable
from translator.mapping.network.latticerules import MAX_TARGET_GROUPS, lattice_match, scaled
from translator.mapping.network.latticetargets import LatticeTargets
from translator.mapping.network.networking import Link
from translator.mapping.service.assemble import Contribution, ServiceBase, bindings
from translator.model.app import (
    Gateway,
    GatewayListener,
    IngressBackend,
    ObjectRef,
    Origin,
    Route,
    RouteRedirect,
    RouteRule,
    Service,
    ServicePort,
)
from translator.model.ecs import (
    LatticeAction,
    LatticeFixedResponse,
    LatticeForward,
    LatticeListener,
    LatticeRule,
    LatticeService,
    LatticeServiceAssociation,
    LatticeServiceNetwork,
    LatticeVpcAssociation,
    LatticeWeightedTargetGroup,
    TaskDefinition,
)
from translator.model.intrinsics import Ref, Value
from translator.model.provenance import provenance

LATTICE_CONTROLLER = "application-networking.k8s.aws/gateway-api-controller"
MAX_LISTENERS = 2  # per service, default quota [LATTICE-QUOTA]
MAX_RULES = 10  # per listener, default quota [LATTICE-QUOTA]
_NOT_NAME = re.compile(r"[^a-z0-9-]+")
_FILTER_REMEDIES = {
    "URLRewrite": "VPC Lattice forwards the path and host unchanged: rewrite them in the application.",
    "RequestHeaderModifier": "A VPC Lattice rule cannot set request headers: set them in the application.",
    "ResponseHeaderModifier": "A VPC Lattice rule cannot set response headers: set them in the application.",
    "RequestMirror": "VPC Lattice cannot mirror requests: send a copy from the application.",
}
RouteKey = tuple[str, str, str]  # kind, namespace, name
_FLAVOURS = {"GRPCRoute": "GRPC", "TLSRoute": "TCP"}  # what a route's target groups speak; HTTP1 for HTTPRoutes


@dataclass
class Shared:
    """What the Gateways of one namespace share: a route's service, and the target groups."""

    targets: LatticeTargets
    services: dict[RouteKey, str] = field(default_factory=dict)
    listeners: dict[tuple[str, int], str] = field(default_factory=dict)  # (service, port) -> listener
    domains: dict[str, str] = field(default_factory=dict)  # custom domain name -> the service that has it


def map_gateways(mc: MapContext, nb: NamespaceBuild, links: list[Link],
                 built: dict[tuple[str, str], tuple[ServiceBase, TaskDefinition]],
                 parts: dict[tuple[str, str], list[Contribution]]) -> list[tuple[tuple[str, str], Contribution]]:
    """The Lattice resources of the namespace's Gateways; what they add to each workload's ECS service."""
    bound = {key: {b.target_group_arn for b in bindings(own)} for key, own in parts.items()}
    shared = Shared(LatticeTargets(mc, nb))
    out: list[tuple[tuple[str, str], Contribution]] = []
    made: dict[RouteKey, str] = {}  # Gateway or route -> its service network or service, for the policies on them
    for gw in sorted((g for g in mc.app.gateways if g.meta.namespace == nb.namespace), key=lambda g: g.meta.name):
        owner = f"gateway/{gw.meta.name}"
        backends = Backends(mc, nb, owner, f"Gateway {gw.meta.name}", nb.ids.get(owner, "ServiceNetwork"), links,
                            built, bound)
        LatticeBuilder(mc, nb, gw, backends, shared).build()
        made[("Gateway", gw.meta.namespace, gw.meta.name)] = backends.balancer
        out += backends.contributions
    if mc.app.lattice_policies:
        latticepolicies.apply(mc, nb, made | shared.services)
    return out


def _stem(route: Route, namespace: str) -> str:
    """What the logical ids of a route's Lattice resources start with: its name and kind (`ApiHTTPRoute`), and
    its namespace when it is another than the stack's (a Gateway may admit routes of every namespace)."""
    own = f"{route.meta.name}/{route.kind}"
    return own if route.meta.namespace == namespace else f"{route.meta.namespace}/{own}"


def _redirect(r: RouteRedirect | None) -> str:
    """A RequestRedirect filter in a few words, for its finding."""
    if r is None:
        return "RequestRedirect"
    parts = [f"scheme {r.scheme}" if r.scheme else "", f"hostname {r.hostname}" if r.hostname else "",
             f"path {r.path_type} {r.path}" if r.path_type else "", f"port {r.port}" if r.port is not None else ""]
    return ", ".join([p for p in parts if p] + [f"status {r.status_code}"])


def lattice_name(text: str, limit: int, reserved: str) -> str:
    """A Lattice resource name: a-z, 0-9 and single hyphens inside, 3 to `limit` characters, not `reserved`-prefixed."""
    name = re.sub("-{2,}", "-", _NOT_NAME.sub("-", text.lower()))[:limit].strip("-")
    if name.startswith(reserved):
        name = name[len(reserved):]
    return name if len(name) >= 3 else f"{name}-k2e".strip("-")


class LatticeBuilder(GatewayBuilder):
    """Builds the service network of one Gateway and the services of the routes attached to it."""

    def __init__(self, mc: MapContext, nb: NamespaceBuild, gw: Gateway, backends: Backends, shared: Shared) -> None:
        super().__init__(mc, nb, gw, backends)
        self.shared = shared
        self.network = backends.balancer

    def build(self) -> None:
        self._report_class()
        listeners = [gl for gl in self.gw.listeners if self._carried(gl)]
        attached = self._attachments(listeners)
        self._service_network()
        routes: dict[RouteKey, list[Attachment]] = {}
        for a in attached:
            routes.setdefault((a.route.kind, a.route.meta.namespace, a.route.meta.name), []).append(a)
        made = [self._service(atts[0].route, atts) for atts in routes.values()]
        self.mc.report(self.gw.origin, "K2E810", name=self.name, network=self.network,
                       services=", ".join(m for m in made if m) or "none")

    def _report_class(self) -> None:
        known = self.mc.app.gateway_classes.get(self.gw.class_name)
        controller = known.controller if known is not None else ""
        if controller != LATTICE_CONTROLLER:
            self.mc.report(self.gw.origin, "K2E820", name=self.name, gateway_class=self.gw.class_name or "(none)",
                           controller=controller or "controller unknown")

    def _carried(self, gl: GatewayListener) -> bool:
        """Whether a Lattice service can listen as the Gateway listener does; reported when it cannot."""
        detail, remedy = "", ""
        if gl.protocol == "TLS" and gl.tls_mode != "Passthrough":
            detail = "a VPC Lattice TLS listener passes TLS through to the tasks; it does not terminate it"
            remedy = ("Terminate TLS on an HTTPS listener with HTTPRoutes, or set tls.mode Passthrough and terminate in "
                      "the tasks; the listener was left out.")
        elif gl.protocol not in (*HTTP_PROTOCOLS, "TLS"):
            detail = f"a VPC Lattice service listens for HTTP, HTTPS and TLS passthrough, not {gl.protocol}"
            remedy = ("Keep the Gateway's TCP and UDP listeners on an NLB (gateway_target: load-balancer); the listener "
                      "was left out.")
        elif gl.protocol == "HTTPS" and gl.tls_mode == "Passthrough":
            detail = "a VPC Lattice HTTPS listener terminates TLS"
            remedy = "Use a TLS listener with tls.mode Passthrough and a TLSRoute; the listener was left out."
        elif not 1 <= gl.port <= 65535:
            detail, remedy = "its port is not 1-65535", "Give the listener a port; it was left out."
        if detail:
            self.mc.report(gl.origin, "K2E815", name=self.name, listener=gl.name, protocol=gl.protocol, port=gl.port,
                           detail=detail, remediation=remedy)
        return not detail

    def _service_network(self) -> None:
        meta = provenance(self.gw.origin)
        self.nb.stack.add(LatticeServiceNetwork(self.network, metadata=meta,
                                                name=lattice_name(self.name, 63, "servicenetwork-")))
        self.nb.stack.add(LatticeVpcAssociation(self.nb.ids.get(self.owner, "VpcAssociation"), metadata=meta,
                                                service_network_identifier=Ref(self.network),
                                                vpc_identifier=Ref("VpcId")))

    # --- a route's service -------------------------------------------------------------------------

    def _service(self, route: Route, attached: list[Attachment]) -> str:
        """The route's service (created by the first Gateway it attaches to), joined to this service network."""
        key = (route.kind, route.meta.namespace, route.meta.name)
        service_id = self.shared.services.get(key)
        if service_id is None:
            service_id = self.shared.services[key] = self.nb.ids.get(_stem(route, self.nb.namespace), "LatticeService")
            self.nb.stack.add(self._new_service(service_id, route, attached))
        if self.gw.standalone if route.standalone is None else route.standalone:
            # As the controller leaves it: a service of its own, reached by its DNS name once the user shares or
            # associates it, not through the Gateway's service network.
            self.mc.report(route.origin, "K2E862", kind=route.kind, name=route.meta.name, service=service_id,
                           network=self.network, source=f"{route.kind} {route.meta.name}" if route.standalone
                           else f"Gateway {self.name}")
        else:
            self.nb.stack.add(LatticeServiceAssociation(
                self.nb.ids.get(f"{self.name}/{_stem(route, self.nb.namespace)}", "ServiceAssociation"),
                metadata=provenance(route.origin, self.gw.origin), service_network_identifier=Ref(self.network),
                service_identifier=Ref(service_id)))
        ports = sorted({a.listener.port for a in attached})
        if len(ports) > MAX_LISTENERS:
            self.mc.report(route.origin, "K2E816", what=f"{route.kind} {route.meta.name} ({service_id})",
                           count=len(ports), items="listeners", limit=MAX_LISTENERS, quota="Listeners per service")
        rules = sum(self._listener(service_id, route, [a for a in attached if a.listener.port == p]) for p in ports)
        shown = f"{rules} rule{'s' * (rules != 1)}"
        if route.kind == "TLSRoute":
            passing = any((service_id, p) in self.shared.listeners for p in ports)
            shown = "the default rule of a TLS passthrough listener" if passing else "nothing"
        self.mc.report(route.origin, "K2E811", kind=route.kind, name=route.meta.name, service=service_id,
                       rules=shown, listeners=", ".join(map(str, ports)))
        return service_id

    def _new_service(self, service_id: str, route: Route, attached: list[Attachment]) -> LatticeService:
        hosts = list(dict.fromkeys(h for a in attached for h in a.hosts))
        domain = next((h for h in hosts if not h.startswith("*")), None)
        if len(hosts) > (1 if domain else 0):
            shown = domain or "none (a wildcard is no custom domain name)"
            self.mc.report(route.origin, "K2E817", kind=route.kind, name=route.meta.name, hosts=", ".join(hosts),
                           service=service_id, domain=shown)
        if domain is not None and domain in self.shared.domains:
            self.mc.report(route.origin, "K2E823", kind=route.kind, name=route.meta.name, domain=domain,
                           first=self.shared.domains[domain])
            domain = None
        if domain is not None:
            self.shared.domains[domain] = service_id
        https = next((a.listener for a in attached if a.listener.protocol == "HTTPS"), None)
        certificate: Value | None = None
        if domain and https is not None:
            certificate = next(iter(self._listener_certificates(https)), None) or alb.certificate_parameter(self.nb)
        return LatticeService(service_id, metadata=provenance(route.origin, self.gw.origin),
                              name=lattice_name(f"{route.meta.name[:20].strip('-')}-{route.meta.namespace[:18]}", 40, "svc-"),
                              custom_domain_name=domain, certificate_arn=certificate)

    def _listener(self, service_id: str, route: Route, attached: list[Attachment]) -> int:
        """The service's listener on the port of these Gateway listeners (once per port) and its rules."""
        gl = attached[0].listener
        if (service_id, gl.port) in self.shared.listeners:
            return 0  # another Gateway of the namespace already gave the service this listener
        if gl.protocol == "TLS":
            self._passthrough(service_id, route, gl)
            return 0
        listener_id = self.shared.listeners[(service_id, gl.port)] = self.nb.ids.get(f"{_stem(route, self.nb.namespace)}/{gl.port}",
                                                                                    "LatticeListener")
        self.nb.stack.add(LatticeListener(listener_id, metadata=provenance(self.gw.origin, route.origin),
                                          service_identifier=Ref(service_id), port=gl.port, protocol=gl.protocol,
                                          default_action=LatticeAction(fixed_response=LatticeFixedResponse(404))))
        entries = [Entry(route, rule, match, i, ()) for rule in route.rules for i, match in enumerate(rule.matches)]
        made = 0
        for entry in ordered(entries):
            made += self._rule(entry, service_id, listener_id, gl, made + 1)
        if made > MAX_RULES:
            self.mc.report(route.origin, "K2E816", what=f"listener {gl.port} of {service_id}", count=made,
                           items="rules", limit=MAX_RULES, quota="Rules per listener")
        return made

    def _passthrough(self, service_id: str, route: Route, gl: GatewayListener) -> None:
        """A TLS_PASSTHROUGH listener: Lattice routes by SNI on the service's custom domain name, and its one
        (default) rule forwards to TCP target groups, those of the route's first rule (tls-listeners.html)."""
        params = {"kind": route.kind, "name": route.meta.name}
        if service_id not in self.shared.domains.values():
            self.mc.report(route.origin, "K2E824", service=service_id, **params)
            return
        for rule in route.rules[1:]:
            self._once(("tls-rule", route.origin, rule.index), rule.origin, "K2E825", rule=rule.index,
                       detail="a VPC Lattice TLS listener has one rule, its default one, which forwards to the first "
                              "rule's backends",
                       remediation="Put every backend in the first rule, weighted; this rule was left out.", **params)
        action = self._lattice_action(route, route.rules[0]) if route.rules else None
        if action is None or action.forward is None:
            if action is not None and route.rules:
                self.mc.report(route.rules[0].origin, "K2E825", rule=0, detail="its backends all have weight 0, and "
                               "a TLS listener's default rule must forward", remediation="Give a backend a weight above 0; "
                               "the listener was left out.", **params)
            return
        listener_id = self.shared.listeners[(service_id, gl.port)] = self.nb.ids.get(f"{_stem(route, self.nb.namespace)}/{gl.port}",
                                                                                    "LatticeListener")
        self.nb.stack.add(LatticeListener(listener_id, metadata=provenance(self.gw.origin, route.origin),
                                          service_identifier=Ref(service_id), port=gl.port, protocol="TLS_PASSTHROUGH",
                                          default_action=action))

    def _rule(self, entry: Entry, service_id: str, listener_id: str, gl: GatewayListener, priority: int) -> int:
        """The Lattice rule of one route match: 1 when made, 0 when reported and left out."""
        route, rule = entry.route, entry.rule
        params = {"kind": route.kind, "name": route.meta.name, "rule": rule.index, "match": describe(entry.match, route.kind)}
        try:
            match = lattice_match(entry.match, route.kind)
            if route.kind == "GRPCRoute" and gl.protocol != "HTTPS":
                raise Unroutable(f"listener {gl.port} is HTTP, and VPC Lattice carries gRPC (HTTP/2) on HTTPS listeners only",
                                 "Attach the GRPCRoute to an HTTPS listener of the Gateway; the match was left out.")
        except Unroutable as err:
            self._once(("match", route.origin, rule.index, entry.match_index), entry.match.origin, "K2E812",
                       detail=err.detail, remediation=err.remediation, **params)
            return 0
        action = self._lattice_action(route, rule)
        if action is None:
            return 0
        rule_id = self.nb.ids.get(f"{_stem(route, self.nb.namespace)}/{gl.port}/rule{rule.index}/match{entry.match_index}", "LatticeRule")
        self.nb.stack.add(LatticeRule(rule_id, metadata=provenance(route.origin, self.gw.origin),
                                      service_identifier=Ref(service_id), listener_identifier=Ref(listener_id),
                                      priority=priority, match=match, action=action))
        return 1

    # --- actions and target groups -----------------------------------------------------------------

    def _lattice_action(self, route: Route, rule: RouteRule) -> LatticeAction | None:
        """Forward to the rule's backends by weight, 500 when none takes requests; None when left out."""
        params = {"kind": route.kind, "name": route.meta.name, "rule": rule.index}
        for f in (*rule.filters, *rule.backend_filters):
            if f.type == "RequestRedirect":
                self._once(("redirect", f.origin), f.origin, "K2E814", detail=_redirect(f.redirect), **params)
                return None
            self._once(("filter", f.origin), f.origin, "K2E813", filter=f.type or "(no type)",
                       remediation=_FILTER_REMEDIES.get(f.type, "Rebuild what the filter does in the application."),
                       **params)
        flavour = _FLAVOURS.get(route.kind, "HTTP1")
        resolved = [(ref, found) for ref in rule.backends if (found := self._resolvable(route, ref)) is not None]
        if rule.backends and not resolved:
            return None  # every backend was reported; the match is left out, as on the load balancer
        merged: dict[str, int] = {}
        for ref, (svc, port) in resolved:
            if ref.weight > 0:  # a weight-0 backend gets no requests: no target group to register in
                tg = self._lattice_target(route, svc, port, flavour)
                merged[tg] = merged.get(tg, 0) + ref.weight
        if not merged:
            return LatticeAction(fixed_response=LatticeFixedResponse(500))  # the spec's answer when no backend takes it
        return LatticeAction(forward=LatticeForward(self._lattice_weights(route, rule.index, rule.origin, merged)))

    def _lattice_weights(self, route: Route, index: int, origin: Origin,
                         merged: dict[str, int]) -> tuple[LatticeWeightedTargetGroup, ...]:
        """The 10 heaviest target groups, their weights scaled into 0-999 (each reported when it happens)."""
        params = {"kind": route.kind, "name": route.meta.name, "rule": index}
        kept = sorted(merged, key=lambda g: -merged[g])[:MAX_TARGET_GROUPS]
        if len(merged) > MAX_TARGET_GROUPS:
            self._once(("groups", route.origin, index), origin, "K2E822", count=len(merged), limit=MAX_TARGET_GROUPS,
                       kept=", ".join(kept), **params)
        order = [g for g in merged if g in kept]
        weights = [merged[g] for g in order]
        shares = scaled(weights)
        if shares != weights:
            self._once(("weights", route.origin, index), origin, "K2E821", weights=", ".join(map(str, weights)),
                       scaled=", ".join(map(str, shares)), **params)
        return tuple(LatticeWeightedTargetGroup(Ref(g), w) for g, w in zip(order, shares, strict=True))

    def _resolvable(self, route: Route, ref: ObjectRef) -> tuple[Service, ServicePort] | None:
        """The Service port a backendRef reaches through a translated workload; None with a finding."""
        label = f"{ref.kind} {ref.name}" + (f":{ref.port}" if ref.port is not None else "")
        if self._problem(route, ref, label):
            return None
        svc, port = self.backends.find(IngressBackend(ref.name, ref.port or 0))
        assert svc is not None and port is not None  # `_problem` reported a Service or port that is not there
        if port.protocol != "TCP":
            self._once(("backend", ref), ref.origin, "K2E769", kind=route.kind, name=route.meta.name, backend=label,
                       detail=f"port {port.port} is {port.protocol}, and VPC Lattice forwards TCP only")
            return None
        return svc, port

    def _lattice_target(self, route: Route, svc: Service, port: ServicePort, flavour: str) -> str:
        """The target group of a Service port, its ECS services registered in it."""
        members = self.backends.members_of(svc, port)
        tg_id = self.shared.targets.target_group(svc, port, members, flavour, route.origin)
        self.backends.contributions += self.shared.targets.register(members, tg_id, self.backends)
        return tg_id

    def _other_stack(self, route: Route, ref: ObjectRef) -> None:
        self._once(("stack", ref), ref.origin, "K2E819", kind=route.kind, name=route.meta.name, service=ref.name,
                   namespace=ref.namespace, gateway=self.name, gateway_namespace=self.nb.namespace)
