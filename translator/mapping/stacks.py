"""One CloudFormation stack per Kubernetes namespace: shared resources, then each workload."""

from __future__ import annotations

from dataclasses import replace

from translator.findings.model import Location
from translator.mapping.batch import batch, schedule
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network import (
    gateway,
    groups,
    ingress,
    lattice,
    latticetargets,
    meshconnect,
    meshgateway,
    networking,
    networkpolicy,
)
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.network.groups import DESCRIPTION_LIMIT
from translator.mapping.service import (
    assemble,
    capacity,
    daemons,
    delivery,
    disruption,
    execute,
    managed,
    rollout,
    scaling,
    scheduling,
)
from translator.mapping.service.assemble import Contribution, ServiceBase
from translator.mapping.stackbuilder import StackBuilder
from translator.mapping.task import firelens, placement, probes, storage
from translator.mapping.task.workload import map_task
from translator.model import intrinsics
from translator.model.app import Origin, Workload
from translator.model.ecs import (
    Cluster,
    HttpNamespace,
    Metadata,
    Parameter,
    Role,
    SecretsManagerSecret,
    SecurityGroup,
    TaskDefinition,
)
from translator.model.intrinsics import GetAtt, Ref, Value
from translator.model.provenance import provenance

NETWORK_PARAMETERS = (
    Parameter("VpcId", "AWS::EC2::VPC::Id", "VPC of the services"),
    Parameter("Subnets", "List<AWS::EC2::Subnet::Id>", "Subnets of the tasks (private subnets with a NAT route to pull images)"),
)


def build_stack(mc: MapContext, namespace: str) -> StackBuilder:
    stack = StackBuilder(name=namespace, namespace=namespace)
    nb = NamespaceBuild(namespace, stack)
    for parameter in NETWORK_PARAMETERS:
        stack.parameters[parameter.name] = parameter
    meta = _namespace_metadata(mc, namespace)
    cluster = _cluster(mc, stack, meta)
    connect = _namespace(mc, stack, namespace, meta)
    _services_security_group(stack, namespace, meta)
    workloads = _unique(mc, sorted((w for w in mc.app.workloads if w.meta.namespace == namespace),
                                   key=lambda w: (w.meta.name, w.kind)))
    # A pod without containers was reported (K2E004) and has nothing to run: no task definition. A log
    # agent DaemonSet is reported, and with log_router firelens replaced by the router in each task.
    workloads = [w for w in workloads if not firelens.replaces(mc, w) and scheduling.runs(mc, w) and w.pod.containers]
    made = managed.Capacity()
    if managed.enabled(mc):  # Managed Instances: the stack's capacity providers, and DaemonSets as managed daemons
        made = managed.provide(mc, nb, cluster, meta, workloads)
        workloads = _without_daemons(mc, nb, workloads, cluster, made)
    services = sorted((s for s in mc.app.services if s.meta.namespace == namespace), key=lambda s: s.meta.name)
    long_running = [w for w in workloads if w.run == "service"]
    links = [link for link in networking.link_services(mc, services, long_running) if scheduling.linkable(mc, link)]
    extra = networking.undeclared_ports(links)
    scalers = scaling.link(mc, namespace, long_running)
    budgets = disruption.link(mc, namespace, long_running)
    deliveries = delivery.link(mc, namespace, long_running)
    bases: dict[tuple[str, str], tuple[ServiceBase, TaskDefinition]] = {}
    sized_of: dict[tuple[str, str], Workload] = {}
    parts: dict[tuple[str, str], list[Contribution]] = {}
    for wl in workloads:
        if wl.run != "service":
            own_strategy = managed.task_strategy(mc, wl, made) if managed.enabled(mc) else ()
            td, count = batch.map_batch(mc, nb, wl, cluster, own_strategy)
            if wl.cron is not None:
                schedule.map_schedule(mc, nb, wl, td, cluster, count, own_strategy)
            continue
        scaler = scalers.get(wl.meta.key)
        sized = replace(wl, replicas=scaler.min_replicas) if scaler else wl  # percentages at the autoscaler's floor
        td = map_task(mc, nb, sized, extra.get(wl.meta.key, {}))
        base = _base(mc, nb, sized, td, cluster, connect, made)
        own = parts.setdefault(wl.meta.key, [])
        own += disruption.fold(mc, sized, base, budgets.get(wl.meta.key, []))
        if scaler is not None:
            own.append(scaling.map_autoscaler(mc, nb, scaler, wl, base, td))
        if wl.daemon:
            own.append(scheduling.daemon(mc, wl))
        bases[wl.meta.key] = (base, td)
        sized_of[wl.meta.key] = sized
    for link in links:
        base, td = bases[link.workload.meta.key]
        own = parts[link.workload.meta.key]
        published = {c.discovery_name for part in own for c in part.connect}
        own += networking.attach(mc, nb, link, base, td, published)
    for key, contribution in ingress.map_ingresses(mc, nb, links, bases, parts):
        parts[key].append(contribution)
    gateways = lattice.map_gateways if mc.options.gateway_target == "vpc-lattice" else gateway.map_gateways
    for key, contribution in gateways(mc, nb, links, bases, parts):
        parts[key].append(contribution)
    for key, contribution in meshgateway.map_mesh_gateways(mc, nb, links, bases, parts):
        parts[key].append(contribution)
    for wl in workloads:  # after Services, Ingresses and Gateways: request rates need the service's load balancer
        scaler = scalers.get(wl.meta.key)
        if scaler is not None and wl.meta.key in bases:
            scaling.map_request_rates(mc, nb, scaler, wl, bases[wl.meta.key][0], parts[wl.meta.key])
    for wl in workloads:  # after Services, Ingresses and Gateways: is the service behind a load balancer?
        if wl.meta.key not in bases:
            continue
        parts[wl.meta.key] += delivery.decide(mc, nb, wl, deliveries.get(wl.meta.key), parts[wl.meta.key],
                                              bases[wl.meta.key][0])
        if not wl.daemon and not any(part.deployment for part in parts[wl.meta.key]):
            rollout.percentages(mc, sized_of[wl.meta.key])  # ECS rolls it out: say how (K2E374)
    for wl in workloads:
        own = parts.get(wl.meta.key, [])
        balanced = {b.container_name for b in assemble.bindings(own)}
        if wl.meta.key in bases:  # VPC Lattice target groups check the readiness path as well
            balanced |= latticetargets.registered_containers(own, bases[wl.meta.key][1])
        probes.readiness_without_balancer(mc, wl, balanced)
    for key, changed in networkpolicy.map_policies(mc, nb, workloads, bases, parts).items():
        parts[key].append(Contribution(security_groups=changed))
    built = [(assemble.build(base, parts[key]), td) for key, (base, td) in bases.items()]
    for (service, _), key in zip(built, bases, strict=True):
        meshconnect.check_balanced(mc, service, sized_of[key].origin)
    storage.admit(nb, built)
    complete(nb)
    for service, _ in built:
        stack.add(service)
    return stack


def complete(nb: NamespaceBuild) -> None:
    """Roles and secrets get what later steps contributed to them (EFS grants, secret-looking env values)."""
    for logical, statements in nb.statements.items():
        role = nb.stack.get(logical)
        assert isinstance(role, Role)
        nb.stack.replace(replace(role, statements=(*role.statements, *statements)))
    for logical, keys in nb.secret_keys.items():
        secret = nb.stack.get(logical)
        assert isinstance(secret, SecretsManagerSecret)
        nb.stack.replace(replace(secret, keys=(*secret.keys, *keys)))


def _without_daemons(mc: MapContext, nb: NamespaceBuild, workloads: list[Workload], cluster: Value,
                     made: managed.Capacity) -> list[Workload]:
    """The workloads that become ECS services or tasks; each DaemonSet becomes a managed daemon instead."""
    for wl in workloads:
        if wl.daemon:
            daemons.map_daemon(mc, nb, wl, cluster, made)
    return [wl for wl in workloads if not wl.daemon]


def _unique(mc: MapContext, workloads: list[Workload]) -> list[Workload]:
    """An ECS service name is unique per cluster: a second workload of the same name is reported."""
    seen: dict[str, Workload] = {}
    for wl in workloads:
        first = seen.setdefault(wl.meta.name, wl)
        if first is not wl:
            loc = first.origin.location
            mc.report(wl.origin, "K2E005", kind=wl.kind, name=wl.meta.name,
                      first=f"{first.kind} at {loc.file}:{loc.line}")
    return list(seen.values())


def _namespace_metadata(mc: MapContext, namespace: str) -> Metadata:
    """The resources every stack has come from the namespace (its document when the input has one)."""
    known = mc.app.namespace_origins.get(namespace)
    return provenance(Origin(known.location if known else Location(), f"Namespace//{namespace}"))


def _cluster(mc: MapContext, stack: StackBuilder, meta: Metadata) -> Value:
    """The cluster the services run in: the configured one (name or ARN), else the stack's own."""
    if mc.options.cluster:
        scheduling.note_cluster(mc, stack, mc.options.cluster)
        return mc.options.cluster
    providers, strategy = scheduling.cluster_providers(mc)
    providers = capacity.cluster_providers(mc, stack.namespace, providers)  # FARGATE_SPOT for a NodePool's spot
    stack.add(Cluster("Cluster", metadata=meta, capacity_providers=providers, default_strategy=strategy))
    scheduling.note_cluster(mc, stack, "Cluster (created by the stack)")
    return intrinsics.Ref("Cluster")


def _namespace(mc: MapContext, stack: StackBuilder, namespace: str, meta: Metadata) -> GetAtt | None:
    if not mc.options.service_connect:
        return None
    stack.add(HttpNamespace("ServiceConnectNamespace", metadata=meta, name=namespace,
                            description=f"Service Connect namespace of Kubernetes namespace {namespace}"))
    return GetAtt("ServiceConnectNamespace", "Arn")


def _services_security_group(stack: StackBuilder, namespace: str, meta: Metadata) -> None:
    """Tasks of one namespace reach each other on any TCP port, as pods do on a flat cluster network."""
    stack.add(SecurityGroup(SERVICES_SG, metadata=meta, description=f"ECS tasks of namespace {namespace}"[:DESCRIPTION_LIMIT]))
    stack.add(groups.ingress("ServicesSelfIngress", SERVICES_SG, SERVICES_SG, "traffic between the tasks of the namespace",
                             metadata=meta))


def _base(mc: MapContext, nb: NamespaceBuild, wl: Workload, td: TaskDefinition, cluster: Value,
          connect: GetAtt | None, made: managed.Capacity) -> ServiceBase:
    """What the workload and the options decide of its ECS service, before any Service or policy."""
    maximum, minimum = scheduling.percentages(mc, wl, report=False)  # said once the strategy is known
    logical_id = nb.ids.get(wl.meta.name, "Service")
    constraints = placement.constraints(mc, wl)
    if managed.enabled(mc):
        launch_type, strategy = "", managed.strategy(mc, wl, made)
    else:
        launch_type, strategy = capacity.launch_settings(mc, wl, scheduling.launch_settings(mc))
    return ServiceBase(
        logical_id, td.family, Ref(td.logical_id), wl.replicas, maximum, minimum,
        cluster=cluster, subnets=Ref("Subnets"),
        security_groups=(GetAtt(SERVICES_SG, "GroupId"),),
        assign_public_ip="ENABLED" if mc.options.assign_public_ip else "DISABLED", namespace=connect,
        launch_type=launch_type, capacity_strategy=strategy,
        placement_constraints=constraints, tags=td.tags,
        depends_on=(*storage.mount_targets_of(td), *((made.association,) if made.association else ())),
        metadata=provenance(wl.origin),
        enable_execute_command=execute.enabled(mc, nb, wl, td))
