"""IAMAuthPolicy and AccessLogPolicy: VPC Lattice auth policies and access log subscriptions under
gateway_target vpc-lattice, exact findings for what cannot apply, K2E846 with load balancers."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.support.manifests import deployment, service
from tests.support.validation import cfn_lint_errors
from translator.api import TranslationResult, translate, translate_text
from translator.model.ecs import LatticeAccessLogSubscription, LatticeAuthPolicy, LatticeService, LatticeServiceNetwork
from translator.model.intrinsics import Ref
from translator.options import options_from_dict

LATTICE = options_from_dict({"gateway_target": "vpc-lattice"})
SAMPLE = Path(__file__).parents[4] / "samples" / "gateway-api-aws-controllers"
APP = f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: edge, namespace: shop}}
spec:
  gatewayClassName: amazon-vpc-lattice
  listeners: [{{name: http, protocol: HTTP, port: 80}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: web, namespace: shop}}
spec:
  parentRefs: [{{name: edge}}]
  rules: [{{backendRefs: [{{name: web, port: 80}}]}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: loose, namespace: shop}}
spec:
  parentRefs: [{{name: elsewhere}}]
  rules: [{{backendRefs: [{{name: web, port: 80}}]}}]
---
{service("web", "{port: 80, targetPort: 8080}")}
---
{deployment("web", container="ports: [{containerPort: 8080}]")}
---
"""
START = APP.count("\n") + 1  # the first policy's line; each `_policy` is 7 lines: targetRef at +4, its value at +5
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"}]}'


def _policy(kind: str, name: str, target: str, value: str, target_kind: str = "Gateway",
            extra: str = "") -> str:
    key = "policy" if kind == "IAMAuthPolicy" else "destinationArn"
    return (f"apiVersion: application-networking.k8s.aws/v1alpha1\nkind: {kind}\n"
            f"metadata: {{name: {name}, namespace: shop}}\nspec:\n"
            f"  targetRef: {{group: gateway.networking.k8s.io, kind: {target_kind}, name: {target}{extra}}}\n"
            f"  {key}: {json.dumps(value)}\n---\n")


def _at(index: int, offset: int = 0) -> int:
    """The line of the `index`th policy after APP (0 first), or of its targetRef (4) or value (5)."""
    return START + 7 * index + offset


def _run(policies: str, lattice: bool = True) -> TranslationResult:
    return translate_text(APP + policies, LATTICE if lattice else None, name="app.yaml")


def _codes(result: TranslationResult) -> list[tuple[str, int, str]]:
    return [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E846", "K2E847", "K2E848",
                                                                                        "K2E849")]


def _resources(result: TranslationResult, kind: type) -> list:  # type: ignore[type-arg]
    return [r for s in result.stacks for r in s.resources if isinstance(r, kind)]


def test_an_auth_policy_on_a_gateway_protects_its_service_network() -> None:
    result = _run(_policy("IAMAuthPolicy", "edge-auth", "edge", POLICY))
    (network,) = _resources(result, LatticeServiceNetwork)
    assert network.auth_type == "AWS_IAM"
    (policy,) = _resources(result, LatticeAuthPolicy)
    assert (policy.logical_id, policy.resource_identifier) == ("EdgeAuthAuthPolicy", Ref("GatewayEdgeServiceNetwork"))
    assert json.loads(policy.policy) == json.loads(POLICY)
    assert [s.auth_type for s in _resources(result, LatticeService)] == ["NONE"]
    assert _codes(result) == [("K2E847", _at(0), "IAMAuthPolicy edge-auth on Gateway edge becomes EdgeAuthAuthPolicy on "
                                             "GatewayEdgeServiceNetwork (stack shop), with AuthType AWS_IAM there: only "
                                             "requests its statements allow get through")]


def test_an_auth_policy_on_a_route_protects_its_service_and_the_template_writes_the_document_as_a_mapping() -> None:
    result = _run(_policy("IAMAuthPolicy", "web-auth", "web", POLICY, "HTTPRoute"))
    assert [s.auth_type for s in _resources(result, LatticeService)] == ["AWS_IAM"]
    assert [n.auth_type for n in _resources(result, LatticeServiceNetwork)] == ["NONE"]
    (text,) = result.templates.values()
    assert cfn_lint_errors(text) == []
    written = yaml.safe_load(text)["Resources"]["WebAuthAuthPolicy"]["Properties"]
    assert written == {"ResourceIdentifier": {"Ref": "WebHTTPRouteLatticeService"}, "Policy": json.loads(POLICY)}


def test_access_logs_go_to_each_destination_type_once_per_target() -> None:
    logs = "arn:aws:logs:us-east-1:111122223333:log-group:lattice-access"
    result = _run(_policy("AccessLogPolicy", "a-logs", "edge", logs)
                  + _policy("AccessLogPolicy", "b-bucket", "edge", "arn:aws:s3:::lattice-access-logs")
                  + _policy("AccessLogPolicy", "c-logs", "edge", "arn:aws:logs:us-east-1:111122223333:log-group:other"))
    made = [(r.logical_id, r.resource_identifier, r.destination_arn) for r in _resources(result, LatticeAccessLogSubscription)]
    assert made == [("ALogsAccessLogs", Ref("GatewayEdgeServiceNetwork"), logs),
                    ("BBucketAccessLogs", Ref("GatewayEdgeServiceNetwork"), "arn:aws:s3:::lattice-access-logs")]
    assert [n.auth_type for n in _resources(result, LatticeServiceNetwork)] == ["NONE"]
    assert [c[0] for c in _codes(result)] == ["K2E848", "K2E848", "K2E849"]
    assert _codes(result)[2] == ("K2E849", _at(2, 4), "AccessLogPolicy c-logs targets Gateway edge and was not applied: "
                                               "AccessLogPolicy a-logs already targets it, and the controller applies one "
                                               "access log destination of each type (CloudWatch Logs group) per target")
    assert cfn_lint_errors(next(iter(result.templates.values()))) == []


def test_what_cannot_apply_is_said_at_its_line() -> None:
    result = _run(_policy("IAMAuthPolicy", "a-first", "edge", POLICY)
                  + _policy("IAMAuthPolicy", "b-second", "edge", POLICY)
                  + _policy("IAMAuthPolicy", "c-not-json", "web", '{"Version": ', "HTTPRoute")
                  + _policy("IAMAuthPolicy", "d-list", "web", "[1]", "HTTPRoute")
                  + _policy("IAMAuthPolicy", "e-service", "web", POLICY, "Service")
                  + _policy("AccessLogPolicy", "f-other-ns", "edge", "arn:aws:s3:::lattice-logs", extra=", namespace: infra")
                  + _policy("AccessLogPolicy", "g-not-arn", "edge", "s3://lattice-logs")
                  + _policy("AccessLogPolicy", "h-short", "edge", "arn:aws:s3:::logs")
                  + _policy("AccessLogPolicy", "i-missing", "gone", "arn:aws:s3:::lattice-logs")
                  + _policy("AccessLogPolicy", "j-unattached", "loose", "arn:aws:s3:::lattice-logs", "HTTPRoute"))
    arn = ("its destinationArn is not the ARN of an S3 bucket, CloudWatch Logs group or Firehose delivery stream of 20 "
           "to 2,048 characters")
    assert [(c, line, m.split(" and was not applied: ")[-1]) for c, line, m in _codes(result)] == [
        ("K2E847", _at(0), "IAMAuthPolicy a-first on Gateway edge becomes AFirstAuthPolicy on GatewayEdgeServiceNetwork "
                       "(stack shop), with AuthType AWS_IAM there: only requests its statements allow get through"),
        ("K2E849", _at(1, 4), "IAMAuthPolicy a-first already targets it, and the controller applies an auth policy per target"),
        ("K2E849", _at(2, 5), "its policy is not JSON (Expecting value: line 1 column 13 (char 12))"),
        ("K2E849", _at(3, 5), "its policy is not a JSON object"),
        ("K2E849", _at(4, 4), "it is a Service of group gateway.networking.k8s.io; the controller attaches these policies to a "
                       "Gateway, HTTPRoute or GRPCRoute (gateway.networking.k8s.io)"),
        ("K2E849", _at(5, 4), "its namespace infra is not the policy's (shop), which the controller refuses"),
        ("K2E849", _at(6, 5), arn),
        ("K2E849", _at(7, 5), arn),
        ("K2E849", _at(8, 4), "it is not in the input (namespace shop)"),
        ("K2E849", _at(9), "it became no VPC Lattice service"),
    ]
    assert len(_resources(result, LatticeAuthPolicy)) == 1
    assert _resources(result, LatticeAccessLogSubscription) == []


def test_with_load_balancers_each_policy_says_what_to_do_instead() -> None:
    result = _run(_policy("IAMAuthPolicy", "edge-auth", "edge", POLICY)
                  + _policy("AccessLogPolicy", "logs", "edge", "arn:aws:s3:::lattice-access-logs"), lattice=False)
    assert [(c, line, m.split(";")[0]) for c, line, m in _codes(result)] == [
        ("K2E846", _at(0), "IAMAuthPolicy edge-auth sets the IAM auth policy of the VPC Lattice service network or service "
                       "its targetRef names, so that only callers it allows (SigV4-signed requests) get through"),
        ("K2E846", _at(1), "AccessLogPolicy logs sends the access logs of the VPC Lattice service network or service its "
                       "targetRef names to S3, CloudWatch Logs or Kinesis Data Firehose (destinationArn)"),
    ]
    assert _resources(result, LatticeAuthPolicy) == _resources(result, LatticeAccessLogSubscription) == []


def test_a_policy_without_its_value_is_a_missing_field() -> None:
    result = _run(_policy("IAMAuthPolicy", "empty", "edge", ""))
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E004", "K2E849")] == [
        ("K2E004", _at(0, 5), "required field spec.policy is missing")]


def test_the_sample_auth_policy_is_the_input_document_unchanged() -> None:
    """The least-privilege proof leaves auth policies to this test: their statements are the user's (see its 5)."""
    result = translate([SAMPLE], LATTICE)
    (written,) = _resources(result, LatticeAuthPolicy)
    source = next(d for d in yaml.safe_load_all((SAMPLE / "policies.yaml").read_text()) if d["kind"] == "IAMAuthPolicy")
    assert json.loads(written.policy) == json.loads(source["spec"]["policy"])
