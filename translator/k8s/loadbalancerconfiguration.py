"""LoadBalancerConfiguration and TargetGroupConfiguration (gateway.k8s.aws, the AWS Load Balancer
Controller's Gateway API support).

A Gateway names its LoadBalancerConfiguration in `spec.infrastructure.parametersRef`: scheme, IP address
type, attributes, tags, allowed source ranges and per-listener certificates and SSL policy of its load
balancer. A TargetGroupConfiguration attached to a Service (targetReference) sets the health check,
protocol, attributes and tags of the target groups of that Service's backends, by default and per route.
The mapping (`mapping/network/targetpolicies.py`) sets what maps on the Gateway's ALB or NLB, its
listeners and target groups, and reports each other field at its line.
"""

from __future__ import annotations

from typing import Any

from translator.k8s.common import origin, parse_meta
from translator.k8s.targetgrouppolicy import reference, settings
from translator.model.app import Application, BalancerConfiguration, ListenerSettings, RouteSettings, TargetPolicy
from translator.source.reader import Reader

ELB_GROUP = "gateway.k8s.aws"
KINDS: dict[str, tuple[str, ...]] = {"LoadBalancerConfiguration": (ELB_GROUP,), "TargetGroupConfiguration": (ELB_GROUP,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {ELB_GROUP: ("v1beta1",)}
BECOMES = (
    "LoadBalancerConfiguration: scheme, ipAddressType, loadBalancerName, loadBalancerAttributes, tags and "
    "sourceRanges of the load balancer of each Gateway whose parametersRef names it, certificates and SSL policy "
    "of its listeners (listenerConfigurations); TargetGroupConfiguration: health check, protocol, protocol "
    "version, attributes and tags of the ALB and NLB target groups of the Service it targets, per route where "
    "routeConfigurations say so (target type ip); every other field a finding (docs/aws-gateway-controllers.md)"
)
BALANCER: dict[str, Any] = dict(
    scheme=str, loadBalancerName=str, ipAddressType=str, sourceRanges=list,
    loadBalancerAttributes="pairs", tags=dict,
    mergingMode=str, enforceSecurityGroupInboundRulesOnPrivateLinkTraffic=str, customerOwnedIpv4Pool=str,
    ipv4IPAMPoolId=str, loadBalancerSubnets="any", loadBalancerSubnetsSelector="any",
    securityGroups=list, securityGroupPrefixes=list, vpcId=str, enableICMP=bool,
    manageBackendSecurityGroupRules=bool, minimumLoadBalancerCapacity="any", wafV2="any",
    shieldConfiguration="any",
)
BALANCER_REPORTED = frozenset(k for k in BALANCER if k not in (
    "scheme", "loadBalancerName", "ipAddressType", "sourceRanges", "loadBalancerAttributes", "tags"))
LISTENER: dict[str, Any] = dict(defaultCertificate=str, certificates=list, sslPolicy=str, alpnPolicy=str,
                            mutualAuthentication="any", listenerAttributes="pairs")
LISTENER_REPORTED = frozenset({"alpnPolicy", "mutualAuthentication", "listenerAttributes"})
TARGETS: dict[str, Any] = dict(
    targetType=str, protocol=str, protocolVersion=str,
    healthCheckConfig=dict(healthyThresholdCount=int, healthCheckInterval=int, healthCheckPath=str,
                          healthCheckPort=str, healthCheckProtocol=str, healthCheckTimeout=int,
                          unhealthyThresholdCount=int, matcher=dict(httpCode=str, grpcCode=str)),
    targetGroupAttributes="pairs", tags=dict, ipAddressType=str,
    targetGroupName=str, nodeSelector="any", enableMultiCluster=bool,
)
TARGETS_REPORTED = frozenset({"targetGroupName", "nodeSelector", "enableMultiCluster"})


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    if root.ctx.doc.kind == "LoadBalancerConfiguration":
        listeners = tuple(ListenerSettings(r.str("protocolPort") or "", tuple(settings(r, LISTENER, "", LISTENER_REPORTED)),
                                           origin(r)) for r in spec.items("listenerConfigurations"))
        app.balancer_configurations[meta.key] = BalancerConfiguration(
            meta, tuple(settings(spec, BALANCER, "", BALANCER_REPORTED)), listeners, origin(root))
        return
    target = reference(spec, "targetReference", meta.namespace)
    if target is None:
        return
    default = spec.child("defaultConfiguration")
    routes = []
    for r in spec.items("routeConfigurations"):
        ident = r.child("routeIdentifier")
        props = r.child("targetGroupProps")
        routes.append(RouteSettings((ident.str("kind") or "") if ident else "", (ident.str("namespace") or "") if ident else "",
                                    (ident.str("name") or "") if ident else "",
                                    tuple(settings(props, TARGETS, "", TARGETS_REPORTED)) if props else (), origin(r)))
    app.target_policies.append(TargetPolicy(
        meta, "TargetGroupConfiguration", target,
        tuple(settings(default, TARGETS, "", TARGETS_REPORTED)) if default is not None else (), tuple(routes), origin(root)))
