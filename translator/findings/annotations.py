"""What to do about an annotation kube2ecs ignores, chosen by the object's kind and the annotation's key.

Annotations of a Service, an Ingress or a ServiceAccount configure the tools around the cluster: cloud
load-balancer controllers, ingress controllers, certificate issuers, metrics scrapers, deploy tools. Those
kube2ecs does not translate are reported one by one, and the remedy names where the behaviour goes on AWS,
which depends on the tool the key belongs to. The table is data: the first class whose kinds and key prefix
match wins (a prefix without a trailing slash matches the key and its longer variants, `helm.sh/hook` also
`helm.sh/hook-weight`); a key no class matches gets its kind's default. Annotations that only tell a deploy
tool how to apply the object are harmless, since a CloudFormation stack orders its resources by their
dependencies: they are info (K2E359), every other class is a warning (K2E346).
"""

from __future__ import annotations

from translator.model.record import record

IGNORED = "K2E346"  # warning: the annotation's behaviour is lost unless rebuilt on AWS
DEPLOY_TOOL = "K2E359"  # info: deploy-tool bookkeeping, nothing to do


@record
class AnnotationClass:
    name: str
    prefixes: tuple[str, ...]
    remedy: str
    kinds: tuple[str, ...] = ()  # () = any kind
    tool: str = ""  # the deploy tool the annotation talks to: set for the harmless (DEPLOY_TOOL) classes only

    @property
    def code(self) -> str:
        return DEPLOY_TOOL if self.tool else IGNORED

    def matches(self, kind: str, key: str) -> bool:
        return (not self.kinds or kind in self.kinds) and key.startswith(self.prefixes)


_TASK_ROLE = ("give the task role kube2ecs creates for this ServiceAccount the matching IAM permissions "
              "(or name an existing role with eks.amazonaws.com/role-arn, which kube2ecs reads)")

CLASSES: tuple[AnnotationClass, ...] = (
    AnnotationClass(
        "helm-release", ("helm.sh/hook", "meta.helm.sh/"),
        "Nothing to do: the CloudFormation stack takes the place of the Helm release and creates its resources in "
        "dependency order.", tool="Helm"),
    AnnotationClass(
        "helm-resource-policy", ("helm.sh/resource-policy",),
        "Helm keeps the object when the release is uninstalled, but deleting the stack deletes its resources: "
        "give those that must outlive the stack DeletionPolicy: Retain in the template."),
    AnnotationClass(
        "argocd", ("argocd.argoproj.io/",),
        "Nothing to do: sync waves, hooks and sync options tell Argo CD how to apply the object; the CloudFormation "
        "stack creates its resources in dependency order.", tool="Argo CD"),
    AnnotationClass(
        "workload-identity", ("iam.gke.io/", "azure.workload.identity/"),
        f"The pods' identity in another cloud does not carry over: {_TASK_ROLE}.", kinds=("ServiceAccount",)),
    AnnotationClass(
        "aws-load-balancer", ("service.beta.kubernetes.io/aws-load-balancer-",),
        "kube2ecs does not apply this AWS load-balancer setting: set its equivalent on the load balancer, listener "
        "or target group in the template by hand (the AWS Load Balancer Controller's annotation reference names "
        "the attribute).", kinds=("Service",)),
    AnnotationClass(
        "aws-load-balancer", ("alb.ingress.kubernetes.io/",),
        "kube2ecs does not apply this AWS Load Balancer Controller setting: set its equivalent on the ALB, a "
        "listener rule or a target group in the template by hand (the controller's annotation reference names "
        "the attribute).", kinds=("Ingress",)),
    AnnotationClass(
        "source-ranges", ("service.beta.kubernetes.io/load-balancer-source-ranges",),
        "The annotation form of spec.loadBalancerSourceRanges: move the CIDRs there, where kube2ecs reads them into "
        "the load balancer's security group, and convert again; until then the load balancer admits every address.",
        kinds=("Service",)),
    AnnotationClass(
        "unready-endpoints", ("service.alpha.kubernetes.io/tolerate-unready-endpoints",),
        "The old form of spec.publishNotReadyAddresses, which ECS has no equivalent for: Service Connect and target "
        "groups route to healthy tasks only, so peers that must find each other before they are ready need another "
        "way, such as Cloud Map instance lookups.", kinds=("Service",)),
    AnnotationClass(
        "other-cloud-load-balancer",
        ("cloud.google.com/", "networking.gke.io/", "service.alpha.kubernetes.io/app-protocols",
         "service.beta.kubernetes.io/azure-", "service.beta.kubernetes.io/do-loadbalancer-",
         "service.beta.kubernetes.io/oci-", "service.kubernetes.io/ibm-", "loadbalancer.openstack.org/"),
        "Another cloud's load-balancer setting: set the NLB or ALB equivalent by hand (an internal load balancer: "
        "service.beta.kubernetes.io/aws-load-balancer-scheme: internal, which kube2ecs reads; a static IP: "
        "Elastic IPs on an NLB; backend or health settings: the target group).", kinds=("Service",)),
    AnnotationClass(
        "other-cloud-load-balancer",
        ("cloud.google.com/", "networking.gke.io/", "ingress.gcp.kubernetes.io/", "kubernetes.io/ingress.allow-http",
         "kubernetes.io/ingress.global-static-ip-name", "kubernetes.io/ingress.regional-static-ip-name",
         "appgw.ingress.kubernetes.io/"),
        "Another cloud's load-balancer setting: set the ALB equivalent by hand (a static IP: a DNS alias record "
        "for the ALB; a managed certificate: an ACM certificate; HTTPS only: "
        "alb.ingress.kubernetes.io/ssl-redirect: '443', which kube2ecs reads; backend settings: the target group).",
        kinds=("Ingress",)),
    AnnotationClass(
        "ingress-nginx", ("nginx.ingress.kubernetes.io/",),
        "An ingress-nginx setting: rebuild it on the ALB listener rule where ALBs have an equivalent (a condition, "
        "a redirect or fixed-response action, a URL rewrite transform), otherwise in the application (auth, rate "
        "limits, CORS, configuration snippets)."),
    AnnotationClass(
        "cert-manager", ("cert-manager.io/", "acme.cert-manager.io/"),
        "cert-manager issued the certificate of the Ingress's TLS Secret: request an ACM certificate for its hosts "
        "instead (aws acm request-certificate --validation-method DNS; ACM renews it) and pass its ARN as the "
        "certificate parameter the TLS Secret became (K2E439).", kinds=("Ingress",)),
    AnnotationClass(
        "prometheus", ("prometheus.io/",),
        "Prometheus finds the metrics endpoint by this annotation: scrape it on ECS with the CloudWatch agent's "
        "Prometheus support or an AWS Distro for OpenTelemetry (ADOT) collector, pointed at the same port and path."),
    AnnotationClass(
        "external-dns", ("external-dns.alpha.kubernetes.io/",),
        "external-dns kept a DNS record pointing at the object: create it by hand, a Route 53 alias record for the "
        "load balancer's DNS name.", kinds=("Service", "Ingress")),
)

DEFAULTS: dict[str, str] = {
    "Service": "If a controller acted on it, rebuild that behaviour on the load balancer, its listener or target "
               "group, or the Service Connect configuration by hand; otherwise nothing is lost.",
    "Ingress": "If a controller acted on it, rebuild that behaviour on the ALB, its listener rules or target groups "
               "by hand; otherwise nothing is lost.",
    "ServiceAccount": "If a controller acted on it, give its effect to the task role (IAM permissions) or the task "
                      "definition by hand; otherwise nothing is lost.",
}


@record
class Ignored:
    """The finding for one ignored annotation: its code and the parameters beyond annotation, kind and name."""

    code: str
    params: dict[str, str]


def ignored_annotation(kind: str, key: str) -> Ignored:
    """The code and remedy for annotation `key` of a `kind` object that kube2ecs does not translate."""
    for cls in CLASSES:
        if cls.matches(kind, key):
            params = {"remediation": cls.remedy, **({"tool": cls.tool} if cls.tool else {})}
            return Ignored(cls.code, params)
    return Ignored(IGNORED, {"remediation": DEFAULTS[kind]})
