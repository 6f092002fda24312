"""ServiceEntry and the other Istio kinds that have no ECS resource: one specific finding each.

Each object says what it does in the mesh and what to use on ECS instead (K2E830), so the finding
replaces the generic custom-resource one (K2E101). The finding accounts for the whole object
(`Reader.report_all`): none of its fields is translated, so none has a row of its own.
"""

from __future__ import annotations

from translator.k8s.common import parse_meta
from translator.k8s.virtualservice import NETWORKING, NETWORKING_VERSIONS, SECURITY, SECURITY_VERSIONS
from translator.model.app import Application
from translator.source.reader import Reader

TELEMETRY = "telemetry.istio.io"
EXTENSIONS = "extensions.istio.io"
INSTALL = "install.istio.io"
# Kind -> (what it does in the mesh, what to do on ECS instead).
ADVICE: dict[str, tuple[str, str]] = {
    "ServiceEntry": (
        "adds a host outside the mesh (an external API or database) to Istio's registry, so the sidecars route and "
        "secure calls to it",
        "Nothing to register on ECS: tasks reach external hosts directly through the VPC's NAT gateway or a VPC "
        "endpoint; allow the host's ports in the tasks' security group egress if it is restricted."),
    "EnvoyFilter": (
        "patches the Envoy configuration of the selected proxies (rate limits, Lua or Wasm filters, cluster settings)",
        "Service Connect's proxy takes no Envoy patches: do rate limiting with AWS WAF rate-based rules on the ALB, "
        "and move other filters into the application or a sidecar container of the task."),
    "Sidecar": (
        "limits the hosts and ports the sidecar proxy of the selected workloads reaches and accepts",
        "Restrict reachability with the tasks' security groups (the NetworkPolicy translation shows how); "
        "Service Connect publishes every endpoint of the namespace to every service."),
    "AuthorizationPolicy": (
        "allows or denies calls to workloads by caller identity, namespace, path or method",
        "Restrict callers with security groups (who may connect); check identities or paths in the application, "
        "or put the service behind VPC Lattice with an auth policy (IAM) for caller-aware rules."),
    "RequestAuthentication": (
        "validates the JWT of incoming requests (issuer, JWKS)",
        "Validate tokens at the ALB with an authenticate-oidc or authenticate-cognito action, or in the "
        "application."),
    "Telemetry": (
        "configures the mesh's access logs, traces and metrics for the selected workloads",
        "Use Service Connect's CloudWatch metrics, the awslogs or FireLens log driver, and an AWS Distro for "
        "OpenTelemetry sidecar (X-Ray) for traces."),
    "WorkloadEntry": (
        "adds a VM or another non-Kubernetes endpoint to the mesh as a workload",
        "Register the endpoint in the Cloud Map namespace of Service Connect (an instance of a Cloud Map service) "
        "or give callers its DNS name."),
    "WorkloadGroup": (
        "is the template of the WorkloadEntries of VMs that join the mesh",
        "Run the VMs' software as ECS services, or register the VMs in Cloud Map."),
    "ProxyConfig": (
        "tunes the Envoy proxies of the selected workloads (concurrency, image, environment)",
        "Service Connect's proxy is managed by ECS; nothing to carry."),
    "WasmPlugin": (
        "extends the proxies of the selected workloads with a WebAssembly filter",
        "Service Connect's proxy runs no plugins: move the filter's logic into the application, a sidecar "
        "container or the ALB (AWS WAF rules)."),
    "IstioOperator": (
        "installs and configures Istio itself (profile, components, mesh settings)",
        "Nothing to install on ECS: Service Connect is turned on per ECS service (the service_connect option); "
        "carry mesh-wide settings with kube2ecs.yaml options."),
}
_NETWORKING_KINDS = ("ServiceEntry", "EnvoyFilter", "Sidecar", "WorkloadEntry", "WorkloadGroup", "ProxyConfig")
KINDS: dict[str, tuple[str, ...]] = {
    **{k: (NETWORKING,) for k in _NETWORKING_KINDS},
    "AuthorizationPolicy": (SECURITY,), "RequestAuthentication": (SECURITY,), "Telemetry": (TELEMETRY,),
    "WasmPlugin": (EXTENSIONS,), "IstioOperator": (INSTALL,),
}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {
    NETWORKING: NETWORKING_VERSIONS, SECURITY: SECURITY_VERSIONS, TELEMETRY: ("v1", "v1alpha1"),
    EXTENSIONS: ("v1alpha1",), INSTALL: ("v1alpha1",),
}
BECOMES = "no ECS resource: a finding each (K2E830) that says what the object does in the mesh and what to use instead"


def parse(root: Reader, app: Application) -> None:
    doc = root.ctx.doc
    meta = parse_meta(root)
    what, remediation = ADVICE[doc.kind]
    root.report_all("K2E830", kind=doc.kind, name=meta.name or "(unnamed)", what=what, remediation=remediation)
