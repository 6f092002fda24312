"""K2E006 for a single-brace `{UPPER_CASE}` placeholder: only in name fields, where braces cannot be real."""

from __future__ import annotations

from tests.support.manifests import deployment
from translator.api import translate_text

GATEWAYS = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: {GATEWAY_CLASS_NAME}
  listeners:
    - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web2, namespace: shop}
spec:
  gatewayClassName: "{GATEWAY_CLASS_NAME}"
  listeners:
    - {name: http, protocol: HTTP, port: 80}
"""
TEXT = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: texts
  namespace: shop
  annotations: {note.example.com/templateName: "{NOT_A_NAME}"}
data:
  greetingName: "{USER_NAME}"
  body: '{"A": 1}'
"""


def _placeholders(text: str) -> list[tuple[str, int, str]]:
    result = translate_text(text, name="app.yaml")
    return [(f.resource, f.location.line, f.message) for f in result.findings if f.code == "K2E006"]


def test_a_single_brace_placeholder_in_a_name_field_is_reported_quoted_or_not() -> None:
    assert _placeholders(GATEWAYS) == [
        ("Gateway/shop/web", 5, "value '{GATEWAY_CLASS_NAME}' looks like an unrendered template placeholder"),
        ("Gateway/shop/web2", 13, "value '{GATEWAY_CLASS_NAME}' looks like an unrendered template placeholder"),
    ]


def test_braces_in_text_values_are_left_alone() -> None:
    app = deployment(container="""          args: ["--format={LEVEL}", '{"KEY": "x"}']\n""") + TEXT
    assert _placeholders(app) == []
