"""Every kind kube2ecs does not translate: one finding per document that says what to do instead."""

from __future__ import annotations

from translator.k8s.common import parse_meta
from translator.model.app import Application
from translator.source.reader import Reader

KIND_ADVICE = {
    "HorizontalPodAutoscaler": "Create an Application Auto Scaling scalable target with a target-tracking policy on the ECS service.",
    "PodDisruptionBudget": "Raise the ECS service's minimumHealthyPercent to keep the same number of tasks during deployments.",
    "StatefulSet": "Run one ECS service per replica with an EFS access point each, or move the state to RDS or ElastiCache.",
    "DaemonSet": "On Fargate run the agent as a sidecar container in each task; on EC2 use a DAEMON service.",
    "Job": "Register the task definition and start it with aws ecs run-task, Step Functions or AWS Batch.",
    "CronJob": "Create an EventBridge Scheduler schedule that runs the task on the cluster.",
    "Pod": "Wrap the pod in a Deployment, or run it once with aws ecs run-task.",
    "ReplicationController": "Convert it to a Deployment; the pod template translates the same way.",
    "PersistentVolumeClaim": "Create an EFS file system and access point and mount it as a task volume.",
    "PersistentVolume": "Create an EFS file system; Fargate tasks mount EFS, not node storage.",
    "StorageClass": "Choose EFS performance and throughput modes when creating the file system.",
    "Role": "Grant the application's AWS permissions on its ECS task role instead.",
    "ClusterRole": "Grant the application's AWS permissions on its ECS task role instead.",
    "RoleBinding": "Kubernetes API permissions have no ECS meaning; grant AWS permissions on the task role.",
    "ClusterRoleBinding": "Kubernetes API permissions have no ECS meaning; grant AWS permissions on the task role.",
    "ResourceQuota": "Use ECS service quotas and capacity provider limits instead.",
    "LimitRange": "Set cpu and memory on every container; Fargate sizes each task from them.",
    "PriorityClass": "ECS has no scheduling priority; use separate capacity providers.",
    "CustomResourceDefinition": "Custom APIs need their controller; find the AWS service it stands for.",
    "MutatingWebhookConfiguration": "Admission webhooks have no ECS equivalent.",
    "ValidatingWebhookConfiguration": "Admission webhooks have no ECS equivalent; validate templates in the pipeline.",
    "APIService": "Aggregated APIs have no ECS equivalent.",
    "Endpoints": "Point callers at the endpoint with an environment variable or a Route 53 record.",
    "EndpointSlice": "Point callers at the endpoint with an environment variable or a Route 53 record.",
    "PodSecurityPolicy": "Enforce container settings in the task definitions (readonly root, user, no privileges).",
}

GROUP_ADVICE = {
    "istio.io": "Service mesh traffic policy: use ECS Service Connect (retries, timeouts) and ALB rules.",
    "gateway.networking.k8s.io": "Gateway API: kube2ecs translates Gateways and routes, not this kind; rebuild what it does by hand.",
    "monitoring.coreos.com": "Prometheus operator: scrape with Amazon Managed Service for Prometheus or use CloudWatch Container Insights.",
    "cert-manager.io": "Certificates: request them from AWS Certificate Manager and pass the ARN as the certificate option.",
    "external-secrets.io": "External secrets: reference the Secrets Manager secret from the task definition directly.",
    "secrets-store.csi.x-k8s.io": "Secrets store CSI: reference the Secrets Manager secret from the task definition directly.",
    "dapr.io": "Dapr components: run the Dapr sidecar in the task definition or use the AWS services directly.",
    "autoscaling.k8s.io": "Vertical autoscaling: size the task definition from observed use (Compute Optimizer).",
    "karpenter.sh": "Node provisioning: Fargate provisions capacity per task; nothing to migrate.",
}

_CORE_GROUPS = ("", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
                "storage.k8s.io", "scheduling.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io",
                "apiregistration.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io",
                "certificates.k8s.io", "extensions", "events.k8s.io", "flowcontrol.apiserver.k8s.io")


def group_of(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def parse(root: Reader, app: Application) -> None:
    doc = root.ctx.doc
    meta = parse_meta(root)
    group = group_of(doc.api_version)
    params = {"kind": doc.kind, "name": meta.name or "(unnamed)", "api_version": doc.api_version}
    if group in _CORE_GROUPS or (group.endswith(".k8s.io") and group not in GROUP_ADVICE):
        advice = KIND_ADVICE.get(doc.kind, "Rebuild what this object does with the matching AWS service.")
        root.report_all("K2E100", remediation=advice, **params)  # the finding accounts for the whole document
        return
    advice = _group_advice(group)
    root.report_all("K2E101", remediation=advice, **params)


def _group_advice(group: str) -> str:
    for suffix, advice in GROUP_ADVICE.items():
        if group == suffix or group.endswith("." + suffix):
            return advice
    return f"The {group} API needs its controller, which does not run on ECS; rebuild what it does with AWS services."
