"""An ignored annotation's remedy depends on the tool it talks to: one exact case per class, and per call site."""

from __future__ import annotations

import pytest

from tests.support.manifests import deployment
from translator.api import translate_text
from translator.findings.annotations import CLASSES, DEFAULTS, DEPLOY_TOOL, IGNORED, Ignored, ignored_annotation
from translator.findings.catalogue import CATALOGUE
from translator.findings.model import Severity

HELM = ("Nothing to do: the CloudFormation stack takes the place of the Helm release and creates its resources in "
        "dependency order.")
HELM_KEEP = ("Helm keeps the object when the release is uninstalled, but deleting the stack deletes its resources: "
             "give those that must outlive the stack DeletionPolicy: Retain in the template.")
ARGO = ("Nothing to do: sync waves, hooks and sync options tell Argo CD how to apply the object; the CloudFormation "
        "stack creates its resources in dependency order.")
IDENTITY = ("The pods' identity in another cloud does not carry over: give the task role kube2ecs creates for this "
            "ServiceAccount the matching IAM permissions (or name an existing role with eks.amazonaws.com/role-arn, "
            "which kube2ecs reads).")
AWS_SERVICE = ("kube2ecs does not apply this AWS load-balancer setting: set its equivalent on the load balancer, "
               "listener or target group in the template by hand (the AWS Load Balancer Controller's annotation "
               "reference names the attribute).")
AWS_INGRESS = ("kube2ecs does not apply this AWS Load Balancer Controller setting: set its equivalent on the ALB, a "
               "listener rule or a target group in the template by hand (the controller's annotation reference names "
               "the attribute).")
CLOUD_SERVICE = ("Another cloud's load-balancer setting: set the NLB or ALB equivalent by hand (an internal load "
                 "balancer: service.beta.kubernetes.io/aws-load-balancer-scheme: internal, which kube2ecs reads; a "
                 "static IP: Elastic IPs on an NLB; backend or health settings: the target group).")
CLOUD_INGRESS = ("Another cloud's load-balancer setting: set the ALB equivalent by hand (a static IP: a DNS alias "
                 "record for the ALB; a managed certificate: an ACM certificate; HTTPS only: "
                 "alb.ingress.kubernetes.io/ssl-redirect: '443', which kube2ecs reads; backend settings: the target "
                 "group).")
SOURCE_RANGES = ("The annotation form of spec.loadBalancerSourceRanges: move the CIDRs there, where kube2ecs reads "
                 "them into the load balancer's security group, and convert again; until then the load balancer "
                 "admits every address.")
UNREADY = ("The old form of spec.publishNotReadyAddresses, which ECS has no equivalent for: Service Connect and target "
           "groups route to healthy tasks only, so peers that must find each other before they are ready need another "
           "way, such as Cloud Map instance lookups.")
NGINX = ("An ingress-nginx setting: rebuild it on the ALB listener rule where ALBs have an equivalent (a condition, a "
         "redirect or fixed-response action, a URL rewrite transform), otherwise in the application (auth, rate "
         "limits, CORS, configuration snippets).")
CERT_MANAGER = ("cert-manager issued the certificate of the Ingress's TLS Secret: request an ACM certificate for its "
                "hosts instead (aws acm request-certificate --validation-method DNS; ACM renews it) and pass its ARN "
                "as the certificate parameter the TLS Secret became (K2E439).")
PROMETHEUS = ("Prometheus finds the metrics endpoint by this annotation: scrape it on ECS with the CloudWatch agent's "
              "Prometheus support or an AWS Distro for OpenTelemetry (ADOT) collector, pointed at the same port and "
              "path.")
EXTERNAL_DNS = ("external-dns kept a DNS record pointing at the object: create it by hand, a Route 53 alias record for "
                "the load balancer's DNS name.")
DEFAULT_SERVICE = ("If a controller acted on it, rebuild that behaviour on the load balancer, its listener or target "
                   "group, or the Service Connect configuration by hand; otherwise nothing is lost.")
DEFAULT_INGRESS = ("If a controller acted on it, rebuild that behaviour on the ALB, its listener rules or target groups "
                   "by hand; otherwise nothing is lost.")
DEFAULT_SERVICE_ACCOUNT = ("If a controller acted on it, give its effect to the task role (IAM permissions) or the task "
                           "definition by hand; otherwise nothing is lost.")


def _tool(tool: str, remedy: str) -> Ignored:
    return Ignored(DEPLOY_TOOL, {"remediation": remedy, "tool": tool})


def _warn(remedy: str) -> Ignored:
    return Ignored(IGNORED, {"remediation": remedy})


@pytest.mark.parametrize(("kind", "key", "expected"), [
    # Helm and Argo CD bookkeeping: harmless on any kind
    ("Service", "helm.sh/hook-weight", _tool("Helm", HELM)),
    ("ServiceAccount", "helm.sh/hook", _tool("Helm", HELM)),
    ("Ingress", "meta.helm.sh/release-name", _tool("Helm", HELM)),
    ("Service", "helm.sh/resource-policy", _warn(HELM_KEEP)),
    ("Service", "argocd.argoproj.io/sync-wave", _tool("Argo CD", ARGO)),
    ("ServiceAccount", "argocd.argoproj.io/sync-options", _tool("Argo CD", ARGO)),
    # another cloud's workload identity belongs on the task role
    ("ServiceAccount", "iam.gke.io/gcp-service-account", _warn(IDENTITY)),
    ("ServiceAccount", "azure.workload.identity/client-id", _warn(IDENTITY)),
    # load-balancer settings kube2ecs does not apply, AWS's and other clouds'
    ("Service", "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", _warn(AWS_SERVICE)),
    ("Ingress", "alb.ingress.kubernetes.io/actions.redirect", _warn(AWS_INGRESS)),
    ("Service", "service.beta.kubernetes.io/load-balancer-source-ranges", _warn(SOURCE_RANGES)),
    ("Service", "service.alpha.kubernetes.io/tolerate-unready-endpoints", _warn(UNREADY)),
    ("Service", "cloud.google.com/neg", _warn(CLOUD_SERVICE)),
    ("Service", "networking.gke.io/load-balancer-type", _warn(CLOUD_SERVICE)),
    ("Service", "service.beta.kubernetes.io/azure-load-balancer-internal", _warn(CLOUD_SERVICE)),
    ("Ingress", "kubernetes.io/ingress.global-static-ip-name", _warn(CLOUD_INGRESS)),
    ("Ingress", "networking.gke.io/managed-certificates", _warn(CLOUD_INGRESS)),
    # controllers and tools around the cluster
    ("Ingress", "nginx.ingress.kubernetes.io/rewrite-target", _warn(NGINX)),
    ("Ingress", "cert-manager.io/cluster-issuer", _warn(CERT_MANAGER)),
    ("Service", "prometheus.io/scrape", _warn(PROMETHEUS)),
    ("Ingress", "external-dns.alpha.kubernetes.io/hostname", _warn(EXTERNAL_DNS)),
    # a class for another kind does not apply: the kind's default does
    ("Service", "iam.gke.io/gcp-service-account", _warn(DEFAULT_SERVICE)),
    ("ServiceAccount", "cloud.google.com/neg", _warn(DEFAULT_SERVICE_ACCOUNT)),
    ("Service", "cert-manager.io/cluster-issuer", _warn(DEFAULT_SERVICE)),
    ("Ingress", "example.com/owner", _warn(DEFAULT_INGRESS)),
    # a prefix matches at the start of the key only
    ("Service", "example.com/prometheus.io/scrape", _warn(DEFAULT_SERVICE)),
])
def test_each_class_gives_its_code_and_remedy(kind: str, key: str, expected: Ignored) -> None:
    assert ignored_annotation(kind, key) == expected


def test_classes_are_data_that_fit_the_catalogue() -> None:
    assert set(DEFAULTS) == {"Service", "Ingress", "ServiceAccount"}
    assert {c.code for c in CLASSES} == {IGNORED, DEPLOY_TOOL}
    assert (CATALOGUE[IGNORED].severity, CATALOGUE[DEPLOY_TOOL].severity) == (Severity.WARNING, Severity.INFO)
    assert all(c.remedy.endswith(".") and c.prefixes for c in CLASSES)


INPUT = deployment(pod="      serviceAccountName: api\n", container="          ports: [{containerPort: 8080, name: http}]\n") + """\
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
  annotations: {iam.gke.io/gcp-service-account: api@shop.iam.gserviceaccount.com}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations: {helm.sh/hook-weight: "-5", prometheus.io/scrape: "true"}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http, name: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}}]
"""


def test_the_three_kinds_report_their_remedies() -> None:
    result = translate_text(INPUT, name="api.yaml")
    found = sorted((f.code, f.severity.label, f.message, f.remediation) for f in result.findings
                   if f.code in (IGNORED, DEPLOY_TOOL))
    assert found == [
        ("K2E346", "warning", "annotation iam.gke.io/gcp-service-account of ServiceAccount api has no ECS meaning and was ignored",
         IDENTITY),
        ("K2E346", "warning", "annotation nginx.ingress.kubernetes.io/rewrite-target of Ingress api has no ECS meaning and was ignored",
         NGINX),
        ("K2E346", "warning", "annotation prometheus.io/scrape of Service api has no ECS meaning and was ignored", PROMETHEUS),
        ("K2E359", "info", "annotation helm.sh/hook-weight of Service api tells Helm how to deploy the object; it was ignored", HELM),
    ]
