"""Istio parsers: dispatch by API group (two Gateways), the model they read, the kinds only reported, the option."""

from __future__ import annotations

import pytest

from translator.api import translate_text
from translator.k8s import gateway, istiogateway, registry, unsupported
from translator.model.app import MeshDestination, MeshServer, RouteRedirect, ValueMatch
from translator.options import OptionsError, options_from_dict

VS = """\
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  gateways: [edge, other/gw]
  http:
    - name: canary
      match:
        - uri: {prefix: /api}
          headers: {end-user: {exact: jason}, x-tier: {prefix: gold}}
          method: {exact: get}
          gateways: [edge]
      route:
        - {destination: {host: reviews, subset: v2, port: {number: 9080}}, weight: 10}
        - {destination: {host: reviews, subset: v1}}
      timeout: 250ms
    - redirect: {uri: /new, authority: example.com, redirectCode: 302}
"""


def test_the_api_group_decides_which_gateway_module_reads_it() -> None:
    assert registry.parser_for("networking.istio.io/v1", "Gateway") is istiogateway.parse
    assert registry.parser_for("gateway.networking.k8s.io/v1", "Gateway") is gateway.parse
    assert registry.parser_for("example.com/v1", "Gateway") is unsupported.parse
    assert sorted(registry.SHARED_KINDS) == ["Gateway"]
    assert registry.unserved_version("networking.istio.io/v2", "Gateway") == (
        "apiVersion networking.istio.io/v2 was never served for Gateway "
        "(served: networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3)")


def test_an_istio_gateway_and_a_gateway_api_gateway_of_one_name_are_two_objects() -> None:
    text = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec: {gatewayClassName: istio, listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["shop/a.example.com"], tls: {mode: SIMPLE, credentialName: a-tls}}]
"""
    result = translate_text(text)
    assert not [f for f in result.findings if f.code == "K2E005"]
    assert [g.meta.name for g in result.app.gateways] == ["edge"]
    assert result.app.mesh_gateways[0].servers == (MeshServer(443, "HTTPS", "https", ("shop/a.example.com",), "SIMPLE",
                                                              "a-tls", origin=result.app.mesh_gateways[0].servers[0].origin),)


def test_virtual_service_model() -> None:
    vs = translate_text(VS).app.virtual_services[0]
    assert (vs.hosts, vs.gateways) == (("reviews",), ("edge", "other/gw"))
    canary, moved = vs.http
    assert (canary.name, canary.timeout_text, str(canary.timeout)) == ("canary", "250ms", "0.25")
    match = canary.matches[0]
    assert (match.uri_type, match.uri, match.method, match.gateways) == ("prefix", "/api", "GET", ("edge",))
    assert match.headers == (ValueMatch("end-user", "jason"),)
    assert [(p.name, p.detail) for p in match.unmatched] == [("headers.x-tier", "prefix")]
    assert [(d.host, d.subset, d.port, d.weight) for d in canary.destinations] == [
        ("reviews", "v2", 9080, 10), ("reviews", "v1", None, None)]
    assert isinstance(canary.destinations[0], MeshDestination)
    assert moved.redirect == RouteRedirect("", "example.com", "ReplaceFullPath", "/new", None, 302)


@pytest.mark.parametrize(("kind", "api_version"), [
    ("ServiceEntry", "networking.istio.io/v1"), ("EnvoyFilter", "networking.istio.io/v1alpha3"),
    ("Sidecar", "networking.istio.io/v1beta1"), ("WorkloadEntry", "networking.istio.io/v1"),
    ("WorkloadGroup", "networking.istio.io/v1"), ("ProxyConfig", "networking.istio.io/v1beta1"),
    ("AuthorizationPolicy", "security.istio.io/v1"), ("RequestAuthentication", "security.istio.io/v1beta1"),
    ("Telemetry", "telemetry.istio.io/v1"), ("WasmPlugin", "extensions.istio.io/v1alpha1"),
    ("IstioOperator", "install.istio.io/v1alpha1"),
])
def test_istio_kinds_without_an_ecs_resource_get_their_own_finding(kind: str, api_version: str) -> None:
    result = translate_text(f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x, namespace: shop}}\n"
                            "spec: {anything: [1, 2]}\n")
    found = [(f.code, f.severity.label) for f in result.findings if f.code in ("K2E830", "K2E101", "K2E200")]
    assert found == [("K2E830", "warning")]
    message = next(f for f in result.findings if f.code == "K2E830").message
    assert message.startswith(f"{kind} x ") and message.endswith("ECS has no such object, so it was not translated")


@pytest.mark.parametrize(("raw", "message"), [
    ({"service_connect_tls_ca": "arn:aws:acm:us-east-1:111122223333:certificate/abc"}, "is not the ARN of an AWS Private CA"),
    ({"service_connect_tls_ca": "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/"
                                "11111111-2222-3333-4444-555555555555", "service_connect": False},
     "service_connect_tls_ca needs service_connect: true"),
])
def test_the_tls_option_is_checked(raw: dict[str, object], message: str) -> None:
    with pytest.raises(OptionsError, match=message):
        options_from_dict(raw)
