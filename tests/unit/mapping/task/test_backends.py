"""The ssm backends for ConfigMaps and Secrets: parameters and references that validate."""

from __future__ import annotations

import json

from tests.support.manifests import deployment
from tests.support.repo import ROOT
from tests.support.validation import cfn_lint_errors, task_definition_errors
from translator.api import translate, translate_text
from translator.options import options_from_dict

WORKER = ROOT / "samples" / "worker"


def test_ssm_backends() -> None:
    options = options_from_dict({"config_backend": "ssm", "secrets_backend": "ssm", "region": "eu-west-1",
                                 "account_id": "111122223333"})
    result = translate([str(WORKER)], options)
    template = result.templates["jobs.yaml"]
    assert cfn_lint_errors(template) == []
    assert template.count("Type: AWS::SSM::Parameter") == 4
    assert "AWS::SecretsManager::Secret" not in template
    task = json.loads(result.task_definitions["jobs.worker.json"])
    assert task_definition_errors(task) == []
    secrets = {s["name"]: s["valueFrom"] for s in task["containerDefinitions"][0]["secrets"]}
    assert secrets["QUEUE_NAME"] == "arn:aws:ssm:eu-west-1:111122223333:parameter/k8s/jobs/worker-config/QUEUE_NAME"
    assert secrets["DATABASE_PASSWORD"] == "arn:aws:ssm:eu-west-1:111122223333:parameter/k8s/jobs/worker-credentials/DB_PASSWORD"
    assert "ssm:GetParameters" in template and "secretsmanager:GetSecretValue" not in template
    about_secret = [f.code for f in result.findings if "worker-credentials" in f.message]
    assert about_secret == ["K2E354"]


def test_a_config_value_over_4_kb_stays_a_literal_under_the_ssm_backend() -> None:
    """A standard SSM parameter holds 4,096 bytes; a larger one would fail the deploy."""
    big, small = "x" * 4097, "y" * 4096
    manifest = f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: conf, namespace: shop}}
data: {{big: {big}, small: {small}}}
---
""" + deployment(image="example/api:1", container="""\
          envFrom: [{configMapRef: {name: conf}}]
          volumeMounts: [{name: conf, mountPath: /etc/conf}]
""") + """\
      volumes: [{name: conf, configMap: {name: conf}}]
"""
    result = translate_text(manifest, options_from_dict({"config_backend": "ssm"}), name="app.yaml")
    template = result.templates["shop.yaml"]
    assert cfn_lint_errors(template) == []
    assert template.count("Type: AWS::SSM::Parameter") == 1 and "Name: /k8s/shop/conf/small\n" in template
    containers = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"]
    literals = {e["name"]: e["value"] for c in containers for e in c.get("environment", [])}
    assert big in literals.values() and small not in literals.values()
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.code == "K2E338"] == [
        ("K2E338", 1, "key big of ConfigMap conf is 4097 bytes, over the 4096 bytes a standard SSM parameter holds; "
                      "it stays in the task definition")]
