"""VpcAssociationPolicy and the AWS Gateway API controllers' other kinds that configure what kube2ecs does not
build: one finding each (the module is named for its first kind, as every kind module).

The AWS Gateway API Controller for VPC Lattice (application-networking.k8s.aws) and the AWS Load Balancer
Controller (gateway.k8s.aws) add kinds beside the ones kube2ecs translates (TargetGroupPolicy,
TargetGroupConfiguration, LoadBalancerConfiguration, and IAMAuthPolicy and AccessLogPolicy under
`gateway_target: vpc-lattice`). Each of the others says what it does and what to do on ECS instead
(K2E846), in place of the generic custom-resource finding (K2E101); the finding accounts for the whole
object (`Reader.report_all`), so none of its fields has a row of its own. ADVICE also holds what
IAMAuthPolicy and AccessLogPolicy do, which `mapping/network/latticepolicies.py` says when the Gateways
become load balancers. Sources in docs/aws-gateway-controllers.md.
"""

from __future__ import annotations

from translator.k8s.common import parse_meta
from translator.k8s.loadbalancerconfiguration import ELB_GROUP
from translator.k8s.targetgrouppolicy import LATTICE_GROUP
from translator.model.app import Application
from translator.source.reader import Reader

# Kind -> (what it does, what to do on ECS instead).
ADVICE: dict[str, tuple[str, str]] = {
    "IAMAuthPolicy": (
        "sets the IAM auth policy of the VPC Lattice service network or service its targetRef names, so that only "
        "callers it allows (SigV4-signed requests) get through",
        "Use gateway_target: vpc-lattice, under which kube2ecs makes it the auth policy of the service or service "
        "network (AWS::VpcLattice::AuthPolicy, AuthType AWS_IAM); behind a load balancer, authorise in the "
        "application or with an ALB authenticate action."),
    "AccessLogPolicy": (
        "sends the access logs of the VPC Lattice service network or service its targetRef names to S3, CloudWatch "
        "Logs or Kinesis Data Firehose (destinationArn)",
        "Use gateway_target: vpc-lattice, under which kube2ecs makes it an access log subscription of the service "
        "or service network (AWS::VpcLattice::AccessLogSubscription); behind a load balancer, turn on its access "
        "logs (access_logs.s3.* load-balancer attributes)."),
    "VpcAssociationPolicy": (
        "associates a Gateway's VPC Lattice service network with the VPC, with security groups",
        "kube2ecs associates the stack's VPC with the service network it makes; add the security groups to that "
        "AWS::VpcLattice::ServiceNetworkVpcAssociation by hand."),
    "ServiceExport": (
        "exports a Service to the other clusters of a VPC Lattice service network",
        "ECS has no set of clusters to export to: associate the ECS service's VPC Lattice service with the other "
        "service network (AWS::VpcLattice::ServiceNetworkServiceAssociation) by hand."),
    "ServiceImport": (
        "stands for a Service another cluster exports, so that routes can send to it",
        "Send those routes to the other cluster's VPC Lattice service, or call its DNS name; kube2ecs reports each "
        "route backend that is no Service of the input (K2E769)."),
    "ListenerRuleConfiguration": (
        "adds to the ALB rules of an HTTPRoute what the Gateway API cannot say (authentication, fixed responses, "
        "source IP conditions, rule transforms)",
        "Add those actions or conditions to the listener rules kube2ecs makes for the route, by hand."),
}
KINDS: dict[str, tuple[str, ...]] = {
    **{k: (LATTICE_GROUP,) for k in ("VpcAssociationPolicy", "ServiceExport", "ServiceImport")},
    "ListenerRuleConfiguration": (ELB_GROUP,),
}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {LATTICE_GROUP: ("v1alpha1",), ELB_GROUP: ("v1beta1",)}
BECOMES = "no ECS resource: a finding each (K2E846) that says what the object does and what to do on ECS instead"


def parse(root: Reader, app: Application) -> None:
    doc = root.ctx.doc
    meta = parse_meta(root)
    what, remediation = ADVICE[doc.kind]
    root.report_all("K2E846", kind=doc.kind, name=meta.name or "(unnamed)", what=what, remediation=remediation)
