"""A namespace larger than every CloudFormation template limit, and the checks its split parts must pass.

300 Deployments, each behind a Service of type LoadBalancer and scaled by a HorizontalPodAutoscaler;
210 of them mount a claim of their own (an EFS file system whose id is a stack output: more than
200 outputs), all read one Secret, and a NetworkPolicy admits only the first Deployment to the
others (a security-group rule between workloads). Each listens on a port of its own, as the load
balancer of one is admitted to every service listening on its port. The whole is thousands of resources and several
megabytes of template, so no single template could hold it.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from tests.support.manifests import deployment, service

if TYPE_CHECKING:
    from translator.api import TranslationResult

WORKLOADS = 300
CLAIMS = 210
NAMESPACE = "big"

_CONTAINER = """\
          ports: [{{containerPort: {port}}}]
          envFrom: [{{secretRef: {{name: shared}}}}]
          resources: {{requests: {{cpu: 250m, memory: 256Mi}}, limits: {{memory: 512Mi}}}}
"""

_AUTOSCALER = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: {name}, namespace: big}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: 2
  maxReplicas: 6
  metrics: [{{type: Resource, resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}}}]
"""

_MOUNTS = """\
          volumeMounts: [{{name: data, mountPath: /data}}]
      volumes: [{{name: data, persistentVolumeClaim: {{claimName: {name}-data}}}}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}-data, namespace: big}}
spec: {{accessModes: [ReadWriteMany], resources: {{requests: {{storage: 1Gi}}}}}}
"""

_SHARED = """\
apiVersion: v1
kind: Secret
metadata: {name: shared, namespace: big}
type: Opaque
stringData: {API_TOKEN: not-a-real-token}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-from-app000, namespace: big}
spec:
  podSelector: {matchLabels: {tier: backend}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: app000}}}]}]
"""


def manifests(workloads: int = WORKLOADS, claims: int = CLAIMS) -> str:
    documents = [_SHARED]
    for number in range(workloads):
        name = f"app{number:03}"
        mounts = _MOUNTS.format(name=name) if number < claims else ""
        port = 10000 + number
        documents.append(
            deployment(name, f"registry.example.com/{name}:1.0.{number}", namespace=NAMESPACE, replicas=2, labels="tier: backend",
                       container_name="app", container=_CONTAINER.format(port=port) + mounts)
            + "---\n" + service(name, f"{{port: 80, targetPort: {port}}}", namespace=NAMESPACE, type="LoadBalancer")
            + "---\n" + _AUTOSCALER.format(name=name))
    return "---\n".join(documents)


@functools.cache
def translated() -> TranslationResult:
    """The namespace translated once per test session (a few seconds), shared by the tests that use it."""
    from translator.api import translate_text

    return translate_text(manifests())


def deploy_order(names: list[str]) -> list[str]:
    """`ns.yaml` before its parts `ns-2.yaml`, `ns-3.yaml`, ...: the order the split finding gives."""
    def order(name: str) -> tuple[str, int]:
        match = re.fullmatch(r"(.*)-(\d+)\.yaml", name)
        return (match.group(1), int(match.group(2))) if match else (name[:-5], 1)
    return sorted(names, key=order)


def part_problems(texts: dict[str, str], parsed: dict[str, dict[str, Any]]) -> list[str]:
    """What would stop the templates deploying one after the other in `deploy_order`: a template
    over a CloudFormation limit, an import that no earlier template exports, an export name used
    twice or too long, an output name that is not a valid logical id."""
    problems: list[str] = []
    exported: set[str] = set()
    for name in deploy_order(list(texts)):
        template = parsed[name]
        size = len(texts[name].encode())
        counts = {"resources": (len(template["Resources"]), 500), "outputs": (len(template.get("Outputs", {})), 200),
                  "parameters": (len(template.get("Parameters", {})), 200), "mappings": (len(template.get("Mappings", {})), 200),
                  "bytes": (size, 1_000_000)}
        problems += [f"{name}: {count} {what}, over {limit}" for what, (count, limit) in counts.items() if count > limit]
        imports = set(_imports(template))
        problems += [f"{name}: imports {i}, which no earlier template exports" for i in sorted(imports - exported)]
        exports = [o["Export"]["Name"] for o in template.get("Outputs", {}).values() if "Export" in o]
        problems += [f"{name}: exports {e} again" for e in exports if e in exported or exports.count(e) > 1]
        problems += [f"{name}: export name {e[:40]}... over 255 characters" for e in exports if len(e) > 255]
        problems += [f"{name}: output {k[:40]} is not a logical id" for k in template.get("Outputs", {})
                     if not re.fullmatch(r"[A-Za-z0-9]{1,255}", k)]
        exported |= set(exports)
    return problems


def _imports(value: Any) -> list[str]:
    """Every `Fn::ImportValue` name in the loaded template."""
    if isinstance(value, dict):
        if set(value) == {"Fn::ImportValue"}:
            return [value["Fn::ImportValue"]]
        return [name for item in value.values() for name in _imports(item)]
    if isinstance(value, list):
        return [name for item in value for name in _imports(item)]
    return []
