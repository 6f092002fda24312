"""The ssm backends for ConfigMaps and Secrets: parameters and references that validate."""

from __future__ import annotations

import json

from conftest import ROOT
from validation import cfn_lint_errors, task_definition_errors

from translator.api import translate
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
