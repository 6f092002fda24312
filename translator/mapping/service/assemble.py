"""The ECS service of a workload, built once from what each mapping step decided about it.

The steps that shape a service (disruption budgets, auto scaling, DAEMON scheduling, Services and
their load balancers, Ingresses, NetworkPolicies) do not edit it: each returns a `Contribution`,
and `build` merges them, in the order the steps ran, into the one frozen `EcsService`. What a
step needs to know of the service before it exists (its logical id, name, cluster) is in
`ServiceBase`.
"""

from __future__ import annotations

from dataclasses import field, replace

from translator.model import intrinsics
from translator.model.app import Origin
from translator.model.ecs import (
    AdvancedConfiguration,
    CapacityProviderStrategyItem,
    ClientAlias,
    ConnectService,
    ConnectTestTraffic,
    DeploymentStrategy,
    EcsService,
    GetAtt,
    ImportValue,
    LoadBalancerBinding,
    Metadata,
    PlacementConstraint,
    Tag,
    VpcLatticeConfiguration,
)
from translator.model.intrinsics import Value
from translator.model.provenance import with_origins
from translator.model.record import record

SecurityGroups = tuple[GetAtt | ImportValue, ...]


@record
class ServiceBase:
    """What the workload and the options decide: everything but the contributions."""

    logical_id: str
    service_name: str
    task_definition: intrinsics.Ref
    replicas: int
    maximum_percent: int
    minimum_healthy_percent: int
    cluster: Value
    subnets: Value
    security_groups: SecurityGroups
    assign_public_ip: str
    namespace: GetAtt | ImportValue | None
    launch_type: str  # empty: the capacity-provider strategy decides
    capacity_strategy: tuple[CapacityProviderStrategyItem, ...]
    placement_constraints: tuple[PlacementConstraint, ...] = ()
    tags: tuple[Tag, ...] = ()
    depends_on: tuple[str, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    enable_execute_command: bool = False


@record
class Contribution:
    """What one mapping step decided about an ECS service; empty fields decide nothing.

    Merged in order by `build`: origins, bindings, waits and Service Connect entries add up (each
    once); the longest grace period wins; percentages and security groups are the last step's.
    """

    origins: tuple[Origin, ...] = ()  # objects the service comes from as well (its provenance)
    bindings: tuple[LoadBalancerBinding, ...] = ()
    attached_by: tuple[str, ...] = ()  # listeners and rules that attach its target groups: it waits for them
    grace_period: int | None = None
    connect: tuple[ConnectService, ...] = ()
    minimum_healthy_percent: int | None = None
    maximum_percent: int | None = None
    security_groups: SecurityGroups | None = None
    scaled: bool = False  # auto scaling owns the desired count
    daemon: bool = False  # one task per instance, no Service Connect
    deployment: DeploymentStrategy | None = None  # progressive delivery: the native ECS strategy
    # behind a load balancer: (primary target group logical id, how ECS shifts its traffic)
    traffic_shifting: tuple[tuple[str, AdvancedConfiguration], ...] = ()
    # Service Connect: (discovery name, the header that sends a call to the new revision during a deployment)
    test_traffic: tuple[tuple[str, ConnectTestTraffic], ...] = ()
    lattice: tuple[VpcLatticeConfiguration, ...] = ()  # VPC Lattice target groups its tasks register in
    lattice_ports: tuple[int, ...] = ()  # the container ports of those registrations (a NetworkPolicy keeps them open)


def bindings(parts: list[Contribution]) -> tuple[LoadBalancerBinding, ...]:
    """The load-balancer bindings the contributions make, each once, in order."""
    return tuple(dict.fromkeys(b for part in parts for b in part.bindings))


def build(base: ServiceBase, parts: list[Contribution]) -> EcsService:
    metadata = base.metadata
    depends_on = list(base.depends_on)
    grace: int | None = None
    connect: list[ConnectService] = []
    minimum, maximum = base.minimum_healthy_percent, base.maximum_percent
    groups = base.security_groups
    scaled = daemon = False
    deployment: DeploymentStrategy | None = None
    shifting: dict[str, AdvancedConfiguration] = {}
    tested: dict[str, ConnectTestTraffic] = {}
    lattice: list[VpcLatticeConfiguration] = []
    for part in parts:
        if part.origins:
            metadata = with_origins(metadata, *part.origins)
        depends_on += [d for d in part.attached_by if d not in depends_on]
        if part.grace_period is not None:
            grace = max(grace or 0, part.grace_period)
        connect += [c for c in part.connect if all(c.discovery_name != k.discovery_name for k in connect)]
        minimum = part.minimum_healthy_percent if part.minimum_healthy_percent is not None else minimum
        maximum = part.maximum_percent if part.maximum_percent is not None else maximum
        groups = part.security_groups if part.security_groups is not None else groups
        scaled, daemon = scaled or part.scaled, daemon or part.daemon
        deployment = part.deployment or deployment
        shifting.update(part.traffic_shifting)
        tested.update(part.test_traffic)
        lattice += [c for c in part.lattice if c not in lattice]
    launch_type = "EC2" if daemon else base.launch_type  # DAEMON: on the instances, whatever the providers
    balanced = tuple(replace(b, advanced_configuration=shifting[b.target_group_arn.name])
                     if b.target_group_arn.name in shifting else b for b in bindings(parts))
    connect = [_tested(c, tested[c.discovery_name]) if c.discovery_name in tested else c for c in connect]
    return EcsService(
        base.logical_id, depends_on=tuple(depends_on), metadata=metadata, service_name=base.service_name,
        cluster=base.cluster, task_definition=base.task_definition,
        desired_count=None if scaled or daemon else base.replicas,
        maximum_percent=maximum, minimum_healthy_percent=minimum,
        launch_type=launch_type or None, platform_version="LATEST" if launch_type == "FARGATE" else None,
        capacity_strategy=None if launch_type else base.capacity_strategy,
        subnets=base.subnets, security_groups=groups, assign_public_ip=base.assign_public_ip,
        namespace=None if daemon else base.namespace, connect_services=tuple(connect),
        load_balancers=balanced, grace_period=grace if balanced else None,
        scheduling_strategy="DAEMON" if daemon else "", placement_constraints=base.placement_constraints,
        circuit_breaker=not daemon and deployment is None, tags=base.tags, deployment=deployment,
        deployment_controller="ECS" if deployment is not None else "",
        enable_execute_command=base.enable_execute_command, vpc_lattice_configurations=tuple(lattice))


def _tested(entry: ConnectService, rules: ConnectTestTraffic) -> ConnectService:
    return replace(entry, client_aliases=tuple(ClientAlias(a.port, a.dns_name, rules) for a in entry.client_aliases))
