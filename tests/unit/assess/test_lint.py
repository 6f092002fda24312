"""The assessment lint: exact anti-pattern findings (code, line, resource) for a small input."""

from __future__ import annotations

from tests.support.manifests import deployment
from translator.api import translate_text
from translator.assess.lint import image_problem, lint

MANIFESTS = deployment(image="example/api:latest", pod="""\
      serviceAccountName: api
      initContainers:
        - name: setup
          image: busybox
""", container="""\
          securityContext: {privileged: true}
          resources: {requests: {cpu: 250m}}
        - name: proxy
          image: example/proxy@sha256:0123
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          livenessProbe: {tcpSocket: {port: 8080}}
          resources: {limits: {cpu: 100m, memory: 64Mi}}
          lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
""") + "---\n" + deployment("web", "registry.example.com:5000/web:2.1", pod="""\
      terminationGracePeriodSeconds: 30
""", container="""\
          readinessProbe: {httpGet: {path: /, port: 80}}
          livenessProbe: {httpGet: {path: /, port: 80}}
          resources: {requests: {cpu: 100m, memory: 128Mi}}
""") + """\
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: everything, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-everything, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: everything}
subjects: [{kind: ServiceAccount, name: api}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: api, namespace: shop}, {kind: User, name: alice}]
"""


def test_exact_lint_findings() -> None:
    result = translate_text(MANIFESTS, name="app.yaml")
    found = {(f.code, f.location.line, f.resource, f.message) for f in lint(result.app)}
    api, web = "Deployment/shop/api", "Deployment/shop/web"
    assert found == {
        ("K2E500", 11, api, "image 'busybox' of container setup has no tag, so it means latest"),
        ("K2E500", 14, api, "image 'example/api:latest' of container api is tagged latest"),
        ("K2E505", 14, api, "container api runs privileged"),
        ("K2E501", 14, api, "container api has no readinessProbe"),
        ("K2E502", 14, api, "container api has no livenessProbe"),
        ("K2E503", 14, api, "container api requests cpu but no memory"),
        ("K2E504", 32, web, "Deployment web has no preStop hook and keeps the default 30 s grace period"),
        ("K2E506", 45, "Role/shop/everything",
         "Role everything grants verbs * on resources * in API groups core; bound to ServiceAccount shop/api, "
         "used by Deployment shop/api"),
        ("K2E507", 58, "ClusterRoleBinding/default/admins",
         "ClusterRoleBinding admins binds ServiceAccount shop/api, User alice to ClusterRole cluster-admin"),
    }


def test_probes_and_shutdown_are_not_asked_of_jobs() -> None:
    job = """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: migrate, image: "example/migrate:3", resources: {requests: {memory: 64Mi}}}
"""
    found = {(f.code, f.message) for f in lint(translate_text(job, name="job.yaml").app)}
    assert found == {("K2E503", "container migrate requests memory but no cpu")}


def test_rbac_documents_are_still_reported_as_not_translated() -> None:
    result = translate_text(MANIFESTS, name="app.yaml")
    untranslated = sorted(f.resource for f in result.findings if f.code == "K2E100")
    assert untranslated == ["ClusterRoleBinding/default/admins", "Role/shop/everything", "RoleBinding/shop/api-everything"]


def test_image_references() -> None:
    assert image_problem("nginx") == "has no tag, so it means latest"
    assert image_problem("localhost:5000/nginx") == "has no tag, so it means latest"
    assert image_problem("localhost:5000/nginx:1.27") == ""
    assert image_problem("nginx:latest") == "is tagged latest"
    assert image_problem("nginx@sha256:abc") == ""
    assert image_problem("${IMAGE}") == ""
