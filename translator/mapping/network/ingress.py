"""Ingresses to Application Load Balancers: one ALB per IngressGroup, else per ingress class.

Which Ingresses share an ALB and with which settings is decided in `ingressgroups.py`. Each
Ingress listens on its listen-ports (default HTTP 80, or HTTPS 443 once it has TLS or a
certificate); its paths become listener rules (`ingressrules.py`), its backends target groups
(`ingressbackends.py`). A default backend becomes the listener's default action, else 404.
"""

from __future__ import annotations

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import camel, short_hash, tags
from translator.mapping.network import alb, ingressactions, meshsplit
from translator.mapping.network.ingressbackends import Backends, Target
from translator.mapping.network.ingressgroups import Group, Member, groups, merged_settings
from translator.mapping.network.ingressgroups import scheme as ingress_scheme
from translator.mapping.network.ingressrules import (
    Candidate,
    Unroutable,
    check_host,
    conditions,
    ordered,
    path_patterns,
    priority,
)
from translator.mapping.network.networking import Link
from translator.mapping.service.assemble import Contribution, ServiceBase, bindings
from translator.model.app import IngressBackend, IngressPath
from translator.model.ecs import (
    Action,
    Certificate,
    Listener,
    ListenerCertificate,
    ListenerRule,
    RuleCondition,
    TaskDefinition,
)
from translator.model.intrinsics import Ref, Value
from translator.model.provenance import provenance

MAX_RULES = 100  # per ALB, default actions not counted


def map_ingresses(mc: MapContext, nb: NamespaceBuild, links: list[Link],
                  built: dict[tuple[str, str], tuple[ServiceBase, TaskDefinition]],
                  parts: dict[tuple[str, str], list[Contribution]]) -> list[tuple[tuple[str, str], Contribution]]:
    """The ALBs of the namespace's Ingresses; what they add to each workload's ECS service, in order.
    `parts`: the contributions to each ECS service so far (its Services' load balancers)."""
    ingresses = sorted((i for i in mc.app.ingresses if i.meta.namespace == nb.namespace), key=lambda i: i.meta.name)
    bound = {key: {b.target_group_arn for b in bindings(own)} for key, own in parts.items()}
    out: list[tuple[tuple[str, str], Contribution]] = []
    for group in groups(mc, ingresses):
        backends = Backends(mc, nb, group.owner, group.label, nb.ids.get(group.owner, "LoadBalancer"), links, built,
                            bound)
        _Builder(mc, nb, group, backends).build()
        out += backends.contributions
    return out


def report_unbuilt(mc: MapContext, namespaces: set[str]) -> None:
    """An Ingress in a namespace without a translated workload has nothing to route to: said, not skipped."""
    for ing in mc.app.ingresses:
        if ing.meta.namespace not in namespaces:
            mc.report(ing.origin, "K2E446", kind="Ingress", name=ing.meta.name, namespace=ing.meta.namespace)


USE_ANNOTATION = "use-annotation"  # a backend port name: the rule's action is an annotation's


class _Builder:
    """Builds one ALB: merged settings, listeners, default actions, certificates and rules."""

    def __init__(self, mc: MapContext, nb: NamespaceBuild, group: Group, backends: Backends) -> None:
        self.mc, self.nb, self.group, self.backends = mc, nb, group, backends
        self.lb_id = backends.balancer
        self.settings = merged_settings(mc, group, self.lb_id)
        self.rules = 0

    def build(self) -> None:
        if not self._routable():
            return
        listeners = self._listeners()
        redirect = self._redirect(listeners)
        for (protocol, port), members in sorted(listeners.items(), key=lambda item: item[0][1]):
            self._listener(protocol, port, members, redirect)
        scheme = ingress_scheme(mc=self.mc, group=self.group, settings=self.settings)
        alb.add_balancer(self.nb, alb.Balancer(
            self.lb_id, "application", scheme, f"{self.group.label} ({self.nb.namespace})",
            self.group.label, " ".join(f"Ingress/{m.name}" for m in self.group.members),
            tuple(("tcp", port) for _, port in sorted(listeners, key=lambda k: k[1])),
            cidrs=self.settings.cidrs if self.settings.cidrs is not None else alb.default_cidrs(self.settings.ip_address_type),
            name=self.settings.name, ip_address_type=self.settings.ip_address_type,
            attributes=self.settings.lb_attributes, tags=self._tags(), metadata=self.group.provenance()))
        shown = ", ".join(self._shown(p, n, redirect) for p, n in sorted(listeners, key=lambda k: k[1]))
        for m in self.group.members:
            self.mc.report(m.ingress.origin, "K2E430", name=m.name, lb=self.lb_id, scheme=scheme, listeners=shown)

    def _routable(self) -> bool:
        """An ALB none of whose backends reaches a translated workload would only answer 404: not created."""
        backends = [(m, b) for m in self.group.members
                    for b in [m.ingress.default_backend, *(p.backend for p in m.ingress.paths)] if b is not None]
        if any(ingressactions.routes(self.backends, m.ingress, b) if b.port == USE_ANNOTATION else
               self.backends.routable(b) for m, b in backends):
            return True
        for m, b in backends:
            if b.port == USE_ANNOTATION:
                self._annotated(m, b, None)  # reports why the action fails
            else:
                self.backends.resolve(m.ingress, b, m.settings.target)  # reports why each backend fails
        for m in self.group.members:
            detail = "none of its backends reaches a translated workload" if m.ingress.default_backend or \
                m.ingress.paths else "it has neither rules nor a default backend"
            self.mc.report(m.ingress.origin, "K2E447", name=m.name, detail=f"{detail}, so no ALB was created")
        return False

    def _tags(self) -> tuple[tuple[str, str], ...]:
        result = tags(list(self.settings.tags))
        first = self.group.members[0]
        if result.dropped:
            self.mc.report(first.ingress.origin, "K2E372", what="alb.ingress.kubernetes.io/tags", name=first.name,
                           detail=", ".join(result.dropped))
        if result.cleaned:
            self.mc.report(first.ingress.origin, "K2E376", what="alb.ingress.kubernetes.io/tags", name=first.name,
                           keys=", ".join(result.cleaned))
        return tuple((t.key, t.value) for t in result.tags)

    def _listeners(self) -> dict[tuple[str, int], list[Member]]:
        listeners: dict[tuple[str, int], list[Member]] = {}
        for m in self.group.members:
            for key in m.ports():
                listeners.setdefault(key, []).append(m)
        implicit = any(not m.settings.listen and m.ports() == [("HTTPS", 443)] for m in self.group.members)
        if implicit and ("HTTP", 80) not in listeners and not any(p == 80 for _, p in listeners):
            listeners[("HTTP", 80)] = []  # TLS Ingresses: HTTP only redirects to HTTPS
        return listeners

    def _redirect(self, listeners: dict[tuple[str, int], list[Member]]) -> int | None:
        wanted = self.settings.ssl_redirect
        if wanted is None:
            return 443 if ("HTTP", 80) in listeners and not listeners[("HTTP", 80)] else None
        if ("HTTPS", wanted) in listeners:
            return wanted
        first = next(m for m in self.group.members if m.settings.ssl_redirect == wanted)
        self.mc.report(first.ingress.origin, "K2E442", annotation="alb.ingress.kubernetes.io/ssl-redirect",
                       name=first.name, detail=f"the ALB has no HTTPS listener on port {wanted}")
        return None

    @staticmethod
    def _shown(protocol: str, port: int, redirect: int | None) -> str:
        return f"{protocol} {port}" + (f" (redirects to HTTPS {redirect})" if protocol == "HTTP" and redirect else "")

    def _listener(self, protocol: str, port: int, members: list[Member], redirect: int | None) -> None:
        listener_id = self.nb.ids.get(f"{self.group.owner}/{port}", "Listener")
        redirecting = protocol == "HTTP" and redirect is not None
        certificates = self._certificates(listener_id, port, members) if protocol == "HTTPS" else ()
        if redirecting:
            action: Action = alb.redirect_to_https(redirect or 443)
        else:
            action = self._default_action(listener_id, members)
            self._rules(listener_id, port, members)
        self.nb.stack.add(Listener(listener_id, load_balancer_arn=Ref(self.lb_id), port=port, protocol=protocol,
                                   metadata=self.group.provenance(members or None),
                                   ssl_policy=self.settings.ssl_policy if protocol == "HTTPS" else "",
                                   default_actions=(action,), certificates=certificates))

    def _default_action(self, listener_id: str, members: list[Member]) -> Action:
        """The first default backend in group order that resolves; the others are reported."""
        action: Action = alb.not_found()
        chosen = ""
        for m in members:
            backend = m.ingress.default_backend
            if backend is None:
                continue
            if chosen:
                self.mc.report(backend.origin, "K2E440", name=m.name, setting="defaultBackend",
                               value=f"{backend.service}:{backend.port}", first=chosen, lb=self.lb_id,
                               kept="its default backend")
                continue
            if backend.port == USE_ANNOTATION:
                built = self._annotated(m, backend, None)
                if built is not None and all(self.backends.register(m.ingress, b, t, listener_id) for b, t in built[1][1]):
                    action, chosen = built[1][0], m.name
                continue
            target = self.backends.resolve(m.ingress, backend, m.settings.target)
            if target is not None and self.backends.register(m.ingress, backend, target, listener_id):
                action, chosen = alb.forward(target.target_group), m.name
        return action

    def _certificates(self, listener_id: str, port: int, members: list[Member]) -> tuple[Certificate, ...]:
        """The listener's default certificate; the others in a ListenerCertificate (served by SNI)."""
        arns: list[Value] = []
        for m in members:
            for arn in self._member_certificates(m):
                if arn not in arns:
                    arns.append(arn)
        if len(arns) > 1:
            self.nb.stack.add(ListenerCertificate(self.nb.ids.get(f"{self.group.owner}/{port}", "Certificates"),
                                                  listener_arn=Ref(listener_id),
                                                  certificates=tuple(Certificate(a) for a in arns[1:]),
                                                  metadata=self.group.provenance(members)))
        return tuple(Certificate(a) for a in arns[:1])

    def _member_certificates(self, m: Member) -> list[Value]:
        for tls in m.ingress.tls:
            if tls.secret:
                self.mc.used.add(("Secret", self.nb.namespace, tls.secret))
        if m.settings.certificates:
            return list(m.settings.certificates)
        if self.mc.options.certificate_arn:
            return [self.mc.options.certificate_arn]
        out: list[Value] = []
        for tls in m.ingress.tls:
            if not tls.secret:
                out.append(alb.certificate_parameter(self.nb))
                continue
            parameter = f"{camel(tls.secret)}CertificateArn"
            out.append(alb.certificate_parameter(self.nb, parameter, f"ACM certificate ARN for TLS Secret {tls.secret}"))
            self.mc.report(tls.origin, "K2E439", name=m.name, secret=tls.secret, parameter=parameter)
        return out or [alb.certificate_parameter(self.nb)]

    def _rules(self, listener_id: str, port: int, members: list[Member]) -> None:
        by_name = {m.name: m for m in members}
        seen: dict[tuple[str, str, str], str] = {}
        created = 0
        for candidate in ordered([Candidate(m.settings.order, m.name, p) for m in members for p in m.ingress.paths]):
            if candidate.route in seen:
                self._report_duplicate(candidate, seen[candidate.route])
                continue
            seen[candidate.route] = candidate.ingress
            if self._rule(listener_id, port, by_name[candidate.ingress], candidate.path, priority(created + 1)):
                created += 1

    def _report_duplicate(self, candidate: Candidate, first: str) -> None:
        p = candidate.path
        self.mc.report(p.origin, "K2E440", name=candidate.ingress, setting=f"the route {p.host}{p.path} ({p.path_type})",
                       value=f"{p.backend.service}:{p.backend.port}", first=first, kept="its backend", lb=self.lb_id)

    def _rule(self, listener_id: str, port: int, m: Member, p: IngressPath, number: int) -> bool:
        try:
            if p.host:
                check_host(p.host)
            found = conditions(p.host, path_patterns(p.path, p.path_type))
        except Unroutable as err:
            self._report_unroutable(m, p, err)
            return False
        if p.path_type == "ImplementationSpecific" and p.path:
            self.mc.report(p.origin, "K2E437", name=m.name, path=p.path)
        chosen: tuple[Action, list[tuple[IngressBackend, Target]]] | None
        if p.backend.port == USE_ANNOTATION:
            built = self._annotated(m, p.backend, found)
            found, chosen = built if built is not None else (found, None)
        else:
            chosen = self._action(m, p)
        if chosen is None:
            return False
        if self.rules >= MAX_RULES:
            self.mc.report(p.origin, "K2E444", lb=self.lb_id, port=port, limit=MAX_RULES)
            return False
        rule_id = self.nb.ids.get(f"{self.group.owner}/{port}/{m.name}", "Rule" + short_hash(_rule_key(m, p)))
        action, targets = chosen
        if not all(self.backends.register(m.ingress, backend, t, rule_id) for backend, t in targets):
            return False
        self.rules += 1
        metadata = provenance(m.ingress.origin, *(mb.workload.origin for _, t in targets for mb in t.members))
        self.nb.stack.add(ListenerRule(rule_id, listener_arn=Ref(listener_id), priority=number, conditions=found,
                                       actions=(action,), metadata=metadata))
        return True

    def _action(self, m: Member, p: IngressPath) -> tuple[Action, list[tuple[IngressBackend, Target]]] | None:
        """A forward to the path's target group, or, where a mesh VirtualService splits the Service over subsets,
        a weighted forward over the subsets' target groups; None (reported) when the backend leads nowhere."""
        split = meshsplit.weighted(self.mc, self.backends, m.ingress, p.backend, m.settings.target)
        if split is not None:
            return split[0], split[1]
        target = self.backends.resolve(m.ingress, p.backend, m.settings.target)
        return (alb.forward(target.target_group), [(p.backend, target)]) if target is not None else None

    def _annotated(self, m: Member, backend: IngressBackend, own: tuple[RuleCondition, ...] | None
                   ) -> tuple[tuple[RuleCondition, ...], tuple[Action, list[tuple[IngressBackend, Target]]]] | None:
        """A backend the controller takes from alb.ingress.kubernetes.io/actions.<its service name> (a weighted
        forward, fixed response or redirect), with conditions.<name> added to the path's own `own` (None: a
        default backend, which has none); None, reported at the annotation (K2E861), when the controller or the
        ELB API would refuse it: the rule is left out, its requests go to a later rule or the 404."""
        found = ingressactions.annotation(m.ingress, ingressactions.action_key(backend.service))
        if found is None:
            self.mc.report(backend.origin, "K2E861", name=m.name, backend=backend.service,
                           detail=f"an action no {ingressactions.action_key(backend.service)} annotation defines "
                                  "(the controller refuses the Ingress)")
            return None
        extra = ingressactions.annotation(m.ingress, ingressactions.conditions_key(backend.service))
        found_conditions = own or ()
        try:
            if own is not None and extra is not None:
                found_conditions = ingressactions.conditions(extra[0], own)
        except ingressactions.Invalid as err:
            self.mc.report(extra[1] if extra else backend.origin, "K2E861", name=m.name, backend=backend.service,
                           detail=str(err))
            return None
        try:
            return found_conditions, ingressactions.action(self.backends, m.ingress, backend, found[0], found[1],
                                                           m.settings.target)
        except ingressactions.Invalid as err:
            self.mc.report(found[1], "K2E861", name=m.name, backend=backend.service, detail=str(err))
            return None

    def _report_unroutable(self, m: Member, p: IngressPath, err: Unroutable) -> None:
        if err.remediation:
            self.mc.report(p.origin, "K2E435", name=m.name, path=p.path, path_type=p.path_type, detail=err.detail,
                           remediation=err.remediation)
        else:
            self.mc.report(p.origin, "K2E436", name=m.name, host=p.host, detail=err.detail)


def _rule_key(m: Member, p: IngressPath) -> str:
    """What a rule's logical id is made of: its host and backend, and which of the Ingress's paths to
    that host and backend it is. Not the path: CloudFormation updates a rule's conditions in place,
    but a new logical id creates the new rule before deleting the old one, on the priority the old
    one still holds, and the update fails."""
    key = (p.host, p.backend.service, p.backend.port)
    same = [q for q in m.ingress.paths if (q.host, q.backend.service, q.backend.port) == key]
    return f"{p.host}|{p.backend.service}|{p.backend.port}|{next(i for i, q in enumerate(same) if q is p)}"
