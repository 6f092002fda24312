"""Services: link them to workloads, then give each ECS service Service Connect or a load balancer."""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.findings.annotations import ignored_annotation
from translator.mapping.context import Endpoint, MapContext, NamespaceBuild
from translator.mapping.names import port_name
from translator.mapping.network import loadbalancer, meshconnect
from translator.mapping.service.assemble import Contribution, ServiceBase
from translator.model.app import Port, Service, ServicePort, Workload
from translator.model.ecs import ClientAlias, ConnectService, TaskDefinition


@dataclass
class Link:
    service: Service
    workload: Workload
    ports: list[tuple[ServicePort, int]] = field(default_factory=list)  # (service port, container port)


def link_services(mc: MapContext, services: list[Service], workloads: list[Workload]) -> list[Link]:
    """Service -> workload by selector; resolves every target port to a container port number."""
    links = []
    by_label = _by_label(workloads)
    for svc in services:
        if _special(mc, svc):
            continue
        matches = _selected(svc.selector, workloads, by_label)
        if not matches:
            detail = ", ".join(f"{k}={v}" for k, v in svc.selector)
            mc.report(svc.origin, "K2E343", name=svc.meta.name, selector=detail)
            continue
        for wl in matches:
            links.append(_link(mc, svc, wl))
    return links


def _by_label(workloads: list[Workload]) -> dict[tuple[str, str], list[int]]:
    """The positions of the workloads whose pods carry each label: found once per namespace, so a
    Service's selector is looked up instead of compared with every workload (hundreds of each)."""
    index: dict[tuple[str, str], list[int]] = {}
    for position, wl in enumerate(workloads):
        for label in dict(wl.pod_labels).items():
            index.setdefault(label, []).append(position)
    return index


def _selected(selector: tuple[tuple[str, str], ...], workloads: list[Workload],
              by_label: dict[tuple[str, str], list[int]]) -> list[Workload]:
    """The workloads (in their order) whose pod labels hold every label of the selector (all of them when empty)."""
    if not selector:
        return list(workloads)
    found: set[int] | None = None
    for label in dict(selector).items():
        have = set(by_label.get(label, ()))
        found = have if found is None else found & have
        if not found:
            return []
    return [workloads[i] for i in sorted(found or ())]


def _annotations(mc: MapContext, svc: Service) -> None:
    """Service annotations configure cloud controllers; the ones kube2ecs honours are listed in loadbalancer."""
    for key, _ in svc.meta.annotations:
        if key not in loadbalancer.HONOURED_ANNOTATIONS:
            found = ignored_annotation("Service", key)
            mc.report(svc.origin, found.code, annotation=key, kind="Service", name=svc.meta.name, **found.params)


def report_unbuilt(mc: MapContext, namespaces: set[str]) -> None:
    """Services of a namespace where no workload was translated: no stack links them, so say it here."""
    for svc in sorted(mc.app.services, key=lambda s: (s.meta.namespace, s.meta.name)):
        if svc.meta.namespace not in namespaces and not _special(mc, svc):
            mc.report(svc.origin, "K2E343", name=svc.meta.name,
                      selector=", ".join(f"{k}={v}" for k, v in svc.selector))


def _special(mc: MapContext, svc: Service) -> bool:
    _annotations(mc, svc)
    if svc.type == "ExternalName":
        mc.report(svc.origin, "K2E341", name=svc.meta.name, target=svc.external_name or "(none)")
        return True
    if not svc.selector:
        mc.report(svc.origin, "K2E348", name=svc.meta.name)
        return True
    if svc.type == "NodePort":
        mc.report(svc.origin, "K2E340", name=svc.meta.name)
    if svc.headless:
        mc.report(svc.origin, "K2E342", name=svc.meta.name)
    return False


def _link(mc: MapContext, svc: Service, wl: Workload) -> Link:
    link = Link(svc, wl)
    for port in svc.ports:
        number = _target(wl, port.target_port)
        if number is None:
            mc.report(svc.origin, "K2E344", name=svc.meta.name, port=port.port, target=port.target_port,
                      workload=wl.meta.name)
            continue
        link.ports.append((port, number))
    return link


def _target(wl: Workload, target: int | str) -> int | None:
    for c in wl.pod.containers:
        for p in c.ports:
            if (isinstance(target, str) and p.name == target) or p.container_port == target:
                return p.container_port
    return target if isinstance(target, int) else None


def _report_shared(mc: MapContext, link: Link, owner: str) -> None:
    svc = link.service
    selected = sorted({owner, link.workload.meta.name})
    mc.report(svc.origin, "K2E353", name=svc.meta.name, count=len(selected), workloads=", ".join(selected), first=owner)


def undeclared_ports(links: list[Link]) -> dict[tuple[str, str], dict[str, list[Port]]]:
    """Target ports no container declares (Kubernetes allows that): exposed on the first container,
    for the Service port's protocol."""
    out: dict[tuple[str, str], dict[str, list[Port]]] = {}
    for link in links:
        wl = link.workload
        declared = {p.container_port for c in wl.pod.containers for p in c.ports}
        for service_port, number in link.ports:
            if number not in declared and wl.pod.containers:
                extra = out.setdefault(wl.meta.key, {}).setdefault(wl.pod.containers[0].name, [])
                port = Port(number, service_port.protocol)
                if all(p.container_port != number for p in extra):
                    extra.append(port)
    return out


def attach(mc: MapContext, nb: NamespaceBuild, link: Link, service: ServiceBase, td: TaskDefinition,
           published: set[str]) -> list[Contribution]:
    """What a Service makes of the ECS service of a workload it selects: its provenance, its load balancer
    (type LoadBalancer), and one Service Connect endpoint per TCP port, named as in the app.
    `published`: the discovery names the ECS service has already."""
    svc = link.service
    out = [Contribution(origins=(svc.origin,))]
    if svc.type == "LoadBalancer":  # the balancer is for outside callers; the tasks still call it by name
        out += loadbalancer.attach(mc, nb, link.service, link.ports, td, link.workload)
    connect: list[ConnectService] = []
    for port, number in link.ports:
        if port.protocol != "TCP":
            mc.report(svc.origin, "K2E316", name=svc.meta.name, port=port.port, protocol=port.protocol)
            continue
        _, mapping = td.port_mapping(number)
        if not mapping:
            continue
        discovery = port_name(svc.meta.name if len(svc.ports) == 1 else f"{svc.meta.name}-{port.name or port.port}")
        owner = nb.discovery.setdefault(discovery, link.workload.meta.name)
        if owner != link.workload.meta.name:
            _report_shared(mc, link, owner)
            continue
        if discovery in published or any(c.discovery_name == discovery for c in connect):
            continue
        entry = meshconnect.shape(mc, nb, link.workload, svc, port, number,
                                  ConnectService(mapping, discovery, (ClientAlias(port.port, svc.meta.name),)),
                                  td.logical_id)
        connect.append(entry)
        mc.endpoints.setdefault(svc.meta.key, []).append(Endpoint(link.workload.meta.name, port.port, service.logical_id,
                                                                  entry))
    return [*out, Contribution(connect=tuple(connect))] if connect else out
