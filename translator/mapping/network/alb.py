"""Elastic Load Balancing v2 building blocks shared by load-balanced Services and Ingresses.

Both paths build the same model objects (LoadBalancer and its security group, Listener,
ListenerRule, TargetGroup) through these functions, so they render through the same templates
and pass the same deploy checks (`checks/elb.py`). What they decide of an ECS service (its
bindings and grace period) is a `Contribution` to it.
"""

from __future__ import annotations

from dataclasses import field

from translator.mapping.context import NamespaceBuild
from translator.mapping.network import groups
from translator.mapping.network.groups import DESCRIPTION_LIMIT
from translator.mapping.service.assemble import Contribution
from translator.model.app import Workload
from translator.model.ecs import (
    Attribute,
    FixedResponse,
    FixedResponseConfig,
    Forward,
    LoadBalancer,
    LoadBalancerBinding,
    Metadata,
    Parameter,
    Redirect,
    RedirectConfig,
    SecurityGroup,
    SecurityGroupIngress,
    SecurityGroupRule,
    Tag,
    TargetHealthCheck,
)
from translator.model.intrinsics import GetAtt, Ref
from translator.model.record import record

SERVICES_SG = "ServicesSecurityGroup"
LOAD_BALANCER_SUBNETS = Parameter(
    "LoadBalancerSubnets", "List<AWS::EC2::Subnet::Id>",
    "Subnets of the load balancers (public subnets for internet-facing ones, at least two zones)")


def forward(target_group: str) -> Forward:
    return Forward(Ref(target_group))


def redirect_to_https(port: int) -> Redirect:
    return Redirect(RedirectConfig("HTTPS", str(port), "HTTP_301"))


def not_found() -> FixedResponse:
    """What an Ingress controller answers when no rule and no default backend matches."""
    return FixedResponse(FixedResponseConfig("404", "text/plain"))


@record
class Balancer:
    """What a load balancer needs: who it serves, how it is reached, and from where."""

    logical_id: str
    lb_type: str  # application | network
    scheme: str
    description: str  # `Service shop/web`: the security group says whose load balancer it is
    label: str  # `web`: the security group rules say whose port they open
    owner: str  # `Service/web` or `Ingress/web Ingress/api`: the kube2ecs:object tag
    ingress: tuple[tuple[str, int], ...]  # (ip protocol, port) the security group opens
    cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    name: str = ""
    ip_address_type: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    metadata: Metadata = field(default_factory=Metadata)  # provenance of the load balancer and its group

    @property
    def security_group(self) -> str:
        return f"{self.logical_id}SecurityGroup"


def default_cidrs(ip_address_type: str) -> tuple[str, ...]:
    """Whom a load balancer admits when nothing narrows it: everyone, over IPv6 too when it is dualstack, as the
    AWS Load Balancer Controller opens it; IPv4 alone would leave the IPv6 clients its AAAA records draw
    waiting for a timeout."""
    return ("0.0.0.0/0", "::/0") if ip_address_type.startswith("dualstack") else ("0.0.0.0/0",)


def add_balancer(nb: NamespaceBuild, spec: Balancer) -> None:
    """The load balancer, its security group (open to `cidrs` on the listener ports) and the subnets parameter."""
    rules = tuple(_cidr_rule(protocol, port, cidr, spec.label) for protocol, port in spec.ingress for cidr in spec.cidrs)
    nb.stack.add(SecurityGroup(spec.security_group, description=f"Load balancer of {spec.description}"[:DESCRIPTION_LIMIT],
                               ingress=rules,
                               metadata=spec.metadata))
    tags = (Tag("kube2ecs:object", spec.owner[:256]), *(Tag(k, v) for k, v in spec.tags if k != "kube2ecs:object"))
    nb.stack.add(LoadBalancer(spec.logical_id, lb_type=spec.lb_type, scheme=spec.scheme,
                              security_groups=(GetAtt(spec.security_group, "GroupId"),), name=spec.name,
                              ip_address_type=spec.ip_address_type,
                              attributes=tuple(Attribute(k, v) for k, v in spec.attributes), tags=tags,
                              metadata=spec.metadata))
    nb.stack.parameters.setdefault(LOAD_BALANCER_SUBNETS.name, LOAD_BALANCER_SUBNETS)


def _cidr_rule(protocol: str, port: int, cidr: str, label: str) -> SecurityGroupRule:
    return SecurityGroupRule(protocol, port, port, cidr_ip=None if ":" in cidr else cidr,
                             cidr_ipv6=cidr if ":" in cidr else None, description=f"{label} port {port}"[:DESCRIPTION_LIMIT])


def certificate_parameter(nb: NamespaceBuild, name: str = "CertificateArn",
                          description: str = "ACM certificate ARN for the TLS listeners") -> Ref:
    nb.stack.parameters.setdefault(name, Parameter(name, "String", description))
    return Ref(name)


def open_to_tasks(nb: NamespaceBuild, balancer_id: str, owner: str, number: int, protocol: str = "tcp",
                  label: str = "", metadata: Metadata | None = None) -> None:
    """Let the load balancer's security group reach the tasks on the container port (once per port: a second
    rule the same as one already in the stack fails the deploy as a duplicate permission)."""
    logical_id = nb.ids.get(f"{owner}-{number}", "Ingress")
    if nb.stack.has(logical_id) or _admitted(nb, balancer_id, number, protocol):
        return
    nb.stack.add(groups.ingress(logical_id, SERVICES_SG, f"{balancer_id}SecurityGroup",
                                f"{label or owner} load balancer to port {number}", protocol=protocol,
                                from_port=number, to_port=number, metadata=metadata))


def open_to_health_checks(nb: NamespaceBuild, balancer_id: str, owner: str, check: TargetHealthCheck, number: int,
                          protocol: str = "tcp", label: str = "", metadata: Metadata | None = None) -> None:
    """Let the load balancer's health checks reach the tasks where they are not the traffic: on another port (a
    readiness probe on a management port, a healthcheck-port setting) or over TCP beside a UDP port. Without
    the rule every check times out, ECS replaces the 'unhealthy' tasks again and again, and the deployment
    never completes."""
    port = int(check.port) if check.port and check.port.isdigit() else number
    if port != number or protocol != "tcp":
        open_to_tasks(nb, balancer_id, f"{owner}/health", port, "tcp", label=label or owner, metadata=metadata)


def _admitted(nb: NamespaceBuild, balancer_id: str, number: int, protocol: str) -> bool:
    """Whether a rule of the stack already lets the balancer's security group reach the tasks on this port."""
    source = GetAtt(f"{balancer_id}SecurityGroup", "GroupId")
    return any(isinstance(r, SecurityGroupIngress) and r.source_security_group_id == source
               and r.group_id == GetAtt(SERVICES_SG, "GroupId") and r.ip_protocol == protocol
               and r.from_port is not None and r.to_port is not None and r.from_port <= number <= r.to_port
               for r in nb.stack.resources)


def register(container: str, number: int, target_group: str, attached_by: str) -> Contribution:
    """Put the ECS service's tasks into the target group; the service waits for the listener or rule
    that attaches the group to its load balancer, or CloudFormation fails to create it."""
    return Contribution(bindings=(LoadBalancerBinding(container, number, Ref(target_group)),),
                        attached_by=(attached_by,))


def grace_period(wl: Workload) -> int:
    """Health-check grace period: long enough for the slowest readiness probe to pass once."""
    delays = [c.readiness.initial_delay + c.readiness.period for c in wl.pod.containers if c.readiness]
    return min(max(delays, default=0) + 30, 2_147_483_647)
