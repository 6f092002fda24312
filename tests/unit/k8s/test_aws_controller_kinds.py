"""The AWS Gateway API controllers' kinds kube2ecs does not build: one specific finding each, never K2E101."""

from __future__ import annotations

from translator.api import translate_text

OBJECTS = """\
apiVersion: application-networking.k8s.aws/v1alpha1
kind: IAMAuthPolicy
metadata: {name: shop-auth, namespace: shop}
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: edge}
  policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}'
---
apiVersion: application-networking.k8s.aws/v1alpha1
kind: AccessLogPolicy
metadata: {name: logs, namespace: shop}
spec:
  destinationArn: arn:aws:logs:us-east-1:111122223333:log-group:lattice
  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: edge}
---
apiVersion: application-networking.k8s.aws/v1alpha1
kind: ServiceExport
metadata: {name: web, namespace: shop}
---
apiVersion: gateway.k8s.aws/v1beta1
kind: ListenerRuleConfiguration
metadata: {name: auth-rule, namespace: shop}
spec:
  actions: [{type: authenticate-cognito}]
---
apiVersion: application-networking.k8s.aws/v1
kind: VpcAssociationPolicy
metadata: {name: assoc, namespace: shop}
"""


def test_each_kind_gets_its_own_finding_and_no_generic_one() -> None:
    result = translate_text(OBJECTS, name="aws.yaml")
    found = [(f.code, f.location.line, f.message.split(";")[0]) for f in result.findings if f.code in ("K2E846", "K2E101",
                                                                                                        "K2E002")]
    assert found == [
        ("K2E846", 1, "IAMAuthPolicy shop-auth sets the IAM auth policy of the VPC Lattice service network or service its "
                      "targetRef names, so that only callers it allows (SigV4-signed requests) get through"),
        ("K2E846", 8, "AccessLogPolicy logs sends the access logs of the VPC Lattice service network or service its "
                      "targetRef names to S3, CloudWatch Logs or Kinesis Data Firehose (destinationArn)"),
        ("K2E846", 15, "ServiceExport web exports a Service to the other clusters of a VPC Lattice service network"),
        ("K2E846", 19, "ListenerRuleConfiguration auth-rule adds to the ALB rules of an HTTPRoute what the Gateway API "
                       "cannot say (authentication, fixed responses, source IP conditions, rule transforms)"),
        ("K2E002", 25, "document is not a Kubernetes object: apiVersion application-networking.k8s.aws/v1 was never "
                       "served for VpcAssociationPolicy (served: application-networking.k8s.aws/v1alpha1)"),
    ]
    (iam,) = [f for f in result.findings if f.code == "K2E846" and "IAMAuthPolicy" in f.message]
    assert iam.remediation.startswith("Use gateway_target: vpc-lattice, under which kube2ecs makes it the auth policy")
    swept = [f for f in result.findings if f.code in ("K2E200", "K2E201")]  # every field accounted for by the one finding
    assert swept == []


def test_the_assessment_lists_them_with_the_untranslated_kinds() -> None:
    from translator.assess.build import _equivalence

    result = translate_text(OBJECTS, name="aws.yaml")
    kinds = {k["kind"]: k["code"] for k in _equivalence(result, result.findings)["untranslated_kinds"]}
    assert kinds == {"IAMAuthPolicy": "K2E846", "AccessLogPolicy": "K2E846", "ServiceExport": "K2E846",
                     "ListenerRuleConfiguration": "K2E846"}
