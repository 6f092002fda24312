"""Gateway API to VPC Lattice (gateway_target vpc-lattice): matches, services, rules, target groups, the ECS
registration, and exact findings."""

from __future__ import annotations

import pytest

from tests.support.manifests import deployment, service
from tests.unit.mapping.network.test_gateway import APP, GRPC
from translator.api import translate_text
from translator.mapping.network.ingressrules import Unroutable
from translator.mapping.network.lattice import lattice_name
from translator.mapping.network.latticerules import lattice_match, scaled
from translator.model.app import RouteMatch, ValueMatch
from translator.model.ecs import (
    EcsService,
    LatticeAction,
    LatticeFixedResponse,
    LatticeForward,
    LatticeHeaderMatch,
    LatticeHttpMatch,
    LatticeListener,
    LatticeMatchValue,
    LatticePathMatch,
    LatticeRule,
    LatticeRuleMatch,
    LatticeService,
    LatticeServiceAssociation,
    LatticeServiceNetwork,
    LatticeTargetGroup,
    LatticeVpcAssociation,
    LatticeWeightedTargetGroup,
    LoadBalancer,
    Role,
    SecurityGroupIngress,
    VpcLatticeConfiguration,
)
from translator.model.intrinsics import GetAtt, Ref
from translator.options import OptionsError, options_from_dict

LATTICE = options_from_dict({"gateway_target": "vpc-lattice"})
GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: lattice}
spec: {controllerName: application-networking.k8s.aws/gateway-api-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: mesh, namespace: shop}
spec:
  gatewayClassName: lattice
  listeners:
    - {name: http, protocol: HTTP, port: 80}
    - name: https
      protocol: HTTPS
      port: 443
      tls: {certificateRefs: [{name: shop-tls}]}
    - {name: raw, protocol: TCP, port: 5432}
---
"""
ROUTES = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: mesh, sectionName: https}]
  hostnames: [shop.example.com, www.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: web, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}]
    - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: "always"}]}]
      backendRefs: [{name: canary, port: 80}]
    - matches: [{path: {type: Exact, value: /old}}]
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
    - matches: [{path: {type: PathPrefix, value: /drain}, method: PATCH}, {path: {value: /q}, queryParams: [{name: v, value: "2"}]}]
      backendRefs: [{name: web, port: 80, weight: 0}]
    - matches: [{path: {type: PathPrefix, value: /drain}}]
      filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: prod}]}}]
      backendRefs: [{name: web, port: 80, weight: 0}, {name: web, namespace: other, port: 80}]
"""


def _resources(text: str) -> dict[str, object]:
    result = translate_text(text, LATTICE, name="app.yaml")
    return {r.logical_id: r for s in result.stacks for r in s.resources}


# --- matches -----------------------------------------------------------------------------------------

def _http(path: LatticeMatchValue, headers: tuple[LatticeHeaderMatch, ...] | None = None,
          method: str | None = None) -> LatticeRuleMatch:
    return LatticeRuleMatch(LatticeHttpMatch(LatticePathMatch(path), headers, method))


def test_path_header_and_method_matches_become_one_lattice_match() -> None:
    match = RouteMatch("PathPrefix", "/api", "GET", (ValueMatch("x-canary", "on"),))
    assert lattice_match(match, "HTTPRoute") == _http(
        LatticeMatchValue(prefix="/api"), (LatticeHeaderMatch("x-canary", LatticeMatchValue(exact="on")),), "GET")
    assert lattice_match(RouteMatch("Exact", "/login"), "HTTPRoute") == _http(LatticeMatchValue(exact="/login"))
    assert lattice_match(RouteMatch(), "HTTPRoute") == _http(LatticeMatchValue(prefix="/"))


def test_grpc_service_and_method_become_lattice_paths() -> None:
    def grpc(service: str = "", method: str = "") -> LatticeRuleMatch:
        return lattice_match(RouteMatch(grpc_type="Exact", service=service, grpc_method=method), "GRPCRoute")

    assert grpc("shop.Cart", "Add") == _http(LatticeMatchValue(exact="/shop.Cart/Add"))
    assert grpc("shop.Cart") == _http(LatticeMatchValue(prefix="/shop.Cart/"))
    assert grpc() == _http(LatticeMatchValue(prefix="/"))


@pytest.mark.parametrize(("match", "kind", "says"), [
    (RouteMatch("RegularExpression", "/v[0-9]+"), "HTTPRoute", "RegularExpression"),
    (RouteMatch(queries=(ValueMatch("v", "2"),)), "HTTPRoute", "query parameters"),
    (RouteMatch(method="PATCH"), "HTTPRoute", "method PATCH"),
    (RouteMatch("Exact", "/a b"), "HTTPRoute", "characters"),
    (RouteMatch(headers=tuple(ValueMatch(f"h{i}", "1") for i in range(6))), "HTTPRoute", "6 headers"),
    (RouteMatch(headers=(ValueMatch("x", "a.*", "RegularExpression"),)), "HTTPRoute", "header x"),
    (RouteMatch(headers=(ValueMatch("x" * 41, "1"),)), "HTTPRoute", "name over 40"),
    (RouteMatch(grpc_type="Exact", grpc_method="Add"), "GRPCRoute", "any service"),
    (RouteMatch(grpc_type="RegularExpression", service="shop.*"), "GRPCRoute", "RegularExpression"),
])
def test_matches_lattice_cannot_express(match: RouteMatch, kind: str, says: str) -> None:
    with pytest.raises(Unroutable, match=says):
        lattice_match(match, kind)


def test_weights_scale_into_the_lattice_range_and_names_fit_lattice() -> None:
    assert scaled([90, 10]) == [90, 10]
    assert scaled([2000, 1000]) == [999, 500]
    assert lattice_name("My_Gateway--v2", 63, "servicenetwork-") == "my-gateway-v2"
    assert lattice_name("servicenetwork-edge", 63, "servicenetwork-") == "edge"
    assert lattice_name("a", 40, "svc-") == "a-k2e"


# --- the resources -----------------------------------------------------------------------------------

def test_gateway_becomes_a_service_network_and_each_route_a_lattice_service() -> None:
    resources = _resources(APP + GATEWAY + ROUTES)
    assert not [r for r in resources.values() if isinstance(r, LoadBalancer)]
    network = resources["GatewayMeshServiceNetwork"]
    assert isinstance(network, LatticeServiceNetwork) and network.name == "mesh"
    assert resources["GatewayMeshVpcAssociation"] == LatticeVpcAssociation(
        "GatewayMeshVpcAssociation", metadata=network.metadata, service_network_identifier=Ref("GatewayMeshServiceNetwork"),
        vpc_identifier=Ref("VpcId"))
    svc = resources["ShopHTTPRouteLatticeService"]
    assert isinstance(svc, LatticeService) and svc.name == "shop-shop" and svc.custom_domain_name == "shop.example.com"
    assert svc.certificate_arn == Ref("ShopTlsCertificateArn")
    joined = resources["MeshShopHTTPRouteServiceAssociation"]
    assert isinstance(joined, LatticeServiceAssociation) and joined.service_identifier == Ref(svc.logical_id)
    listener = resources["ShopHTTPRoute443LatticeListener"]
    assert isinstance(listener, LatticeListener) and (listener.port, listener.protocol) == (443, "HTTPS")
    assert listener.default_action == LatticeAction(fixed_response=LatticeFixedResponse(404))


def test_rules_keep_gateway_api_precedence_and_weights() -> None:
    resources = _resources(APP + GATEWAY + ROUTES)
    rules = sorted((r for r in resources.values() if isinstance(r, LatticeRule)), key=lambda r: r.priority)
    assert [(r.priority, r.match) for r in rules] == [
        (1, _http(LatticeMatchValue(prefix="/drain"))),  # the longest prefix first
        (2, _http(LatticeMatchValue(prefix="/api"), (LatticeHeaderMatch("x-canary", LatticeMatchValue(exact="always")),))),
        (3, _http(LatticeMatchValue(prefix="/api"))),
    ]  # /old redirects and the PATCH and query matches have no Lattice form: reported, left out
    assert rules[0].action == LatticeAction(fixed_response=LatticeFixedResponse(500))  # weight 0 only: the spec's 500
    assert rules[2].action == LatticeAction(forward=LatticeForward((
        LatticeWeightedTargetGroup(Ref("Web80LatticeTargetGroup"), 90),
        LatticeWeightedTargetGroup(Ref("Canary80LatticeTargetGroup"), 10))))


def test_ecs_services_register_their_named_port_through_the_infrastructure_role() -> None:
    resources = _resources(APP + GATEWAY + ROUTES)
    web = resources["WebService"]
    assert isinstance(web, EcsService) and web.load_balancers == ()
    assert web.vpc_lattice_configurations == (
        VpcLatticeConfiguration(GetAtt("EcsVpcLatticeRole", "Arn"), Ref("Web80LatticeTargetGroup"), "http"),)
    group = resources["Web80LatticeTargetGroup"]
    assert isinstance(group, LatticeTargetGroup) and group.type == "IP" and group.config is not None
    assert (group.config.port, group.config.protocol, group.config.protocol_version) == (8080, "HTTP", "HTTP1")
    role = resources["EcsVpcLatticeRole"]
    assert isinstance(role, Role) and role.principal == "ecs.amazonaws.com" and not role.source_account
    assert [a.text for a in role.managed_policy_arns] == [  # type: ignore[union-attr]
        "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice"]
    opened = resources["VpcLattice8080Ingress"]
    assert isinstance(opened, SecurityGroupIngress) and opened.source_prefix_list_id == Ref("VpcLatticePrefixListId")
    assert (opened.from_port, opened.to_port, opened.source_security_group_id) == (8080, 8080, None)


def test_grpc_target_group_speaks_grpc_without_a_health_check() -> None:
    result = translate_text(APP + GATEWAY + GRPC.replace("edge", "mesh"), LATTICE)
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    group = resources["Cart9090GrpcLatticeTargetGroup"]
    assert isinstance(group, LatticeTargetGroup) and group.config is not None
    assert group.config.protocol_version == "GRPC" and not group.config.health_check.enabled
    assert [f.message for f in result.findings if f.code == "K2E818"] == [
        "target group Cart9090GrpcLatticeTargetGroup of Service cart port 9090 has no health check: it speaks gRPC, "
        "and VPC Lattice health checks send HTTP requests, not gRPC health calls"]


def test_without_the_option_gateways_stay_load_balancers() -> None:
    result = translate_text(APP + GATEWAY + ROUTES, name="app.yaml")
    types = {r.TYPE for s in result.stacks for r in s.resources}
    assert "AWS::ElasticLoadBalancingV2::LoadBalancer" in types
    assert not [t for t in types if t.startswith("AWS::VpcLattice::")]
    assert "gateway_target" not in {d.option for d in result.decisions}


def test_the_option_is_checked_and_reported_as_a_decision() -> None:
    with pytest.raises(OptionsError, match="gateway_target must be one of load-balancer, vpc-lattice"):
        options_from_dict({"gateway_target": "lattice"})
    result = translate_text(APP, LATTICE)
    assert [(d.option, d.value, d.default) for d in result.decisions if d.option == "gateway_target"] == [
        ("gateway_target", "vpc-lattice", False)]


# --- exact findings ----------------------------------------------------------------------------------

EXACT = GRPC.replace("edge", "mesh").replace("sectionName: https", "sectionName: http") + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  parentRefs: [{name: mesh, sectionName: https}, {name: mesh, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
""" + "".join(f"""\
    - matches: [{{path: {{type: Exact, value: /p{i}}}}}]
      backendRefs: [{{name: web, port: 80, weight: {1000 + i}}}, {{name: canary, port: 80, weight: 1}}]
""" for i in range(11))


def test_exact_findings() -> None:
    text = APP + GATEWAY + ROUTES + "---\n" + EXACT
    result = translate_text(text, LATTICE, name="app.yaml")
    start = (APP + GATEWAY).count("\n")
    found = {(f.code, f.location.line - start, f.location.pointer) for f in result.findings if f.code.startswith("K2E8")}
    assert found == {
        ("K2E810", -12, "/"),  # the Gateway
        ("K2E815", -1, "/spec/listeners/2"),  # TCP
        ("K2E811", 1, "/"), ("K2E817", 1, "/"),  # shop: two hostnames, one custom domain
        ("K2E823", 1, "/"),  # and shop.example.com is the api route's already (routes go by name)
        ("K2E814", 13, "/spec/rules/2/filters/0"),  # redirect
        ("K2E812", 14, "/spec/rules/3/matches/0"), ("K2E812", 14, "/spec/rules/3/matches/1"),  # PATCH, query
        ("K2E813", 17, "/spec/rules/4/filters/0"),
        ("K2E811", 42, "/"),  # cart
        ("K2E812", 48, "/spec/rules/0/matches/0"),  # gRPC on the HTTP listener
        ("K2E811", 51, "/"),  # api
        ("K2E816", 51, "/"),  # 11 rules per listener, twice (80 and 443)
        *{("K2E821", 58 + 2 * i, f"/spec/rules/{i}") for i in range(11)},  # weights over 999
    }, sorted(found)
    assert [f.message for f in result.findings if f.code in ("K2E816", "K2E814")] == [
        "HTTPRoute shop rule 2 redirects (path ReplaceFullPath /new, status 302); VPC Lattice rules forward or answer "
        "a fixed status, so the rule was left out",
        "listener 80 of ApiHTTPRouteLatticeService needs 11 rules; VPC Lattice allows 10 by default",
        "listener 443 of ApiHTTPRouteLatticeService needs 11 rules; VPC Lattice allows 10 by default"]


def test_a_backend_of_another_namespace_is_reported_as_another_stack() -> None:
    other = deployment("web", "nginx", namespace="other", container="""\
          ports: [{name: http, containerPort: 8080}]
""") + "---\n" + service("web", "{name: http, port: 80, targetPort: http}", namespace="other") + "---\n"
    grant = """\
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-shop, namespace: other}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service}]
"""
    result = translate_text(APP + other + GATEWAY + ROUTES + "---\n" + grant, LATTICE)
    assert [f.message for f in result.findings if f.code == "K2E819"] == [
        "HTTPRoute shop routes to Service web of namespace other, whose ECS service is in another stack than Gateway mesh"]


def test_a_gateway_of_another_controller_is_reported() -> None:
    text = APP + GATEWAY.replace("application-networking.k8s.aws/gateway-api-controller", "gateway.k8s.aws/alb")
    messages = [f.message for f in translate_text(text, LATTICE).findings if f.code == "K2E820"]
    assert messages == ["Gateway mesh of class lattice (gateway.k8s.aws/alb) becomes a VPC Lattice service network"]


def test_more_than_ten_backends_keep_the_ten_heaviest() -> None:
    many = "".join(deployment(f"b{i}", "nginx", container="""\
          ports: [{name: http, containerPort: 8080}]
""") + "---\n" + service(f"b{i}", "{name: http, port: 80, targetPort: http}") + "---\n" for i in range(11))
    route = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: many, namespace: shop}
spec:
  parentRefs: [{name: mesh, sectionName: http}]
  rules:
    - backendRefs: [""" + ", ".join(f"{{name: b{i}, port: 80, weight: {i + 1}}}" for i in range(11)) + "]\n"
    result = translate_text(many + GATEWAY + route, LATTICE)
    assert [f.message for f in result.findings if f.code == "K2E822"] == [
        "HTTPRoute many rule 0 has 11 backends; a VPC Lattice forward takes at most 10: kept "
        + ", ".join(f"B{i}80LatticeTargetGroup" for i in range(10, 0, -1))]
    rule = next(r for s in result.stacks for r in s.resources if isinstance(r, LatticeRule))
    assert rule.action.forward is not None and len(rule.action.forward.target_groups) == 10


def test_a_service_isolated_by_a_network_policy_still_admits_lattice() -> None:
    policy = """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: canary}}}]}]
"""
    resources = _resources(APP + GATEWAY + ROUTES + policy)
    web = resources["WebService"]
    assert isinstance(web, EcsService)
    own = [g.logical_id for g in web.security_groups if g.logical_id != "ServicesSecurityGroup"]  # type: ignore[union-attr]
    copies = [r for r in resources.values() if isinstance(r, SecurityGroupIngress)
              and r.source_prefix_list_id == Ref("VpcLatticePrefixListId")]
    assert {(r.group_id.logical_id, r.from_port) for r in copies} == {("ServicesSecurityGroup", 8080), (own[0], 8080)}


PASSTHROUGH = """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: secure, namespace: shop}
spec:
  gatewayClassName: lattice
  listeners:
    - {name: tls, protocol: TLS, port: 8443, tls: {mode: Passthrough}}
    - {name: terminate, protocol: TLS, port: 9443, tls: {mode: Terminate, certificateRefs: [{name: shop-tls}]}}
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: web-tls, namespace: shop}
spec:
  parentRefs: [{name: secure, sectionName: tls}]
  hostnames: [web.example.com]
  rules:
    - backendRefs: [{name: web, port: 80, weight: 3}, {name: canary, port: 80, weight: 1}]
    - backendRefs: [{name: canary, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: nameless, namespace: shop}
spec:
  parentRefs: [{name: secure, sectionName: tls}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""


def test_tls_passthrough_becomes_a_lattice_tls_listener_to_tcp_target_groups() -> None:
    result = translate_text(APP + GATEWAY + PASSTHROUGH, LATTICE, name="app.yaml")
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    service = resources["WebTlsTLSRouteLatticeService"]
    assert isinstance(service, LatticeService) and service.custom_domain_name == "web.example.com"
    listener = resources["WebTlsTLSRoute8443LatticeListener"]
    assert isinstance(listener, LatticeListener) and (listener.port, listener.protocol) == (8443, "TLS_PASSTHROUGH")
    assert listener.default_action == LatticeAction(forward=LatticeForward((
        LatticeWeightedTargetGroup(Ref("Web80TcpLatticeTargetGroup"), 3),
        LatticeWeightedTargetGroup(Ref("Canary80TcpLatticeTargetGroup"), 1))))
    group = resources["Web80TcpLatticeTargetGroup"]
    assert isinstance(group, LatticeTargetGroup) and group.config is not None
    assert (group.config.protocol, group.config.protocol_version, group.config.health_check.enabled) == ("TCP", None, False)
    assert not [r for r in resources.values() if isinstance(r, LatticeRule)]  # a TLS listener has its default rule only
    assert "NamelessTLSRoute8443LatticeListener" not in resources
    start = (APP + GATEWAY).count("\n")
    found = sorted((f.code, f.location.line - start, f.location.pointer) for f in result.findings
                   if f.code in ("K2E815", "K2E824", "K2E825"))
    assert found == [("K2E815", -1, "/spec/listeners/2"), ("K2E815", 9, "/spec/listeners/1"), ("K2E824", 21, "/"),
                     ("K2E825", 19, "/spec/rules/1")]
    assert [f.message for f in result.findings if f.code == "K2E811"] == [
        "TLSRoute web-tls becomes VPC Lattice service WebTlsTLSRouteLatticeService with the default rule of a TLS "
        "passthrough listener on listener 8443",
        "TLSRoute nameless becomes VPC Lattice service NamelessTLSRouteLatticeService with nothing on listener 8443"]


def test_every_lattice_resource_here_passes_cfn_lint() -> None:
    from tests.support.validation import cfn_lint_matches

    result = translate_text(APP + GATEWAY + ROUTES + "---\n" + EXACT + PASSTHROUGH, LATTICE, name="app.yaml")
    assert {name: cfn_lint_matches(text) for name, text in result.templates.items()} == {"shop.yaml": []}


def test_routes_of_the_same_name_from_two_namespaces_get_services_of_their_own() -> None:
    open_gateway = GATEWAY.replace("- {name: http, protocol: HTTP, port: 80}",
                                   "- {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}")
    route = """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: NS}
spec:
  parentRefs: [{name: mesh, namespace: shop, sectionName: http}]
  rules: [{backendRefs: [{name: web, namespace: shop, port: 80}]}]
"""
    grant = """\
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-other, namespace: shop}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: other}]
  to: [{group: "", kind: Service}]
"""
    resources = _resources(APP + open_gateway + route.replace("NS", "shop") + route.replace("NS", "other") + grant)
    services = sorted((r.logical_id, r.name) for r in resources.values() if isinstance(r, LatticeService))
    assert services == [("OtherWebHTTPRouteLatticeService", "web-other"), ("WebHTTPRouteLatticeService", "web-shop")]


def test_weight_zero_backends_get_no_target_group_and_udp_ports_are_reported() -> None:
    udp = deployment("dns", "coredns", container="""\
          ports: [{name: dns, containerPort: 53, protocol: UDP}]
""") + "---\n" + service("dns", "{name: dns, port: 53, targetPort: dns, protocol: UDP}") + "---\n"
    route = """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: drain, namespace: shop}
spec:
  parentRefs: [{name: mesh, sectionName: http}]
  rules: [{backendRefs: [{name: canary, port: 80, weight: 0}, {name: dns, port: 53}]}]
"""
    result = translate_text(APP + udp + GATEWAY + route, LATTICE)
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    assert not [r for r in resources.values() if isinstance(r, LatticeTargetGroup)]
    canary = resources["CanaryService"]
    assert isinstance(canary, EcsService) and canary.vpc_lattice_configurations == ()
    rule = next(r for r in resources.values() if isinstance(r, LatticeRule))
    assert rule.action == LatticeAction(fixed_response=LatticeFixedResponse(500))
    assert [f.message for f in result.findings if f.code == "K2E769"] == [
        "HTTPRoute drain backend Service dns:53: port 53 is UDP, and VPC Lattice forwards TCP only"]


def test_a_standalone_route_or_gateway_joins_no_service_network() -> None:
    """application-networking.k8s.aws/standalone: 'true' on the Gateway keeps its routes' Lattice services out of
    its service network, unless a route says 'false'; the Gateway's other annotations are still reported."""
    gateway = GATEWAY.replace("metadata: {name: mesh, namespace: shop}", "metadata:\n  name: mesh\n  namespace: shop\n"
                              "  annotations: {application-networking.k8s.aws/standalone: 'true', team: web}")
    joined = ROUTES.replace("metadata: {name: shop, namespace: shop}", "metadata:\n  name: shop\n  namespace: shop\n"
                            "  annotations: {application-networking.k8s.aws/standalone: 'false'}")
    alone = ROUTES.replace("name: shop, namespace: shop", "name: alone, namespace: shop")
    text = APP + gateway + joined + "---\n" + alone
    result = translate_text(text, LATTICE, name="app.yaml")
    associations = [r.logical_id for s in result.stacks for r in s.resources if isinstance(r, LatticeServiceAssociation)]
    assert associations == ["MeshShopHTTPRouteServiceAssociation"]
    assert [(f.code, f.message) for f in result.findings if f.code == "K2E862"] == [
        ("K2E862", "HTTPRoute alone's VPC Lattice service AloneHTTPRouteLatticeService is standalone "
                   "(application-networking.k8s.aws/standalone on Gateway mesh): it is not associated with service "
                   "network GatewayMeshServiceNetwork")]
    assert [f.message for f in result.findings if f.code == "K2E200" and "annotations" in f.message] == [
        "metadata.annotations.team has no ECS equivalent and was not translated (none): Gateway annotations configure "
        "its controller"]
