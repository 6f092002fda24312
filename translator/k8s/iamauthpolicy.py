"""IAMAuthPolicy and AccessLogPolicy (application-networking.k8s.aws, the AWS Gateway API Controller for VPC Lattice).

Both attach to a Gateway, HTTPRoute or GRPCRoute (targetRef). An IAMAuthPolicy holds an IAM policy
document as JSON text (`spec.policy`); an AccessLogPolicy names where access logs go (`spec.destinationArn`).
Read here as written; `mapping/network/latticepolicies.py` judges them against what the Gateways became:
an auth policy and an access log subscription on the VPC Lattice service network or service under
`gateway_target: vpc-lattice`, a finding with what to do otherwise.
"""

from __future__ import annotations

from translator.k8s.common import origin, origin_at, parse_meta
from translator.k8s.targetgrouppolicy import LATTICE_GROUP, reference
from translator.model.app import Application, LatticePolicy
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"IAMAuthPolicy": (LATTICE_GROUP,), "AccessLogPolicy": (LATTICE_GROUP,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {LATTICE_GROUP: ("v1alpha1",)}
BECOMES = (
    "gateway_target vpc-lattice: an AWS::VpcLattice::AuthPolicy (IAMAuthPolicy, with AuthType AWS_IAM) or "
    "AWS::VpcLattice::AccessLogSubscription (AccessLogPolicy) on the service network of the Gateway or the "
    "service of the route it targets; load-balancer: a finding with what to do instead (K2E846)"
)
VALUE_FIELD = {"IAMAuthPolicy": "policy", "AccessLogPolicy": "destinationArn"}


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    kind = root.ctx.doc.kind
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    key = VALUE_FIELD[kind]
    value = spec.str(key)
    if value == "" or not spec.has(key):  # a wrong type was reported by the read (K2E003)
        spec.report("K2E004", key, field=f"spec.{key}")
    if not value:
        return
    target = reference(spec, "targetRef", meta.namespace)
    if target is None:
        return
    app.lattice_policies.append(LatticePolicy(meta, kind, target, value, origin_at(spec, key), origin(root)))
