"""VPC Lattice target groups of ECS services: the group, the way in through the tasks' security group, and
the registration (the ECS service's VpcLatticeConfigurations).

ECS registers a service's tasks in a Lattice target group of type IP by the name of a task-definition
port mapping, through an infrastructure role it assumes with the AWS managed policy
AmazonECSInfrastructureRolePolicyForVpcLattice (ECS API VpcLatticeConfiguration; docs/vpc-lattice.md).
Lattice reaches the targets, health checks included, from the addresses of its managed prefix list
`com.amazonaws.<region>.vpc-lattice`, whose id differs per region: a stack parameter, admitted by the
tasks' security group on each container port a target group sends to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network import groups, targetpolicies
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.network.ingressbackends import Backends, Member
from translator.mapping.service.assemble import Contribution
from translator.mapping.task.probes import target_group_health_check
from translator.model.app import Origin, Service, ServicePort
from translator.model.ecs import (
    LatticeHealthCheck,
    LatticeMatcher,
    LatticeTargetGroup,
    LatticeTargetGroupConfig,
    Metadata,
    Parameter,
    Role,
    SecurityGroupIngress,
    TaskDefinition,
    VpcLatticeConfiguration,
)
from translator.model.intrinsics import GetAtt, Ref, Sub
from translator.model.provenance import provenance, with_origins

ROLE = "EcsVpcLatticeRole"
MANAGED_POLICY = "AmazonECSInfrastructureRolePolicyForVpcLattice"
PREFIX_LIST = Parameter("VpcLatticePrefixListId", "String",
                        "ID of the VPC Lattice managed prefix list com.amazonaws.<region>.vpc-lattice "
                        "(aws ec2 describe-managed-prefix-lists)")
_HEALTH_PATH = r"/[a-zA-Z0-9@:%_+.~#?&/=-]*"  # [schema HealthCheckConfig.Path]
_UNCHECKED = {  # target groups left without a health check, and why
    "GRPC": "it speaks gRPC, and VPC Lattice health checks send HTTP requests, not gRPC health calls",
    "TCP": "it is the TCP target group of a TLS passthrough listener, whose health checks VPC Lattice leaves off",
}


@dataclass
class LatticeTargets:
    """The Lattice target groups of one namespace, one per (Service, port, flavour), shared by its Gateways."""

    mc: MapContext
    nb: NamespaceBuild
    groups: dict[tuple[str, int, str], str] = field(default_factory=dict)
    registered: set[tuple[tuple[str, str], str]] = field(default_factory=set)  # (workload, target group)

    def target_group(self, svc: Service, port: ServicePort, members: list[Member], flavour: str, origin: Origin) -> str:
        """The target group of a Service port (created on first use), open to Lattice on its container ports.
        `flavour`: HTTP1 (HTTPRoute), GRPC (GRPCRoute) or TCP (TLSRoute, behind a TLS passthrough listener)."""
        key = (svc.meta.name, port.port, flavour)
        if key in self.groups:
            return self.groups[key]
        suffix = "" if flavour == "HTTP1" else "/" + flavour.lower()
        tg_id = self.groups[key] = self.nb.ids.get(f"{svc.meta.name}/{port.port}{suffix}", "LatticeTargetGroup")
        metadata = provenance(origin, svc.origin, *(m.workload.origin for m in members))
        tcp = flavour == "TCP"
        policy = targetpolicies.lattice_policy(self.mc, self.nb.namespace, svc.meta.name)  # a TargetGroupPolicy
        checked = targetpolicies.enables_health_check(policy)
        config = LatticeTargetGroupConfig(members[0].number, "TCP" if tcp else "HTTP", None if tcp else flavour,
                                          Ref("VpcId"), self._health(members[0], flavour, tg_id, svc, port, checked))
        if policy is not None:
            config = targetpolicies.lattice_config(self.mc, policy, config, tg_id)
        named = with_origins(metadata, policy.origin) if policy is not None else metadata  # the policy that set it too
        self.nb.stack.add(LatticeTargetGroup(tg_id, metadata=named, config=config))
        for m in members:
            self._open(m.number, metadata)
        if config.health_check.enabled and config.health_check.port is not None:
            self._open(config.health_check.port, metadata)  # a check on its own port needs the port open too
        return tg_id

    def register(self, members: list[Member], tg_id: str, backends: Backends) -> list[tuple[tuple[str, str], Contribution]]:
        """What registers each ECS service of the members in the target group (once per service and group)."""
        out = []
        for m in members:
            key = m.workload.meta.key
            if (key, tg_id) in self.registered:
                continue
            self.registered.add((key, tg_id))
            _, port_name = backends.built[key][1].port_mapping(m.number)
            out.append((key, Contribution(lattice=(VpcLatticeConfiguration(GetAtt(self._role(m), "Arn"), Ref(tg_id),
                                                                           port_name),), lattice_ports=(m.number,))))
        return out

    def _health(self, member: Member, flavour: str, tg_id: str, svc: Service, port: ServicePort,
                checked: bool = False) -> LatticeHealthCheck:
        """The readiness probe's HTTP check; none for gRPC, which Lattice health checks cannot call, nor for TCP
        (unless a TargetGroupPolicy turns it on: `checked`)."""
        if flavour in _UNCHECKED:
            if not checked:
                self.mc.report(svc.origin, "K2E818", target_group=tg_id, service=svc.meta.name, port=port.port,
                               detail=_UNCHECKED[flavour])
            return LatticeHealthCheck(False)
        readiness = next((c for c in member.workload.pod.containers if c.name == member.container), None)
        check = target_group_health_check(self.mc, readiness, network=False)
        path = check.path if check.path and re.fullmatch(_HEALTH_PATH, check.path) else "/"
        return LatticeHealthCheck(
            True, protocol=check.protocol, protocol_version="HTTP1", path=path,
            port=int(check.port) if check.port and check.port.isdigit() else None,
            health_check_interval_seconds=check.interval, health_check_timeout_seconds=check.timeout,
            healthy_threshold_count=check.healthy, unhealthy_threshold_count=check.unhealthy,
            matcher=LatticeMatcher(check.matcher.http_code) if check.matcher and check.matcher.http_code else None)

    def _open(self, number: int, metadata: Metadata) -> None:
        """Admit the Lattice prefix list to the tasks' container port (once per port)."""
        logical_id = self.nb.ids.get(f"vpc-lattice-{number}", "Ingress")
        if self.nb.stack.has(logical_id):
            return
        self.nb.stack.parameters.setdefault(PREFIX_LIST.name, PREFIX_LIST)
        rule = groups.ingress(logical_id, SERVICES_SG, SERVICES_SG, f"VPC Lattice to port {number}",
                              from_port=number, to_port=number, metadata=metadata)
        self.nb.stack.add(_from_prefix_list(rule))

    def _role(self, member: Member) -> str:
        """One role per stack that ECS assumes to register the tasks in the Lattice target groups."""
        if not self.nb.stack.has(ROLE):
            self.nb.stack.add(Role(
                ROLE, metadata=with_origins(self.nb.stack.get(SERVICES_SG).metadata, member.workload.origin),
                description=f"ECS infrastructure role for the VPC Lattice target groups of namespace {self.nb.namespace}"[:1000],
                principal="ecs.amazonaws.com", source_account=False,
                managed_policy_arns=(Sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{MANAGED_POLICY}"),)))
        return ROLE


def registered_containers(parts: list[Contribution], td: TaskDefinition) -> set[str]:
    """The containers of a task that Lattice target groups send to (their readiness probes act there)."""
    names = {c.port_name for part in parts for c in part.lattice}
    return {container.name for container in td.containers for m in container.port_mappings or () if m.name in names}


def _from_prefix_list(rule: SecurityGroupIngress) -> SecurityGroupIngress:
    """The same rule with the Lattice prefix list as its source in place of a security group."""
    return replace(rule, source_security_group_id=None, source_prefix_list_id=Ref(PREFIX_LIST.name))
