"""Ingress to ALB: path semantics, rule priorities, legacy shapes and exact findings."""

from __future__ import annotations

import pytest

from tests.support.manifests import deployment, service
from translator.api import translate_text
from translator.mapping.network.ingressrules import Candidate, Unroutable, ordered, path_patterns
from translator.model.app import IngressBackend, IngressPath
from translator.model.ecs import (
    Certificate,
    ConditionValues,
    EcsService,
    Forward,
    Listener,
    ListenerRule,
    Matcher,
    Redirect,
    RedirectConfig,
    RuleCondition,
    SecurityGroup,
    TargetGroup,
)
from translator.model.intrinsics import Ref

APP = deployment("web", "nginx", container="""\
          ports: [{name: http, containerPort: 8080}]
          resources: {limits: {cpu: 250m, memory: 256Mi}}
""") + "---\n" + service("web", "{name: http, port: 80, targetPort: http}") + "---\n"


def _path(path: str, path_type: str, host: str = "", index: int = 0) -> IngressPath:
    return IngressPath(host, path, path_type, IngressBackend("web", 80), index)


@pytest.mark.parametrize(("path", "path_type", "patterns"), [
    ("/", "Prefix", ["/*"]),
    ("/foo", "Prefix", ["/foo", "/foo/*"]),
    ("/foo/", "Prefix", ["/foo", "/foo/*"]),
    ("/foo", "Exact", ["/foo"]),
    ("/v2/*", "ImplementationSpecific", ["/v2/*"]),
    ("", "ImplementationSpecific", []),
])
def test_path_patterns_follow_the_load_balancer_controller(path: str, path_type: str, patterns: list[str]) -> None:
    assert path_patterns(path, path_type) == patterns


@pytest.mark.parametrize(("path", "path_type"), [("/foo*", "Prefix"), ("/a?", "Exact"), ("/tf(/|$)(.*)", "Prefix"),
                                                 ("/" + "a" * 130, "Exact")])
def test_paths_an_alb_cannot_express(path: str, path_type: str) -> None:
    with pytest.raises(Unroutable):
        path_patterns(path, path_type)


def test_rule_order_exact_then_longest_prefix_then_implementation_specific() -> None:
    paths = [_path("/", "Prefix", index=0), _path("/static/*", "ImplementationSpecific", index=1),
             _path("/api", "Prefix", index=2), _path("/login", "Exact", index=3), _path("/api/v1", "Prefix", index=4),
             _path("/assets/*", "ImplementationSpecific", index=5), _path("/a", "Exact", index=6),
             _path("/", "Prefix", host="shop.example.com", index=7), _path("/x", "Exact", host="*.example.com", index=8)]
    order = [(c.path.host, c.path.path) for c in ordered([Candidate(0, "web", p) for p in paths])]
    assert order == [
        ("shop.example.com", "/"),  # a rule for the host comes before every host-less rule
        ("*.example.com", "/x"),  # then wildcard hosts
        ("", "/a"), ("", "/login"),  # Exact, ties by path text
        ("", "/api/v1"), ("", "/api"), ("", "/"),  # Prefix, longest first
        ("", "/static/*"), ("", "/assets/*"),  # ImplementationSpecific in the order written
    ]


def test_group_order_comes_first() -> None:
    early = Candidate(-5, "b", _path("/", "Prefix"))
    late = Candidate(0, "a", _path("/login", "Exact"))
    assert ordered([late, early]) == [early, late]


def _rules(text: str) -> list[ListenerRule]:
    result = translate_text(APP + text, name="app.yaml")
    return sorted((r for s in result.stacks for r in s.resources if isinstance(r, ListenerRule)),
                  key=lambda r: r.priority)


def test_priorities_on_the_listener() -> None:
    rules = _rules("""\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /api, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
          - {path: /api/login, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
""")
    shown = [(r.priority, r.conditions[0].values) for r in rules]
    assert shown == [(10, ("/api/login",)), (20, ("/api", "/api/*")), (30, ("/*",))]


def test_legacy_extensions_shape() -> None:
    text = """\
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
  namespace: shop
  annotations: {kubernetes.io/ingress.class: alb}
spec:
  backend: {serviceName: web, servicePort: http}
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /old/*
            backend: {serviceName: web, servicePort: 80}
"""
    result = translate_text(APP + text, name="app.yaml")
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    listener = resources["IngressAlb80Listener"]
    assert isinstance(listener, Listener)
    assert listener.default_actions == (Forward(Ref("IngressAlbWeb80TargetGroup")),)
    rule = next(r for r in resources.values() if isinstance(r, ListenerRule))
    assert rule.conditions == (RuleCondition("host-header", host_header_config=ConditionValues(("shop.example.com",))),
                               RuleCondition("path-pattern", path_pattern_config=ConditionValues(("/old/*",))))
    assert resources["IngressAlbLoadBalancer"].scheme == "internal"  # type: ignore[attr-defined]
    service = resources["WebService"]
    assert isinstance(service, EcsService)
    assert set(service.depends_on) == {"IngressAlb80Listener", rule.logical_id}
    codes = {f.code for f in result.findings}
    assert "K2E437" in codes and "K2E438" not in codes


def test_tls_group_and_annotations() -> None:
    text = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/group.name: shop
    alb.ingress.kubernetes.io/healthcheck-path: /ready
    alb.ingress.kubernetes.io/success-codes: "200"
    alb.ingress.kubernetes.io/load-balancer-name: shop-public
spec:
  ingressClassName: alb
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: b
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/group.name: shop
    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:111122223333:certificate/abc
spec:
  ingressClassName: alb
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""
    result = translate_text(APP + text, name="app.yaml")
    stack = result.stacks[0]
    resources = {r.logical_id: r for r in stack.resources}
    https = resources["GroupShop443Listener"]
    http = resources["GroupShop80Listener"]
    assert isinstance(https, Listener) and isinstance(http, Listener)
    assert https.certificates == (Certificate(Ref("ShopTlsCertificateArn")),)
    assert resources["GroupShop443Certificates"].certificates == (  # type: ignore[attr-defined]
        Certificate("arn:aws:acm:eu-west-1:111122223333:certificate/abc"),)
    assert http.default_actions == (Redirect(RedirectConfig("HTTPS", "443", "HTTP_301")),)
    assert https.default_actions[0].type == "forward"
    assert resources["GroupShopLoadBalancer"].name == "shop-public"  # type: ignore[attr-defined]
    groups = [r for r in stack.resources if isinstance(r, TargetGroup)]
    assert sorted((g.health_check.path or "", g.health_check.matcher) for g in groups) == [
        ("/", Matcher(http_code="200-399")), ("/ready", Matcher(http_code="200"))]
    assert "ShopTlsCertificateArn" in stack.parameter_map()


EXACT = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: edge
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "1"
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx
  rules:
    - host: localhost
      http:
        paths:
          - {path: /a, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
    - http:
        paths:
          - {path: "/tf(/|$)(.*)", pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /missing, pathType: Exact, backend: {service: {name: nothere, port: {number: 80}}}}
          - {path: /port, pathType: Exact, backend: {service: {name: web, port: {number: 9999}}}}
          - {path: /bucket, pathType: Exact, backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}}
          - {path: /ok, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /ok, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
"""


def test_exact_findings() -> None:
    result = translate_text(APP + EXACT, name="app.yaml")
    found = {(f.code, f.location.line, f.location.pointer) for f in result.findings if "K2E346" <= f.code < "K2E460"
             and f.code not in ("K2E370", "K2E374")}
    assert found == {
        ("K2E442", 28, "/metadata/annotations/alb.ingress.kubernetes.io~1healthcheck-interval-seconds"),  # 1 < 5
        ("K2E346", 29, "/metadata/annotations/nginx.ingress.kubernetes.io~1rewrite-target"),  # ignored
        ("K2E438", 22, "/"),  # class nginx becomes an ALB
        ("K2E430", 22, "/"),
        ("K2E436", 36, "/spec/rules/0/http/paths/0"),  # host without a dot
        ("K2E435", 39, "/spec/rules/1/http/paths/0"),  # regex path
        ("K2E431", 40, "/spec/rules/1/http/paths/1/backend"),  # Service not in the input
        ("K2E433", 41, "/spec/rules/1/http/paths/2/backend"),  # port not on the Service
        ("K2E434", 42, "/spec/rules/1/http/paths/3/backend"),  # resource backend
        ("K2E440", 44, "/spec/rules/1/http/paths/5"),  # the same route twice
    }, sorted(found)
    rules = [r for s in result.stacks for r in s.resources if isinstance(r, ListenerRule)]
    assert [r.conditions[0].values for r in rules] == [("/ok",)]


def test_nothing_routable_creates_no_load_balancer() -> None:
    text = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: lost, namespace: shop}
spec:
  defaultBackend: {service: {name: nothere, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: elsewhere, namespace: other}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""
    result = translate_text(APP + text, name="app.yaml")
    codes = sorted((f.code, f.location.line) for f in result.findings if f.code in ("K2E431", "K2E446", "K2E447"))
    assert codes == [("K2E431", 26), ("K2E446", 28), ("K2E447", 22)]
    assert not any(isinstance(r, Listener) for s in result.stacks for r in s.resources)


def _ingress(name: str, namespace: str = "shop", annotations: str = "{}", paths: str = "") -> str:
    return f"""\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: {name}, namespace: {namespace}, annotations: {annotations}}}
spec:
  ingressClassName: alb
  rules: [{{http: {{paths: [{paths}]}}}}]
---
"""


def test_group_settings_conflicts_and_namespaces() -> None:
    path = "{path: /%s, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}"
    text = (_ingress("a", annotations="{alb.ingress.kubernetes.io/group.name: g, alb.ingress.kubernetes.io/scheme: internal,"
                                      " alb.ingress.kubernetes.io/target-type: instance}", paths=path % "a")
            + _ingress("b", annotations="{alb.ingress.kubernetes.io/group.name: g, "
                                        "alb.ingress.kubernetes.io/scheme: internet-facing}", paths=path % "b")
            + _ingress("c", namespace="other", annotations="{alb.ingress.kubernetes.io/group.name: g}", paths=path % "c"))
    result = translate_text(APP + text, name="app.yaml")
    found = sorted((f.code, f.message) for f in result.findings if f.code in ("K2E440", "K2E441", "K2E443"))
    assert found == [
        ("K2E440", "Ingress b sets scheme to internet-facing, but a already set it to internal for ALB GroupGLoadBalancer"),
        ("K2E441", "IngressGroup g spans namespaces other, shop; each namespace gets an ALB of its own"),
        ("K2E443", "Ingress a asks for target type instance; ECS tasks register in ip target groups"),
    ]
    lb = next(r for s in result.stacks for r in s.resources if r.logical_id == "GroupGLoadBalancer")
    assert lb.scheme == "internal"  # type: ignore[attr-defined]


def test_rules_beyond_the_alb_limit_are_left_out() -> None:
    paths = ", ".join(f"{{path: /p{i}, pathType: Exact, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}"
                      for i in range(101))
    result = translate_text(APP + _ingress("many", paths=paths), name="app.yaml")
    rules = [r for s in result.stacks for r in s.resources if isinstance(r, ListenerRule)]
    assert len(rules) == 100 and max(r.priority for r in rules) == 1000
    assert [f.code for f in result.findings if f.code in ("K2E444", "K2E901")] == ["K2E444"]


def test_an_ecs_service_joins_at_most_five_target_groups() -> None:
    settings = ["/a", "/b", "/c", "/d", "/e", "/f"]
    text = "".join(_ingress(
        f"i{n}", annotations=f"{{alb.ingress.kubernetes.io/group.name: g{n}}}",
        paths=f"{{path: {p}, pathType: Exact, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}")
        for n, p in enumerate(settings))
    result = translate_text(APP + text, name="app.yaml")
    service = next(r for s in result.stacks for r in s.resources if isinstance(r, EcsService))
    assert len(service.load_balancers) == 5
    assert [f.code for f in result.findings if f.code in ("K2E445", "K2E901")] == ["K2E445"]


@pytest.mark.parametrize(("annotations", "admitted"), [
    ("{}", [("0.0.0.0/0", None)]),
    ("{alb.ingress.kubernetes.io/ip-address-type: dualstack}", [("0.0.0.0/0", None), (None, "::/0")]),
    ("{alb.ingress.kubernetes.io/ip-address-type: dualstack, alb.ingress.kubernetes.io/inbound-cidrs: 10.0.0.0/8}",
     [("10.0.0.0/8", None)]),
])
def test_a_dualstack_alb_admits_ipv6_clients_unless_cidrs_narrow_it(annotations: str,
                                                                      admitted: list[tuple[str | None, str | None]]) -> None:
    path = "{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}"
    result = translate_text(APP + _ingress("web", annotations=annotations, paths=path), name="app.yaml")
    group = next(r for s in result.stacks for r in s.resources if r.logical_id == "IngressAlbLoadBalancerSecurityGroup")
    assert isinstance(group, SecurityGroup)
    assert [(rule.cidr_ip, rule.cidr_ipv6) for rule in group.ingress] == admitted


def test_a_backend_naming_an_undefined_annotation_action_is_an_error_said_once_not_a_missing_service() -> None:
    """A use-annotation backend with no alb.ingress.kubernetes.io/actions.<name> is refused by the controller: an
    error at the backend, once for all the listeners, neither a missing Service (K2E431) nor an ignored
    annotation (K2E346); the other rules are built."""
    annotations = ("{alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTP\": 8080}]', "
                   "alb.ingress.kubernetes.io/conditions.nowhere: '[]'}")
    paths = ("{path: /x, pathType: Prefix, backend: {service: {name: nowhere, port: {name: use-annotation}}}}, "
             "{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}")
    result = translate_text(APP + _ingress("web", annotations=annotations, paths=paths), name="app.yaml")
    assert [(f.code, f.severity.name.lower(), f.message) for f in result.findings
            if f.code in ("K2E346", "K2E431", "K2E861")] == [
        ("K2E861", "error", "Ingress web backend nowhere:use-annotation: an action no "
         "alb.ingress.kubernetes.io/actions.nowhere annotation defines (the controller refuses the Ingress); "
         "the rule was left out"),
    ]
    assert len(_rules(_ingress("web", annotations=annotations, paths=paths))) == 2  # / on each listener
