"""The AWS controllers' Gateway API configuration objects, applied to what the Gateways become.

* TargetGroupPolicy (application-networking.k8s.aws, the VPC Lattice controller): protocol, protocol version
  and health check of the target groups of the Service it targets: the VPC Lattice target groups under
  `gateway_target: vpc-lattice` (`lattice_config`), the ALB and NLB target groups otherwise (`alb_settings`).
* TargetGroupConfiguration (gateway.k8s.aws, the AWS Load Balancer Controller): health check, protocol,
  protocol version and attributes of the ALB and NLB target groups of the Service it targets, by default and
  per route (routeConfigurations, the most specific identifier that matches the route).
* LoadBalancerConfiguration (gateway.k8s.aws), named by a Gateway's `spec.infrastructure.parametersRef`: the
  scheme, name, IP address type, attributes, tags and source ranges of its load balancer (`balancer`), the
  certificates and SSL policy of its listeners (`listener`).

Each field that maps is set on the resource (AWS::ElasticLoadBalancingV2::TargetGroup, ::LoadBalancer,
::Listener, AWS::VpcLattice::TargetGroup); each one that does not is reported at its line (K2E851), a value
the resource would reject too (K2E857). Policies are indexed by Service once per translation; what was
applied, or why nothing was, is said once all stacks are built (`report`). Sources in
docs/aws-gateway-controllers.md.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace
from typing import Any

from translator.k8s.loadbalancerconfiguration import ELB_GROUP
from translator.mapping.context import MapContext
from translator.mapping.names import TAG_KEY_UNITS, TAG_VALUE_UNITS, is_tag_text
from translator.mapping.network.albannotations import TargetSettings
from translator.model.app import BalancerConfiguration, Gateway, ListenerSettings, ObjectRef, PolicySetting, Route, TargetPolicy
from translator.model.ecs import LatticeHealthCheck, LatticeMatcher, LatticeTargetGroupConfig

LATTICE = "vpc-lattice"
_LB_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
_CODES = re.compile(r"^\d{1,3}(-\d{1,3})?(,\d{1,3}(-\d{1,3})?)*$")
# What Elastic Load Balancing refuses at deploy time and cfn-lint does not check [CFN ELBV2-TG, ELBV2-LISTENER]:
# a health-check path is an absolute path of at most 1,024 characters, a port `traffic-port` or 1-65535, an
# SSL policy one of the predefined ones (all named ELBSecurityPolicy-...), a certificate an ACM or IAM ARN.
_SSL_POLICY = re.compile(r"^ELBSecurityPolicy-[A-Za-z0-9-]+$")
_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate/|iam::\d{12}:server-certificate/)\S+$")
# Health-check ranges: ELBv2 TargetGroup [CFN ELBV2-TG], VPC Lattice HealthCheckConfig [CFN LATTICE-TG].
_ELB_RANGES = {"interval": (5, 300), "timeout": (2, 120), "healthy": (2, 10), "unhealthy": (2, 10)}
_LATTICE_RANGES = {"interval": (5, 300), "timeout": (1, 120), "healthy": (2, 10), "unhealthy": (2, 10)}
# TargetGroupPolicy healthCheck field -> HealthOverrides / Lattice field name
_TGP_HEALTH = {"healthCheck.intervalSeconds": "interval", "healthCheck.timeoutSeconds": "timeout",
               "healthCheck.healthyThresholdCount": "healthy", "healthCheck.unhealthyThresholdCount": "unhealthy"}
_TGC_HEALTH = {"healthCheckConfig.healthCheckInterval": "interval", "healthCheckConfig.healthCheckTimeout": "timeout",
               "healthCheckConfig.healthyThresholdCount": "healthy",
               "healthCheckConfig.unhealthyThresholdCount": "unhealthy"}
# Fields no target group, load balancer or listener kube2ecs makes carries: what to do instead.
_NOT_CARRIED: dict[str, tuple[str, str]] = dict(
    targetGroupName=("CloudFormation names the target group, so that a replacement never collides",
                        "Nothing to do, or set Name on the target group by hand if something looks it up by name."),
    nodeSelector=("it picks the nodes of instance targets, and ECS tasks register by IP",
                     "Nothing to do: the ECS service's tasks are the targets."),
    enableMultiCluster=("the target group belongs to this stack's ECS services",
                           "Register other services in the target group by hand (their ECS service LoadBalancers)."),
    ipAddressType=("the ECS tasks register by their IPv4 address",
                      "Use an IPv6 target group by hand if the tasks are reached over IPv6."),
    mergingMode=("it decides how a GatewayClass's configuration merges with a Gateway's, and only on the "
                    "configuration the GatewayClass names", "Nothing to do; set it there if the Gateway's should win."),
    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic=(
        "the NLB's PrivateLink setting is not carried", "Set EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic on "
        "the NLB by hand."),
    customerOwnedIpv4Pool=("Outposts address pools are not carried", "Set CustomerOwnedIpv4Pool on the ALB by hand."),
    ipv4IPAMPoolId=("IPAM pools are not carried", "Set Ipv4IpamPoolId on the ALB by hand."),
    loadBalancerSubnets=("the load balancer's subnets are the LoadBalancerSubnets stack parameter",
                            "Pass these subnets as LoadBalancerSubnets; set SubnetMappings (EIPs, private "
                            "addresses) on the NLB by hand."),
    loadBalancerSubnetsSelector=("the load balancer's subnets are the LoadBalancerSubnets stack parameter",
                                    "Pass the subnets these tags select as LoadBalancerSubnets."),
    securityGroups=("the load balancer gets its own security group, open to the listener ports",
                       "Add these security groups to the load balancer by hand, or keep the generated one."),
    securityGroupPrefixes=("the load balancer's security group is open to CIDR ranges only",
                              "Add the prefix lists to the load balancer's security group by hand."),
    vpcId=("the load balancer is in the VpcId stack parameter's VPC", "Pass this VPC as VpcId."),
    enableICMP=("the NLB's security group opens the listener ports only",
                   "Add an ICMP rule to the load balancer's security group by hand for Path MTU discovery."),
    manageBackendSecurityGroupRules=("kube2ecs always opens the tasks' security group to the load balancer's",
                                        "Nothing to do."),
    minimumLoadBalancerCapacity=("capacity reservations are not carried",
                                    "Set MinimumLoadBalancerCapacity on the load balancer by hand."),
    wafV2=("no web ACL is associated", "Associate the web ACL with the ALB (AWS::WAFv2::WebACLAssociation) by hand."),
    shieldConfiguration=("Shield Advanced protection is not carried", "Protect the ALB with Shield Advanced by hand."),
    alpnPolicy=("the listener's ALPN policy is not carried", "Set AlpnPolicy on the NLB's TLS listener by hand."),
    mutualAuthentication=("mutual TLS is not carried", "Set the listener's MutualAuthentication (a trust store) by hand."),
    listenerAttributes=("listener attributes are not carried", "Set the listener's attributes by hand."),)



@dataclass
class Policies:
    """The policies of the input by the Service they target, and what became of each."""

    by_service: dict[tuple[str, str], list[TargetPolicy]] = field(default_factory=dict)
    applied: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)  # policy -> resources it set
    carried: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # policy -> fields set
    reported: set[tuple[str, str, str, str]] = field(default_factory=set)  # (policy, field) said once
    balancers: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # configuration -> Gateways using it
    duplicates: set[tuple[str, str, str]] = field(default_factory=set)  # policies not applied (K2E858)


def index(mc: MapContext) -> Policies:
    """The policies by targeted Service (the first of each kind per Service; later ones reported), built once."""
    if isinstance(mc.policies, Policies):
        return mc.policies
    out = Policies()
    for p in sorted(mc.app.target_policies, key=lambda p: (p.kind, p.meta.namespace, p.meta.name)):
        if not _targets_service(p):
            continue
        same = out.by_service.setdefault((p.target.namespace, p.target.name), [])
        first = next((q for q in same if q.kind == p.kind), None)
        if first is not None:
            mc.report(p.origin, "K2E858", kind=p.kind, name=p.meta.name, other=first.meta.name,
                      service=p.target.name)
            out.duplicates.add(_key(p, p.kind))
            continue
        same.append(p)
    mc.policies = out
    return out


def _targets_service(p: TargetPolicy) -> bool:
    return p.target.kind == "Service" and p.target.group in ("", "core")


def _key(p: TargetPolicy | BalancerConfiguration, kind: str) -> tuple[str, str, str]:
    return kind, p.meta.namespace, p.meta.name


class _Apply:
    """Reports the fields of one policy as it is applied to one resource, once per field."""

    def __init__(self, mc: MapContext, policies: Policies, kind: str, obj: TargetPolicy | BalancerConfiguration,
                 resource: str, where: str) -> None:
        self.mc, self.policies, self.kind, self.obj = mc, policies, kind, obj
        self.key = _key(obj, kind)
        self.where = where  # `the ALB target group`: what the findings say the field did not reach
        if resource:
            policies.applied.setdefault(self.key, set()).add(resource)

    def carried(self, s: PolicySetting) -> None:
        fields = self.policies.carried.setdefault(self.key, [])
        if s.path not in fields:
            fields.append(s.path)

    def not_carried(self, s: PolicySetting, detail: str, remediation: str) -> None:
        if self.first(s):
            self.mc.report(s.origin, "K2E851", kind=self.kind, name=self.obj.meta.name, field=s.path,
                           value=_shown(s.value), where=self.where, detail=detail, remediation=remediation)

    def invalid(self, s: PolicySetting, detail: str) -> None:
        if self.first(s):
            self.mc.report(s.origin, "K2E857", kind=self.kind, name=self.obj.meta.name, field=s.path,
                           value=_shown(s.value), detail=detail)

    def ranged(self, s: PolicySetting, bounds: tuple[int, int]) -> int | None:
        low, high = bounds
        if isinstance(s.value, int) and not isinstance(s.value, bool) and low <= s.value <= high:
            self.carried(s)
            return s.value
        self.invalid(s, f"it must be {low} to {high} on {self.where}")
        return None

    def first(self, s: PolicySetting) -> bool:
        key = (*self.key, f"{s.path}@{s.origin.location.line}")
        if key in self.policies.reported:
            return False
        self.policies.reported.add(key)
        return True


def _pairs(value: object) -> tuple[tuple[str, str], ...]:
    """A key/value list or map setting as pairs."""
    items = value if isinstance(value, tuple) else ()
    return tuple((str(i[0]), str(i[1])) for i in items if isinstance(i, tuple) and len(i) == 2)


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(f"{v[0]}={v[1]}" if isinstance(v, tuple) else str(v) for v in value) or "(empty)"
    return str(value).lower() if isinstance(value, bool) else str(value)


# --- ALB and NLB target groups ------------------------------------------------------------------------


def alb_settings(mc: MapContext, namespace: str, service: str, route: Route | None,
                 base: TargetSettings) -> TargetSettings:
    """`base` with what the Service's TargetGroupPolicy (outside vpc-lattice) and TargetGroupConfiguration
    (its default, then its most specific routeConfigurations entry for `route`) set on its target groups."""
    policies = index(mc)
    found = policies.by_service.get((namespace, service))
    if not found:
        return base
    settings = base
    for p in found:
        apply = _Apply(mc, policies, p.kind, p, "", f"the ALB/NLB target groups of Service {service}")
        chosen = list(p.settings)
        if p.kind == "TargetGroupConfiguration" and route is not None:
            entry = _route_entry(p, route)
            if entry is not None:
                chosen = [s for s in chosen if s.path not in {e.path for e in entry}] + list(entry)
        for s in chosen:
            settings = _alb_field(apply, s, settings)
        settings = replace(settings, origins=(*settings.origins, p.origin))
    return settings


def mark(mc: MapContext, namespace: str, service: str, target_group: str) -> None:
    """Record the target group the Service's policies were applied to (for their K2E852)."""
    policies = index(mc)
    for p in policies.by_service.get((namespace, service), []):
        policies.applied.setdefault(_key(p, p.kind), set()).add(target_group)


def _route_entry(p: TargetPolicy, route: Route) -> tuple[PolicySetting, ...] | None:
    """The settings of the routeConfigurations entry that names the route most specifically ('' is any)."""
    best: tuple[int, tuple[PolicySetting, ...]] | None = None
    for r in p.routes:
        wanted = ((r.kind, route.kind), (r.namespace, route.meta.namespace), (r.name, route.meta.name))
        if any(w and w != have for w, have in wanted):
            continue
        score = sum(1 for w, _ in wanted if w)
        if best is None or score > best[0]:
            best = (score, r.settings)
    return best[1] if best is not None else None


def _alb_field(a: _Apply, s: PolicySetting, t: TargetSettings) -> TargetSettings:
    """One setting on an ALB target group's settings (TargetGroupPolicy and TargetGroupConfiguration names)."""
    f, v, h = s.path, s.value, t.health
    short = f.rsplit(".", 1)[-1]
    if f in _TGP_HEALTH or f in _TGC_HEALTH:
        name = _TGP_HEALTH.get(f) or _TGC_HEALTH[f]
        value = a.ranged(s, _ELB_RANGES[name])
        changes: dict[str, Any] = {name: value}
        return t if value is None else replace(t, health=replace(h, **changes))
    if f == "protocol" and t.protocol in ("TCP", "UDP"):  # an NLB target group: its listener's protocol
        if v == t.protocol:
            a.carried(s)
        else:
            a.not_carried(s, f"an NLB target group's protocol follows its listener's ({t.protocol})",
                          "Give the Gateway a listener of that protocol; the target group kept its listener's.")
        return t
    if f == "protocol":
        if v in ("HTTP", "HTTPS"):
            a.carried(s)
            return replace(t, protocol=str(v))
        a.not_carried(s, "an ALB target group speaks HTTP or HTTPS; an NLB's protocol follows its listener",
                      "Nothing to do on the ALB (it keeps HTTP); an NLB target group of a TCP or TLS listener is TCP.")
        return t
    if f == "protocolVersion":
        if v in ("HTTP1", "HTTP2", "GRPC"):
            a.carried(s)
            return replace(t, version=str(v))
        a.invalid(s, "the protocol version is HTTP1, HTTP2 or GRPC")
        return t
    if f in ("healthCheck.path", "healthCheckConfig.healthCheckPath"):
        if not (str(v).startswith("/") and len(str(v)) <= 1024):
            a.invalid(s, "an ALB or NLB health-check path starts with / and has at most 1,024 characters")
            return t
        a.carried(s)
        return replace(t, health=replace(h, path=str(v)))
    if f in ("healthCheck.port", "healthCheckConfig.healthCheckPort"):
        if not (str(v) == "traffic-port" or (str(v).isdigit() and 1 <= int(str(v)) <= 65535)):
            a.invalid(s, "the health-check port is traffic-port or a number from 1 to 65535")
            return t
        a.carried(s)
        return replace(t, health=replace(h, port=str(v)))
    if f in ("healthCheck.protocol", "healthCheckConfig.healthCheckProtocol"):
        protocol = str(v).upper()
        if protocol == "TCP" and t.protocol in ("TCP", "UDP"):  # an NLB target group's own check
            a.carried(s)
            return t
        if protocol in ("HTTP", "HTTPS"):
            a.carried(s)
            return replace(t, health=replace(h, protocol=protocol))
        a.not_carried(s, "an ALB target group checks over HTTP or HTTPS",
                      "Nothing to do on the ALB; an NLB target group checks over TCP unless told otherwise.")
        return t
    if f in ("healthCheck.statusMatch", "healthCheckConfig.matcher.httpCode", "healthCheckConfig.matcher.grpcCode"):
        if not _CODES.match(str(v)):
            a.invalid(s, "success codes are numbers and ranges separated by commas (200,300-399)")
            return t
        a.carried(s)
        return replace(t, health=replace(h, matcher=str(v)))
    if f == "healthCheck.enabled":
        if v is not False:
            a.carried(s)
            return t
        a.not_carried(s, "the health checks of an ip target group cannot be turned off",
                      "Nothing to do: the target group checks the tasks; relax the check if it fails.")
        return t
    if f == "healthCheck.protocolVersion":
        a.not_carried(s, "an ALB target group's health check has no protocol version (a GRPC target group's "
                      "checks are gRPC calls, an HTTP1 or HTTP2 one's HTTP requests)", "Nothing to do.")
        return t
    if f == "targetType":
        if v == "ip":
            a.carried(s)
        elif v == "instance":
            if a.first(s):
                a.mc.report(s.origin, "K2E854", kind=a.kind, name=a.obj.meta.name, target_group=a.where)
        else:
            a.invalid(s, "the target type is instance or ip")
        return t
    if f == "targetGroupAttributes" and isinstance(v, tuple):
        a.carried(s)
        merged = dict(t.attributes)
        merged.update(_pairs(v))
        return replace(t, attributes=tuple(merged.items()))
    if f == "tags" and isinstance(v, tuple):
        pairs = _pairs(v)
        if len(pairs) <= 50 and all(k and is_tag_text(k, TAG_KEY_UNITS) and not k.lower().startswith("aws:")
                                    and is_tag_text(val, TAG_VALUE_UNITS) for k, val in pairs):
            a.carried(s)
            return replace(t, tags=pairs)
        a.invalid(s, "a target group takes at most 50 tags, their keys and values letters, digits, spaces and "
                     "_ . : / = + - @ (keys 1 to 128 characters and not aws:, values up to 256)")
        return t
    if f == "ipAddressType" and v == "ipv4":
        a.carried(s)
        return t
    detail, remediation = _NOT_CARRIED.get(short, ("kube2ecs does not carry it", "Set it on the target group by hand."))
    a.not_carried(s, detail, remediation)
    return t


# --- VPC Lattice target groups -------------------------------------------------------------------------


def lattice_policy(mc: MapContext, namespace: str, service: str) -> TargetPolicy | None:
    """The TargetGroupPolicy of a Service, under vpc-lattice."""
    return next((p for p in index(mc).by_service.get((namespace, service), []) if p.kind == "TargetGroupPolicy"), None)


def enables_health_check(policy: TargetPolicy | None) -> bool:
    """Whether the policy turns the health check on (a target group kube2ecs would leave unchecked)."""
    return policy is not None and any(s.path == "healthCheck.enabled" and s.value is True for s in policy.settings)


def lattice_config(mc: MapContext, policy: TargetPolicy, config: LatticeTargetGroupConfig,
                   target_group: str) -> LatticeTargetGroupConfig:
    """The Lattice target group's protocol, protocol version and health check, as the policy sets them."""
    apply = _Apply(mc, index(mc), policy.kind, policy, target_group, f"the VPC Lattice target group {target_group}")
    health = config.health_check
    enabled = next((s for s in policy.settings if s.path == "healthCheck.enabled"), None)
    if enabled is not None:
        health = _lattice_health(apply, enabled, health)
    unused = [s for s in policy.settings if s.path.startswith("healthCheck.") and s.path != "healthCheck.enabled"]
    if unused and not health.enabled:  # one finding for the settings of a check that is off
        apply.not_carried(PolicySetting("healthCheck", tuple(s.path.split(".", 1)[1] for s in unused), unused[0].origin),
                          "the target group's health check is off (healthCheck.enabled false, or a gRPC or TCP "
                          "target group the policy does not turn it on for)",
                          "Set healthCheck.enabled: true to check the targets with these settings.")
    for s in policy.settings:
        f, v = s.path, s.value
        if f.startswith("healthCheck.") and not health.enabled:
            continue
        if f == "protocol":
            if v in ("HTTP", "HTTPS", "TCP"):
                apply.carried(s)
                config = replace(config, protocol=str(v), protocol_version=None if v == "TCP" else config.protocol_version)
            else:
                apply.invalid(s, "a VPC Lattice target group speaks HTTP, HTTPS or TCP")
        elif f == "protocolVersion":
            if config.protocol == "TCP":
                apply.invalid(s, "a TCP target group has no protocol version")
            elif v in ("HTTP1", "HTTP2", "GRPC"):
                apply.carried(s)
                config = replace(config, protocol_version=str(v))
            else:
                apply.invalid(s, "the protocol version is HTTP1, HTTP2 or GRPC")
        elif f.startswith("healthCheck.") and f != "healthCheck.enabled":
            health = _lattice_health(apply, s, health)
    if not health.enabled:
        health = LatticeHealthCheck(False)
    return replace(config, health_check=health)


def _lattice_health(a: _Apply, s: PolicySetting, h: LatticeHealthCheck) -> LatticeHealthCheck:
    f, v = s.path, s.value
    if f == "healthCheck.enabled":
        a.carried(s)
        if v is True and not h.enabled:
            return LatticeHealthCheck(True, protocol="HTTP", protocol_version="HTTP1", path="/")
        return replace(h, enabled=bool(v))
    if f in _TGP_HEALTH:
        name = _TGP_HEALTH[f]
        value = a.ranged(s, _LATTICE_RANGES[name])
        target = {"interval": "health_check_interval_seconds", "timeout": "health_check_timeout_seconds",
                  "healthy": "healthy_threshold_count", "unhealthy": "unhealthy_threshold_count"}[name]
        changes: dict[str, Any] = {target: value}
        return h if value is None else replace(h, **changes)
    if f == "healthCheck.path":
        if isinstance(v, str) and re.fullmatch(r"/[a-zA-Z0-9@:%_+.~#?&/=-]*", v):
            a.carried(s)
            return replace(h, path=v)
        a.invalid(s, "a VPC Lattice health-check path starts with / and holds no other characters than "
                  "a-z, 0-9 and @:%_+.~#?&/=-")
        return h
    if f == "healthCheck.port":
        return h if (value := a.ranged(s, (1, 65535))) is None else replace(h, port=value)
    if f == "healthCheck.protocol":
        if v in ("HTTP", "HTTPS"):
            a.carried(s)
            return replace(h, protocol=str(v))
        a.invalid(s, "VPC Lattice health checks use HTTP or HTTPS")
        return h
    if f == "healthCheck.protocolVersion":
        if v in ("HTTP1", "HTTP2"):
            a.carried(s)
            return replace(h, protocol_version=str(v))
        a.invalid(s, "VPC Lattice health checks use HTTP1 or HTTP2")
        return h
    if f == "healthCheck.statusMatch":
        if _CODES.match(str(v)):
            a.carried(s)
            return replace(h, matcher=LatticeMatcher(str(v)))
        a.invalid(s, "success codes are numbers and ranges separated by commas (200,300-399)")
    return h


# --- load balancers and listeners -----------------------------------------------------------------------


def configuration(mc: MapContext, gw: Gateway) -> tuple[BalancerConfiguration, ...]:
    """The LoadBalancerConfigurations that apply to a Gateway: the one it names, the one its GatewayClass names,
    or both, each holding only the settings it gives (reported when a reference names another kind or a missing
    object).

    As the AWS Load Balancer Controller merges them: a setting given by both comes from the GatewayClass's,
    unless that one says `mergingMode: prefer-gateway` [LBC-LBCONFIG], and the entries of one listener
    (`HTTPS:443`) merge the same way, field by field. `mergingMode` is honoured only on the GatewayClass's
    configuration. Each layer keeps its own object,
    so every finding names the object, and the line, a setting comes from.
    """
    own = _named(mc, gw.parameters, gw.meta.namespace, f"Gateway {gw.meta.name}")
    known = mc.app.gateway_classes.get(gw.class_name)
    shared = _named(mc, known.parameters, "", f"GatewayClass {known.meta.name}") if known is not None else None
    for found in (own, shared):
        if found is not None:
            index(mc).balancers.setdefault(found.meta.key, set()).add(gw.meta.name)
    if shared is None:
        return () if own is None else (own,)
    mode = next((str(s.value) for s in shared.settings if s.path == "mergingMode"), "prefer-gateway-class")
    shared = replace(shared, settings=tuple(s for s in shared.settings if s.path != "mergingMode"))
    if own is None:
        return (shared,)
    first, second = (own, shared) if mode == "prefer-gateway" else (shared, own)
    taken = {s.path for s in first.settings}
    per_port = {e.protocol_port: {s.path for s in e.settings} for e in first.listeners}
    rest = replace(second, settings=tuple(s for s in second.settings if s.path not in taken), listeners=tuple(
        replace(e, settings=tuple(s for s in e.settings if s.path not in per_port.get(e.protocol_port, set())))
        for e in second.listeners))
    return first, rest


def _named(mc: MapContext, ref: ObjectRef | None, namespace: str, holder: str) -> BalancerConfiguration | None:
    """The LoadBalancerConfiguration `ref` names (in `namespace`, else the reference's own), or None, reported."""
    if ref is None:
        return None
    if (ref.group, ref.kind) != (ELB_GROUP, "LoadBalancerConfiguration"):
        mc.report(ref.origin, "K2E855", holder=holder, ref=f"{ref.kind or '(no kind)'} {ref.name}",
                  detail=f"it is {ref.kind or 'a reference without kind'} of group {ref.group or 'core'}, not a "
                         f"LoadBalancerConfiguration of {ELB_GROUP}")
        return None
    where = namespace or ref.namespace
    found = mc.app.balancer_configurations.get((where, ref.name))
    if found is None:
        detail = f"it is not in the input (namespace {where})" if where else \
            "it names no namespace, which the reference of a cluster-wide GatewayClass needs"
        mc.report(ref.origin, "K2E855", holder=holder, ref=f"LoadBalancerConfiguration {ref.name}", detail=detail)
    return found


@dataclass
class BalancerFields:
    """What a LoadBalancerConfiguration sets on a load balancer."""

    scheme: str = ""
    name: str = ""
    ip_address_type: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    cidrs: tuple[str, ...] | None = None


def balancer(mc: MapContext, configs: tuple[BalancerConfiguration, ...], lb_id: str, lb_type: str,
             named: bool) -> BalancerFields:
    """The load balancer's fields from the configurations (`configuration`: no two give the same setting);
    `named`: another load balancer of the Gateway already took its name (a Gateway with HTTP and TCP listeners
    makes an ALB and an NLB)."""
    out = BalancerFields()
    for config in configs:
        layer = _balancer(mc, config, lb_id, lb_type, named)
        out = BalancerFields(out.scheme or layer.scheme, out.name or layer.name,
                             out.ip_address_type or layer.ip_address_type, out.attributes or layer.attributes,
                             out.tags or layer.tags, out.cidrs if out.cidrs is not None else layer.cidrs)
    return out


def _balancer(mc: MapContext, config: BalancerConfiguration, lb_id: str, lb_type: str, named: bool) -> BalancerFields:
    kind = "ALB" if lb_type == "application" else "NLB"
    a = _Apply(mc, index(mc), "LoadBalancerConfiguration", config, lb_id, f"the {kind} {lb_id}")
    out = BalancerFields()
    for s in config.settings:
        f, v = s.path, s.value
        if f == "scheme":
            if v in ("internal", "internet-facing"):
                a.carried(s)
                out.scheme = str(v)
            else:
                a.invalid(s, "the scheme is internal or internet-facing")
        elif f == "loadBalancerName":
            if named:
                a.not_carried(s, "the Gateway's other load balancer has the name",
                              "Name this load balancer by hand if it needs a name.")
            elif isinstance(v, str) and _LB_NAME.match(v) and not v.startswith("internal-"):
                a.carried(s)
                out.name = v
            else:
                a.invalid(s, "a load balancer name is 1 to 32 letters, digits and inner hyphens, not starting "
                          "with internal-")
        elif f == "ipAddressType":
            allowed = ("ipv4", "dualstack") + (("dualstack-without-public-ipv4",) if kind == "ALB" else ())
            if v in allowed:
                a.carried(s)
                out.ip_address_type = str(v)
            else:
                a.invalid(s, f"an {kind} takes {', '.join(allowed)}")
        elif f == "sourceRanges" and isinstance(v, tuple):
            cidrs = [c for c in v if isinstance(c, str) and _cidr(c)]
            if len(cidrs) == len(v) and cidrs:
                a.carried(s)
                out.cidrs = tuple(cidrs)
            else:
                a.invalid(s, "each source range is a CIDR block; the load balancer stays open to 0.0.0.0/0")
        elif f in ("loadBalancerAttributes", "tags") and isinstance(v, tuple):
            a.carried(s)
            pairs = _pairs(v)
            if f == "tags":
                out.tags = pairs
            else:
                out.attributes = pairs
        else:
            detail, remediation = _NOT_CARRIED.get(f, ("kube2ecs does not carry it", "Set it on the load balancer by hand."))
            a.not_carried(s, detail, remediation)
    return out


def _in_order(fields: list[str], settings: list[PolicySetting]) -> str:
    """The fields set, in the order the object writes them."""
    order = list(dict.fromkeys(s.path for s in settings))
    return ", ".join(sorted(fields, key=lambda f: order.index(f) if f in order else len(order))) or "nothing"


def _cidr(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return "/" in text


def listener(mc: MapContext, configs: tuple[BalancerConfiguration, ...], protocol: str, port: int,
             listener_id: str) -> tuple[ListenerSettings | None, list[str], str]:
    """The listenerConfigurations entry of a listener (`HTTPS:443`): its entry, certificate ARNs (the default
    first) and SSL policy; the fields a listener of this protocol cannot hold are reported."""
    found: ListenerSettings | None = None
    defaults: list[str] = []
    others: list[str] = []
    policy = ""
    for config in configs:  # an entry of each configuration, with the settings the other does not give (configuration)
        entry = next((e for e in config.listeners if e.protocol_port == f"{protocol}:{port}"), None)
        if entry is not None:
            found = found or entry
            arns, layer_policy, default = _listener(mc, config, entry, protocol, listener_id)
            defaults += arns[:1] if default else []
            others += arns[1:] if default else arns
            policy = policy or layer_policy
    return found, list(dict.fromkeys([*defaults, *others])), policy


def _listener(mc: MapContext, config: BalancerConfiguration, entry: ListenerSettings, protocol: str,
              listener_id: str) -> tuple[list[str], str, bool]:
    """One configuration's certificate ARNs (its default first), SSL policy, and whether it gives the default."""
    a = _Apply(mc, index(mc), "LoadBalancerConfiguration", config, listener_id, f"listener {listener_id}")
    arns: list[str] = []
    policy = ""
    default = False
    secure = protocol in ("HTTPS", "TLS")
    for s in entry.settings:
        f, v = s.path, s.value
        if f in ("defaultCertificate", "certificates", "sslPolicy") and not secure:
            a.not_carried(s, f"a {protocol} listener has no certificates nor SSL policy", "Nothing to do.")
        elif f == "defaultCertificate" and isinstance(v, str):
            if _CERTIFICATE.match(v):
                a.carried(s)
                arns.insert(0, v)
                default = True
            else:
                a.invalid(s, "a certificate is the ARN of an ACM or IAM server certificate")
        elif f == "certificates" and isinstance(v, tuple):
            wrong = [c for c in v if not (isinstance(c, str) and _CERTIFICATE.match(c))]
            if wrong:
                a.invalid(s, "a certificate is the ARN of an ACM or IAM server certificate")
            else:
                a.carried(s)
                arns += [c for c in v if isinstance(c, str)]
        elif f == "sslPolicy" and isinstance(v, str):
            if _SSL_POLICY.match(v):
                a.carried(s)
                policy = v
            else:
                a.invalid(s, "an SSL policy is one of Elastic Load Balancing's predefined policies (ELBSecurityPolicy-...)")
        else:
            detail, remediation = _NOT_CARRIED.get(f, ("kube2ecs does not carry it", "Set it on the listener by hand."))
            a.not_carried(s, detail, remediation)
    return arns, policy, default


def report_unmatched(mc: MapContext, gw: Gateway, configs: tuple[BalancerConfiguration, ...], made: set[str]) -> None:
    """listenerConfigurations entries that name no listener of the Gateway's load balancers (`made`: PROTOCOL:PORT)."""
    for config in configs:
        for entry in config.listeners:
            if entry.protocol_port not in made:
                mc.report(entry.origin, "K2E856", name=config.meta.name, protocol_port=entry.protocol_port or "(none)",
                          gateway=gw.meta.name, listeners=", ".join(sorted(made)) or "none")


# --- what became of each object ------------------------------------------------------------------------


def report(mc: MapContext, built: set[str]) -> None:
    """Once every stack is built: each policy and configuration applied (K2E852), or why not (K2E850, K2E853)."""
    policies = index(mc)
    lattice = mc.options.gateway_target == LATTICE
    services = {s.meta.key for s in mc.app.services}
    for p in sorted(mc.app.target_policies, key=lambda p: (p.meta.namespace, p.meta.name, p.kind)):
        key = _key(p, p.kind)
        if key in policies.duplicates:
            continue  # reported as such (K2E858)
        params: dict[str, Any] = {"kind": p.kind, "name": p.meta.name}
        target = f"{p.target.kind} {p.target.name}"
        if not _targets_service(p):
            detail = (f"a {p.target.kind} shares a Service with the other clusters of a VPC Lattice service network; "
                      "ECS has no cluster set to export to" if p.target.kind == "ServiceExport"
                      else f"it is a {p.target.kind} of group {p.target.group or 'core'}, not a Service")
            mc.report(p.target.origin, "K2E850", target=target, detail=detail,
                      remediation="Attach the policy to the Service the routes send to; for a ServiceExport, associate "
                                  "the ECS service's VPC Lattice service with the other service network by hand.",
                      **params)
        elif (p.target.namespace, p.target.name) not in services:
            mc.report(p.target.origin, "K2E850", target=target, detail=f"it is not in the input (namespace "
                      f"{p.target.namespace})", remediation="Add the Service to the input, or remove the policy.",
                      **params)
        elif p.kind == "TargetGroupConfiguration" and lattice:
            mc.report(p.origin, "K2E853", detail="gateway_target vpc-lattice makes VPC Lattice target groups, which "
                      "the AWS Load Balancer Controller's TargetGroupConfiguration does not configure",
                      remediation="Say the same in a TargetGroupPolicy for the Service, or use gateway_target "
                                  "load-balancer.", **params)
        elif key in policies.applied:
            shown = _in_order(policies.carried.get(key, []), [*p.settings, *(s for r in p.routes for s in r.settings)])
            mc.report(p.origin, "K2E852", fields=shown, resources=", ".join(sorted(policies.applied[key])), **params)
        else:
            mc.report(p.origin, "K2E853", detail=f"no route of a translated Gateway reaches Service {p.target.name}, "
                      "so no target group was made for it" + ("" if p.target.namespace in built else
                                                              f" (namespace {p.target.namespace} has no stack)"),
                      remediation="Nothing to do unless a route should send to the Service.", **params)
    for where, config in sorted(mc.app.balancer_configurations.items()):
        params = {"kind": "LoadBalancerConfiguration", "name": config.meta.name}
        applied = _key(config, "LoadBalancerConfiguration")
        if lattice:
            mc.report(config.origin, "K2E853", detail="gateway_target vpc-lattice makes no load balancer",
                      remediation="Nothing to do, or use gateway_target load-balancer.", **params)
        elif applied in policies.applied:
            fields = _in_order(policies.carried.get(applied, []),
                               [*(s for e in config.listeners for s in e.settings), *config.settings])
            mc.report(config.origin, "K2E852", fields=fields,
                      resources=", ".join(sorted(policies.applied[applied])), **params)
        else:
            detail = ("no Gateway's spec.infrastructure.parametersRef names it" if where not in policies.balancers else
                      f"Gateway {', '.join(sorted(policies.balancers[where]))} made no load balancer")
            mc.report(config.origin, "K2E853", detail=detail,
                      remediation="Name it in the Gateway's spec.infrastructure.parametersRef.", **params)
