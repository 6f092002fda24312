"""IAMAuthPolicy and AccessLogPolicy on what the Gateways became (docs/aws-gateway-controllers.md).

Under `gateway_target: vpc-lattice`, as the AWS Gateway API Controller does: a policy on a Gateway applies
to its service network, one on an HTTPRoute or GRPCRoute to the route's service. An IAMAuthPolicy becomes
an `AWS::VpcLattice::AuthPolicy` and turns the network's or service's AuthType to AWS_IAM; an
AccessLogPolicy becomes an `AWS::VpcLattice::AccessLogSubscription`. As the controller, one auth policy per
target and one access log destination per target and destination type (S3, CloudWatch Logs, Firehose):
a later one (by name) is reported, as is a policy whose document or destination AWS would refuse.
With load balancers (the default) there is nothing to attach them to: a finding says what to do (K2E846).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from translator.k8s.vpcassociationpolicy import ADVICE
from translator.mapping.context import MapContext, NamespaceBuild
from translator.model.app import LatticePolicy
from translator.model.ecs import (
    LatticeAccessLogSubscription,
    LatticeAuthPolicy,
    LatticeService,
    LatticeServiceNetwork,
)
from translator.model.intrinsics import Ref
from translator.model.provenance import provenance

GATEWAY_GROUP = "gateway.networking.k8s.io"
TARGET_KINDS = ("Gateway", "HTTPRoute", "GRPCRoute")
MAX_POLICY = 36864  # characters of an auth policy document (schema AWS::VpcLattice::AuthPolicy, Policy maxLength)
# The destinations VPC Lattice delivers access logs to (monitoring-access-logs.html); the rest of the ARN as the
# schema of AWS::VpcLattice::AccessLogSubscription DestinationArn allows it.
_DESTINATION = re.compile(r"^arn:aws[a-z-]*:(s3|logs|firehose):([a-z0-9-]*):([0-9]{12})?:[^/].*$")
_TYPES = {"s3": "S3 bucket", "logs": "CloudWatch Logs group", "firehose": "Firehose delivery stream"}
Key = tuple[str, str, str]  # kind, namespace, name


class Problem(NamedTuple):
    """Why a policy is not applied, what to do, and whether it is its target (else its value) that is wrong."""

    detail: str
    remediation: str
    at_target: bool = False


@dataclass
class Index:
    """The policies by target, the ones that cannot apply and why, and where each was applied."""

    by_target: dict[Key, list[LatticePolicy]] = field(default_factory=dict)
    problems: dict[Key, Problem] = field(default_factory=dict)
    applied: dict[Key, list[str]] = field(default_factory=dict)  # policy -> the resources it became


def _key(p: LatticePolicy) -> Key:
    return (p.kind, p.meta.namespace, p.meta.name)


def _target(p: LatticePolicy) -> Key:
    return (p.target.kind, p.target.namespace, p.target.name)


def index(mc: MapContext) -> Index:
    """Built once: each valid policy under its target, the first of its sort per target; the rest reported."""
    if isinstance(mc.lattice_policies, Index):
        return mc.lattice_policies
    out = Index()
    holders: dict[tuple[Key, str], LatticePolicy] = {}
    for p in sorted(mc.app.lattice_policies, key=lambda p: (p.meta.namespace, p.meta.name, p.kind)):
        problem = _problem(p)
        if problem is not None:
            out.problems[_key(p)] = problem
            continue
        sort = p.kind if p.kind == "IAMAuthPolicy" else f"{p.kind}/{_destination_type(p.value)}"
        first = holders.setdefault((_target(p), sort), p)
        if first is not p:
            what = ("an auth policy" if p.kind == "IAMAuthPolicy"
                    else f"one access log destination of each type ({_TYPES[_destination_type(p.value)]})")
            out.problems[_key(p)] = Problem(f"{p.kind} {first.meta.name} already targets it, and the controller "
                                            f"applies {what} per target", f"Merge the two into {p.kind} "
                                            f"{first.meta.name}.", at_target=True)
            continue
        out.by_target.setdefault(_target(p), []).append(p)
    mc.lattice_policies = out
    return out


def _destination_type(arn: str) -> str:
    match = _DESTINATION.match(arn)
    return match.group(1) if match else ""


def _problem(p: LatticePolicy) -> Problem | None:
    """Why the controller (or VPC Lattice) would refuse the policy itself, whatever it targets; None if it would not."""
    if p.target.group not in ("", GATEWAY_GROUP) or p.target.kind not in TARGET_KINDS:
        return Problem(f"it is a {p.target.kind} of group {p.target.group or 'core'}; the controller attaches these "
                       "policies to a Gateway, HTTPRoute or GRPCRoute (gateway.networking.k8s.io)",
                       "Target the Gateway or route whose traffic the policy is for.", at_target=True)
    if p.target.namespace != p.meta.namespace:
        return Problem(f"its namespace {p.target.namespace} is not the policy's ({p.meta.namespace}), which the "
                       "controller refuses", "Create the policy in the namespace of its target.", at_target=True)
    if p.kind == "AccessLogPolicy":
        if not _destination_type(p.value) or not 20 <= len(p.value) <= 2048:  # the schema's length bounds
            return Problem("its destinationArn is not the ARN of an S3 bucket, CloudWatch Logs group or Firehose "
                           "delivery stream of 20 to 2,048 characters", "Write the ARN of the destination (arn:aws:s3:::bucket, arn:aws:logs:"
                           "REGION:ACCOUNT:log-group:NAME, arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME).")
        return None
    try:
        document = json.loads(p.value)
    except ValueError as err:
        return Problem(f"its policy is not JSON ({err})", "Correct the policy document.")
    if not isinstance(document, dict) or not document:
        return Problem("its policy is not a JSON object", "Write the policy document as a JSON object with a Statement.")
    if len(json.dumps(document)) > MAX_POLICY:
        return Problem(f"its policy is longer than the {MAX_POLICY} characters VPC Lattice accepts",
                       "Shorten the policy document.")
    return None


def apply(mc: MapContext, nb: NamespaceBuild, made: dict[Key, str]) -> None:
    """Attach the policies of each target made in this stack (`made`: Gateway or route -> its network or service)."""
    policies = index(mc)
    for target, resource_id in sorted(made.items()):
        for p in policies.by_target.get(target, []):
            owner = p.meta.name if p.meta.namespace == nb.namespace else f"{p.meta.namespace}/{p.meta.name}"
            if p.kind == "IAMAuthPolicy":
                logical = nb.ids.get(owner, "AuthPolicy")
                _require_iam(nb, resource_id)
                document = json.dumps(json.loads(p.value), ensure_ascii=False)
                nb.stack.add(LatticeAuthPolicy(logical, metadata=provenance(p.origin),
                                               resource_identifier=Ref(resource_id), policy=document))
            else:
                logical = nb.ids.get(owner, "AccessLogs")
                nb.stack.add(LatticeAccessLogSubscription(logical, metadata=provenance(p.origin),
                                                          resource_identifier=Ref(resource_id), destination_arn=p.value))
            policies.applied.setdefault(_key(p), []).append(f"{logical} on {resource_id} (stack {nb.stack.name})")


def _require_iam(nb: NamespaceBuild, resource_id: str) -> None:
    resource = nb.stack.get(resource_id)
    assert isinstance(resource, LatticeService | LatticeServiceNetwork)
    nb.stack.replace(replace(resource, auth_type="AWS_IAM"))


def report(mc: MapContext, built: set[str]) -> None:
    """Once every stack is built: each policy applied (K2E847, K2E848), or why not (K2E849, K2E846)."""
    if mc.options.gateway_target != "vpc-lattice":
        for p in mc.app.lattice_policies:
            what, remediation = ADVICE[p.kind]
            mc.report(p.origin, "K2E846", kind=p.kind, name=p.meta.name, what=what, remediation=remediation)
        return
    policies = index(mc)
    known = {(r.kind, r.meta.namespace, r.meta.name) for r in mc.app.routes}
    known |= {("Gateway", g.meta.namespace, g.meta.name) for g in mc.app.gateways}
    for p in sorted(mc.app.lattice_policies, key=lambda p: (p.meta.namespace, p.meta.name, p.kind)):
        target = f"{p.target.kind} {p.target.name}"
        params = {"kind": p.kind, "name": p.meta.name, "target": target}
        resources = ", ".join(policies.applied.get(_key(p), []))
        problem = policies.problems.get(_key(p))
        if problem is not None:
            mc.report(p.target.origin if problem.at_target else p.value_origin, "K2E849", detail=problem.detail,
                      remediation=problem.remediation, **params)
        elif resources:
            if p.kind == "IAMAuthPolicy":
                mc.report(p.origin, "K2E847", name=p.meta.name, target=target, resources=resources)
            else:
                mc.report(p.origin, "K2E848", name=p.meta.name, target=target, resources=resources, destination=p.value)
        elif _target(p) not in known:
            mc.report(p.target.origin, "K2E849", detail=f"it is not in the input (namespace {p.target.namespace})",
                      remediation="Add it to the input, or remove the policy.", **params)
        else:
            unbuilt = "" if p.target.namespace in built else f" (namespace {p.target.namespace} has no stack)"
            made = "service network" if p.target.kind == "Gateway" else "service"
            mc.report(p.origin, "K2E849", detail=f"it became no VPC Lattice {made}{unbuilt}",
                      remediation="Attach the route to a Gateway kube2ecs translates, or remove the policy.", **params)
