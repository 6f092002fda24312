"""Health checks that do not travel with the traffic get their own way through the tasks' security group.

A readiness probe on a management port becomes a target-group health check on that port, and a UDP target
group is checked over TCP; the load balancer's security group is admitted on the traffic port only, so
without a rule for the check every target stays unhealthy and ECS replaces the tasks until the deployment
fails."""

from __future__ import annotations

from tests.support.manifests import deployment, service
from tests.unit.mapping.network.test_lattice import LATTICE
from translator.api import translate_text
from translator.model.ecs import SecurityGroupIngress
from translator.options import Options, options_from_dict

MANAGED = deployment("web", container="""\
          ports: [{containerPort: 8080, name: http}, {containerPort: 8081, name: mgmt}]
          readinessProbe: {httpGet: {path: /health, port: mgmt}}
""") + "---\n"


def _rules(text: str, options: Options | None = None) -> list[tuple[str, str, int]]:
    """(source of the rule, protocol, port) of every rule admitting something other than the tasks themselves."""
    result = translate_text(text, options or options_from_dict({}), name="app.yaml")
    assert [f for f in result.findings if f.code in ("K2E900", "K2E901")] == []
    rules = [r for s in result.stacks for r in s.resources if isinstance(r, SecurityGroupIngress)]
    return sorted((r.source_security_group_id.logical_id if r.source_security_group_id else "prefix-list", r.ip_protocol,
                   r.from_port or 0) for r in rules if r.from_port == r.to_port)


def test_a_load_balancer_service_admits_its_health_check_port() -> None:
    text = MANAGED + service("web", "{port: 80, targetPort: http}", type="LoadBalancer")
    assert _rules(text) == [("WebLoadBalancerSecurityGroup", "tcp", 8080), ("WebLoadBalancerSecurityGroup", "tcp", 8081)]


def test_an_ingress_admits_its_health_check_port_once_when_it_is_also_a_traffic_port() -> None:
    text = MANAGED + service("web", "{port: 80, targetPort: http}, {port: 81, targetPort: mgmt, name: mgmt}") + """\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /admin, pathType: Prefix, backend: {service: {name: web, port: {number: 81}}}}
"""
    assert _rules(text) == [("IngressAlbLoadBalancerSecurityGroup", "tcp", 8080),
                            ("IngressAlbLoadBalancerSecurityGroup", "tcp", 8081)]


def test_a_udp_gateway_listener_admits_the_tcp_health_check() -> None:
    text = deployment("dns", container="          ports: [{containerPort: 5353, protocol: UDP}]\n") + "---\n" + service(
        "dns", "{port: 53, targetPort: 5353, protocol: UDP}") + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: aws
  listeners: [{name: dns, protocol: UDP, port: 53}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: UDPRoute
metadata: {name: dns, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: dns, port: 53}]}]
"""
    group = "GatewayEdgeL4LoadBalancerSecurityGroup"
    assert _rules(text) == [(group, "tcp", 5353), (group, "udp", 5353)]


def test_a_lattice_target_group_admits_its_health_check_port() -> None:
    text = MANAGED + service("web", "{port: 80, targetPort: http}") + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: mesh, namespace: shop}
spec:
  gatewayClassName: amazon-vpc-lattice
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: mesh}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""
    assert _rules(text, LATTICE) == [("prefix-list", "tcp", 8080), ("prefix-list", "tcp", 8081)]
