"""Ingress annotation actions and conditions (alb.ingress.kubernetes.io/actions.<name>, conditions.<name>):
the listener rules they make, and exact findings for what the controller or the ELB API refuses."""

from __future__ import annotations

import json

import pytest

from tests.support.manifests import deployment, service
from tests.support.validation import cfn_lint_errors
from translator.api import translate_text
from translator.model.ecs import (
    ConditionValues,
    FixedResponse,
    FixedResponseConfig,
    ForwardConfig,
    HttpHeaderConfig,
    Listener,
    ListenerRule,
    QueryStringConfig,
    QueryStringKeyValue,
    Redirect,
    RedirectConfig,
    RuleCondition,
    TargetGroupStickinessConfig,
    TargetGroupTuple,
    WeightedForward,
)
from translator.model.intrinsics import Ref

CONTAINER = """\
          ports: [{name: http, containerPort: 8080}]
          resources: {limits: {cpu: 250m, memory: 256Mi}}
"""
APP = "---\n".join([deployment("web", "nginx", container=CONTAINER), deployment("api", "nginx", container=CONTAINER),
                    service("web", "{name: http, port: 80, targetPort: http}"),
                    service("api", "{name: http, port: 80, targetPort: http}")]) + "---\n"
ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ext/0123456789abcdef"


def _ingress(actions: dict[str, object], conditions: dict[str, object] | None = None) -> str:
    """An Ingress with a path /<name> to each action's backend, then / to the Service web."""
    notes = {f"alb.ingress.kubernetes.io/actions.{k}": json.dumps(v) for k, v in actions.items()}
    notes |= {f"alb.ingress.kubernetes.io/conditions.{k}": json.dumps(v) for k, v in (conditions or {}).items()}
    lines = "\n".join(f"    {k}: {json.dumps(v)}" for k, v in notes.items())
    paths = "".join(f"      - {{path: /{k}, pathType: Exact, backend: {{service: {{name: {k}, port: {{name: use-annotation}}}}}}}}\n"
                    for k in actions)
    return f"""\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: edge
  namespace: shop
  annotations:
{lines}
spec:
  ingressClassName: alb
  rules:
  - http:
      paths:
{paths}      - {{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}
"""


def _convert(text: str) -> tuple[list[ListenerRule], list[tuple[str, str, int, str]], list[str]]:
    """The listener rules by priority, the findings above info (code, severity, line, message), the templates."""
    result = translate_text(APP + text, name="app.yaml")
    rules = sorted((r for s in result.stacks for r in s.resources if isinstance(r, ListenerRule)),
                   key=lambda r: r.priority)
    found = [(f.code, f.severity.name.lower(), f.location.line, f.message) for f in result.findings
             if f.severity.name.lower() != "info"]
    return rules, found, list(result.templates.values())


def _line(text: str, key: str) -> int:
    """The line of the annotation `key` in the converted file."""
    return next(n for n, line in enumerate((APP + text).splitlines(), 1) if line.strip().startswith(key + ":"))


def test_a_weighted_forward_with_stickiness_and_conditions_becomes_the_rule() -> None:
    actions = {"split": {"type": "forward", "forwardConfig": {
        "targetGroups": [{"serviceName": "web", "servicePort": "80", "weight": 80},
                         {"serviceName": "api", "servicePort": "http", "weight": 20},
                         {"targetGroupARN": ARN, "weight": 0}],
        "targetGroupStickinessConfig": {"enabled": True, "durationSeconds": 200}}}}
    conditions = {"split": [
        {"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Canary", "values": ["yes"]}},
        {"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8"]}}]}
    rules, found, templates = _convert(_ingress(actions, conditions))
    assert found == []
    assert [cfn_lint_errors(t) for t in templates] == [[]]
    assert rules[0].conditions == (
        RuleCondition("path-pattern", path_pattern_config=ConditionValues(("/split",))),
        RuleCondition("http-header", http_header_config=HttpHeaderConfig("X-Canary", ("yes",))),
        RuleCondition("source-ip", source_ip_config=ConditionValues(("10.0.0.0/8",))))
    assert rules[0].actions == (WeightedForward(ForwardConfig(
        (TargetGroupTuple(Ref("IngressAlbWeb80TargetGroup"), 80), TargetGroupTuple(Ref("IngressAlbApi80TargetGroup"), 20),
         TargetGroupTuple(ARN, 0)), TargetGroupStickinessConfig(True, 200))),)


def test_fixed_response_and_redirect_with_method_and_query_conditions() -> None:
    actions = {"gone": {"type": "fixed-response", "fixedResponseConfig": {
                   "contentType": "text/plain", "statusCode": "410", "messageBody": "gone"}},
               "moved": {"type": "redirect", "redirectConfig": {"host": "new.example.com", "protocol": "HTTPS",
                                                                "port": "443", "statusCode": "HTTP_301"}}}
    conditions = {"moved": [{"field": "http-request-method", "httpRequestMethodConfig": {"Values": ["GET", "HEAD"]}},
                            {"field": "query-string", "queryStringConfig": {"values": [{"key": "v", "value": "1"}]}}]}
    text = _ingress(actions, conditions)
    rules, found, templates = _convert(text)
    assert found == []
    assert [cfn_lint_errors(t) for t in templates] == [[]]
    by_action = {type(r.actions[0]).__name__: r for r in rules}
    assert by_action["FixedResponse"].actions == (FixedResponse(FixedResponseConfig("410", "text/plain", "gone")),)
    assert by_action["Redirect"].actions == (Redirect(RedirectConfig("HTTPS", "443", "HTTP_301", "new.example.com")),)
    assert by_action["Redirect"].conditions[1:] == (
        RuleCondition("http-request-method", http_request_method_config=ConditionValues(("GET", "HEAD"))),
        RuleCondition("query-string", query_string_config=QueryStringConfig((QueryStringKeyValue("v", "1"),))))


PREFIX = "Ingress edge backend bad:use-annotation: "
SUFFIX = "; the rule was left out"


@pytest.mark.parametrize(("action", "conditions", "detail"), [
    ("{not json", None, "the action is not valid JSON (Expecting property name enclosed in double quotes at character 1)"),
    ({"type": "authenticate-oidc"}, None, "the action type 'authenticate-oidc' is not forward, fixed-response or redirect"),
    ({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "302"}}, None,
     "the fixed-response status code '302' is not a 2XX, 4XX or 5XX code"),
    ({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503", "messageBody": "x" * 1025}}, None,
     "the message body has 1025 characters, more than the 1024 an ALB returns"),
    ({"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "web", "servicePort": 80, "weight": 1000}]}},
     None, "a weight is '1000', not an integer from 0 to 999"),
    ({"type": "forward", "forwardConfig": {"targetGroups": [{"targetGroupARN": ARN + str(i)} for i in range(6)]}}, None,
     "forwardConfig.targetGroups has 6 target groups; a forward takes 1 to 5"),
    ({"type": "redirect", "redirectConfig": {"statusCode": "HTTP_308"}}, None,
     "the redirect status code 'HTTP_308' is not HTTP_301 or HTTP_302"),
    ({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503"}},
     [{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X Who", "values": ["a"]}}],
     "the header name 'X Who' is not an HTTP header name (letters, digits, - and the like)"),
    ({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503"}}, [{"field": "cookie"}],
     "the condition field 'cookie' is not host-header, path-pattern, http-header, http-request-method, query-string "
     "or source-ip"),
    ({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503"}},
     [{"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16",
                                                          "10.4.0.0/16"]}}],
     "with the path's own conditions the rule needs 6 condition values and 0 wildcards; an ALB rule takes at most 5 "
     "of each"),
])
def test_what_the_controller_or_the_elb_api_refuses_is_an_error_at_the_annotation(
        action: object, conditions: object, detail: str) -> None:
    text = _ingress({"bad": action}, {"bad": conditions} if conditions is not None else None)
    if isinstance(action, str):
        text = text.replace(json.dumps(json.dumps(action)), json.dumps(action))
    rules, found, templates = _convert(text)
    key = "alb.ingress.kubernetes.io/" + ("conditions.bad" if conditions is not None else "actions.bad")
    assert found == [("K2E861", "error", _line(text, key), PREFIX + detail + SUFFIX)]
    assert [r.actions[0] for r in rules] == [rules[0].actions[0]] and len(rules) == 1  # only the / rule
    assert [cfn_lint_errors(t) for t in templates] == [[]]


def test_a_forward_to_a_service_not_in_the_input_is_said_where_the_annotation_names_it() -> None:
    text = _ingress({"bad": {"type": "forward", "forwardConfig": {
        "targetGroups": [{"serviceName": "web", "servicePort": 80}, {"serviceName": "ghost", "servicePort": 80}]}}})
    rules, found, _ = _convert(text)
    line = _line(text, "alb.ingress.kubernetes.io/actions.bad")
    assert [(code, at) for code, _, at, _ in found] == [("K2E431", line), ("K2E861", line)]
    assert found[1][3] == PREFIX + "its target group ghost:80 reaches no translated workload" + SUFFIX
    assert len(rules) == 1


def test_an_ingress_of_fixed_responses_only_still_gets_its_alb() -> None:
    text = _ingress({"maintenance": {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503"}}})
    text = text.replace("      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n", "")
    rules, found, _ = _convert(text)
    assert found == []
    assert [r.actions for r in rules] == [(FixedResponse(FixedResponseConfig("503")),)]


def test_a_default_backend_takes_its_action_from_the_annotation() -> None:
    action = {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "web", "servicePort": 80, "weight": 9},
                                                                     {"serviceName": "api", "servicePort": 80, "weight": 1}]}}
    text = _ingress({"split": action}).replace(
        "spec:\n  ingressClassName: alb\n",
        "spec:\n  ingressClassName: alb\n  defaultBackend: {service: {name: split, port: {name: use-annotation}}}\n")
    result = translate_text(APP + text, name="app.yaml")
    listener = next(r for s in result.stacks for r in s.resources if isinstance(r, Listener))
    assert listener.default_actions == (WeightedForward(ForwardConfig(
        (TargetGroupTuple(Ref("IngressAlbWeb80TargetGroup"), 9), TargetGroupTuple(Ref("IngressAlbApi80TargetGroup"), 1)))),)
    assert [f.code for f in result.findings if f.severity.name.lower() != "info"] == []
    assert [cfn_lint_errors(t) for t in result.templates.values()] == [[]]


def test_a_deeply_nested_action_is_a_finding_not_a_traceback() -> None:
    text = _ingress({"bad": "x"}).replace('"\\"x\\""', "'" + "[" * 100_000 + "'")
    _, found, _ = _convert(text)
    assert [(code, message) for code, _, _, message in found] == [
        ("K2E861", PREFIX + "the action is nested too deeply to read" + SUFFIX)]
