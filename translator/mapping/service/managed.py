"""ECS Managed Instances (`launch_type: MANAGED_INSTANCES`): a capacity provider per Karpenter NodePool.

A NodePool and a Managed Instances provider both say which EC2 instances may be launched for the
workloads that need them, and let the service launch, bin-pack and retire them (ECS docs:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ManagedInstances.html). So each pool a
workload of the namespace runs on (mapping/service/capacity.py decides which) becomes one provider per
capacity type it allows (`CapacityOptionType` ON_DEMAND or SPOT), with its requirements as the instance
requirements (instancereqs.py); workloads on no pool share one default provider. A pool that allows spot
and on-demand gives its services one task on on-demand and the rest 1:`spot_weight` on spot, as on Fargate.

Every stack that makes providers also makes what they need (IAM docs of Managed Instances):
* the infrastructure role ECS assumes to launch and retire instances, with the AWS managed policy
  AmazonECSInfrastructureRolePolicyForManagedInstances
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html);
* the instance role with AmazonECSInstanceRolePolicyForManagedInstances and its instance profile
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-instance-profile.html).
  The infrastructure policy passes only roles named `ecsInstanceRole*`, so the role is named so;
* an `AWS::ECS::ClusterCapacityProviderAssociations` that associates the providers with the cluster
  (the cluster itself then names none, or the two would overwrite each other's list).
"""

from __future__ import annotations

from translator.findings.model import Location
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.service import capacity, instancereqs
from translator.mapping.task import devices
from translator.model.app import NodePool, Workload
from translator.model.ecs import (
    CapacityProviderStrategyItem,
    ClusterCapacityProviderAssociations,
    InstanceLaunchTemplate,
    InstanceProfile,
    InstanceRequirements,
    ManagedCapacityProvider,
    ManagedInstancesNetworkConfiguration,
    ManagedInstancesProvider,
    Metadata,
    RangeRequest,
    Role,
)
from translator.model.intrinsics import GetAtt, Ref, Sub, Value
from translator.model.provenance import with_origins
from translator.model.record import record
from translator.options import MANAGED_INSTANCES
from translator.source.reader import make_finding

INFRASTRUCTURE_POLICY = "AmazonECSInfrastructureRolePolicyForManagedInstances"
INSTANCE_POLICY = "AmazonECSInstanceRolePolicyForManagedInstances"
INFRASTRUCTURE_ROLE, INSTANCE_ROLE = "ManagedInstancesInfrastructureRole", "ManagedInstancesInstanceRole"
PROFILE, ASSOCIATIONS, DEFAULT = "ManagedInstancesInstanceProfile", "ClusterCapacityProviders", "(default)"
OPTION_TYPES = {"on-demand": "ON_DEMAND", "spot": "SPOT", "reserved": "ON_DEMAND"}
DEFAULT_REQUIREMENTS = InstanceRequirements(RangeRequest(instancereqs.MIN_VCPU), RangeRequest(instancereqs.MIN_MEMORY))


@record
class Provider:
    pool: str  # the NodePool's name, or DEFAULT
    option_type: str  # ON_DEMAND | SPOT
    ref: Ref
    accelerator: str = ""  # devices.GPU_KIND or NEURON_KIND: the pool's instances with the devices tasks need


@record
class Capacity:
    """The Managed Instances providers of one stack, in the order they were made, and the resource that
    associates them with the cluster ('' when the cluster is not the stack's): a service or daemon that names
    a provider can only be created once the provider belongs to its cluster, so they depend on it."""

    providers: tuple[Provider, ...] = ()
    association: str = ""

    def of(self, pools: tuple[str, ...], accelerator: str | None = "") -> tuple[Provider, ...]:
        """The providers of these pools for tasks that need the `accelerator` devices (None: any)."""
        return tuple(p for p in self.providers if p.pool in pools and accelerator in (None, p.accelerator))


def enabled(mc: MapContext) -> bool:
    return mc.options.launch_type == MANAGED_INSTANCES


def _pools(mc: MapContext, wl: Workload) -> tuple[str, ...]:
    found = capacity.choice(mc, wl)
    return tuple(p.meta.name for p in found.pools) if found is not None else (DEFAULT,)


def provide(mc: MapContext, nb: NamespaceBuild, cluster: Value, meta: Metadata, workloads: list[Workload]) -> Capacity:
    """The providers the stack's workloads run on, with the roles, instance profile and cluster association.
    Tasks that need GPUs or Neuron devices get providers of their own, with the pool's requirements and the
    devices (each with the most GPUs a task of it needs), as Karpenter launches such nodes only for them."""
    wanted: dict[tuple[str, str], int] = {}  # (pool, accelerator kind) -> the devices a task needs at most
    for wl in workloads:
        need = devices.need(wl)
        kind = need.kind if need else ""
        for name in _pools(mc, wl):
            wanted[(name, kind)] = max(wanted.get((name, kind), 0), need.count if need else 0)
        if need is not None:
            _check_pools(mc, wl, need)
    if not wanted:
        return Capacity()
    profile = _identity(nb, meta)
    pools = {p.meta.name: p for p in mc.app.node_pools}
    made: list[Provider] = []
    for (name, kind), count in wanted.items():
        pool = pools.get(name)
        need = devices.Accelerators(kind, count) if kind else None
        made += (_pool_providers(mc, nb, pool, cluster, profile, meta, need) if pool
                 else [_default(mc, nb, cluster, profile, meta, need)])
    return Capacity(tuple(made), _associate(mc, nb, cluster, meta, made))


def _check_pools(mc: MapContext, wl: Workload, need: devices.Accelerators) -> None:
    """A pool whose requirements rule out every instance with the devices: the tasks could not be placed."""
    found = capacity.choice(mc, wl)
    what = f"{need.count} NVIDIA GPUs" if need.kind == devices.GPU_KIND else DEVICES[need.kind]
    for pool in found.pools if found is not None else ():
        why = instancereqs.excluded(pool, instancereqs.select(pool).requirements, need.kind)
        if why:
            mc.report(wl.origin, "K2E884", workload=f"{wl.kind} {wl.meta.name}", what=what, name=pool.meta.name, why=why)


def _associate(mc: MapContext, nb: NamespaceBuild, cluster: Value, meta: Metadata, made: list[Provider]) -> str:
    """The providers join the stack's cluster. A configured cluster is not the stack's: PutClusterCapacityProviders
    replaces its whole list, which would drop the providers it has, so the association is left to the user."""
    plain = [p for p in made if not p.accelerator] or made  # devices' providers are for the tasks that need them
    fallback = next((p for p in plain if p.pool == DEFAULT), plain[0])  # tasks run without a strategy (Jobs) use it
    if isinstance(cluster, str):
        mc.sink.add(make_finding("K2E879", Location(file="kube2ecs.yaml"), f"stack/{nb.namespace}", cluster=cluster,
                                 providers=", ".join(p.ref.name for p in made), default=fallback.ref.name))
        return ""
    nb.stack.add(ClusterCapacityProviderAssociations(
        ASSOCIATIONS, metadata=meta, cluster=cluster, capacity_providers=tuple(p.ref for p in made),
        default_strategy=(CapacityProviderStrategyItem(fallback.ref, 1, 0),)))
    return ASSOCIATIONS


def _identity(nb: NamespaceBuild, meta: Metadata) -> Value:
    """The infrastructure role, the instance role and its profile; the profile's ARN."""
    nb.stack.add(Role(
        INFRASTRUCTURE_ROLE, metadata=meta, principal="ecs.amazonaws.com", source_account=False,
        description=f"ECS infrastructure role that launches the Managed Instances of namespace {nb.namespace}"[:1000],
        managed_policy_arns=(Sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{INFRASTRUCTURE_POLICY}"),)))
    nb.stack.add(Role(
        INSTANCE_ROLE, metadata=meta, principal="ec2.amazonaws.com", source_account=False,
        description=f"ECS Managed Instances of namespace {nb.namespace}: the container agent's role"[:1000],
        managed_policy_arns=(Sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{INSTANCE_POLICY}"),),
        role_name=Sub(f"ecsInstanceRole-{nb.namespace[:33]}-${{AWS::Region}}")))
    nb.stack.add(InstanceProfile(PROFILE, metadata=meta, roles=(Ref(INSTANCE_ROLE),)))
    return GetAtt(PROFILE, "Arn")


ACCELERATED = {"": "", devices.GPU_KIND: "Gpu", devices.NEURON_KIND: "Neuron"}  # in the providers' logical IDs
DEVICES = {devices.GPU_KIND: "NVIDIA GPUs", devices.NEURON_KIND: "Neuron devices"}


def _provider(nb: NamespaceBuild, stem: str, option_type: str, requirements: InstanceRequirements, cluster: Value,
              profile: Value, meta: Metadata, kind: str = "") -> Ref:
    logical_id = nb.ids.get(stem, ("Spot" if option_type == "SPOT" else "") + ACCELERATED[kind] + "CapacityProvider")
    network = ManagedInstancesNetworkConfiguration(Ref("Subnets"), (GetAtt(SERVICES_SG, "GroupId"),))
    template = InstanceLaunchTemplate(profile, network, option_type, requirements)
    nb.stack.add(ManagedCapacityProvider(
        logical_id, metadata=meta, cluster_name=_cluster_name(cluster),
        managed_instances_provider=ManagedInstancesProvider(GetAtt(INFRASTRUCTURE_ROLE, "Arn"), template)))
    return Ref(logical_id)


def _pool_providers(mc: MapContext, nb: NamespaceBuild, pool: NodePool, cluster: Value, profile: Value,
                    meta: Metadata, need: devices.Accelerators | None = None) -> list[Provider]:
    selection = instancereqs.select(pool)
    kind = need.kind if need else ""
    if need is not None:
        selection = instancereqs.Selection(instancereqs.accelerated(selection.requirements, need.kind, need.count),
                                           selection.inexact)
    types = capacity.allowed(pool, capacity.CAPACITY, capacity.CAPACITY_TYPES) or frozenset({"on-demand"})
    option_types = sorted({OPTION_TYPES[t] for t in types})
    where = pool.requirements_origin or pool.origin
    inexact = [*selection.inexact, *(["karpenter.sh/capacity-type reserved: an ON_DEMAND provider (a reserved one "
                                      "needs the capacity reservation's group ARN)"] if "reserved" in types else [])]
    if inexact:
        mc.report(where, "K2E873", name=pool.meta.name, what="; ".join(inexact))
    own = with_origins(meta, pool.origin)
    providers = [Provider(pool.meta.name, t, _provider(nb, pool.meta.name, t, selection.requirements, cluster, profile,
                                                       own, kind), kind)
                 for t in option_types]
    mc.report(pool.origin, "K2E870", name=pool.meta.name,
              providers=", ".join(f"{p.ref.name} ({p.option_type})" for p in providers),
              requirements=_describe(selection.requirements))
    if pool.limits:
        mc.report(pool.limits_origin or pool.origin, "K2E874", name=pool.meta.name,
                  limits=", ".join(f"{k} {v}" for k, v in pool.limits))
    return providers


def _default(mc: MapContext, nb: NamespaceBuild, cluster: Value, profile: Value, meta: Metadata,
             need: devices.Accelerators | None = None) -> Provider:
    kind = need.kind if need else ""
    requirements = instancereqs.accelerated(DEFAULT_REQUIREMENTS, need.kind, need.count) if need else DEFAULT_REQUIREMENTS
    ref = _provider(nb, "ManagedInstances", "ON_DEMAND", requirements, cluster, profile, meta, kind)
    shown = ref.name + (f" (for the tasks that need {DEVICES[kind]})" if kind else "")
    mc.sink.add(make_finding("K2E871", Location(file="kube2ecs.yaml"), f"stack/{nb.namespace}", stack=nb.namespace,
                             provider=shown, requirements=_describe(requirements)))
    return Provider(DEFAULT, "ON_DEMAND", ref, kind)


def _describe(requirements: InstanceRequirements) -> str:
    parts = [f"VCpuCount >= {requirements.v_cpu_count.min}", f"MemoryMiB >= {requirements.memory_mib.min}"]
    if requirements.v_cpu_count.max is not None:
        parts[0] += f" and <= {requirements.v_cpu_count.max}"
    if requirements.memory_mib.max is not None:
        parts[1] += f" and <= {requirements.memory_mib.max}"
    for label, values in (("CpuManufacturers", requirements.cpu_manufacturers),
                          ("InstanceGenerations", requirements.instance_generations),
                          ("AllowedInstanceTypes", requirements.allowed_instance_types),
                          ("ExcludedInstanceTypes", requirements.excluded_instance_types),
                          ("AcceleratorTypes", requirements.accelerator_types),
                          ("AcceleratorManufacturers", requirements.accelerator_manufacturers)):
        if values:
            parts.append(f"{label} {', '.join(values)}")
    if requirements.accelerator_count is not None:
        parts.append(f"AcceleratorCount >= {requirements.accelerator_count.min}")
    return "; ".join(parts)


def _cluster_name(cluster: Value) -> Value:
    """CreateCapacityProvider takes the cluster's name: a configured ARN's last part."""
    return cluster.rsplit("/", 1)[-1] if isinstance(cluster, str) else cluster


def strategy(mc: MapContext, wl: Workload, made: Capacity) -> tuple[CapacityProviderStrategyItem, ...]:
    """The service's strategy over the providers of the pools it runs on, reported."""
    items = _items(mc, wl, made)
    shown = ", ".join(f"{i.capacity_provider.name} weight {i.weight}" + (f" base {i.base}" if i.base else "")
                      for i in items if isinstance(i.capacity_provider, Ref))
    mc.report(wl.origin, "K2E872", workload=f"{wl.kind} {wl.meta.name}", strategy=shown)
    return items


def task_strategy(mc: MapContext, wl: Workload, made: Capacity) -> tuple[CapacityProviderStrategyItem, ...]:
    """The strategy of a task started on its own (Job, CronJob): () for the cluster's default provider, but a
    task that needs devices names the providers of instances that have them."""
    return _items(mc, wl, made) if devices.need(wl) is not None else ()


def _items(mc: MapContext, wl: Workload, made: Capacity) -> tuple[CapacityProviderStrategyItem, ...]:
    need = devices.need(wl)
    providers = made.of(_pools(mc, wl), need.kind if need else "")
    spot = [p for p in providers if p.option_type == "SPOT"]
    steady = [p for p in providers if p.option_type != "SPOT"]
    if spot and steady:
        items = (*(CapacityProviderStrategyItem(p.ref, 1, 1 if i == 0 else 0) for i, p in enumerate(steady)),
                 *(CapacityProviderStrategyItem(p.ref, mc.options.spot_weight, 0) for p in spot))
    else:
        items = tuple(CapacityProviderStrategyItem(p.ref, 1, 0) for p in providers)
    return items


def daemon_providers(mc: MapContext, wl: Workload, made: Capacity) -> tuple[Provider, ...]:
    """The providers a daemon runs on: its pools' when it selects some, else every provider of the stack
    (a DaemonSet without a nodeSelector runs on every node)."""
    chosen = made.of(_pools(mc, wl), None) if capacity.selected(mc, wl) else ()
    return chosen or made.providers


def provider_arn(provider: Provider) -> Sub:
    """A capacity provider's ARN (the resource has no Arn attribute; Ref gives its name)."""
    return Sub(f"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:capacity-provider/${{{provider.ref.name}}}")
