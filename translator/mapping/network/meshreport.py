"""What the Istio objects ask for that ECS does not carry: one finding each, once per run.

Said here rather than where the load balancers and Service Connect endpoints are built, because
each holds whatever the mapping made of the object: a retry policy is lost whether the route is the
mesh's or a gateway's. The timeouts and the mutual TLS that are carried are said where they are
applied (`meshconnect.py`); the routes an ALB carries by the Gateway builder (K2E775).
"""

from __future__ import annotations

from translator.mapping.context import MapContext
from translator.mapping.network.meshindex import (
    Key,
    Labels,
    MeshIndex,
    binds_mesh,
    gateway_key,
    index,
    resolve,
    service_key,
)
from translator.model.app import (
    DestinationRule,
    MeshDestination,
    MeshFeature,
    MeshGateway,
    MeshRoute,
    Origin,
    PeerAuthentication,
    VirtualService,
)

# Route setting -> (why ECS does not carry it, what to do).
ROUTE_REMEDIES: dict[str, tuple[str, str]] = {
    "retries": ("neither Service Connect nor an ALB takes a retry policy",
                "Retry in the caller (the AWS SDKs and most HTTP clients retry with backoff); Service Connect's "
                "proxy retries failed connections on its own."),
    "fault": ("neither Service Connect nor an ALB injects faults",
              "Inject delays and errors with AWS Fault Injection Service (ECS task actions: network latency, packet "
              "loss, process kill) during tests."),
    "mirror": ("neither Service Connect nor an ALB mirrors requests",
               "Copy the traffic with VPC Traffic Mirroring, or send the copy from the application."),
    "mirrors": ("neither Service Connect nor an ALB mirrors requests",
                "Copy the traffic with VPC Traffic Mirroring, or send the copy from the application."),
    "mirrorPercentage": ("neither Service Connect nor an ALB mirrors requests",
                         "Copy the traffic with VPC Traffic Mirroring, or send the copy from the application."),
    "mirrorPercent": ("neither Service Connect nor an ALB mirrors requests",
                      "Copy the traffic with VPC Traffic Mirroring, or send the copy from the application."),
    "corsPolicy": ("neither Service Connect nor an ALB listener rule answers CORS preflight requests",
                   "Answer CORS in the application, or with the ALB's response-header attributes."),
    "headers": ("neither Service Connect nor an ALB listener rule sets request or response headers",
                "Set the headers in the application, or in a CloudFront function in front of the ALB."),
    "rewrite": ("an ALB forwards the path and host unchanged, and Service Connect does not rewrite them",
                "Rewrite in the application, or with an ALB listener-rule URL transform (regex) added by hand."),
    "delegate": ("kube2ecs does not merge delegate VirtualServices",
                 "Copy the delegate's routes into this VirtualService."),
    "directResponse": ("kube2ecs does not answer from a VirtualService",
                       "Add an ALB listener rule with a fixed-response action by hand."),
    "redirect": ("Service Connect does not redirect calls",
                 "Redirect in the application, or bind the VirtualService to an Istio Gateway (an ALB redirect)."),
    "match": ("Service Connect sends every call to a host to the ECS service that publishes it; it does not tell "
              "calls apart by uri, header or method",
              "Route in the application, or bind the VirtualService to an Istio Gateway so that the ALB matches "
              "(listener rules)."),
    "subset": ("Service Connect sends every call to a host to the ECS service that publishes it (K2E353 names it "
               "when several workloads share the Service)",
               "Give the subset's workload a Service of its own and call that name, or bind the VirtualService to an "
               "Istio Gateway (a target group per subset)."),
    "condition": ("an ALB rule has no condition for it, so the rule matches without it",
                  "Check that the broader match is acceptable, or route by it in the application."),
}
# DestinationRule traffic-policy setting -> (why ECS does not carry it, what to do).
POLICY_REMEDIES: dict[str, tuple[str, str]] = {
    "trafficPolicy.loadBalancer": (
        "Service Connect balances calls with its own algorithm",
        "Nothing to do for round robin; for consistent hashing use ALB target-group stickiness, or the target "
        "group's load_balancing.algorithm.type (least_outstanding_requests) behind an ALB."),
    "trafficPolicy.connectionPool": (
        "Service Connect's proxy sets its own connection limits",
        "Limit concurrency in the application; the VirtualService timeout becomes the per-request timeout."),
    "trafficPolicy.outlierDetection": (
        "Service Connect's proxy detects failing tasks with its own settings",
        "Nothing to configure: Service Connect stops sending calls to failing tasks, and ECS replaces tasks whose "
        "health checks fail."),
    "trafficPolicy.portLevelSettings": (
        "per-port policies are not carried",
        "See the findings of the rule's other settings; ECS applies one policy per endpoint."),
    "trafficPolicy.tls": (
        "the caller's sidecar originated TLS; on ECS nothing does",
        "Connect with TLS from the application (https://, or the client library's TLS settings)."),
    "trafficPolicy.proxyProtocol": ("Service Connect sends no PROXY protocol header",
                                    "Read the caller's address from X-Forwarded-For behind an ALB."),
    "trafficPolicy.tunnel": ("Service Connect does not tunnel calls", "Connect to the host directly."),
    "exportTo": ("Service Connect publishes every endpoint to the whole namespace",
                 "Restrict callers with security groups (NetworkPolicy translation)."),
    "workloadSelector": ("the rule applies to every caller on ECS",
                         "Nothing to do if every caller may use the same policy."),
}


def report(mc: MapContext, built: set[str]) -> None:
    """Every VirtualService, DestinationRule and PeerAuthentication of the input, once; `built`: the
    namespaces that have a stack (an Istio Gateway elsewhere makes no load balancer)."""
    mesh = index(mc)
    if mesh.empty:
        return
    labelled = _labelled(mc, mesh)
    for vs in mc.app.virtual_services:
        _bindings(mc, mesh, vs)
        for other in vs.others:
            _route_kind(mc, vs, other)
        for route in vs.http:
            _route(mc, mesh, vs, route, labelled)
    for dr in mc.app.destination_rules:
        _destination_rule(mc, dr)
    for pa in mc.app.peer_authentications:
        _peer(mc, pa)
    for gw in mesh.gateways.values():
        _gateway(mc, mesh, gw, built)


def _gateway(mc: MapContext, mesh: MeshIndex, gw: MeshGateway, built: set[str]) -> None:
    if gw.meta.key not in mesh.bound:
        mc.report(gw.origin, "K2E842", kind="Gateway", name=gw.meta.name,
                  detail="has no VirtualService bound to it, so no load balancer stands for it",
                  remediation="Bind a VirtualService to it (spec.gateways) whose destinations are Services of the input.")
    elif mesh.home(gw) not in built:
        mc.report(gw.origin, "K2E842", kind="Gateway", name=gw.meta.name,
                  detail=f"routes to namespace {mesh.home(gw)}, where no workload was translated, so no stack holds "
                         "a load balancer for it",
                  remediation="Add the workloads its VirtualServices route to; a Gateway whose VirtualServices are in "
                              "several namespaces is built in its own namespace, which needs a translated workload.")


def _labelled(mc: MapContext, mesh: MeshIndex) -> dict[Key, list[Labels]]:
    """Service -> the pod labels of each workload of its namespace it selects, for the Services a destination
    names with a subset (only those need them)."""
    wanted = {key for vs in mc.app.virtual_services for r in vs.http for d in r.destinations if d.subset
              and (key := service_key(d.host, vs.meta.namespace)) is not None and key in mesh.services}
    namespaces = {ns for ns, _ in wanted}
    by_namespace: dict[str, list[Labels]] = {}
    for wl in mc.app.workloads:
        if wl.meta.namespace in namespaces:
            by_namespace.setdefault(wl.meta.namespace, []).append(wl.pod_labels)
    out: dict[Key, list[Labels]] = {}
    for key in wanted:
        selector = set(mesh.services[key].selector)
        out[key] = [labels for labels in by_namespace.get(key[0], []) if selector and selector <= set(labels)]
    return out


def _bindings(mc: MapContext, mesh: MeshIndex, vs: VirtualService) -> None:
    for ref in vs.gateways:
        if ref != "mesh" and gateway_key(ref, vs.meta.namespace) not in mesh.gateways:
            mc.report(vs.origin, "K2E842", kind="VirtualService", name=vs.meta.name,
                      detail=f"binds to Gateway {ref}, which is not an Istio Gateway of the input",
                      remediation="Add the Gateway to the input; nothing routes to this VirtualService through it.")


def _route_kind(mc: MapContext, vs: VirtualService, other: MeshFeature) -> None:
    if other.name == "exportTo":
        why, remedy = POLICY_REMEDIES["exportTo"]
    else:
        why = "Service Connect and the ALB route HTTP; ECS does not route TCP or TLS by port or SNI"
        remedy = ("Expose the Service with type LoadBalancer (an NLB) for outside callers; callers inside reach it "
                  "through Service Connect by its name.")
    mc.report(other.origin, "K2E840", name=vs.meta.name, field=other.name,
              detail=f" ({other.detail})" if other.detail else "", why=why, remediation=remedy)


def _route(mc: MapContext, mesh: MeshIndex, vs: VirtualService, route: MeshRoute,
           labelled: dict[Key, list[Labels]]) -> None:
    label = route.name or str(route.index)
    for feature in route.features:
        _feature(mc, vs, label, feature.name, feature.detail, feature.origin)
    for match in route.matches:
        for part in match.unmatched:
            why, remedy = ROUTE_REMEDIES["condition"]
            mc.report(part.origin, "K2E831", name=vs.meta.name, route=label, feature=f"match {part.name}",
                      detail=f" ({part.detail})" if part.detail else "", why=why, remediation=remedy)
    broken = []
    for d in route.destinations:
        found = resolve(mesh, vs, d, labelled)
        if found.problem:
            broken.append(d)
            if found.unknown_host:
                mc.report(d.origin, "K2E835", name=vs.meta.name, where=f"http route {label} sends to", host=d.host,
                          detail=found.problem)
            else:
                mc.report(d.origin, "K2E836", name=vs.meta.name, route=label, subset=d.subset, host=d.host,
                          detail=found.problem)
    if binds_mesh(vs):
        _mesh_route(mc, vs, route, label, broken)
    elif route.timeout is not None:
        mc.report(route.origin, "K2E834", name=vs.meta.name, timeout=route.timeout_text, host=", ".join(vs.hosts),
                  why="the VirtualService binds to gateways only, and an ALB has no per-request timeout",
                  remediation="Bind it to the mesh as well to time out calls inside, and enforce the limit in the "
                              "application; the ALB's idle timeout (idle_timeout.timeout_seconds) closes idle "
                              "connections only.")


def _mesh_route(mc: MapContext, vs: VirtualService, route: MeshRoute, label: str,
                broken: list[MeshDestination]) -> None:
    """What the mesh's sidecars did for this route that Service Connect does not (`broken`: destinations
    already reported as leading nowhere)."""
    if route.matches:
        _feature(mc, vs, label, "match", "", route.matches[0].origin)
    if route.redirect is not None:
        _feature(mc, vs, label, "redirect", "", route.origin)
    shared = [d for d in route.destinations if d.weight]
    if len(shared) > 1:
        split = ", ".join(f"{d.subset or d.host} {d.weight}" for d in shared)
        hosts = ", ".join(dict.fromkeys(d.host for d in shared))
        mc.report(route.origin, "K2E832", name=vs.meta.name, route=label, host=hosts, split=split)
    elif len(route.destinations) == 1 and route.destinations[0].subset and not broken:
        _feature(mc, vs, label, "subset", route.destinations[0].subset, route.destinations[0].origin)


def _feature(mc: MapContext, vs: VirtualService, label: str, name: str, detail: str, origin: Origin) -> None:
    why, remedy = ROUTE_REMEDIES.get(name, ("ECS has no equivalent", "Rebuild what it does by hand."))
    mc.report(origin, "K2E831", name=vs.meta.name, route=label, feature=name, detail=f" ({detail})" if detail else "",
              why=why, remediation=remedy)


def _destination_rule(mc: MapContext, dr: DestinationRule) -> None:
    for policy in dr.policies:
        why, remedy = POLICY_REMEDIES.get(policy.name, ("ECS has no equivalent", "Rebuild what it does by hand."))
        mc.report(policy.origin, "K2E839", name=dr.meta.name, setting=policy.name,
                  detail=f" ({policy.detail})" if policy.detail else "", why=why, remediation=remedy)
    if dr.tls_mode in ("SIMPLE", "MUTUAL"):
        why, remedy = POLICY_REMEDIES["trafficPolicy.tls"]
        mc.report(dr.origin, "K2E839", name=dr.meta.name, setting="trafficPolicy.tls", detail=f" (mode {dr.tls_mode})",
                  why=why, remediation=remedy)
    elif dr.tls_mode == "ISTIO_MUTUAL" and not mc.options.service_connect_tls_ca:
        mc.report(dr.origin, "K2E837", kind="DestinationRule", name=dr.meta.name, mode="ISTIO_MUTUAL",
                  namespace=dr.meta.namespace)


def _peer(mc: MapContext, pa: PeerAuthentication) -> None:
    strict = pa.mode == "STRICT" or any(mode == "STRICT" for _, mode in pa.port_modes)
    if strict and not mc.options.service_connect_tls_ca:
        mc.report(pa.origin, "K2E837", kind="PeerAuthentication", name=pa.meta.name, mode="STRICT",
                  namespace=pa.meta.namespace)
    if pa.mode in ("PERMISSIVE", "DISABLE"):
        mc.report(pa.origin, "K2E843", name=pa.meta.name, mode=pa.mode,
                  detail="Service Connect without TLS accepts plaintext calls, as the policy allows")
    for port, mode in pa.port_modes:  # each Service Connect endpoint is one container port: a port's own mode applies
        if mode in ("PERMISSIVE", "DISABLE"):
            mc.report(pa.origin, "K2E843", name=pa.meta.name, mode=mode,
                      detail=f"the Service Connect endpoints of container port {port} stay without TLS and accept "
                             "plaintext calls, as the policy allows for that port")
