"""Service type LoadBalancer: an ALB for HTTP ports, an NLB otherwise, with ip target groups.

ALB or NLB is decided per Service: HTTP-looking ports (name or appProtocol http*, or port
80/8080/443) give an ALB, anything else (or the AWS NLB annotations) an NLB, which keeps
Kubernetes' layer-4 semantics. The resources come from `alb.py`, shared with Ingresses.

TLS: with `aws-load-balancer-ssl-cert` the listeners of the ssl-ports terminate it (and send plain
traffic on, as the controller's default backend protocol does). Without one, the Kubernetes load
balancer passed TCP through to the application's own TLS: an NLB still does; an ALB, which cannot, terminates
with a certificate parameter and re-encrypts to the tasks (an HTTPS target group) on a port 443 or one named https.
"""

from __future__ import annotations

from dataclasses import replace

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network import alb
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.service.assemble import Contribution
from translator.mapping.task.probes import target_group_health_check
from translator.model.app import Service, ServicePort, Workload
from translator.model.ecs import (
    Attribute,
    Certificate,
    Listener,
    Metadata,
    TargetGroup,
    TaskDefinition,
)
from translator.model.intrinsics import Ref, Value
from translator.model.provenance import provenance

_NLB_ANNOTATIONS = {"service.beta.kubernetes.io/aws-load-balancer-type": ("nlb", "external", "nlb-ip")}
_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme"
_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal"
_CERT = "service.beta.kubernetes.io/aws-load-balancer-ssl-cert"
_SSL_PORTS = "service.beta.kubernetes.io/aws-load-balancer-ssl-ports"
HONOURED_ANNOTATIONS = frozenset({*_NLB_ANNOTATIONS, _SCHEME, _INTERNAL, _CERT, _SSL_PORTS,
                                  "kubectl.kubernetes.io/last-applied-configuration"})
__all__ = ["HONOURED_ANNOTATIONS", "SERVICES_SG", "attach"]


def _is_network(svc: Service) -> bool:
    notes = dict(svc.meta.annotations)
    for key, values in _NLB_ANNOTATIONS.items():
        if notes.get(key) in values:
            return True
    return not all(p.protocol == "TCP" and (p.name.startswith("http") or p.port in (80, 443, 8080)) for p in svc.ports)


def _scheme(mc: MapContext, svc: Service) -> str:
    notes = dict(svc.meta.annotations)
    if notes.get(_SCHEME) in ("internal", "internet-facing"):
        return notes[_SCHEME]
    if notes.get(_INTERNAL, "").lower() in ("true", "0.0.0.0/0"):
        return "internal"
    return mc.options.load_balancer_scheme


def attach(mc: MapContext, nb: NamespaceBuild, svc: Service, ports: list[tuple[ServicePort, int]],
           td: TaskDefinition, wl: Workload) -> list[Contribution]:
    """The Service's load balancer, listeners and target groups; the ECS service's bindings to them, and
    behind an ALB the grace period its readiness probes need."""
    network = _is_network(svc)
    name = svc.meta.name
    lb_id = nb.ids.get(name, "LoadBalancer")
    stack = nb.stack
    if not stack.has(lb_id):
        _create_balancer(mc, nb, svc, lb_id, network, ports)
    protocols: dict[int, str] = {}
    out: list[Contribution] = []
    for port, number in ports:
        if port.protocol == "UDP" and not network:
            continue
        first = protocols.setdefault(port.port, port.protocol)
        if first != port.protocol:  # one listener per port: TCP and UDP together need a TCP_UDP listener
            mc.report(svc.origin, "K2E317", name=name, port=port.port, kept=first, lost=port.protocol)
            continue
        container, mapping = td.port_mapping(number)
        readiness = next((c for c in wl.pod.containers if c.name == container), None)
        tg_id = nb.ids.get(f"{name}-{port.port}", "TargetGroup")
        listener_id = nb.ids.get(f"{name}-{port.port}", "Listener")
        if not stack.has(tg_id):
            check = target_group_health_check(mc, readiness, network)
            probe = readiness.readiness if readiness is not None else None
            plain = probe is not None and probe.kind == "http" and probe.scheme != "HTTPS" and check.port == str(number)
            tls = not network and not plain and _backend_tls(svc, port, mapping)
            protocol = ("UDP" if port.protocol == "UDP" else "TCP") if network else "HTTPS" if tls else "HTTP"
            if tls and check.protocol == "HTTP" and check.port in (None, str(number)):
                check = replace(check, protocol="HTTPS")  # the traffic port speaks TLS: so does its check
            stack.add(TargetGroup(tg_id, metadata=provenance(svc.origin, wl.origin), port=number, protocol=protocol,
                                  health_check=check, attributes=_attributes(svc, network)))
            stack.add(_listener(mc, nb, svc, listener_id, lb_id, tg_id, port, network, provenance(svc.origin, wl.origin),
                                tls))
            alb.open_to_tasks(nb, lb_id, name, number, _ip_protocol(port), metadata=provenance(svc.origin, wl.origin))
            alb.open_to_health_checks(nb, lb_id, name, check, number, _ip_protocol(port),
                                      metadata=provenance(svc.origin, wl.origin))
        out.append(alb.register(container, number, tg_id, listener_id))  # every ECS service in the group waits
    return out if network else [*out, Contribution(grace_period=alb.grace_period(wl))]


def _ip_protocol(port: ServicePort) -> str:
    return "udp" if port.protocol == "UDP" else "tcp"


def _create_balancer(mc: MapContext, nb: NamespaceBuild, svc: Service, lb_id: str, network: bool,
                     ports: list[tuple[ServicePort, int]]) -> None:
    scheme = _scheme(mc, svc)
    alb.add_balancer(nb, alb.Balancer(
        lb_id, "network" if network else "application", scheme, f"Service {nb.namespace}/{svc.meta.name}",
        svc.meta.name, f"Service/{svc.meta.name}", tuple((_ip_protocol(p), p.port) for p, _ in ports),
        cidrs=tuple(svc.source_ranges) or ("0.0.0.0/0",), metadata=provenance(svc.origin)))
    listed = ", ".join(str(p.port) for p, _ in ports)
    mc.report(svc.origin, "K2E347", name=svc.meta.name, lb_type="NLB" if network else "ALB", scheme=scheme,
              ports=listed)


def _listener(mc: MapContext, nb: NamespaceBuild, svc: Service, listener_id: str, lb_id: str, tg_id: str,
              port: ServicePort, network: bool, metadata: Metadata, backend_tls: bool = False) -> Listener:
    certificate = _certificate(mc, nb, svc) if backend_tls or _terminates_tls(svc, port, network) else None
    protocol = ("TLS" if certificate else "TCP") if network else ("HTTPS" if certificate else "HTTP")
    if network and port.protocol == "UDP":
        protocol, certificate = "UDP", None
    return Listener(listener_id, metadata=metadata, load_balancer_arn=Ref(lb_id), port=port.port, protocol=protocol,
                    default_actions=(alb.forward(tg_id),),
                    certificates=(Certificate(certificate),) if certificate is not None else ())


def _terminates_tls(svc: Service, port: ServicePort, network: bool) -> bool:
    """Whether the port's listener terminates TLS: with a certificate annotation, the ports its ssl-ports lists
    (numbers or names; every port when it is absent or `*`, as the controller reads it), else port 443 of an ALB.
    A port left out stays plain TCP or HTTP, or its clients, who speak no TLS there, would fail the handshake;
    an NLB without a certificate passes TLS through to the tasks, as on Kubernetes."""
    notes = dict(svc.meta.annotations)
    if not notes.get(_CERT):
        return port.port == 443 and not network
    listed = [p.strip() for p in notes.get(_SSL_PORTS, "*").split(",")]
    return "*" in listed or str(port.port) in listed or bool(port.name and port.name in listed)


def _backend_tls(svc: Service, port: ServicePort, mapping: str) -> bool:
    """Whether the tasks speak TLS on the port behind an ALB: without a certificate annotation the Kubernetes load
    balancer passed TCP through, so a port 443 or one named https (the Service's or the container's) reached the
    application's own TLS. The ALB then re-encrypts (an HTTPS target group), or every request and check would be
    plain HTTP to a TLS port. (An HTTP readiness probe on that very port says it speaks HTTP after all: the
    caller asks no further.)"""
    if dict(svc.meta.annotations).get(_CERT):
        return False
    return port.port == 443 or any(n.startswith("https") for n in (port.name, mapping) if n)


def _certificate(mc: MapContext, nb: NamespaceBuild, svc: Service) -> Value:
    annotated = dict(svc.meta.annotations).get(_CERT, "")
    if annotated.startswith("arn:"):
        return annotated.split(",")[0]
    if mc.options.certificate_arn:
        return mc.options.certificate_arn
    return alb.certificate_parameter(nb)


def _attributes(svc: Service, network: bool) -> tuple[Attribute, ...]:
    if not svc.session_affinity:
        return ()
    return (Attribute("stickiness.enabled", "true"), Attribute("stickiness.type", "source_ip" if network else "lb_cookie"))
