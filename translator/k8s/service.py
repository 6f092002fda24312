"""Service: how callers reach a workload (Service Connect, or a load balancer)."""

from __future__ import annotations

from translator.k8s.common import PORT_MAX, origin, parse_meta
from translator.model.app import Application, Service, ServicePort
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Service": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "ClusterIP: Service Connect in a Cloud Map namespace per Kubernetes namespace, callers keep using "
    "`name:port`; LoadBalancer: an ALB for HTTP ports, an NLB otherwise, with ip target groups, listeners"
    " and security groups; NodePort, ExternalName and headless: a finding each"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    kind = spec.str("type") or "ClusterIP"
    cluster_ip = spec.str("clusterIP") or ""
    spec.ignore("clusterIPs")
    affinity = spec.str("sessionAffinity") == "ClientIP"
    app.services.append(Service(
        meta=meta,
        type=kind,
        selector=tuple(sorted(spec.str_map("selector").items())),
        ports=tuple(_ports(spec, kind)),
        headless=cluster_ip == "None",
        external_name=spec.for_report.str("externalName") or "",  # named in the ExternalName finding
        source_ranges=tuple(spec.str_list("loadBalancerSourceRanges")),
        session_affinity=affinity,
        origin=origin(root),
    ))


def _ports(spec: Reader, kind: str) -> list[ServicePort]:
    out: list = []
    for p in spec.items("ports"):
        number = p.int_in("port", 1, PORT_MAX)
        if number is None:
            if "port" not in p.data:
                p.report("K2E004", "port", field=p.field("port"))
            p.ignore(*p.fields())  # the entry is left out whole, as its finding says: its other fields are no news
            continue
        if kind in ("NodePort", "LoadBalancer"):
            p.for_report.ignore("nodePort")  # no nodes on Fargate; the NodePort finding covers the type
        target = p.int_or_str("targetPort", number)
        if isinstance(target, int) and not 0 <= target <= PORT_MAX:
            p.report("K2E003", "targetPort", field=p.field("targetPort"), expected=f"an integer from 1 to {PORT_MAX}",
                     got=str(target))
            target = number
        out.append(ServicePort(number, number if target is None or target == 0 else target, (p.str("protocol") or "TCP").upper(),
                               p.str("name") or ""))
    return out
