"""FireLens (`log_router: firelens`): the router in every task, its destinations and grants, the log agents it replaces."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.manifests import deployment
from tests.support.repo import ROOT
from tests.support.validation import cfn_lint_errors, task_definition_errors
from translator.api import TranslationResult, translate, translate_text
from translator.mapping.task.firelens import IMAGE, outputs
from translator.options import OptionsError, load_options, options_from_dict

FIRELENS = {"log_router": "firelens"}


def _run(text: str, **options: Any) -> TranslationResult:
    return translate_text(text, options_from_dict(options), name="app.yaml")


def _task(result: TranslationResult, name: str = "shop.api.json") -> dict[str, Any]:
    return json.loads(result.task_definitions[name])


def _found(result: TranslationResult, *codes: str) -> list[tuple[str, str, str, int]]:
    return [(f.code, f.message, f.location.file, f.location.line) for f in result.findings if f.code in codes]


@pytest.mark.parametrize(("raw", "message"), [
    ({"log_router": "fluentd"}, "options: log_router must be one of awslogs, firelens"),
    ({"log_destination": "s3"}, "options: log_destination needs log_router: firelens"),
    ({"log_destination": "s3", "log_bucket": "logs"}, "options: log_destination and log_bucket need log_router: firelens"),
    ({**FIRELENS, "log_destination": "kafka"}, "options: log_destination must be one of cloudwatch, firehose, s3"),
    ({**FIRELENS, "log_destination": "firehose"},
     "options: log_destination firehose needs log_delivery_stream (the Firehose delivery stream name)"),
    ({**FIRELENS, "log_destination": "s3"}, "options: log_destination s3 needs log_bucket (the S3 bucket name)"),
    ({**FIRELENS, "log_bucket": "logs"}, "options: log_bucket is only read with log_destination: s3"),
    ({**FIRELENS, "log_destination": "s3", "log_bucket": "logs", "log_delivery_stream": "x"},
     "options: log_delivery_stream is only read with log_destination: firehose"),
    ({**FIRELENS, "log_destination": "s3", "log_bucket": "My_Logs"}, "options: log_bucket 'My_Logs' is not a valid S3 bucket name"),
    ({**FIRELENS, "log_destination": "firehose", "log_delivery_stream": "a b"},
     "options: log_delivery_stream 'a b' is not a valid Firehose delivery stream name"),
])
def test_bad_combinations_are_one_line_errors(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(OptionsError) as err:
        options_from_dict(raw)
    assert str(err.value) == message


def test_off_by_default_and_reported_as_decisions_only_when_on() -> None:
    text = deployment()
    off = translate_text(text, name="app.yaml")
    assert "log_router" not in off.task_definitions["shop.api.json"]
    routing = ("log_router", "log_destination")
    assert not [d for d in off.decisions if d.option in routing]
    assert not [f for f in off.findings if f.resource in ("option/log_router", "option/log_destination")]
    on = _run(text, **FIRELENS)
    assert [(d.option, d.value, d.default) for d in on.decisions if d.option in routing] == [
        ("log_router", "firelens", False), ("log_destination", "cloudwatch", True)]
    assert [f.message for f in on.findings if f.resource == "option/log_destination"] == [
        "log_destination not set; default 'cloudwatch' used"]


def test_cloudwatch_router_logs_dependency_grant_and_size() -> None:
    result = _run(deployment(container="          resources: {limits: {memory: 512Mi}}\n"), **FIRELENS)
    router, app = _task(result)["containerDefinitions"]
    assert router == {
        "name": "log_router", "image": IMAGE, "essential": True, "memoryReservation": 50,
        "firelensConfiguration": {"type": "fluentbit"},
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/shop-api", "awslogs-region": "${AWS_REGION}", "awslogs-stream-prefix": "firelens"}}}
    assert app["logConfiguration"] == {"logDriver": "awsfirelens", "options": {
        "Name": "cloudwatch_logs", "region": "${AWS_REGION}", "log_group_name": "/ecs/shop-api",
        "log_stream_prefix": "api/", "auto_create_group": "false"}}
    assert app["dependsOn"] == [{"containerName": "log_router", "condition": "START"}]
    sizes = [f.message for f in result.findings if f.code == "K2E300"]
    assert sizes == ["task size 512 CPU units / 1024 MiB chosen for a need of 512 / 626 MiB (sum of container limits, "
                     "else requests, plus 256 CPU units / 64 MiB for the Service Connect proxy, plus 50 MiB for the "
                     "FireLens log router)"]
    template = result.templates["shop.yaml"]
    assert [s["Action"] for s in _statements(template, "DefaultSaTaskRole")] == [["logs:CreateLogStream", "logs:PutLogEvents"]]
    assert _found(result, "K2E720") == [(
        "K2E720", f"shop-api: the logs of api go through a FireLens log router ({IMAGE}) to CloudWatch Logs log group "
        "/ecs/shop-api; the router's own logs go to log group /ecs/shop-api with awslogs", "app.yaml", 1)]


def _statements(template: str, role: str) -> list[dict[str, Any]]:
    import yaml

    resource = yaml.safe_load(template)["Resources"][role]
    return [s for p in resource["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]


@pytest.mark.parametrize(("options", "logging", "statement"), [
    ({"log_destination": "firehose", "log_delivery_stream": "app-logs"},
     {"Name": "firehose", "region": "${AWS_REGION}", "delivery_stream": "app-logs"},
     {"Effect": "Allow", "Action": ["firehose:PutRecordBatch"], "Resource": [{"Fn::Sub": (
         "arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/app-logs")}]}),
    ({"log_destination": "s3", "log_bucket": "shop-logs"},
     {"Name": "s3", "region": "${AWS_REGION}", "bucket": "shop-logs", "total_file_size": "1M", "upload_timeout": "1m",
      "s3_key_format": "/fluent-bit-logs/shop-api/$TAG/%Y/%m/%d/%H/%M/%S"},
     {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::shop-logs/*"}]}),
])
def test_firehose_and_s3_destinations_validate(options: dict[str, str], logging: dict[str, str],
                                               statement: dict[str, Any]) -> None:
    result = _run(deployment(), **FIRELENS, **options)
    task = _task(result)
    assert task["containerDefinitions"][1]["logConfiguration"] == {"logDriver": "awsfirelens", "options": logging}
    assert _statements(result.templates["shop.yaml"], "DefaultSaTaskRole") == [statement]
    assert cfn_lint_errors(result.templates["shop.yaml"]) == []
    assert task_definition_errors(task) == []
    made = "Firehose delivery stream app-logs" if "log_delivery_stream" in options else "S3 bucket shop-logs"
    assert [f.remediation.split(":", 1)[0] for f in result.findings if f.code == "K2E720"] == [
        f"Create {made} in the stack's account and Region before the tasks start (the stack does not)"]


def test_every_task_is_routed_and_a_shared_role_is_granted_once_per_resource() -> None:
    text = "---\n".join([deployment("api"), deployment("web"), """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "example/migrate:1.0"}]
"""])
    result = _run(text, **FIRELENS, log_destination="firehose", log_delivery_stream="app-logs")
    for name in ("shop.api.json", "shop.web.json", "shop.migrate.json"):
        assert _task(result, name)["containerDefinitions"][0]["name"] == "log_router"
    assert len(_statements(result.templates["shop.yaml"], "DefaultSaTaskRole")) == 1


def test_files_writer_and_init_containers_wait_for_the_router_too() -> None:
    text = deployment(pod='      initContainers: [{name: init, image: "example/init:1.0"}]\n') + """\
      volumes: [{name: conf, configMap: {name: conf}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf, namespace: shop}
data: {a.txt: hello}
""".replace("      volumes", "          volumeMounts: [{name: conf, mountPath: /etc/conf}]\n      volumes")
    containers = _task(_run(text, **FIRELENS))["containerDefinitions"]
    assert [c["name"] for c in containers] == ["log_router", "kube2ecs-files", "init", "api"]
    assert all(c["dependsOn"][0] == {"containerName": "log_router", "condition": "START"} for c in containers[1:])
    assert all(c["logConfiguration"]["logDriver"] == "awsfirelens" for c in containers[1:])


def test_a_role_the_stack_does_not_create_is_named_with_the_grant() -> None:
    text = deployment(pod="      serviceAccountName: app\n") + """---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: shop
  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/app"}
"""
    result = _run(text, **FIRELENS, log_destination="s3", log_bucket="shop-logs")
    assert _found(result, "K2E720", "K2E721") == [(
        "K2E721", "FireLens routes the logs of api to S3 bucket shop-logs, but its task role "
        "arn:aws:iam::111122223333:role/app is not created by the stack: without s3:PutObject on "
        "arn:aws:s3:::shop-logs/* the router cannot deliver them", "app.yaml", 14)]


def test_a_task_with_ten_containers_keeps_awslogs() -> None:
    containers = "      containers:\n" + "".join(f"        - {{name: c{i}, image: \"example/c:1.0\"}}\n" for i in range(10))
    result = _run(deployment(containers=containers), **FIRELENS)
    assert [c["logConfiguration"]["logDriver"] for c in _task(result)["containerDefinitions"]] == ["awslogs"] * 10
    assert _found(result, "K2E722") == [(
        "K2E722", "Deployment api has 10 containers, the most a task definition holds (10): no FireLens log router "
        "was added, and its containers log to CloudWatch Logs with awslogs", "app.yaml", 8)]


AGENT = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs, namespace: shop}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      containers: [{name: agent, image: "IMAGE"}]
      volumes: [{name: config, configMap: {name: logs-config}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: logs-config, namespace: shop}
data:
  fluent-bit.conf: |
    [OUTPUT]
        Name    s3
        Match   *
        bucket  shop-archive
    [OUTPUT]
        Name    loki
        Match   *
"""


@pytest.mark.parametrize("image", ["fluent/fluent-bit:3.1", "cr.fluentbit.io/fluent/fluent-bit:3.1.9",
                                   "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2",
                                   "bitnami/fluent-bit:3", "fluent/fluentd-kubernetes-daemonset:v1", "bitnami/fluentd:1"])
def test_log_agents_are_recognised_by_image(image: str) -> None:
    result = _run(deployment() + "---\n" + AGENT.replace("IMAGE", image))
    agent = "Fluentd" if "fluentd" in image else "Fluent Bit"
    assert [m for _, m, _, _ in _found(result, "K2E723")] == [
        f"DaemonSet logs runs {agent} on every node to ship the pods' logs; ECS tasks send their logs through a log "
        "driver instead: add to kube2ecs.yaml log_router: firelens; log_destination: s3; log_bucket: shop-archive"]


def test_log_agents_are_recognised_by_label_and_other_daemonsets_are_not() -> None:
    labelled = AGENT.replace("IMAGE", "registry.example/logs:1").replace("{app: logs}}\n    spec",
                                                                          "{app: logs, app.kubernetes.io/name: fluentd}}\n    spec")
    assert len(_found(_run(labelled), "K2E723")) == 1
    assert _found(_run(AGENT.replace("IMAGE", "registry.example/node-exporter:1")), "K2E723", "K2E725") == []


def test_with_the_option_on_the_agent_is_replaced_and_its_other_outputs_named() -> None:
    text = deployment() + "---\n" + AGENT.replace("IMAGE", "fluent/fluent-bit:3.1")
    result = _run(text, **FIRELENS, launch_type="EC2")
    assert "shop.logs.json" not in result.task_definitions
    assert "SchedulingStrategy: DAEMON" not in result.templates["shop.yaml"]
    assert _found(result, "K2E723", "K2E724", "K2E725", "K2E102") == [
        ("K2E724", "DaemonSet logs (Fluent Bit) is replaced by the FireLens log router in each task, which sends the logs "
                   "to each task's CloudWatch Logs log group: it is not translated as a daemon", "app.yaml", 13),
        ("K2E725", "ConfigMap logs-config of DaemonSet logs sends logs to loki, s3, which log_destination cloudwatch "
                   "does not cover", "app.yaml", 24)]
    remedy = next(f.remediation for f in result.findings if f.code == "K2E725")
    assert remedy == ("Choose log_destination s3 for s3; for loki, build a Fluent Bit image that holds this "
                      "configuration and set the router's firelensConfiguration options config-file-type: file and "
                      "config-file-value: <its path> (or config-file-type: s3 with the file's S3 ARN).")



def test_the_fields_of_a_replaced_agent_are_not_reported_one_by_one() -> None:
    """The agent is not translated at all: its hostNetwork cannot fail anything (it was an error), K2E724 covers it."""
    agent = AGENT.replace("IMAGE", "fluent/fluent-bit:3.1").replace(
        "    spec:\n      containers: [{name: agent,",
        "    spec:\n      hostNetwork: true\n      dnsPolicy: ClusterFirstWithHostNet\n"
        "      tolerations: [{operator: Exists}]\n      containers: [{name: agent, imagePullPolicy: Always,")
    assert "hostNetwork: true" in agent
    off = _run(deployment() + "---\n" + agent)
    assert [(f.code, f.severity.label) for f in off.findings if f.resource == "DaemonSet/shop/logs"
            and f.code == "K2E200" and "hostNetwork" in f.message] == [("K2E200", "error")]
    on = _run(deployment() + "---\n" + agent, **FIRELENS)
    assert [(f.code, f.severity.label) for f in on.findings if f.resource == "DaemonSet/shop/logs"] == [
        ("K2E724", "info")]


def test_an_agents_own_environment_syntax_is_not_an_unrendered_placeholder() -> None:
    """Fluent Bit and Fluentd expand `${VAR}` themselves; a Helm `{{ }}` left in the same file is still reported."""
    agent = AGENT.replace("IMAGE", "fluent/fluent-bit:3.1").replace("Match   *\n        bucket",
                                                                      "Match   *\n        region  ${AWS_REGION}\n        bucket")
    placeholders = [(f.code, f.message) for f in _run(deployment() + "---\n" + agent).findings if f.code == "K2E006"]
    assert placeholders == []
    helm = agent.replace("${AWS_REGION}", "{{ .Values.region }}")
    placeholders = [(f.code, f.message) for f in _run(deployment() + "---\n" + helm).findings if f.code == "K2E006"]
    assert placeholders == [("K2E006", "value '{{ .Values.region }}' looks like an unrendered template placeholder")]

def test_outputs_of_classic_yaml_and_fluentd_configurations() -> None:
    classic = "[INPUT]\n    Name tail\n[OUTPUT]\n    Name  es\n    Host  es.logging\n# [OUTPUT]\n"
    assert outputs(classic) == [("es", {"host": "es.logging"})]
    modern = ("pipeline:\n  inputs:\n    - name: tail\n  outputs:\n    - name: kinesis_firehose\n"
              "      delivery_stream: logs\n    - name: loki\nservice:\n  flush: 1\n")
    assert outputs(modern) == [("kinesis_firehose", {"delivery_stream": "logs"}), ("loki", {})]
    fluentd = ("<match **>\n  @type copy\n  <store>\n    @type s3\n    s3_bucket b\n    <buffer>\n      @type file\n"
               "    </buffer>\n  </store>\n</match>\n<source>\n  @type tail\n</source>\n")
    assert outputs(fluentd) == [("copy", {}), ("s3", {"s3_bucket": "b"})]


def test_the_sample_findings_exactly() -> None:
    sample = ROOT / "samples" / "firelens-logging"
    ours = ("K2E470", "K2E720", "K2E721", "K2E722", "K2E723", "K2E724", "K2E725", "K2E102")
    off = translate([str(sample)])
    assert _found(off, *ours)[1:] == [
        ("K2E102", "ServiceAccount fluent-bit carries no ECS resource of its own: no translated workload in the input "
                   "uses it, so nothing was created", "fluent-bit.yaml", 3),
        ("K2E102", "ConfigMap fluent-bit-config carries no ECS resource of its own: no translated workload in the input "
                   "uses it, so nothing was created", "fluent-bit.yaml", 9),
        ("K2E725", "ConfigMap fluent-bit-config of DaemonSet fluent-bit sends logs to es, which log_destination "
                   "cloudwatch does not cover", "fluent-bit.yaml", 9),
        ("K2E470", "DaemonSet fluent-bit was not translated: Fargate has no container instances to run one task on each",
         "fluent-bit.yaml", 45),
        ("K2E723", "DaemonSet fluent-bit runs Fluent Bit on every node to ship the pods' logs; ECS tasks send their logs "
                   "through a log driver instead: add to kube2ecs.yaml log_router: firelens; log_destination: cloudwatch",
         "fluent-bit.yaml", 45),
    ]
    on = translate([str(sample)], load_options(str(ROOT / "samples" / "kube2ecs-firelens.yaml")))
    routed = [(c, m.split(":", 1)[0], f, line) for c, m, f, line in _found(on, *ours)][1:]
    assert routed == [
        ("K2E720", "orders-orders-api", "app.yaml", 6),
        ("K2E720", "orders-orders-report", "app.yaml", 53),
        ("K2E102", "ServiceAccount fluent-bit carries no ECS resource of its own", "fluent-bit.yaml", 3),
        ("K2E725", "ConfigMap fluent-bit-config of DaemonSet fluent-bit sends logs to es, which log_destination "
                   "cloudwatch does not cover", "fluent-bit.yaml", 9),
        ("K2E724", "DaemonSet fluent-bit (Fluent Bit) is replaced by the FireLens log router in each task, which sends "
                   "the logs to each task's CloudWatch Logs log group", "fluent-bit.yaml", 45),
    ]
