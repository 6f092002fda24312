"""Istio objects indexed once per run: the mesh steps look hosts, subsets and policies up by key.

Istio names a Service by host: `reviews` (in the namespace of the object that names it),
`reviews.prod`, or `reviews.prod.svc.cluster.local`; any other host is outside the cluster (a
ServiceEntry's). A VirtualService without `gateways` binds to `mesh` (the sidecars); a gateway is
named `name` (the VirtualService's namespace) or `namespace/name`. A PeerAuthentication in the root
namespace (istio-system) without a selector applies to the whole mesh, one in another namespace to
that namespace, one with a selector to the workloads it selects; the most specific one wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from translator.mapping.context import MapContext
from translator.model.app import (
    Application,
    DestinationRule,
    MeshDestination,
    MeshGateway,
    MeshRoute,
    MeshSubset,
    PeerAuthentication,
    Service,
    VirtualService,
    Workload,
)
from translator.model.record import record

ROOT_NAMESPACE = "istio-system"  # Istio's default root namespace: its policies apply mesh-wide
MESH = "mesh"
_SUFFIXES = (".svc.cluster.local", ".svc")
Key = tuple[str, str]  # (namespace, name)
Labels = tuple[tuple[str, str], ...]


def service_key(host: str, namespace: str) -> Key | None:
    """The (namespace, name) a host stands for when it names a cluster Service, else None."""
    name = host.lower()
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    parts = name.split(".")
    if not name or "*" in name or len(parts) > 2:
        return None
    return (parts[1], parts[0]) if len(parts) == 2 else (namespace, name)


def gateway_key(ref: str, namespace: str) -> Key:
    """`gw` -> (namespace, gw); `ns/gw` -> (ns, gw)."""
    if "/" in ref:
        ns, name = ref.split("/", 1)
        return ns, name
    return namespace, ref


def binds_mesh(vs: VirtualService) -> bool:
    return not vs.gateways or MESH in vs.gateways


@dataclass
class MeshIndex:
    services: dict[Key, Service] = field(default_factory=dict)
    subsets: dict[Key, dict[str, MeshSubset]] = field(default_factory=dict)  # Service -> its subsets by name
    mutual: dict[Key, DestinationRule] = field(default_factory=dict)  # Service -> the ISTIO_MUTUAL rule for it
    bound: dict[Key, list[VirtualService]] = field(default_factory=dict)  # Istio Gateway -> VirtualServices
    gateways: dict[Key, MeshGateway] = field(default_factory=dict)
    peers: dict[str, list[PeerAuthentication]] = field(default_factory=dict)  # namespace -> its policies
    # Service -> (timeout, its text, port or None for every port, VirtualService) of each mesh route to it
    timeouts: dict[Key, list[tuple[Decimal, str, int | None, VirtualService]]] = field(default_factory=dict)
    told: set[tuple[str, ...]] = field(default_factory=set)  # findings said once per run
    # Service -> the mesh VirtualService route that sends every call to it over weighted subsets
    splits: dict[Key, tuple[VirtualService, MeshRoute]] = field(default_factory=dict)
    workload_namespaces: set[str] = field(default_factory=set)  # where workloads are (only with Istio Gateways)
    empty: bool = True  # no Istio object in the input: every lookup is skipped

    @classmethod
    def build(cls, app: Application) -> MeshIndex:
        index = cls(services={s.meta.key: s for s in app.services})
        index.empty = not (app.virtual_services or app.destination_rules or app.peer_authentications
                           or app.mesh_gateways)
        for dr in app.destination_rules:
            key = service_key(dr.host, dr.meta.namespace)
            if key is None:
                continue
            index.subsets.setdefault(key, {}).update({s.name: s for s in dr.subsets})
            if dr.tls_mode == "ISTIO_MUTUAL":
                index.mutual.setdefault(key, dr)
        for gw in app.mesh_gateways:
            index.gateways[gw.meta.key] = gw
        if app.mesh_gateways:
            index.workload_namespaces = {w.meta.namespace for w in app.workloads}
        for vs in app.virtual_services:
            for ref in vs.gateways:
                if ref != MESH:
                    index.bound.setdefault(gateway_key(ref, vs.meta.namespace), []).append(vs)
            if binds_mesh(vs):
                index._timeouts(vs)
                index._split(vs)
        for pa in app.peer_authentications:
            index.peers.setdefault(pa.meta.namespace, []).append(pa)
        return index

    def _timeouts(self, vs: VirtualService) -> None:
        for route in vs.http:
            if route.timeout is None:
                continue
            for d in route.destinations:
                key = service_key(d.host, vs.meta.namespace)
                if key is not None:
                    self.timeouts.setdefault(key, []).append((route.timeout, route.timeout_text, d.port, vs))

    def home(self, gw: MeshGateway) -> str:
        """The namespace whose stack builds the gateway's load balancer: its own when it has workloads (the
        ingress-gateway Deployment, or the application beside it), else the one namespace of the
        VirtualServices bound to it (a Gateway in istio-system routing to an application's namespace)."""
        if gw.meta.namespace in self.workload_namespaces:
            return gw.meta.namespace
        routed = {vs.meta.namespace for vs in self.bound.get(gw.meta.key, [])}
        return routed.pop() if len(routed) == 1 else gw.meta.namespace

    def _split(self, vs: VirtualService) -> None:
        """A VirtualService whose one route, without matches, sends every call to weighted subsets of one Service."""
        if len(vs.http) != 1 or vs.http[0].matches or vs.http[0].redirect is not None:
            return
        route = vs.http[0]
        keys = {service_key(d.host, vs.meta.namespace) for d in route.destinations}
        key = keys.pop() if len(keys) == 1 else None
        if key is not None and sum(1 for d in route.destinations if d.subset and d.weight) >= 2:
            self.splits.setdefault(key, (vs, route))

    def peer_policy(self, wl: Workload) -> PeerAuthentication | None:
        """The PeerAuthentication that decides the workload's mutual TLS: the most specific one that sets a
        mode (a workload's, then its namespace's, then the mesh's); UNSET inherits, as in Istio."""
        return next((p for p in self._peer_candidates(wl) if p.mode not in ("", "UNSET")), None)

    def peer_mode(self, wl: Workload, port: int) -> tuple[PeerAuthentication | None, str]:
        """The policy and mode that decide mutual TLS of calls to one container port of the workload: a
        `portLevelMtls` entry for the port that sets a mode (Istio allows them on workload policies), else
        the workload's policy-wide mode (`peer_policy`)."""
        for p in self._peer_candidates(wl):
            mode = dict(p.port_modes).get(str(port), "")
            if mode not in ("", "UNSET"):
                return p, mode
        chosen = self.peer_policy(wl)
        return chosen, chosen.mode if chosen is not None else ""

    def _peer_candidates(self, wl: Workload) -> list[PeerAuthentication]:
        own = self.peers.get(wl.meta.namespace, [])
        candidates = [p for p in own if p.selector is not None and not p.selector.everything
                      and p.selector.matches(wl.pod_labels)]
        candidates += [p for p in own if p.selector is None or p.selector.everything]
        return candidates + [p for p in self.peers.get(ROOT_NAMESPACE, []) if p.selector is None or p.selector.everything]


@record
class Resolved:
    """Where a destination leads: a Service, its port and subset, or why it leads nowhere (`problem`)."""

    key: Key | None = None
    port: int | None = None
    subset: MeshSubset | None = None
    problem: str = ""
    unknown_host: bool = False  # the problem is the host (K2E835), not the subset (K2E836)


def resolve(mesh: MeshIndex, vs: VirtualService, d: MeshDestination, labelled: dict[Key, list[Labels]]) -> Resolved:
    """The Service, port and subset of a destination; `labelled`: the pod labels of each Service's workloads."""
    key = service_key(d.host, vs.meta.namespace)
    svc = mesh.services.get(key) if key is not None else None
    if key is None or svc is None:
        return Resolved(problem="a host outside the cluster (a ServiceEntry's) or a Service the input lacks",
                        unknown_host=True)
    port = d.port
    if port is None:
        if len(svc.ports) != 1:
            return Resolved(problem=f"it names no port and Service {svc.meta.name} has {len(svc.ports)}", unknown_host=True)
        port = svc.ports[0].port
    if not d.subset:
        return Resolved(key, port)
    subset = mesh.subsets.get(key, {}).get(d.subset)
    if subset is None:
        return Resolved(problem=f"no DestinationRule of {svc.meta.name} defines subset {d.subset}")
    if not any(set(subset.labels) <= set(labels) for labels in labelled.get(key, [])):
        shown = ", ".join(f"{k}={v}" for k, v in subset.labels) or "no labels"
        return Resolved(problem=f"no translated workload of Service {svc.meta.name} has the pod labels {shown}")
    return Resolved(key, port, subset)


def index(mc: MapContext) -> MeshIndex:
    """The run's index, built on first use."""
    if not isinstance(mc.mesh, MeshIndex):
        mc.mesh = MeshIndex.build(mc.app)
    return mc.mesh
