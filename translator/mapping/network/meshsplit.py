"""A mesh VirtualService's split over subsets, carried by the ALB of an Ingress that routes to its host.

Service Connect cannot split the calls of a name, but where the Service is already behind an ALB
(an Ingress path), the ALB can: the rule forwards over one target group per subset (the workloads
whose pod labels the subset names), weighted as the VirtualService weighs them. Only a VirtualService
bound to the mesh whose one HTTP route has no match and sends everything to subsets of that Service
is carried so: with matches or other hosts, the ALB rule of the Ingress would have to change what it
matches, which is the Ingress's to say.
"""

from __future__ import annotations

from translator.mapping.context import MapContext
from translator.mapping.network.albannotations import TargetSettings
from translator.mapping.network.ingressbackends import Backends, Router, Target
from translator.mapping.network.meshindex import index
from translator.model.app import IngressBackend, MeshRoute, Service, VirtualService
from translator.model.ecs import ForwardConfig, TargetGroupTuple, WeightedForward
from translator.model.intrinsics import Ref


def split_of(mc: MapContext, svc: Service) -> tuple[VirtualService, MeshRoute] | None:
    """The mesh VirtualService route that splits every call to the Service over its subsets, if there is one."""
    mesh = index(mc)
    if mesh.empty:
        return None
    return mesh.splits.get(svc.meta.key)


def weighted(mc: MapContext, backends: Backends, router: Router, backend: IngressBackend,
             target: TargetSettings) -> tuple[WeightedForward, list[tuple[IngressBackend, Target]]] | None:
    """The weighted forward over the subsets' target groups for an Ingress backend, and each target to
    register; None when no VirtualService splits the backend's Service, or a subset selects no workload."""
    svc, _ = backends.find(backend)
    found = split_of(mc, svc) if svc is not None else None
    if svc is None or found is None:
        return None
    vs, route = found
    subsets = index(mc).subsets.get(svc.meta.key, {})
    parts: list[tuple[IngressBackend, Target, int]] = []
    for d in route.destinations:
        subset = subsets.get(d.subset)
        if subset is None or not d.weight:
            continue
        chosen = IngressBackend(backend.service, backend.port, origin=backend.origin, subset=subset)
        resolved = backends.resolve(router, chosen, target)
        if resolved is None:
            return None
        parts.append((chosen, resolved, d.weight))
    if len(parts) < 2:
        return None
    action = WeightedForward(ForwardConfig(tuple(TargetGroupTuple(Ref(t.target_group), w) for _, t, w in parts)))
    told = ("split", vs.origin.resource, router.meta.name, backends.balancer)
    if told not in index(mc).told:
        index(mc).told.add(told)
        split = ", ".join(f"{b.subset.name} {w}" for b, _, w in parts if b.subset is not None)
        mc.report(vs.origin, "K2E845", name=vs.meta.name, split=split, kind="Ingress", router=router.meta.name,
                  lb=backends.balancer)
    return action, [(b, t) for b, t, _ in parts]
