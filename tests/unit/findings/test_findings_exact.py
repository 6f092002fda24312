"""Exact findings (code, file, line, pointer) for small inputs."""

from __future__ import annotations

import json

import pytest

from tests.support.manifests import deployment, service
from translator.api import translate_text

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: "three"
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      terminationGracePeriodSeconds: 600
      containers:
        - name: api
          image: example/api:1.0
          imagePullPolicy: Always
          lifecycle:
            preStop: {exec: {command: [sleep, "5"]}}
          livenessProbe:
            httpGet: {path: /live, port: 8080}
            timeoutSeconds: 90
          resources: {limits: {memory: 512m}}
          futureField: true
"""


def _found(text: str) -> set[tuple[str, int, str]]:
    result = translate_text(text, name="api.yaml")
    return {(f.code, f.location.line, f.location.pointer) for f in result.findings if f.code != "K2E370"}


def test_exact_findings() -> None:
    found = _found(DEPLOYMENT)
    expected = {
        ("K2E003", 7, "/spec/replicas"),
        ("K2E320", 11, "/spec/template/spec"),
        ("K2E200", 16, "/spec/template/spec/containers/0/imagePullPolicy"),
        ("K2E200", 18, "/spec/template/spec/containers/0/lifecycle/preStop"),
        ("K2E310", 19, "/spec/template/spec/containers/0/livenessProbe"),
        ("K2E303", 22, "/spec/template/spec/containers/0/resources/limits/memory"),
        ("K2E202", 23, "/spec/template/spec/containers/0/futureField"),
    }
    assert expected <= found, sorted(found)


def test_wrong_type_message_never_contains_the_value() -> None:
    result = translate_text(DEPLOYMENT.replace('"three"', '"hunter2-secret"'), name="api.yaml")
    assert all("hunter2" not in f.message for f in result.findings)


def test_yaml_error_keeps_other_documents() -> None:
    text = "a: [1,\n---\n" + DEPLOYMENT
    result = translate_text(text, name="mixed.yaml")
    assert ("K2E001", 2) in {(f.code, f.location.line) for f in result.findings}
    assert list(result.task_definitions) == ["shop.api.json"]


def test_unknown_kind_is_reported_once() -> None:
    result = translate_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n")
    codes = [f.code for f in result.findings if f.code != "K2E370"]
    assert codes == ["K2E101"]


def test_alias_bomb_is_a_finding() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    result = translate_text("\n".join(lines) + "\n")
    assert [f.code for f in result.findings if f.code != "K2E370"] == ["K2E007"]


def test_secret_values_never_reach_output() -> None:
    text = """\
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: Sup3rS3cretValue}
---
""" + DEPLOYMENT.replace('replicas: "three"', "replicas: 2").replace(
        "          futureField: true\n",
        "          env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}]\n")
    result = translate_text(text)
    everything = "".join(result.files().values()) + "".join(f.message + f.remediation for f in result.findings)
    assert "Sup3rS3cretValue" not in everything
    assert "secret:k8s/shop/db:password::" in result.task_definitions["shop.api.json"]


@pytest.mark.slow
def test_stack_over_cloudformation_limits_is_split() -> None:
    import re

    from tests.support.validation import cfn_lint_errors

    one = DEPLOYMENT.replace('replicas: "three"', "replicas: 1")
    text = "---\n".join(one.replace("name: api\n", f"name: api{i:03}\n", 1) for i in range(130))
    result = translate_text(text)
    assert sorted(result.templates) == ["shop-2.yaml", "shop.yaml"]
    assert [len(s.resources) for s in result.stacks] == [497, 28]  # 5 shared + 123 workloads of 4 fill part 1; 7 move
    assert [f.message for f in result.findings if f.code in ("K2E371", "K2E375")] == [
        "stack shop has 525 resources and was split into 2 templates: shop, shop-2"]
    exported = set(re.findall(r"Name: (kube2ecs-shop-\S+)", result.templates["shop.yaml"]))
    imported = set(re.findall(r"Fn::ImportValue: (\S+)", result.templates["shop-2.yaml"]))
    assert imported == exported == {"kube2ecs-shop-Cluster", "kube2ecs-shop-DefaultSaTaskRole-Arn",
                                    "kube2ecs-shop-ServiceConnectNamespace-Arn",
                                    "kube2ecs-shop-ServicesSecurityGroup-GroupId"}
    for template in result.templates.values():
        assert cfn_lint_errors(template) == []


def test_service_annotations_are_honoured_or_reported() -> None:
    service = """\
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations:
    cloud.google.com/neg: '{"ingress": true}'
    service.beta.kubernetes.io/aws-load-balancer-scheme: internal
spec:
  type: LoadBalancer
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080, name: http}]
"""
    result = translate_text(DEPLOYMENT.replace('replicas: "three"', "replicas: 1") + service)
    ignored = [f.message for f in result.findings if f.code == "K2E346"]
    assert ignored == ["annotation cloud.google.com/neg of Service api has no ECS meaning and was ignored"]
    assert "Scheme: internal\n" in result.templates["shop.yaml"]


def test_labels_of_kinds_without_tags_are_reported() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {team: shop}
data: {MODE: fast}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  annotations: {example.com/owner: shop}
"""
    result = translate_text(text, name="cfg.yaml")
    found = {(f.code, f.location.pointer) for f in result.findings if f.code in ("K2E200", "K2E346")}
    assert found == {("K2E200", "/metadata/labels"), ("K2E346", "/metadata")}


def test_container_names_are_unique_across_the_pod_and_a_nameless_one_is_left_out() -> None:
    pod = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - {name: a, image: busybox}
  containers:
    - {name: a, image: nginx}
    - {name: b, image: nginx}
    - {name: b, image: nginx}
    - {image: nginx}
"""
    result = translate_text(pod, name="pod.yaml")
    assert sorted((f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E004", "K2E005", "K2E901")) == [
        ("K2E004", 11, "required field spec.containers.3.name is missing"),
        ("K2E005", 8, "container a is defined more than once (first at pod.yaml:6)"),
        ("K2E005", 10, "container b is defined more than once (first at pod.yaml:9)"),
    ]
    [definition] = result.task_definitions.values()
    assert [c["name"] for c in json.loads(definition)["containerDefinitions"]] == ["a", "b"]


def test_a_second_volume_or_mount_of_one_name_or_path_is_left_out() -> None:
    deployment = DEPLOYMENT.replace("          futureField: true\n", """\
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            - {name: cache, mountPath: /tmp}
      volumes:
        - {name: tmp, emptyDir: {}}
        - {name: cache, emptyDir: {}}
        - {name: tmp, emptyDir: {}}
""")
    result = translate_text(deployment, name="api.yaml")
    assert sorted((f.location.line, f.message) for f in result.findings if f.code == "K2E005") == [
        (25, "volume mount on /tmp is defined more than once (first at api.yaml:24)"),
        (29, "volume tmp is defined more than once (first at api.yaml:27)"),
    ]
    [definition] = result.task_definitions.values()
    task = json.loads(definition)
    assert [m["containerPath"] for m in task["containerDefinitions"][0]["mountPoints"]] == ["/tmp"]
    assert [v["name"] for v in task["volumes"]] == ["tmp"]  # cache is mounted nowhere now


def test_findings_about_numbers_list_in_number_order() -> None:
    """Three Service ports on one line of findings: 4369, 5672, 15672, not the text order 15672, 4369, 5672."""
    manifests = deployment("rabbitmq", "rabbitmq:3.13-management", namespace="mq", container="""\
          ports: [{name: amqp, containerPort: 5672}, {name: epmd, containerPort: 4369}, {name: http, containerPort: 15672}]
""") + "---\n" + service("rabbitmq", "{name: http, port: 15672}, {name: epmd, port: 4369}, {name: amqp, port: 5672}", namespace="mq")
    ports = [f.message.split()[3] for f in translate_text(manifests, name="mq.yaml").findings if f.code == "K2E345"]
    assert ports == ["4369", "5672", "15672"]


def test_a_service_accounts_token_secrets_are_named_not_dropped() -> None:
    """`secrets` lists API token Secrets: nothing on ECS uses them, and the run says so at the field."""
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: api}
secrets:
  - name: api-token-x7k2p
"""
    result = translate_text(text, name="sa.yaml")
    found = [(f.code, f.location.line, f.location.pointer, f.severity.name) for f in result.findings
             if f.code == "K2E200"]
    assert found == [("K2E200", 4, "/secrets", "INFO")]


@pytest.mark.parametrize(("pod", "role"), [
    ("      serviceAccount: legacy\n      serviceAccountName: default\n", "shop-default-task"),
    ("      serviceAccount: legacy\n", "shop-legacy-task"),
])
def test_the_deprecated_service_account_alias_gives_way_to_service_account_name(pod: str, role: str) -> None:
    """Kubernetes runs the pod as serviceAccountName when both are given (the alias is overwritten with it), so the
    alias beside it is no field left untranslated (it was a K2E200 warning); alone, it names the account."""
    result = translate_text(deployment(pod=pod), name="app.yaml")
    assert [f.message for f in result.findings if f.code == "K2E200" and "serviceAccount" in f.message] == []
    assert json.loads(result.task_definitions["shop.api.json"])["taskRoleArn"].endswith(f":role/{role}")
