"""How an ECS service runs its tasks: launch type or capacity providers, REPLICA or DAEMON.

The launch type follows the `launch_type` option. A DaemonSet becomes a DAEMON service on EC2
(no desired count, no circuit breaker, which counts against a desired count, and the DAEMON
rollout); on Fargate, which has no container instances, it is not translated and a finding
gives the alternatives. StatefulSets roll out like a Deployment without surge (mapped at parse).
"""

from __future__ import annotations

from translator.findings.model import Location
from translator.mapping.context import MapContext
from translator.mapping.network.networking import Link
from translator.mapping.service import capacity, rollout
from translator.mapping.service.assemble import Contribution
from translator.mapping.stackbuilder import StackBuilder
from translator.model.app import Workload
from translator.model.ecs import CapacityProviderStrategyItem
from translator.options import MANAGED_INSTANCES, CapacityProvider
from translator.source.reader import make_finding


def runs(mc: MapContext, wl: Workload) -> bool:
    """False for a DaemonSet on Fargate: there is nothing to run one task per instance on."""
    autoscaler = capacity.is_cluster_autoscaler(wl)
    if autoscaler:
        mc.report(wl.origin, "K2E809", kind=wl.kind, name=wl.meta.name, image=autoscaler)
        return False
    if wl.daemon and mc.options.launch_type == "FARGATE":
        mc.report(wl.origin, "K2E470", name=wl.meta.name)
        return False
    if wl.stateful and wl.stateful.service_name:
        known = {s.meta.name for s in mc.app.services if s.meta.namespace == wl.meta.namespace}
        if wl.stateful.service_name not in known:
            mc.report(wl.origin, "K2E464", name=wl.meta.name, service=wl.stateful.service_name)
    return True


def linkable(mc: MapContext, link: Link) -> bool:
    """A Service in front of a DAEMON service gets no Service Connect endpoint."""
    if link.workload.daemon:
        mc.report(link.service.origin, "K2E472", name=link.service.meta.name, workload=link.workload.meta.name)
        return False
    return True


Strategy = tuple[CapacityProviderStrategyItem, ...]


def _strategy(providers: tuple[CapacityProvider, ...]) -> Strategy:
    return tuple(CapacityProviderStrategyItem(p.provider, p.weight, p.base) for p in providers)


def cluster_providers(mc: MapContext) -> tuple[tuple[str, ...], Strategy | None]:
    """Capacity providers of a cluster the stack creates: Fargate's, or the user's Auto Scaling groups on EC2."""
    options = mc.options
    if options.launch_type == MANAGED_INSTANCES:  # the stack associates its own providers (managed.py)
        return (), None
    if options.launch_type == "EC2":
        if "capacity_providers" not in options.explicit:
            return (), None
        return tuple(sorted({p.provider for p in options.capacity_providers})), _strategy(options.capacity_providers)
    providers = tuple(sorted({p.provider for p in options.capacity_providers} | {"FARGATE"}))
    return providers, _strategy(options.capacity_providers)


def note_cluster(mc: MapContext, stack: StackBuilder, cluster: str) -> None:
    if mc.options.launch_type == "EC2":
        mc.sink.add(make_finding("K2E481", Location(file="kube2ecs.yaml"), f"stack/{stack.name}", stack=stack.name,
                                 cluster=cluster))


def launch_settings(mc: MapContext) -> tuple[str, Strategy]:
    """(launch type, capacity-provider strategy): a plain launch type when one fits, else the strategy."""
    options = mc.options
    providers = options.capacity_providers
    if options.launch_type == MANAGED_INSTANCES:  # services name their providers; tasks run alone use the cluster's default
        return "", ()
    if options.launch_type == "EC2":
        return ("", _strategy(providers)) if "capacity_providers" in options.explicit else ("EC2", ())
    if len(providers) == 1 and providers[0].provider == "FARGATE" and not providers[0].base:
        return "FARGATE", ()
    return "", _strategy(providers)


def percentages(mc: MapContext, wl: Workload, report: bool = True) -> tuple[int, int]:
    """DAEMON services keep ECS's daemon defaults: tasks cannot surge on an instance, and a minimum
    above 0 can stall a rollout on few instances (ECS rounds the healthy count up)."""
    if wl.daemon:
        strategy = wl.rollout
        detail = strategy.type if strategy.type == "OnDelete" else (
            f"{strategy.type} (maxUnavailable {strategy.max_unavailable}, maxSurge {strategy.max_surge})")
        mc.report(wl.origin, "K2E462", kind="DaemonSet", name=wl.meta.name, detail=detail,
                  remediation="ECS replaces DAEMON tasks with minimumHealthyPercent 0, without a limit on how many "
                              "instances lose the agent at once; raise it by hand to the share of instances that must "
                              "keep it (ECS rounds the healthy count up: leave room for one task to stop).")
        return 100, 0
    return rollout.percentages(mc, wl, report)


def daemon(mc: MapContext, wl: Workload) -> Contribution:
    """DAEMON: one task per instance; the launch type is EC2 even when capacity providers are named, and
    there is no desired count, circuit breaker or Service Connect endpoint (see linkable)."""
    mc.report(wl.origin, "K2E471", name=wl.meta.name)
    return Contribution(daemon=True)
