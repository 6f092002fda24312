"""Ingress backends to ALB target groups: Service -> workload -> ECS service and container port.

A backend names a Service and a port (number or name); the Service's link (mapping/network/networking.py)
gives the workloads it selects and the container port behind that Service port. Every ECS service
of those workloads is registered in one ip target group per (ALB, Service, port, target settings),
so one backend over two workloads balances over both, as the Service did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network import alb
from translator.mapping.network.albannotations import TargetSettings
from translator.mapping.network.networking import Link
from translator.mapping.service.assemble import Contribution, ServiceBase
from translator.mapping.task.probes import GRPC_HEALTH_PATH, target_group_health_check, target_group_timeout
from translator.model.app import IngressBackend, MeshSubset, Meta, Origin, Service, ServicePort, Workload
from translator.model.ecs import Attribute, Matcher, Tag, TargetGroup, TargetHealthCheck, TaskDefinition
from translator.model.intrinsics import Ref
from translator.model.provenance import provenance, with_origins
from translator.model.record import record

MAX_TARGET_GROUPS = 5  # per ECS service
GRPC_DEFAULT_PATH = "/AWS.ALB/healthcheck"  # the ALB's default gRPC health-check path


class Router(Protocol):
    """What routes to a backend: an Ingress, or a Gateway API route (mapping/network/gateway.py)."""

    @property
    def meta(self) -> Meta: ...

    @property
    def origin(self) -> Origin: ...


@record
class Member:
    """One ECS service behind a backend: the container and port the target group sends to."""

    service: ServiceBase
    container: str
    number: int
    workload: Workload


@dataclass
class Target:
    target_group: str
    members: list[Member] = field(default_factory=list)


@dataclass
class Backends:
    """Resolves the backends of the Ingresses of one ALB; owns that ALB's target groups."""

    mc: MapContext
    nb: NamespaceBuild
    owner: str  # logical-id stem of the ALB
    label: str  # `ingress class alb`: what the ALB serves, for descriptions
    balancer: str  # logical id of the ALB
    links: list[Link]
    built: dict[tuple[str, str], tuple[ServiceBase, TaskDefinition]]
    bound: dict[tuple[str, str], set[Ref]]  # target groups of each workload's ECS service so far
    groups: dict[tuple[Any, ...], str] = field(default_factory=dict)
    contributions: list[tuple[tuple[str, str], Contribution]] = field(default_factory=list)  # what it registers

    def routable(self, backend: IngressBackend) -> bool:
        """Whether the backend leads to a translated ECS service; no finding, no resource."""
        svc, port = self._find(backend)
        return svc is not None and port is not None and port.protocol == "TCP" and bool(self._members(svc, port))

    def resolve(self, ing: Router, backend: IngressBackend, target: TargetSettings) -> Target | None:
        """The backend's target group (created on first use), or None with a finding that says why."""
        label = f"{backend.service}:{backend.port}"
        svc, port = self._find(backend)
        if backend.resource:
            self.mc.report(backend.origin, "K2E434", name=ing.meta.name, what=backend.resource)
        elif svc is None:
            self.mc.report(backend.origin, "K2E431", name=ing.meta.name, backend=label, service=backend.service)
        elif port is None:
            self.mc.report(backend.origin, "K2E433", name=ing.meta.name, backend=label, port=backend.port,
                           service=svc.meta.name)
        elif port.protocol != "TCP":
            self.mc.report(backend.origin, "K2E349", name=svc.meta.name, port=port.port, protocol=port.protocol,
                           remediation=f"Ingress {ing.meta.name} cannot route to it; serve it through an NLB (type LoadBalancer).")
        elif not self._members(svc, port, backend.subset):
            self.mc.report(backend.origin, "K2E432", name=ing.meta.name, backend=label, service=svc.meta.name,
                           detail=self._why_unlinked(svc, port))
        else:
            members = self._members(svc, port, backend.subset)
            return Target(self._target_group(ing, svc, port, members, target, backend.subset), members)
        return None

    def find(self, backend: IngressBackend) -> tuple[Service | None, ServicePort | None]:
        """The Service and Service port a backend names, where the input has them."""
        return self._find(backend)

    def members_of(self, svc: Service, port: ServicePort) -> list[Member]:
        """The ECS services (and container ports) behind a Service port."""
        return self._members(svc, port)

    def why_unlinked(self, svc: Service, port: ServicePort) -> str:
        return self._why_unlinked(svc, port)

    def _find(self, backend: IngressBackend) -> tuple[Service | None, ServicePort | None]:
        if backend.resource:
            return None, None
        svc = next((s for s in self.mc.app.services
                    if s.meta.namespace == self.nb.namespace and s.meta.name == backend.service), None)
        if svc is None:
            return None, None
        return svc, next((p for p in svc.ports if p.port == backend.port or (p.name and p.name == backend.port)), None)

    def _members(self, svc: Service, port: ServicePort, subset: MeshSubset | None = None) -> list[Member]:
        """The members behind the Service port; of an Istio subset, those whose pod labels it selects."""
        out = []
        for link in self.links:
            if link.service is not svc or (subset is not None and not set(subset.labels) <= set(link.workload.pod_labels)):
                continue
            for service_port, number in link.ports:
                service, td = self.built[link.workload.meta.key]
                container, _ = td.port_mapping(number)
                if service_port == port and container:
                    out.append(Member(service, container, number, link.workload))
        return out

    def _why_unlinked(self, svc: Service, port: ServicePort) -> str:
        if svc.type == "ExternalName":
            return "is of type ExternalName and points outside the input"
        if not svc.selector:
            return "has no selector"
        if any(link.service is svc for link in self.links):
            return f"port {port.port} reaches no container port of the workloads it selects"
        return "selects no translated workload (" + ", ".join(f"{k}={v}" for k, v in svc.selector) + ")"

    def _target_group(self, ing: Router, svc: Service, port: ServicePort, members: list[Member],
                      target: TargetSettings, subset: MeshSubset | None = None) -> str:
        key: tuple[Any, ...] = (svc.meta.name, port.port, target)
        if subset is not None:  # a target group per subset: the pods of one version
            key = (svc.meta.name, port.port, target, subset.name)
        if key in self.groups:
            return self.groups[key]
        first = len([k for k in self.groups if k[:2] == key[:2] and k[3:] == key[3:]])
        stem = f"{self.owner}/{svc.meta.name}/{port.port}" + (f"/{subset.name}" if subset is not None else "")
        name = stem + (f"/{first + 1}" if first else "")
        tg_id = self.nb.ids.get(name, "TargetGroup")
        self.groups[key] = tg_id
        first_member = members[0]
        metadata = provenance(ing.origin, svc.origin, *(m.workload.origin for m in members))
        named = with_origins(metadata, *target.origins)  # and the configuration objects that set its settings
        check = self._health(first_member, target)
        self.nb.stack.add(TargetGroup(tg_id, metadata=named, port=first_member.number,
                                      protocol=target.protocol, protocol_version=target.version,
                                      health_check=check,
                                      attributes=tuple(Attribute(k, v) for k, v in target.attributes),
                                      tags=tuple(Tag(k, v) for k, v in target.tags)))
        for member in members:
            alb.open_to_tasks(self.nb, self.balancer, self.owner, member.number, label=self.label, metadata=metadata)
            alb.open_to_health_checks(self.nb, self.balancer, self.owner, check, member.number, label=self.label,
                                      metadata=metadata)
        return tg_id

    def _health(self, member: Member, target: TargetSettings) -> TargetHealthCheck:
        """The readiness probe's check, then the healthcheck-* annotations over it, as the controller does."""
        readiness = next((c for c in member.workload.pod.containers if c.name == member.container), None)
        check = target_group_health_check(self.mc, readiness, network=False, grpc=target.version == "GRPC")
        h = target.health
        port = check.port if h.port is None else None if h.port == "traffic-port" else h.port
        interval = h.interval if h.interval is not None else check.interval
        timeout = h.timeout if h.timeout is not None else check.timeout
        # Without success codes, the controller's default; for gRPC any status but UNIMPLEMENTED.
        codes = h.matcher if h.matcher is not None else "12" if target.version == "GRPC" else "200-399"
        path = h.path or check.path or "/"
        if target.version == "GRPC" and not h.path:
            # A gRPC check calls a method: the standard health service when the readiness probe is a grpc
            # probe (status OK = 0), else the ALB's default, which a live server answers UNIMPLEMENTED (12).
            grpc_probe = check.path == GRPC_HEALTH_PATH
            path = GRPC_HEALTH_PATH if grpc_probe else GRPC_DEFAULT_PATH
            codes = h.matcher if h.matcher is not None else "0" if grpc_probe else "12"
        return TargetHealthCheck(
            protocol=h.protocol or check.protocol, interval=interval,
            timeout=target_group_timeout(timeout, interval),
            healthy=h.healthy if h.healthy is not None else check.healthy,
            unhealthy=h.unhealthy if h.unhealthy is not None else check.unhealthy,
            port=port, path=path,
            matcher=Matcher(grpc_code=codes) if target.version == "GRPC" else Matcher(http_code=codes))

    def register(self, ing: Router, backend: IngressBackend, target: Target, attached_by: str,
                 kind: str = "Ingress") -> bool:
        """Register every ECS service of the target; False when one already has its 5 target groups."""
        group = Ref(target.target_group)
        for member in target.members:
            groups = self.bound.setdefault(member.workload.meta.key, set())
            if group not in groups and len(groups) >= MAX_TARGET_GROUPS:
                self.mc.report(backend.origin, "K2E445", service=member.service.service_name, kind=kind,
                               name=ing.meta.name, backend=f"{backend.service}:{backend.port}")
                return False
        for member in target.members:
            key = member.workload.meta.key
            self.bound[key].add(group)
            self.contributions.append((key, alb.register(member.container, member.number, target.target_group,
                                                         attached_by)))
            self.contributions.append((key, Contribution(grace_period=alb.grace_period(member.workload))))
        return True
