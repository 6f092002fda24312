"""Istio to ECS: Istio Gateways and VirtualServices to ALB rules over subset target groups, timeouts and mutual
TLS to Service Connect, and the exact findings of what is not carried."""

from __future__ import annotations

from tests.support.manifests import deployment, service
from translator.api import translate_text
from translator.model.ecs import (
    ConditionValues,
    ConnectCertificateAuthority,
    ConnectTimeout,
    ConnectTls,
    EcsService,
    Forward,
    ForwardConfig,
    Listener,
    ListenerRule,
    Redirect,
    RedirectConfig,
    Resource,
    Role,
    TargetGroupTuple,
    TaskDefinition,
    WeightedForward,
)
from translator.model.intrinsics import GetAtt, Ref
from translator.options import Options

CA = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555"
_PORT = """\
          ports: [{name: http, containerPort: 9080}]
          resources: {limits: {cpu: 250m, memory: 256Mi}}
"""
APP = (deployment("reviews-v1", app="reviews", labels="version: v1", container_name="reviews", container=_PORT)
       + "---\n" + deployment("reviews-v2", app="reviews", labels="version: v2", container_name="reviews", container=_PORT)
       + "---\n" + service("reviews", "{name: http, port: 9080, targetPort: http}") + "---\n")
MESH = """\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: [reviews.example.com]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews.example.com, reviews]
  gateways: [edge, mesh]
  http:
    - route:
        - {destination: {host: reviews, subset: v1}, weight: 80}
        - {destination: {host: reviews.shop.svc.cluster.local, subset: v2, port: {number: 9080}}, weight: 20}
      timeout: 1.5s
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets:
    - {name: v1, labels: {version: v1}}
    - {name: v2, labels: {version: v2}}
---
"""
STRICT = """\
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec: {mtls: {mode: STRICT}}
"""


def _resources(text: str, options: Options | None = None) -> dict[str, Resource]:
    result = translate_text(text, options, name="app.yaml")
    return {r.logical_id: r for s in result.stacks for r in s.resources}


def _codes(text: str, options: Options | None = None) -> list[tuple[str, int, str]]:
    result = translate_text(text, options, name="app.yaml")
    return sorted((f.code, f.location.line, f.location.pointer) for f in result.findings if "K2E830" <= f.code < "K2E860")


def test_weights_over_subsets_become_weighted_target_groups_of_each_version() -> None:
    found = _resources(APP + MESH)
    rule = next(r for r in found.values() if isinstance(r, ListenerRule))
    assert rule.actions == (WeightedForward(ForwardConfig((
        TargetGroupTuple(Ref("IstioGatewayEdgeReviews9080V1TargetGroup"), 80),
        TargetGroupTuple(Ref("IstioGatewayEdgeReviews9080V2TargetGroup"), 20)))),)
    assert [c.values for c in rule.conditions] == [("reviews.example.com",), ("/*",)]  # the mesh name gives no host
    v1, v2 = found["ReviewsV1Service"], found["ReviewsV2Service"]
    assert isinstance(v1, EcsService) and isinstance(v2, EcsService)
    assert [b.target_group_arn for b in v1.load_balancers] == [Ref("IstioGatewayEdgeReviews9080V1TargetGroup")]
    assert [b.target_group_arn for b in v2.load_balancers] == [Ref("IstioGatewayEdgeReviews9080V2TargetGroup")]
    listener = next(r for r in found.values() if isinstance(r, Listener))
    assert (listener.port, listener.protocol) == (80, "HTTP")


def test_mesh_timeout_becomes_the_per_request_timeout_and_the_port_speaks_http() -> None:
    found = _resources(APP + MESH)
    v1 = found["ReviewsV1Service"]
    assert isinstance(v1, EcsService)
    assert [c.timeout for c in v1.connect_services] == [ConnectTimeout(2)]  # 1.5 s rounded up
    td = found["ReviewsV1TaskDefinition"]
    assert isinstance(td, TaskDefinition)
    assert [m.app_protocol for c in td.containers for m in c.port_mappings or ()] == ["http"]
    result = translate_text(APP + MESH, name="app.yaml")
    assert [f.message for f in result.findings if f.code in ("K2E833", "K2E832")] == [
        "VirtualService reviews timeout 1.5s on reviews becomes the Service Connect per-request timeout of reviews "
        "(2 s, appProtocol http on port 9080)",
        "VirtualService reviews http route 0 splits calls to reviews, reviews.shop.svc.cluster.local (v1 80, v2 20); "
        "Service Connect sends the calls of the mesh to the ECS service that publishes the name, so the split is lost",
    ]


def test_a_route_of_gateways_only_keeps_no_timeout() -> None:
    text = APP + MESH.replace("gateways: [edge, mesh]", "gateways: [edge]")
    found = _resources(text)
    v1 = found["ReviewsV1Service"]
    assert isinstance(v1, EcsService) and all(c.timeout is None for c in v1.connect_services)
    assert ("K2E834", 52, "/spec/http/0") in _codes(text)
    assert not any(code == "K2E832" for code, _, _ in _codes(text))


def test_strict_mutual_tls_without_the_option_is_a_finding() -> None:
    found = _resources(APP + MESH + STRICT)
    assert not any(isinstance(r, Role) and r.logical_id == "ServiceConnectTlsRole" for r in found.values())
    assert ("K2E837", 66, "/") in _codes(APP + MESH + STRICT)  # the PeerAuthentication


def test_strict_mutual_tls_with_a_private_ca_becomes_service_connect_tls() -> None:
    options = Options(service_connect_tls_ca=CA)
    found = _resources(APP + MESH + STRICT, options)
    v1 = found["ReviewsV1Service"]
    assert isinstance(v1, EcsService)
    assert [c.tls for c in v1.connect_services] == [
        ConnectTls(ConnectCertificateAuthority(CA), GetAtt("ServiceConnectTlsRole", "Arn"))]
    role = found["ServiceConnectTlsRole"]
    assert isinstance(role, Role) and role.principal == "ecs.amazonaws.com"
    assert [str(a.text) for a in role.managed_policy_arns] == [  # type: ignore[union-attr]
        "arn:${AWS::Partition}:iam::aws:policy/service-role/"
        "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"]
    assert [c for c in _codes(APP + MESH + STRICT, options) if c[0] in ("K2E837", "K2E838", "K2E844")] == [
        ("K2E838", 66, "/"), ("K2E844", 1, "/")]  # reviews-v1 is also a target of the gateway's ALB


def test_istio_mutual_destination_rule_applies_to_its_host_only() -> None:
    text = APP + MESH.replace("  host: reviews\n", "  host: reviews\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n") \
        + service("other", "{port: 80, targetPort: 9080}", app="reviews")
    found = _resources(text, Options(service_connect_tls_ca=CA))
    v1 = found["ReviewsV1Service"]
    assert isinstance(v1, EcsService)
    assert {c.discovery_name: c.tls is not None for c in v1.connect_services} == {"reviews": True, "other": False}


def test_permissive_is_said_and_changes_nothing() -> None:
    text = APP + MESH + STRICT.replace("STRICT", "PERMISSIVE")
    assert ("K2E843", 66, "/") in _codes(text)
    found = _resources(text, Options(service_connect_tls_ca=CA))
    assert not any(isinstance(r, Role) and r.logical_id == "ServiceConnectTlsRole" for r in found.values())


EXACT = """\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: odd, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - match: [{uri: {regex: "/v[0-9]+"}, queryParams: {a: {exact: b}}}]
      retries: {attempts: 3, perTryTimeout: 2s}
      fault: {delay: {fixedDelay: 7s, percentage: {value: 10}}}
      mirror: {host: reviews}
      corsPolicy: {allowOrigins: [{exact: "*"}]}
      headers: {request: {set: {x-env: prod}}}
      rewrite: {uri: /}
      route: [{destination: {host: reviews, subset: v3}}]
    - route: [{destination: {host: api.example.org}}]
  tcp:
    - route: [{destination: {host: reviews}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: pools, namespace: shop}
spec:
  host: reviews
  trafficPolicy:
    connectionPool: {tcp: {maxConnections: 10}}
    outlierDetection: {consecutive5xxErrors: 3}
    loadBalancer: {simple: LEAST_REQUEST}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: tcp, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 31400, name: tcp, protocol: TCP}
      hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec: {egress: [{hosts: ["./*"]}]}
"""


def test_exact_findings() -> None:
    start = APP.count("\n")
    found = [(code, line - start, pointer) for code, line, pointer in _codes(APP + EXACT)]
    assert found == [
        ("K2E830", 38, "/"),  # Sidecar
        ("K2E831", 7, "/spec/http/0/match/0"),  # match in the mesh
        ("K2E831", 7, "/spec/http/0/match/0/queryParams"),
        ("K2E831", 8, "/spec/http/0/retries"),
        ("K2E831", 9, "/spec/http/0/fault"),
        ("K2E831", 10, "/spec/http/0/mirror"),
        ("K2E831", 11, "/spec/http/0/corsPolicy"),
        ("K2E831", 12, "/spec/http/0/headers"),
        ("K2E831", 13, "/spec/http/0/rewrite"),
        ("K2E835", 15, "/spec/http/1/route/0"),  # a host outside the input
        ("K2E836", 14, "/spec/http/0/route/0"),  # subset v3 is defined nowhere
        ("K2E839", 25, "/spec/trafficPolicy/connectionPool"),
        ("K2E839", 26, "/spec/trafficPolicy/outlierDetection"),
        ("K2E839", 27, "/spec/trafficPolicy/loadBalancer"),
        ("K2E840", 16, "/spec/tcp"),
        ("K2E841", 35, "/spec/servers/0"),  # a TCP server
        ("K2E842", 29, "/"),  # the Gateway has no VirtualService
    ]
    messages = {f.code + f.location.pointer: f.message for f in translate_text(APP + EXACT, name="app.yaml").findings}
    assert messages["K2E831/spec/http/0/retries"] == (
        "VirtualService odd http route 0: retries (attempts 3, perTryTimeout 2s) is not carried: neither Service "
        "Connect nor an ALB takes a retry policy")
    assert messages["K2E831/spec/http/0/fault"] == (
        "VirtualService odd http route 0: fault (delay 7s for 10%) is not carried: neither Service Connect nor an ALB "
        "injects faults")
    assert messages["K2E839/spec/trafficPolicy/loadBalancer"] == (
        "DestinationRule pools trafficPolicy.loadBalancer (simple LEAST_REQUEST) is not carried: Service Connect "
        "balances calls with its own algorithm")


def test_no_generic_custom_resource_finding_for_istio_kinds() -> None:
    result = translate_text(APP + MESH + STRICT + "---\n" + EXACT, name="app.yaml")
    assert not [f for f in result.findings if f.code == "K2E101"]


def test_hosts_gateways_and_the_most_specific_peer_policy() -> None:
    from translator.mapping.network.meshindex import gateway_key, service_key

    assert service_key("reviews", "shop") == ("shop", "reviews")
    assert service_key("reviews.prod", "shop") == ("prod", "reviews")
    assert service_key("Reviews.prod.svc.cluster.local", "shop") == ("prod", "reviews")
    assert service_key("api.example.com", "shop") is None
    assert service_key("*.example.com", "shop") is None
    assert gateway_key("edge", "shop") == ("shop", "edge")
    assert gateway_key("istio-system/edge", "shop") == ("istio-system", "edge")
    mesh_wide = STRICT.replace("namespace: shop", "namespace: istio-system")
    strict = _resources(APP + MESH + mesh_wide, Options(service_connect_tls_ca=CA))["ReviewsV1Service"]
    assert isinstance(strict, EcsService) and [c.tls is not None for c in strict.connect_services] == [True]
    unset = STRICT.replace("{mtls: {mode: STRICT}}", "{mtls: {mode: UNSET}}")
    inherited = _resources(APP + MESH + mesh_wide + "---\n" + unset, Options(service_connect_tls_ca=CA))["ReviewsV1Service"]
    assert isinstance(inherited, EcsService) and [c.tls is not None for c in inherited.connect_services] == [True]
    own = STRICT.replace("name: default", "name: v1-plain").replace(
        "spec: {mtls: {mode: STRICT}}", "spec: {selector: {matchLabels: {version: v1}}, mtls: {mode: DISABLE}}")
    plain = _resources(APP + MESH + mesh_wide + "---\n" + own, Options(service_connect_tls_ca=CA))["ReviewsV1Service"]
    assert isinstance(plain, EcsService) and [c.tls is not None for c in plain.connect_services] == [False]


def test_https_server_with_a_credential_and_servers_the_alb_cannot_serve() -> None:
    gateway = MESH.replace("""    - port: {number: 80, name: http, protocol: HTTP}
      hosts: [reviews.example.com]
""", """    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [reviews.example.com]
      tls: {mode: SIMPLE, credentialName: reviews-tls}
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: [reviews.example.com]
      tls: {httpsRedirect: true}
    - port: {number: 8443, name: passthrough, protocol: HTTPS}
      hosts: ["*"]
      tls: {mode: PASSTHROUGH}
""")
    found = _resources(APP + gateway)
    listeners = [(r.port, r.protocol) for r in found.values() if isinstance(r, Listener)]
    assert listeners == [(80, "HTTP"), (443, "HTTPS")]
    # httpsRedirect: the HTTP listener's one rule sends every request of the server's hosts to HTTPS 443 with a 301,
    # and the VirtualService's routes are on the HTTPS listener only.
    rules = {r.listener_arn.name: r for r in found.values() if isinstance(r, ListenerRule)}
    redirect = rules["IstioGatewayEdge80Listener"]
    assert [c.field for c in redirect.conditions] == ["host-header", "path-pattern"]
    assert redirect.conditions[0].host_header_config == ConditionValues(("reviews.example.com",))
    assert redirect.conditions[1].path_pattern_config == ConditionValues(("/*",))
    assert redirect.actions == (Redirect(RedirectConfig("HTTPS", "443", "HTTP_301")),)
    assert all(a.type == "forward" for a in rules["IstioGatewayEdge443Listener"].actions)
    result = translate_text(APP + gateway, name="app.yaml")
    assert [f.message for f in result.findings if f.code in ("K2E841", "K2E763", "K2E775")] == [
        "Gateway edge listener https-0 certificate Secret reviews-tls becomes the certificate stack parameter "
        "ReviewsTlsCertificateArn",
        "Istio httpsRedirect edge/http-0 becomes 1 rule on IstioGatewayEdgeLoadBalancer listener 80",
        "Gateway edge server passthrough (HTTPS 8443) is not carried: TLS mode PASSTHROUGH is not TLS the ALB "
        "terminates with a certificate",
        "VirtualService reviews becomes 1 rule on IstioGatewayEdgeLoadBalancer listener 443",
    ]


def test_a_gateway_in_a_namespace_without_workloads_is_built_where_its_routes_are() -> None:
    text = APP + MESH.replace("metadata: {name: edge, namespace: shop}", "metadata: {name: edge, namespace: istio-system}") \
        .replace("gateways: [edge, mesh]", "gateways: [istio-system/edge, mesh]")
    found = _resources(text)
    assert [(r.logical_id, r.port) for r in found.values() if isinstance(r, Listener)] == [
        ("IstioGatewayIstioSystemEdge80Listener", 80)]
    elsewhere = text.replace("gateways: [istio-system/edge, mesh]", "gateways: [istio-system/edge]").replace(
        "metadata: {name: reviews, namespace: shop}\nspec:\n  hosts", "metadata: {name: reviews, namespace: web}\nspec:\n  hosts")
    result = translate_text(elsewhere, name="app.yaml")
    assert [f.message for f in result.findings if f.code == "K2E842"] == [
        "Gateway edge routes to namespace web, where no workload was translated, so no stack holds a load balancer "
        "for it"]


def test_a_mesh_split_is_carried_by_the_alb_of_an_ingress_to_its_service() -> None:
    ingress = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: alb
  rules:
    - http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: reviews, port: {number: 9080}}}}]
---
"""
    mesh = MESH.replace("  gateways: [edge, mesh]\n", "")
    text = APP + ingress + mesh
    found = _resources(text)
    rule = next(r for r in found.values() if isinstance(r, ListenerRule))
    assert rule.actions == (WeightedForward(ForwardConfig((
        TargetGroupTuple(Ref("IngressAlbReviews9080V1TargetGroup"), 80),
        TargetGroupTuple(Ref("IngressAlbReviews9080V2TargetGroup"), 20)))),)
    v2 = found["ReviewsV2Service"]
    assert isinstance(v2, EcsService)
    assert [b.target_group_arn for b in v2.load_balancers] == [Ref("IngressAlbReviews9080V2TargetGroup")]
    messages = [f.message for f in translate_text(text, name="app.yaml").findings if f.code == "K2E845"]
    assert messages == ["VirtualService reviews splits v1 80, v2 20: the Ingress web rules of IngressAlbLoadBalancer "
                        "forward over one target group per subset with these weights"]
    plain = _resources(APP + ingress)  # without the VirtualService: one target group of both versions
    assert [r.actions for r in plain.values() if isinstance(r, ListenerRule)] == [
        (Forward(Ref("IngressAlbReviews9080TargetGroup")),)]


def test_port_level_modes_decide_the_endpoints_of_their_container_ports() -> None:
    """Each Service Connect endpoint is one container port, so a portLevelMtls entry of the workload's policy decides
    that endpoint: STRICT on one port of a PERMISSIVE workload, DISABLE on one port of a STRICT one."""
    two_ports = APP.replace("ports: [{name: http, containerPort: 9080}]",
                            "ports: [{name: http, containerPort: 9080}, {name: admin, containerPort: 9090}]") \
        .replace("{name: http, port: 9080, targetPort: http}",
                 "{name: http, port: 9080, targetPort: http}, {name: admin, port: 9090, targetPort: admin}")
    policy = STRICT.replace("metadata: {name: default, namespace: shop}",
                            "metadata: {name: reviews, namespace: shop}").replace(
        "spec: {mtls: {mode: STRICT}}",
        "spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: PERMISSIVE}, portLevelMtls: {9090: {mode: STRICT}}}")
    v1 = _resources(two_ports + policy, Options(service_connect_tls_ca=CA))["ReviewsV1Service"]
    assert isinstance(v1, EcsService)
    assert {c.port_name: c.tls is not None for c in v1.connect_services} == {"http": False, "admin": True}
    reversed_ = policy.replace("mode: PERMISSIVE}, portLevelMtls: {9090: {mode: STRICT}}",
                               "mode: STRICT}, portLevelMtls: {9090: {mode: DISABLE}}")
    v1 = _resources(two_ports + reversed_, Options(service_connect_tls_ca=CA))["ReviewsV1Service"]
    assert isinstance(v1, EcsService)
    assert {c.port_name: c.tls is not None for c in v1.connect_services} == {"http": True, "admin": False}
    # without the CA option, a STRICT port asks for it (K2E837) as a STRICT policy does
    found = [(f.code, f.message) for f in translate_text(two_ports + policy, name="app.yaml").findings
             if f.code in ("K2E837", "K2E843")]
    assert found == [
        ("K2E837", "PeerAuthentication reviews requires mutual TLS (STRICT); the Service Connect calls of namespace "
                   "shop are plaintext inside the VPC"),
        ("K2E843", "PeerAuthentication reviews mode PERMISSIVE: Service Connect without TLS accepts plaintext calls, "
                   "as the policy allows")]
    disabled = [f.message for f in translate_text(two_ports + reversed_, name="app.yaml").findings if f.code == "K2E843"]
    assert disabled == ["PeerAuthentication reviews mode DISABLE: the Service Connect endpoints of container port 9090 "
                        "stay without TLS and accept plaintext calls, as the policy allows for that port"]
