"""Severities that follow the rule, one finding per problem, and the effort class that follows from them."""

from __future__ import annotations

from translator.api import TranslationResult, translate_text
from translator.assess import rules


def _findings(result: TranslationResult, code: str) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings if f.code == code]


def _effort(result: TranslationResult, resource: str) -> tuple[str, str]:
    return rules.effort([(f.code, f.severity.label, f.message) for f in result.findings if f.resource == resource])


def _deployment(container: str, pod: str = "", replicas: int = 2) -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
{pod}      containers:
      - name: api
        image: registry.example.com/api:1.4.2
{container}"""


CPU_LIMIT = """\
        resources:
          requests: {cpu: 250m, memory: 256Mi}
          limits: {cpu: 500m, memory: 512Mi}
"""


def test_a_cpu_limit_is_info_and_costs_no_effort() -> None:
    """Good practice on Kubernetes; on Fargate the task size is the cap, so nothing changes for the application."""
    result = translate_text(_deployment(CPU_LIMIT), name="api.yaml")
    assert _findings(result, "K2E305") == [
        ("K2E305", "info", 11, "container api cpu limit 0.500 is not a per-container cap on ECS")]
    assert [f for f in result.findings if f.severity.label != "info"] == []
    assert _effort(result, "Deployment/shop/api") == ("low", "no warning")


MISSING_SECRET = """\
        env:
        - name: DB_USER
          valueFrom: {secretKeyRef: {name: db-credentials, key: username}}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db-credentials, key: password}}
        volumeMounts:
        - {name: credentials, mountPath: /etc/db, readOnly: true}
      volumes:
      - name: credentials
        secret:
          secretName: db-credentials
          items: [{key: ca.pem, path: ca.pem}]
"""


def test_a_missing_secret_is_one_finding_naming_every_reference() -> None:
    result = translate_text(_deployment(CPU_LIMIT + MISSING_SECRET), name="api.yaml")
    [finding] = [f for f in result.findings if f.severity.label != "info"]
    assert (finding.code, finding.severity.label, finding.where()) == ("K2E331", "warning", "api.yaml:18:11")  # the first reference
    assert finding.message == ("each of env DB_USER, env DB_PASSWORD and volume credentials refers to Secret db-credentials, "
                               "which is not in the input")
    assert finding.remediation == ("Create Secrets Manager secret k8s/shop/db-credentials holding a JSON object with "
                                   "key(s) username, password, ca.pem before deploying.")
    assert _findings(result, "K2E473") == []  # the volume's files are the same problem, not a second finding
    assert _effort(result, "Deployment/shop/api") == ("medium", "1 warning (K2E331)")


def test_a_present_secret_volume_is_stated_as_info() -> None:
    secret = "---\napiVersion: v1\nkind: Secret\nmetadata: {name: db-credentials, namespace: shop}\ndata: {ca.pem: eA==}\n"
    volume = MISSING_SECRET.split("        volumeMounts:\n", 1)[1]
    result = translate_text(_deployment(CPU_LIMIT + "        volumeMounts:\n" + volume) + secret, name="api.yaml")
    assert [(code, severity, line) for code, severity, line, _ in _findings(result, "K2E473")] == [("K2E473", "info", 20)]
    assert _findings(result, "K2E331") == []


def test_a_missing_pull_secret_is_one_finding() -> None:
    pod = "      imagePullSecrets: [{name: registry-creds}]\n"
    result = translate_text(_deployment(CPU_LIMIT, pod), name="api.yaml")
    assert [(c, s, line) for c, s, line, _ in _findings(result, "K2E331")] == [("K2E331", "warning", 9)]
    assert _findings(result, "K2E352") == []


def test_a_present_pull_secret_asks_for_the_credentials_form() -> None:
    pod = "      imagePullSecrets: [{name: registry-creds}]\n"
    secret = ("---\napiVersion: v1\nkind: Secret\nmetadata: {name: registry-creds, namespace: shop}\n"
              "type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: e30=}\n")
    result = translate_text(_deployment(CPU_LIMIT, pod) + secret, name="api.yaml")
    assert _findings(result, "K2E352") == [
        ("K2E352", "warning", 9, "imagePullSecret registry-creds becomes repository credentials in Secrets Manager "
                                 "secret k8s/shop/registry-creds")]
    assert _findings(result, "K2E331") == []


def test_a_probe_clamped_upward_is_info_downward_a_warning() -> None:
    probe = """\
        livenessProbe:
          exec: {command: [/bin/check]}
          periodSeconds: 3
          timeoutSeconds: 90
"""
    result = translate_text(_deployment(CPU_LIMIT + probe), name="api.yaml")
    assert [(s, m) for _, s, _, m in _findings(result, "K2E310")] == [
        ("info", "livenessProbe periodSeconds 3 is outside the ECS range 5-300; 5 used"),
        ("warning", "livenessProbe timeoutSeconds 90 is outside the ECS range 2-60; 60 used"),
    ]


def test_a_grace_period_lengthened_is_info_shortened_a_warning() -> None:
    short = translate_text(_deployment(CPU_LIMIT, "      terminationGracePeriodSeconds: 0\n"), name="api.yaml")
    long = translate_text(_deployment(CPU_LIMIT, "      terminationGracePeriodSeconds: 600\n"), name="api.yaml")
    assert [(s, m) for _, s, _, m in _findings(short, "K2E320")] == [
        ("info", "terminationGracePeriodSeconds 0 is outside the Fargate range 2-120; stopTimeout 2 used")]
    assert [(s, m) for _, s, _, m in _findings(long, "K2E320")] == [
        ("warning", "terminationGracePeriodSeconds 600 is outside the Fargate range 2-120; stopTimeout 120 used")]


HOOK_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations: {helm.sh/hook: pre-upgrade}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: registry.example.com/migrate:1.0.0
        resources: {requests: {cpu: 250m, memory: 256Mi}}
"""


def test_a_hook_job_is_one_finding_saying_when_to_run_it() -> None:
    result = translate_text(HOOK_JOB, name="job.yaml")
    assert [c for c, _, _, _ in _findings(result, "K2E429")] == ["K2E429"]
    assert _findings(result, "K2E415") == []
    plain = translate_text(HOOK_JOB.replace("  annotations: {helm.sh/hook: pre-upgrade}\n", ""), name="job.yaml")
    assert [(c, s) for c, s, _, _ in _findings(plain, "K2E415")] == [("K2E415", "warning")]
    assert _findings(plain, "K2E429") == []


def test_lint_is_advice_and_changes_no_class() -> None:
    """Info findings cost nothing, whatever their code: the effort rule needs no exception for lint."""
    assert rules.effort([("K2E500", "info", "image"), ("K2E305", "info", "cpu")]) == ("low", "no warning")
    assert rules.effort([("K2E200", "warning", "a"), ("K2E200", "warning", "b"), ("K2E311", "warning", "c")]) == (
        "high", "3 warnings (K2E200, K2E311)")
    assert rules.effort([("K2E474", "error", "x"), ("K2E311", "warning", "c")]) == ("blocked", "errors: K2E474")


STATEFUL = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: REPLICAS
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: registry.example.com/db:15.4
        resources: {requests: {cpu: 250m, memory: 256Mi}}
        volumeMounts: [{name: data, mountPath: /var/lib/db}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_a_claim_template_shared_by_one_task_is_info() -> None:
    """One task shares its file system with nobody; several write to the same one unless told apart."""
    one = translate_text(STATEFUL.replace("REPLICAS", "1"), name="db.yaml")
    three = translate_text(STATEFUL.replace("REPLICAS", "3"), name="db.yaml")
    assert [(s, line) for _, s, line, _ in _findings(one, "K2E463")] == [("info", 18)]
    assert [(s, line) for _, s, line, _ in _findings(three, "K2E463")] == [("warning", 18)]
