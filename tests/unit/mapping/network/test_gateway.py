"""Gateway API to ALB and NLB: conditions, precedence, weighted forwards, redirects, attachment and exact findings."""

from __future__ import annotations

import pytest

from tests.support.manifests import deployment, service
from tests.support.validation import cfn_lint_errors
from translator.api import translate_text
from translator.mapping.network.gatewayrules import (
    GRPC_CONTENT_TYPE,
    Entry,
    effective_hosts,
    host_groups,
    match_conditions,
    ordered,
    with_hosts,
)
from translator.mapping.network.ingressrules import Unroutable
from translator.model.app import Meta, Route, RouteMatch, RouteRule, ValueMatch
from translator.model.ecs import (
    Certificate,
    ConditionValues,
    EcsService,
    FixedResponse,
    FixedResponseConfig,
    ForwardConfig,
    HttpHeaderConfig,
    Listener,
    ListenerCertificate,
    ListenerRule,
    LoadBalancer,
    QueryStringConfig,
    QueryStringKeyValue,
    Redirect,
    RedirectConfig,
    RuleCondition,
    TargetGroup,
    TargetGroupTuple,
    WeightedForward,
)
from translator.model.intrinsics import Ref

APP = (deployment("web", "nginx", container="""\
          ports: [{name: http, containerPort: 8080}]
          resources: {limits: {cpu: 250m, memory: 256Mi}}
""") + "---\n" + service("web", "{name: http, port: 80, targetPort: http}") + "---\n"
       + deployment("canary", "nginx", container="""\
          ports: [{name: http, containerPort: 8080}]
          resources: {limits: {cpu: 250m, memory: 256Mi}}
""") + "---\n" + service("canary", "{name: http, port: 80, targetPort: http}") + "---\n")

GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: aws-alb
  listeners:
    - {name: http, protocol: HTTP, port: 80}
    - name: https
      protocol: HTTPS
      port: 443
      tls: {certificateRefs: [{name: shop-tls}, {name: admin-tls}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: aws-alb}
spec: {controllerName: gateway.k8s.aws/alb}
---
"""


def _path(value: str, kind: str = "PathPrefix") -> RuleCondition:
    return RuleCondition("path-pattern", path_pattern_config=ConditionValues(
        (value, value + "/*") if kind == "PathPrefix" and value != "/" else ("/*",) if value == "/" else (value,)))


def _route(name: str, *matches: RouteMatch, hostnames: tuple[str, ...] = (), kind: str = "HTTPRoute",
           created: str = "") -> Route:
    return Route(kind, Meta(name, "shop"), hostnames=hostnames, rules=(RouteRule(0, matches),), created=created)


# --- conditions ------------------------------------------------------------------------------------

def test_match_conditions_path_method_headers_and_query() -> None:
    match = RouteMatch("PathPrefix", "/api/", "GET", (ValueMatch("x-canary", "on"),), (ValueMatch("v", "2"),))
    assert match_conditions(match, "HTTPRoute") == [
        _path("/api"),
        RuleCondition("http-request-method", http_request_method_config=ConditionValues(("GET",))),
        RuleCondition("http-header", http_header_config=HttpHeaderConfig("x-canary", ("on",))),
        RuleCondition("query-string", query_string_config=QueryStringConfig((QueryStringKeyValue("v", "2"),))),
    ]
    assert match_conditions(RouteMatch("Exact", "/login"), "HTTPRoute") == [_path("/login", "Exact")]
    assert match_conditions(RouteMatch(), "HTTPRoute") == [_path("/")]


def test_grpc_service_and_method_become_a_path_and_only_grpc_calls_match() -> None:
    conditions = match_conditions(RouteMatch(grpc_type="Exact", service="shop.Cart", grpc_method="Add"), "GRPCRoute")
    assert conditions == [RuleCondition("path-pattern", path_pattern_config=ConditionValues(("/shop.Cart/Add",))),
                          GRPC_CONTENT_TYPE]
    only_service = match_conditions(RouteMatch(grpc_type="Exact", service="shop.Cart"), "GRPCRoute")
    assert only_service[0].values == ("/shop.Cart/*",)


@pytest.mark.parametrize("match", [
    RouteMatch("RegularExpression", "/v[0-9]+"),
    RouteMatch("Exact", "/a*b"),
    RouteMatch(headers=(ValueMatch("x", "a.*", "RegularExpression"),)),
    RouteMatch(headers=(ValueMatch("x", "a*"),)),
    RouteMatch(queries=(ValueMatch("q", "1", "RegularExpression"),)),
])
def test_matches_an_alb_cannot_express(match: RouteMatch) -> None:
    with pytest.raises(Unroutable):
        match_conditions(match, "HTTPRoute")


def test_hostnames_are_spread_over_rules_within_five_condition_values() -> None:
    conditions = match_conditions(RouteMatch("PathPrefix", "/api", headers=(ValueMatch("a", "1"), ValueMatch("b", "2"))),
                                  "HTTPRoute")  # 4 values: one left for hosts
    rules = with_hosts(conditions, ("a.example.com", "b.example.com"))
    assert [r[0].values for r in rules] == [("a.example.com",), ("b.example.com",)]
    assert all(sum(len(c.values) for c in r) <= 5 for r in rules)
    with pytest.raises(Unroutable):
        with_hosts(conditions + conditions[1:2], ("a.example.com",))
    with pytest.raises(Unroutable, match="hostname 'localhost' is not a DNS name") as raised:
        with_hosts(conditions[:1], ("localhost",))
    assert raised.value.remediation.startswith("ALB host conditions take names")


def test_listener_and_route_hostnames_intersect_as_the_spec_says() -> None:
    assert effective_hosts("", ("a.example.com",)) == ("a.example.com",)
    assert effective_hosts("*.example.com", ()) == ("*.example.com",)
    assert effective_hosts("*.example.com", ("a.example.com", "other.org")) == ("a.example.com",)
    assert effective_hosts("a.example.com", ("*.example.com",)) == ("a.example.com",)
    assert effective_hosts("a.example.com", ("b.example.com",)) is None
    assert host_groups(("*.example.com", "a.example.com", "bb.example.com")) == [
        ("bb.example.com",), ("a.example.com",), ("*.example.com",)]


def test_precedence_follows_the_gateway_api() -> None:
    """Hostname, then Exact before the longest PathPrefix, method, header count, query count, oldest route, name."""
    older = _route("zz", RouteMatch("PathPrefix", "/"), created="2024-01-01T00:00:00Z")
    entries = [
        Entry(_route("a", RouteMatch("PathPrefix", "/")), _route("a").rules[0], RouteMatch("PathPrefix", "/"), 0, ()),
        Entry(_route("b"), RouteRule(0), RouteMatch("PathPrefix", "/api"), 0, ()),
        Entry(_route("c"), RouteRule(0), RouteMatch("Exact", "/"), 0, ()),
        Entry(_route("d"), RouteRule(0), RouteMatch("PathPrefix", "/api", "POST"), 0, ()),
        Entry(_route("e"), RouteRule(0), RouteMatch("PathPrefix", "/api", headers=(ValueMatch("x", "1"),)), 0, ()),
        Entry(_route("f"), RouteRule(0), RouteMatch("PathPrefix", "/"), 0, ("*.example.com",)),
        Entry(_route("g"), RouteRule(0), RouteMatch("PathPrefix", "/"), 0, ("a.example.com",)),
        Entry(older, older.rules[0], RouteMatch("PathPrefix", "/"), 0, ()),
    ]
    assert [e.route.meta.name for e in ordered(entries)] == ["g", "f", "c", "d", "e", "b", "zz", "a"]


# --- the ALB ---------------------------------------------------------------------------------------

ROUTES = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: to-https, namespace: shop}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  rules:
    - filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: web, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}]
    - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-canary, value: "always"}]}]
      backendRefs: [{name: canary, port: 80}]
    - matches: [{path: {type: Exact, value: /old}}]
      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
    - matches: [{path: {type: PathPrefix, value: /drain}}]
      backendRefs: [{name: web, port: 80, weight: 0}]
"""


def _resources(text: str) -> dict[str, object]:
    result = translate_text(text, name="app.yaml")
    return {r.logical_id: r for s in result.stacks for r in s.resources}


def test_gateway_becomes_an_alb_with_rules_in_precedence_order() -> None:
    resources = _resources(APP + GATEWAY + ROUTES)
    alb = resources["GatewayEdgeLoadBalancer"]
    assert isinstance(alb, LoadBalancer) and alb.lb_type == "application" and alb.scheme == "internal"
    https = resources["GatewayEdge443Listener"]
    assert isinstance(https, Listener) and https.protocol == "HTTPS"
    assert https.certificates == (Certificate(Ref("ShopTlsCertificateArn")),)
    extra = resources["GatewayEdge443Certificates"]
    assert isinstance(extra, ListenerCertificate) and extra.certificates == (Certificate(Ref("AdminTlsCertificateArn")),)
    assert https.default_actions == (FixedResponse(FixedResponseConfig("404", "text/plain")),)
    rules = sorted((r for r in resources.values() if isinstance(r, ListenerRule)
                    and r.listener_arn == Ref("GatewayEdge443Listener")), key=lambda r: r.priority)
    host = RuleCondition("host-header", host_header_config=ConditionValues(("shop.example.com",)))
    assert [(r.priority, r.conditions) for r in rules] == [
        (10, (host, _path("/old", "Exact"))),
        (20, (host, _path("/drain"))),
        (30, (host, _path("/api"), RuleCondition("http-header", http_header_config=HttpHeaderConfig(
            "x-canary", ("always",))))),
        (40, (host, _path("/api"))),
    ]
    assert rules[0].actions == (Redirect(RedirectConfig("#{protocol}", "#{port}", "HTTP_302", path="/new")),)
    assert rules[1].actions == (FixedResponse(FixedResponseConfig("500", "text/plain")),)  # only a weight-0 backend: the spec's 500
    assert rules[3].actions == (WeightedForward(ForwardConfig((
        TargetGroupTuple(Ref("GatewayEdgeWeb80TargetGroup"), 90),
        TargetGroupTuple(Ref("GatewayEdgeCanary80TargetGroup"), 10)))),)
    http_rules = [r for r in resources.values() if isinstance(r, ListenerRule)
                  and r.listener_arn == Ref("GatewayEdge80Listener")]
    assert [r.actions for r in http_rules] == [(Redirect(RedirectConfig("HTTPS", "443", "HTTP_301")),)]
    web, canary = resources["WebService"], resources["CanaryService"]
    assert isinstance(web, EcsService) and isinstance(canary, EcsService)
    assert {b.target_group_arn for b in web.load_balancers} == {Ref("GatewayEdgeWeb80TargetGroup")}
    assert set(web.depends_on) == {rules[3].logical_id}
    assert set(canary.depends_on) == {rules[2].logical_id, rules[3].logical_id}
    group = resources["GatewayEdgeWeb80TargetGroup"]
    assert isinstance(group, TargetGroup) and group.port == 8080


GRPC = deployment("cart", "example/cart:1.0", container="""\
          ports: [{name: grpc, containerPort: 9090}]
          readinessProbe: {grpc: {port: 9090}}
          resources: {limits: {cpu: 250m, memory: 256Mi}}
""") + "---\n" + service("cart", "{name: grpc, port: 9090, targetPort: grpc}") + "---\n" + """\
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  rules:
    - matches: [{method: {service: shop.Cart, method: Add}}]
      backendRefs: [{name: cart, port: 9090}]
"""


def test_grpc_route_gets_a_grpc_target_group_before_the_http_rules() -> None:
    resources = _resources(APP + GATEWAY + ROUTES + "---\n" + GRPC)
    group = resources["GatewayEdgeCart9090TargetGroup"]
    assert isinstance(group, TargetGroup) and group.protocol_version == "GRPC"
    assert group.health_check.path == "/grpc.health.v1.Health/Check"
    assert group.health_check.matcher is not None and group.health_check.matcher.grpc_code == "0"
    rules = sorted((r for r in resources.values() if isinstance(r, ListenerRule)
                    and r.listener_arn == Ref("GatewayEdge443Listener")), key=lambda r: r.priority)
    # no hostname: after the shop.example.com rules, and before nothing else
    assert rules[-1].conditions == (RuleCondition("path-pattern", path_pattern_config=ConditionValues(
        ("/shop.Cart/Add",))), GRPC_CONTENT_TYPE)


def test_layer4_routes_become_an_nlb() -> None:
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
"""
    resources = _resources(text)
    nlb = resources["GatewayTcpL4LoadBalancer"]
    assert isinstance(nlb, LoadBalancer) and nlb.lb_type == "network"
    listener = resources["GatewayTcpL431400Listener"]
    assert isinstance(listener, Listener) and listener.protocol == "TCP"
    group = resources["GatewayTcpL4Echo9000TargetGroup"]
    assert isinstance(group, TargetGroup) and group.protocol == "TCP" and group.port == 9000
    echo = resources["EchoService"]
    assert isinstance(echo, EcsService) and echo.depends_on == ("GatewayTcpL431400Listener",)


# --- exact findings ----------------------------------------------------------------------------------

EXACT = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: odd, namespace: shop}
spec:
  parentRefs: [{name: edge, sectionName: https}, {name: gone}, {group: "", kind: Service, name: web}]
  rules:
    - matches: [{path: {type: RegularExpression, value: "/v[0-9]+"}}]
      backendRefs: [{name: web, port: 80}]
    - matches: [{path: {value: /rewrite}}]
      filters:
        - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
        - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: prod}]}}
      backendRefs: [{name: web, port: 80}]
    - matches: [{path: {value: /other}}]
      backendRefs:
        - {name: web, namespace: other, port: 80}
        - {name: nothere, port: 80}
        - {name: web, port: 81}
      timeouts: {request: 10s}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: elsewhere, namespace: other}
spec:
  parentRefs: [{name: edge, namespace: shop}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""


def test_exact_findings() -> None:
    result = translate_text(APP + GATEWAY + EXACT, name="app.yaml")
    start = (APP + GATEWAY).count("\n")
    found = {(f.code, f.location.line - start, f.location.pointer) for f in result.findings
             if f.code.startswith("K2E7") or f.code in ("K2E200", "K2E202")}
    assert found == {
        ("K2E760", -16, "/"),  # the Gateway: ALB on HTTP 80, HTTPS 443
        ("K2E763", -6, "/spec/listeners/1/tls/certificateRefs/0"),
        ("K2E763", -6, "/spec/listeners/1/tls/certificateRefs/1"),
        ("K2E764", 5, "/spec/parentRefs/1"),
        ("K2E765", 5, "/spec/parentRefs/2"),
        ("K2E770", 7, "/spec/rules/0/matches/0"),
        ("K2E771", 11, "/spec/rules/1/filters/0"),
        ("K2E771", 12, "/spec/rules/1/filters/1"),
        ("K2E775", 1, "/"),
        ("K2E767", 16, "/spec/rules/2/backendRefs/0"),
        ("K2E769", 17, "/spec/rules/2/backendRefs/1"),
        ("K2E769", 18, "/spec/rules/2/backendRefs/2"),
        ("K2E200", 19, "/spec/rules/2/timeouts"),
        ("K2E766", 25, "/spec/parentRefs/0"),  # listener admits routes of its own namespace only
    }, sorted(found)


def test_a_reference_grant_admits_the_backend_but_its_stack_is_another() -> None:
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
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cross, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: web, namespace: other, port: 80}, {name: web, port: 80}]}]
"""
    result = translate_text(APP + other + GATEWAY + grant, name="app.yaml")
    codes = [f.code for f in result.findings if f.code in ("K2E767", "K2E768", "K2E102")]
    assert codes.count("K2E768") == 1 and "K2E767" not in codes
    messages = [f.message for f in result.findings if f.code == "K2E102" and "ReferenceGrant" in f.message]
    assert messages == ["ReferenceGrant from-shop carries no ECS resource of its own: it decides which references from "
                        "other namespaces the Gateway API translation follows"]


def test_a_gateway_whose_routes_reach_nothing_creates_no_load_balancer() -> None:
    text = GATEWAY + """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: lost, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: nothere, port: 80}]}]
"""
    result = translate_text(APP + text, name="app.yaml")
    assert not any(isinstance(r, LoadBalancer) for s in result.stacks for r in s.resources)
    assert [f.message for f in result.findings if f.code == "K2E776"] == [
        "Gateway edge routes nothing: none of the backends of its routes reaches a translated workload, "
        "so no load balancer was created"]


SELECTING = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: aws-alb
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {expose: "yes"}}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""


@pytest.mark.parametrize(("labels", "expected"), [
    ("{expose: \"yes\"}", [("K2E775", "HTTPRoute web becomes 1 rule on GatewayEdgeLoadBalancer listener 80")]),
    ("{expose: \"no\"}", [("K2E766", "HTTPRoute web is not attached to Gateway shop/edge: listener http admits "
                                     "namespaces by label, and the labels of Namespace shop do not match")]),
])
def test_a_listener_selecting_namespaces_by_label_reads_the_labels_of_the_namespace_objects(
        labels: str, expected: list[tuple[str, str]]) -> None:
    namespace = f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: shop, labels: {labels}}}\n---\n"
    result = translate_text(namespace + APP + SELECTING, name="app.yaml")
    assert [(f.code, f.message) for f in result.findings if f.code in ("K2E766", "K2E775")] == expected


def test_a_route_attached_to_a_listener_set_is_served_nowhere_and_says_so() -> None:
    routes = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: extra, namespace: shop}
spec:
  parentRefs:
    - {name: more, kind: ListenerSet, group: gateway.networking.k8s.io}
    - {name: store, kind: ServiceImport, group: multicluster.x-k8s.io}
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""
    result = translate_text(APP + GATEWAY + routes, name="app.yaml")
    start = (APP + GATEWAY).count("\n")
    found = [(f.code, f.severity.name.lower(), f.location.line - start, f.message, f.remediation) for f in result.findings
             if f.code in ("K2E766", "K2E860", "K2E863")]
    assert found == [
        ("K2E860", "error", 6, "HTTPRoute extra attaches to ListenerSet more, which kube2ecs does not translate: the "
                               "route is served nowhere",
         "Move the ListenerSet's listeners into spec.listeners of the Gateway it extends and attach the route to that "
         "Gateway (sectionName: the listener's name), then convert again."),
        ("K2E863", "warning", 7, "HTTPRoute extra attaches to ServiceImport store, which kube2ecs does not translate: "
                                 "its matches, weights and filters are not applied",
         "Calls still go where their callers send them, through Service Connect, without the route's rules; to split or "
         "redirect them, put the backends behind an internal ALB with weighted target groups and call it instead."),
    ]


@pytest.mark.parametrize("entry", ["{value: always}", "{name: '', value: always}"])
@pytest.mark.parametrize("key", ["headers", "queryParams"])
def test_a_header_or_query_match_without_a_name_leaves_its_match_out(entry: str, key: str) -> None:
    """The API server refuses it; written as is, it made a condition (or a Lattice header match) of name '' that
    AWS refuses, and left out alone it would widen the match to every request of the path."""
    routes = ROUTES.replace('headers: [{name: x-canary, value: "always"}]', f"{key}: [{entry}]")
    result = translate_text(APP + GATEWAY + routes, name="app.yaml")
    rules = [r for s in result.stacks for r in s.resources
             if isinstance(r, ListenerRule) and r.listener_arn == Ref("GatewayEdge443Listener")]
    assert len(rules) == 3  # /old, /drain, /api: the /api match with the header is left out, not widened
    missing = [(f.location.line, f.message) for f in result.findings if f.code == "K2E004"]
    assert missing == [(APP.count("\n") + GATEWAY.count("\n") + 18,
                        f"required field spec.rules.1.matches.0.{key}.0.name is missing")]
    assert all(cfn_lint_errors(text) == [] for text in result.templates.values())
