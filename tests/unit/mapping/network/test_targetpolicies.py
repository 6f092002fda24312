"""The AWS controllers' Gateway API configuration objects (TargetGroupPolicy, TargetGroupConfiguration,
LoadBalancerConfiguration): what each sets on the target groups, load balancer and listeners, and exact findings."""

from __future__ import annotations

from tests.support.manifests import deployment, service
from tests.unit.mapping.network.test_gateway import APP, GATEWAY, GRPC
from translator.api import TranslationResult, translate_text
from translator.model.ecs import (
    Attribute,
    Certificate,
    LatticeHealthCheck,
    LatticeMatcher,
    LatticeTargetGroup,
    Listener,
    ListenerCertificate,
    LoadBalancer,
    Matcher,
    SecurityGroup,
    Tag,
    TargetGroup,
    TargetHealthCheck,
)
from translator.model.intrinsics import Ref
from translator.options import Options, options_from_dict

LATTICE = options_from_dict({"gateway_target": "vpc-lattice"})
ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules:
    - backendRefs: [{name: web, port: 80}]
    - matches: [{path: {value: /beta}}]
      backendRefs: [{name: canary, port: 80}]
---
"""
POLICIES = """\
apiVersion: application-networking.k8s.aws/v1alpha1
kind: TargetGroupPolicy
metadata: {name: web-policy, namespace: shop}
spec:
  targetRef: {group: "", kind: Service, name: web}
  protocol: HTTP
  protocolVersion: HTTP2
  healthCheck:
    enabled: false
    intervalSeconds: 10
    timeoutSeconds: 1
    healthyThresholdCount: 3
    unhealthyThresholdCount: 2
    path: /health
    port: 8080
    protocol: HTTP
    protocolVersion: HTTP1
    statusMatch: "200"
---
apiVersion: application-networking.k8s.aws/v1alpha1
kind: TargetGroupPolicy
metadata: {name: exported, namespace: shop}
spec:
  targetRef: {group: application-networking.k8s.aws, kind: ServiceExport, name: web}
---
apiVersion: gateway.k8s.aws/v1beta1
kind: TargetGroupConfiguration
metadata: {name: canary-tg, namespace: shop}
spec:
  targetReference: {name: canary}
  defaultConfiguration:
    targetType: instance
    tags: {team: shop}
    targetGroupAttributes: [{key: deregistration_delay.timeout_seconds, value: "30"}]
    healthCheckConfig:
      healthCheckPath: /ready
      healthCheckInterval: 400
      matcher: {httpCode: "200-299"}
  routeConfigurations:
    - routeIdentifier: {kind: HTTPRoute, namespace: shop, name: shop}
      targetGroupProps:
        healthCheckConfig: {healthCheckPath: /shop-ready}
---
apiVersion: gateway.k8s.aws/v1beta1
kind: TargetGroupConfiguration
metadata: {name: missing-tg, namespace: shop}
spec:
  targetReference: {name: gone}
---
"""
LBC = """\
apiVersion: gateway.k8s.aws/v1beta1
kind: LoadBalancerConfiguration
metadata: {name: edge-lb, namespace: shop}
spec:
  scheme: internet-facing
  ipAddressType: dualstack
  loadBalancerName: shop-edge
  sourceRanges: [10.0.0.0/8, "2001:db8::/32"]
  loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
  tags: {env: prod}
  wafV2: {webACL: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop/1"}
  listenerConfigurations:
    - protocolPort: HTTPS:443
      defaultCertificate: arn:aws:acm:us-east-1:111122223333:certificate/default
      certificates: ["arn:aws:acm:us-east-1:111122223333:certificate/extra"]
      sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
      alpnPolicy: HTTP2Preferred
    - protocolPort: HTTP:8080
      sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
---
"""
CONFIGURED = GATEWAY.replace("  gatewayClassName: aws-alb\n", "  gatewayClassName: aws-alb\n  infrastructure:\n    parametersRef: "
                             "{group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: edge-lb}\n")
CODES = ("K2E850", "K2E851", "K2E852", "K2E853", "K2E854", "K2E855", "K2E856", "K2E857", "K2E858")


def _translate(text: str, options: Options | None = None) -> tuple[TranslationResult, dict[str, object]]:
    result = translate_text(text, options, name="app.yaml")
    return result, {r.logical_id: r for s in result.stacks for r in s.resources}


def _findings(result: TranslationResult) -> list[tuple[str, int, str]]:
    return [(f.code, f.location.line, f.message) for f in result.findings if f.code in CODES]


TGP_ON_ALB = [
    ("K2E852", 72, "TargetGroupPolicy web-policy set protocol, protocolVersion, healthCheck.intervalSeconds, "
     "healthCheck.healthyThresholdCount, healthCheck.unhealthyThresholdCount, healthCheck.statusMatch, "
     "healthCheck.path, healthCheck.port, healthCheck.protocol on GatewayEdgeWeb80TargetGroup"),
    ("K2E851", 80, "TargetGroupPolicy web-policy: healthCheck.enabled false is not carried to the ALB/NLB target "
     "groups of Service web: the health checks of an ip target group cannot be turned off"),
    ("K2E857", 82, "TargetGroupPolicy web-policy: healthCheck.timeoutSeconds 1 was not applied: it must be 2 to 120 "
     "on the ALB/NLB target groups of Service web"),
    ("K2E851", 88, "TargetGroupPolicy web-policy: healthCheck.protocolVersion HTTP1 is not carried to the ALB/NLB "
     "target groups of Service web: an ALB target group's health check has no protocol version (a GRPC target "
     "group's checks are gRPC calls, an HTTP1 or HTTP2 one's HTTP requests)"),
]
EXPORTED = ("K2E850", 95, "TargetGroupPolicy exported targets ServiceExport web, which was not configured: a "
            "ServiceExport shares a Service with the other clusters of a VPC Lattice service network; ECS has no "
            "cluster set to export to")
MISSING = ("K2E850", 119, "TargetGroupConfiguration missing-tg targets Service gone, which was not configured: it is "
           "not in the input (namespace shop)")


def test_policies_set_the_alb_target_groups_of_their_services() -> None:
    result, resources = _translate(APP + CONFIGURED + ROUTE + POLICIES + LBC)
    web = resources["GatewayEdgeWeb80TargetGroup"]
    assert isinstance(web, TargetGroup) and (web.protocol, web.protocol_version) == ("HTTP", "HTTP2")
    assert web.health_check == TargetHealthCheck("HTTP", 10, 5, 3, 2, port="8080", path="/health",
                                                 matcher=Matcher(http_code="200"))
    canary = resources["GatewayEdgeCanary80TargetGroup"]  # the route's routeConfigurations entry over the default
    assert isinstance(canary, TargetGroup)
    assert canary.health_check == TargetHealthCheck("HTTP", 15, 5, 2, 2, path="/shop-ready",
                                                    matcher=Matcher(http_code="200-299"))
    assert canary.attributes == (Attribute("deregistration_delay.timeout_seconds", "30"),)
    assert canary.tags == (Tag("team", "shop"),)
    assert _findings(result)[:9] == [*TGP_ON_ALB, EXPORTED, (
        "K2E852", 97, "TargetGroupConfiguration canary-tg set healthCheckConfig.healthCheckPath, "
        "healthCheckConfig.matcher.httpCode, targetGroupAttributes, tags on GatewayEdgeCanary80TargetGroup"), (
        "K2E854", 103, "TargetGroupConfiguration canary-tg asks for targetType instance; the ALB/NLB target groups "
        "of Service canary are of type ip"), (

        "K2E857", 108, "TargetGroupConfiguration canary-tg: healthCheckConfig.healthCheckInterval 400 was not "
        "applied: it must be 5 to 300 on the ALB/NLB target groups of Service canary"), MISSING]


def test_a_load_balancer_configuration_sets_the_gateways_load_balancer_and_listeners() -> None:
    result, resources = _translate(APP + CONFIGURED + ROUTE + LBC)
    lb = resources["GatewayEdgeLoadBalancer"]
    assert isinstance(lb, LoadBalancer)
    assert (lb.scheme, lb.name, lb.ip_address_type) == ("internet-facing", "shop-edge", "dualstack")
    assert lb.attributes == (Attribute("idle_timeout.timeout_seconds", "120"),)
    assert lb.tags == (Tag("kube2ecs:object", "Gateway/edge"), Tag("env", "prod"))
    group = resources["GatewayEdgeLoadBalancerSecurityGroup"]
    assert isinstance(group, SecurityGroup)
    assert {(r.from_port, r.cidr_ip or r.cidr_ipv6) for r in group.ingress} == {
        (80, "10.0.0.0/8"), (80, "2001:db8::/32"), (443, "10.0.0.0/8"), (443, "2001:db8::/32")}
    https = resources["GatewayEdge443Listener"]
    assert isinstance(https, Listener) and https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https.certificates == (Certificate("arn:aws:acm:us-east-1:111122223333:certificate/default"),)
    extra = resources["GatewayEdge443Certificates"]
    assert isinstance(extra, ListenerCertificate)
    assert extra.certificates == (Certificate("arn:aws:acm:us-east-1:111122223333:certificate/extra"),)
    assert "ShopTlsCertificateArn" not in {p for s in result.stacks for p in s.parameters}
    assert _findings(result) == [
        ("K2E852", 72, "LoadBalancerConfiguration edge-lb set defaultCertificate, certificates, sslPolicy, scheme, "
         "loadBalancerName, ipAddressType, sourceRanges, loadBalancerAttributes, tags on GatewayEdge443Listener, "
         "GatewayEdgeLoadBalancer"),
        ("K2E851", 82, "LoadBalancerConfiguration edge-lb: wafV2 webACL is not carried to the ALB "
         "GatewayEdgeLoadBalancer: no web ACL is associated"),
        ("K2E851", 88, "LoadBalancerConfiguration edge-lb: alpnPolicy HTTP2Preferred is not carried to listener "
         "GatewayEdge443Listener: the listener's ALPN policy is not carried"),
        ("K2E856", 89, "LoadBalancerConfiguration edge-lb: listenerConfigurations HTTP:8080 names no listener of "
         "Gateway edge (listeners: HTTP:80, HTTPS:443)")]


def test_under_vpc_lattice_a_target_group_policy_sets_the_lattice_target_group() -> None:
    result, resources = _translate(APP + CONFIGURED + ROUTE + POLICIES + LBC, LATTICE)
    web = resources["Web80LatticeTargetGroup"]
    assert isinstance(web, LatticeTargetGroup) and web.config is not None
    assert (web.config.protocol, web.config.protocol_version) == ("HTTP", "HTTP2")
    assert web.config.health_check == LatticeHealthCheck(False)  # enabled: false leaves every other field out
    assert _findings(result) == [
        ("K2E852", 72, "TargetGroupPolicy web-policy set protocol, protocolVersion, healthCheck.enabled on "
         "Web80LatticeTargetGroup"),
        ("K2E851", 81, "TargetGroupPolicy web-policy: healthCheck intervalSeconds, timeoutSeconds, "
         "healthyThresholdCount, unhealthyThresholdCount, statusMatch, path, port, protocol, protocolVersion is not "
         "carried to the VPC Lattice target group Web80LatticeTargetGroup: the target group's health check is off "
         "(healthCheck.enabled false, or a gRPC or TCP target group the policy does not turn it on for)"),
        EXPORTED,
        ("K2E853", 97, "TargetGroupConfiguration canary-tg configures nothing: gateway_target vpc-lattice makes VPC "
         "Lattice target groups, which the AWS Load Balancer Controller's TargetGroupConfiguration does not "
         "configure"),
        MISSING,
        ("K2E853", 121, "LoadBalancerConfiguration edge-lb configures nothing: gateway_target vpc-lattice makes no "
         "load balancer")]


def test_a_lattice_health_check_a_policy_sets_and_one_it_turns_on() -> None:
    policy = POLICIES.split("---\n")[0].replace("    enabled: false\n", "    enabled: true\n")
    _, resources = _translate(APP + GATEWAY + ROUTE + policy, LATTICE)
    web = resources["Web80LatticeTargetGroup"]
    assert isinstance(web, LatticeTargetGroup) and web.config is not None
    assert web.config.health_check == LatticeHealthCheck(
        True, protocol="HTTP", protocol_version="HTTP1", path="/health", port=8080, health_check_interval_seconds=10,
        health_check_timeout_seconds=1, healthy_threshold_count=3, unhealthy_threshold_count=2,
        matcher=LatticeMatcher("200"))
    grpc = GRPC + "---\n" + policy.replace("name: web}", "name: cart}").replace("web-policy", "cart-policy")
    result, resources = _translate(APP + GATEWAY + grpc, LATTICE)
    cart = resources["Cart9090GrpcLatticeTargetGroup"]
    assert isinstance(cart, LatticeTargetGroup) and cart.config is not None and cart.config.health_check.enabled
    assert not [f for f in result.findings if f.code == "K2E818"]  # the policy turned the check on


def test_an_nlb_target_group_takes_the_health_check_of_a_target_group_configuration() -> None:
    text = deployment("echo", "example/echo:1.0", container="""\
          ports: [{name: tcp, containerPort: 9000}]
""") + "---\n" + service("echo", "{name: tcp, port: 9000, targetPort: tcp}") + "---\n" + """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tcp, namespace: shop}
spec:
  gatewayClassName: aws-nlb
  listeners: [{name: echo, protocol: TCP, port: 31400}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: echo, namespace: shop}
spec:
  parentRefs: [{name: tcp, sectionName: echo}]
  rules: [{backendRefs: [{name: echo, port: 9000}]}]
---
apiVersion: gateway.k8s.aws/v1beta1
kind: TargetGroupConfiguration
metadata: {name: echo, namespace: shop}
spec:
  targetReference: {kind: Service, name: echo}
  defaultConfiguration:
    targetType: ip
    protocol: TCP
    healthCheckConfig: {healthCheckProtocol: http, healthCheckPath: /healthz, healthCheckPort: "8081"}
"""
    result, resources = _translate(text)
    group = resources["GatewayTcpL4Echo9000TargetGroup"]
    assert isinstance(group, TargetGroup) and group.protocol == "TCP"
    assert group.health_check == TargetHealthCheck("HTTP", 15, 5, 2, 2, port="8081", path="/healthz",
                                                   matcher=Matcher(http_code="200-399"))
    assert _findings(result) == [
        ("K2E852", 35, "TargetGroupConfiguration echo set targetType, protocol, healthCheckConfig.healthCheckPath, "
         "healthCheckConfig.healthCheckPort, healthCheckConfig.healthCheckProtocol on GatewayTcpL4Echo9000TargetGroup")]


def test_a_second_policy_unused_policies_and_a_missing_configuration_are_reported() -> None:
    second = POLICIES.split("---\n")[0].replace("web-policy", "web-policy-2")
    unused = LBC.replace("edge-lb", "spare-lb")
    missing = GATEWAY.replace("  gatewayClassName: aws-alb\n", "  gatewayClassName: aws-alb\n  infrastructure:\n"
                              "    parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: gone}\n")
    result, _ = _translate(APP + missing + POLICIES.split("---\n")[0] + "---\n" + second + "---\n" + unused)
    assert _findings(result) == [
        ("K2E855", 49, "Gateway edge names LoadBalancerConfiguration gone in its parametersRef, which "
         "was not applied: it is not in the input (namespace shop)"),
        ("K2E853", 62, "TargetGroupPolicy web-policy configures nothing: no route of a translated Gateway reaches "
         "Service web, so no target group was made for it"),
        ("K2E858", 81, "TargetGroupPolicy web-policy-2 targets Service web, which TargetGroupPolicy web-policy "
         "already configures; web-policy-2 was not applied"),
        ("K2E853", 100, "LoadBalancerConfiguration spare-lb configures nothing: no Gateway's "
         "spec.infrastructure.parametersRef names it")]


def test_values_elastic_load_balancing_would_refuse_are_reported_and_not_applied() -> None:
    """cfn-lint does not check these; the deploy would fail on each (K2E857), so none reaches the template."""
    policies = POLICIES.replace("    path: /health\n", "    path: health\n").replace("    port: 8080\n", "    port: 70000\n")
    lbc = (LBC.replace("defaultCertificate: arn:aws:acm:us-east-1:111122223333:certificate/default",
                       "defaultCertificate: my-certificate")
           .replace('certificates: ["arn:aws:acm:us-east-1:111122223333:certificate/extra"]', 'certificates: ["arn:x"]')
           .replace("      sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06\n      alpnPolicy",
                    "      sslPolicy: modern\n      alpnPolicy"))
    result, resources = _translate(APP + CONFIGURED + ROUTE + policies + lbc)
    web = resources["GatewayEdgeWeb80TargetGroup"]
    assert isinstance(web, TargetGroup) and web.health_check is not None
    assert (web.health_check.path, web.health_check.port) == ("/", None)  # the controller's defaults stay
    https = resources["GatewayEdge443Listener"]
    assert isinstance(https, Listener) and not https.ssl_policy
    assert https.certificates == (Certificate(Ref("ShopTlsCertificateArn")),)  # the Secrets' parameters, as without one
    extra = resources["GatewayEdge443Certificates"]
    assert isinstance(extra, ListenerCertificate) and extra.certificates == (Certificate(Ref("AdminTlsCertificateArn")),)
    refused = [(line, message.split(": ", 1)[1]) for code, line, message in _findings(result) if code == "K2E857"]
    assert refused == [
        (82, "healthCheck.timeoutSeconds 1 was not applied: it must be 2 to 120 on the ALB/NLB target groups of "
             "Service web"),
        (85, "healthCheck.path health was not applied: an ALB or NLB health-check path starts with / and has at "
             "most 1,024 characters"),
        (86, "healthCheck.port 70000 was not applied: the health-check port is traffic-port or a number from 1 to "
             "65535"),
        (108, "healthCheckConfig.healthCheckInterval 400 was not applied: it must be 5 to 300 on the ALB/NLB "
              "target groups of Service canary"),
        (134, "defaultCertificate my-certificate was not applied: a certificate is the ARN of an ACM or IAM server "
              "certificate"),
        (135, "certificates arn:x was not applied: a certificate is the ARN of an ACM or IAM server certificate"),
        (136, "sslPolicy modern was not applied: an SSL policy is one of Elastic Load Balancing's predefined "
              "policies (ELBSecurityPolicy-...)"),
    ]


CLASS_LB = """\
apiVersion: gateway.k8s.aws/v1beta1
kind: LoadBalancerConfiguration
metadata: {name: platform-lb, namespace: platform}
spec:
  scheme: internal
  loadBalancerAttributes: [{key: deletion_protection.enabled, value: "true"}]
  listenerConfigurations:
    - protocolPort: HTTPS:443
      sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
---
"""
WITH_CLASS_LB = GATEWAY.replace(
    "spec: {controllerName: gateway.k8s.aws/alb}",
    "spec:\n  controllerName: gateway.k8s.aws/alb\n  parametersRef:\n"
    "    {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: platform-lb, namespace: platform}")


def test_a_gateway_class_configuration_applies_to_its_gateways_and_wins_where_both_set_a_value() -> None:
    """The controller's merge: the GatewayClass's configuration by default (prefer-gateway-class), the Gateway's
    with mergingMode prefer-gateway; what only one of them gives comes through either way, field by field within
    a listener's entry too, and each finding names the object the setting comes from."""
    _, alone = _translate(APP + WITH_CLASS_LB + ROUTE + CLASS_LB)
    lb = alone["GatewayEdgeLoadBalancer"]
    assert isinstance(lb, LoadBalancer) and lb.attributes == (Attribute("deletion_protection.enabled", "true"),)
    https = alone["GatewayEdge443Listener"]
    assert isinstance(https, Listener) and https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"

    both = WITH_CLASS_LB.replace("  gatewayClassName: aws-alb\n", "  gatewayClassName: aws-alb\n  infrastructure:\n"
                                 "    parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: edge-lb}\n")
    result, merged = _translate(APP + both + ROUTE + LBC + CLASS_LB)
    lb, https = merged["GatewayEdgeLoadBalancer"], merged["GatewayEdge443Listener"]
    assert isinstance(lb, LoadBalancer) and isinstance(https, Listener)
    assert (lb.scheme, lb.name) == ("internal", "shop-edge")  # scheme: both give it, the class's; name: the Gateway's
    assert lb.attributes == (Attribute("deletion_protection.enabled", "true"),)
    assert https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"  # the class's, beside the Gateway's certificates
    assert https.certificates == (Certificate("arn:aws:acm:us-east-1:111122223333:certificate/default"),)
    assert [(c, line, m) for c, line, m in _findings(result) if c == "K2E852"] == [
        ("K2E852", 75, "LoadBalancerConfiguration edge-lb set defaultCertificate, certificates, loadBalancerName, "
         "ipAddressType, sourceRanges, tags on GatewayEdge443Listener, GatewayEdgeLoadBalancer"),
        ("K2E852", 95, "LoadBalancerConfiguration platform-lb set sslPolicy, scheme, loadBalancerAttributes on "
         "GatewayEdge443Listener, GatewayEdgeLoadBalancer")]
    preferring = CLASS_LB.replace("  scheme: internal\n", "  scheme: internal\n  mergingMode: prefer-gateway\n")
    _, gateway_first = _translate(APP + both + ROUTE + LBC + preferring)
    lb = gateway_first["GatewayEdgeLoadBalancer"]
    assert isinstance(lb, LoadBalancer) and lb.scheme == "internet-facing"
    assert lb.attributes == (Attribute("idle_timeout.timeout_seconds", "120"),)


def test_a_gateway_class_reference_without_a_namespace_is_reported() -> None:
    unqualified = WITH_CLASS_LB.replace(", namespace: platform}", "}")
    result, resources = _translate(APP + unqualified + ROUTE + CLASS_LB)
    lb = resources["GatewayEdgeLoadBalancer"]
    assert isinstance(lb, LoadBalancer) and not lb.attributes  # the controller's defaults stay
    assert [(c, m) for c, _, m in _findings(result) if c == "K2E855"] == [
        ("K2E855", "GatewayClass aws-alb names LoadBalancerConfiguration platform-lb in its parametersRef, which was "
                   "not applied: it names no namespace, which the reference of a cluster-wide GatewayClass needs")]


def test_the_resources_a_configuration_object_sets_name_it_in_their_metadata() -> None:
    """A reviewer reading a target group or load balancer finds the policy that shaped it among its objects."""
    _, resources = _translate(APP + CONFIGURED + ROUTE + POLICIES + LBC)

    def kinds(logical_id: str) -> list[str]:
        return [f"{o.kind}/{o.name}" for o in resources[logical_id].metadata.objects]

    assert "TargetGroupPolicy/web-policy" in kinds("GatewayEdgeWeb80TargetGroup")
    assert "TargetGroupConfiguration/canary-tg" in kinds("GatewayEdgeCanary80TargetGroup")
    assert "TargetGroupConfiguration/canary-tg" not in kinds("GatewayEdgeWeb80TargetGroup")
    assert kinds("GatewayEdgeLoadBalancer") == ["Gateway/edge", "LoadBalancerConfiguration/edge-lb"]
    _, lattice = _translate(APP + CONFIGURED + ROUTE + POLICIES, LATTICE)
    assert [f"{o.kind}/{o.name}" for o in lattice["Web80LatticeTargetGroup"].metadata.objects][-1] == \
        "TargetGroupPolicy/web-policy"


def test_a_dualstack_gateway_without_source_ranges_admits_ipv6_clients() -> None:
    config = LBC.replace('  sourceRanges: [10.0.0.0/8, "2001:db8::/32"]\n', "")
    _, resources = _translate(APP + CONFIGURED + ROUTE + config)
    group = resources["GatewayEdgeLoadBalancerSecurityGroup"]
    assert isinstance(group, SecurityGroup)
    assert sorted({(rule.cidr_ip or "", rule.cidr_ipv6 or "") for rule in group.ingress}) == [("", "::/0"), ("0.0.0.0/0", "")]
