"""Istio's per-request timeouts and mutual TLS on the Service Connect endpoints of the ECS services.

Timeout: a VirtualService bound to the mesh whose HTTP route sends calls to a Service with a
`timeout` becomes `Timeout.PerRequestTimeoutSeconds` of that Service's endpoint (the called side's
`ServiceConnectService`, which every caller's proxy applies). ECS takes a per-request timeout only
for an HTTP, HTTP2 or gRPC endpoint (the port mapping's `appProtocol`; TCP, the default, takes an
idle timeout only), so the port mapping gets appProtocol http, as Istio treats the port of an HTTP
route. Whole seconds: a fraction is rounded up, so no request ends sooner than on Istio.

Mutual TLS: a PeerAuthentication STRICT for the workload, or a DestinationRule ISTIO_MUTUAL for the
Service, becomes `Tls` of the endpoint with the AWS Private CA of the `service_connect_tls_ca` option
and one ECS infrastructure role per stack with the AWS managed policy ECS needs to issue and rotate
the certificates. Sources: docs/istio-service-connect.md.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network.meshindex import index
from translator.model.app import DestinationRule, Origin, PeerAuthentication, Service, ServicePort, Workload
from translator.model.ecs import (
    ConnectCertificateAuthority,
    ConnectService,
    ConnectTimeout,
    ConnectTls,
    EcsService,
    PortMapping,
    Role,
    TaskDefinition,
)
from translator.model.intrinsics import GetAtt, Sub
from translator.model.provenance import provenance

TLS_ROLE = "ServiceConnectTlsRole"
TLS_POLICY = "service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"
MAX_SECONDS = 2147483647  # PerRequestTimeoutSeconds [ECS API TimeoutConfiguration]


def shape(mc: MapContext, nb: NamespaceBuild, wl: Workload, svc: Service, port: ServicePort, number: int,
          entry: ConnectService, td: str) -> ConnectService:
    """The endpoint with the timeout and TLS Istio gave calls to it; unchanged without Istio objects.
    `td`: the logical id of the workload's task definition, whose port mapping a timeout makes HTTP."""
    mesh = index(mc)
    if mesh.empty:
        return entry
    seconds = _timeout(mc, svc, port)
    if seconds is not None:
        entry = replace(entry, timeout=ConnectTimeout(seconds))
        _speak_http(nb, td, number)
    policies = _mutual(mc, wl, svc, number)
    if policies and mc.options.service_connect_tls_ca:
        entry = replace(entry, tls=ConnectTls(ConnectCertificateAuthority(mc.options.service_connect_tls_ca),
                                              GetAtt(_role(nb, policies[0]), "Arn")))
        for policy in policies:
            _decided(mc, nb, policy)
    return entry


def _timeout(mc: MapContext, svc: Service, port: ServicePort) -> int | None:
    """The longest timeout of the mesh routes to the Service's port (each said once), in whole seconds."""
    mesh = index(mc)
    found = [(t, text, vs) for t, text, number, vs in mesh.timeouts.get(svc.meta.key, ()) if number in (None, port.port)]
    if not found:
        return None
    longest = max(t for t, _, _ in found)
    seconds = min(int(longest.to_integral_value(ROUND_CEILING)), MAX_SECONDS)
    for _, text, vs in found:
        told = ("timeout", vs.origin.resource, text, svc.meta.name, str(port.port))
        if told not in mesh.told:
            mesh.told.add(told)
            mc.report(vs.origin, "K2E833", name=vs.meta.name, timeout=text, host=svc.meta.name, service=svc.meta.name,
                      seconds=seconds, port=port.port)
    return seconds


def check_balanced(mc: MapContext, service: EcsService, origin: Origin) -> None:
    """An ECS service with Service Connect TLS that is also a load-balancer target: said, since its proxy
    takes the load balancer's requests on the endpoint's port and expects TLS."""
    tls_ports = {c.port_name for c in service.connect_services if c.tls is not None}
    if not tls_ports or not service.load_balancers:
        return
    groups = ", ".join(sorted({b.target_group_arn.name for b in service.load_balancers}))
    for port in sorted(tls_ports):
        mc.report(origin, "K2E844", service=service.service_name, port=port, groups=groups)


def _speak_http(nb: NamespaceBuild, logical_id: str, number: int) -> None:
    """appProtocol http on the port mapping of `number`: ECS applies a per-request timeout to HTTP only."""
    td = nb.stack.get(logical_id)
    assert isinstance(td, TaskDefinition)
    containers = tuple(replace(c, port_mappings=tuple(_http(m, number) for m in c.port_mappings))
                       if c.port_mappings else c for c in td.containers)
    nb.stack.replace(replace(td, containers=containers))


def _http(mapping: PortMapping, number: int) -> PortMapping:
    return replace(mapping, app_protocol="http") if mapping.container_port == number else mapping


def _mutual(mc: MapContext, wl: Workload, svc: Service, number: int) -> list[PeerAuthentication | DestinationRule]:
    """What requires mutual TLS for calls to the workload's container port `number` through the Service: its
    PeerAuthentication (STRICT for that port, or for the workload) and the Service's DestinationRule (ISTIO_MUTUAL)."""
    mesh = index(mc)
    peer, mode = mesh.peer_mode(wl, number)
    rule = mesh.mutual.get(svc.meta.key)
    return [p for p in (peer if peer is not None and mode == "STRICT" else None, rule) if p is not None]


def _role(nb: NamespaceBuild, policy: PeerAuthentication | DestinationRule) -> str:
    """One infrastructure role per stack that ECS assumes to issue the endpoints' certificates."""
    if not nb.stack.has(TLS_ROLE):
        nb.stack.add(Role(TLS_ROLE, metadata=provenance(policy.origin),
                          description=f"ECS infrastructure role for Service Connect TLS in namespace {nb.namespace}",
                          principal="ecs.amazonaws.com", source_account=False,
                          managed_policy_arns=(Sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{TLS_POLICY}"),)))
    return TLS_ROLE


def _decided(mc: MapContext, nb: NamespaceBuild, policy: PeerAuthentication | DestinationRule) -> None:
    told = ("tls", nb.namespace, policy.origin.resource)
    mesh = index(mc)
    if told in mesh.told:
        return
    mesh.told.add(told)
    kind = "PeerAuthentication" if isinstance(policy, PeerAuthentication) else "DestinationRule"
    mode = policy.mode if isinstance(policy, PeerAuthentication) else policy.tls_mode
    mc.report(policy.origin, "K2E838", kind=kind, name=policy.meta.name, mode=mode, namespace=nb.namespace,
              ca=mc.options.service_connect_tls_ca, role=TLS_ROLE)
