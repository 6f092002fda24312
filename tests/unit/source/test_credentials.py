"""The credential rule: measured on a labelled set, and what a run does with each kind of literal.

A missed credential is published in a template; a false alarm replaces a setting with an empty
secret the container starts without. Both are measured on `tests/fixtures/credential_literals.yaml`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.support.manifests import deployment
from translator.api import translate_text
from translator.source.credentials import credential_args, is_credential, words

LABELLED = yaml.safe_load((Path(__file__).parents[2] / "fixtures" / "credential_literals.yaml").read_text())


def _measure(rows: list[tuple[bool, bool]]) -> tuple[float, float]:
    """(precision, recall) of (predicted, labelled) pairs."""
    true_positive = sum(p and t for p, t in rows)
    return true_positive / max(1, sum(p for p, _ in rows)), true_positive / max(1, sum(t for _, t in rows))


def test_the_labelled_set_is_large_and_balanced() -> None:
    labels = [label for _, _, label in LABELLED["env"]]
    assert len(labels) >= 150 and 0.3 < sum(labels) / len(labels) < 0.7
    assert len({(name, value) for name, value, _ in LABELLED["env"]}) == len(labels), "no row twice"


@pytest.mark.parametrize("part", ["env", "headers"])
def test_precision_and_recall_on_the_labelled_set(part: str) -> None:
    rows = [(is_credential(name, value), label) for name, value, label in LABELLED[part]]
    precision, recall = _measure(rows)
    missed = [name for (name, value, label), (predicted, _) in zip(LABELLED[part], rows, strict=True) if label and not predicted]
    assert recall == 1.0, f"credentials missed: {missed}"
    assert precision >= 0.95


def test_every_credential_argument_is_found_and_nothing_else() -> None:
    for args, expected in LABELLED["args"]:
        assert credential_args(args) == expected, args


@pytest.mark.parametrize(("name", "expected"), [
    ("DB_PASSWORD", ["db", "password"]), ("dbPassword", ["db", "password"]), ("db-password", ["db", "password"]),
    ("APIKey", ["api", "key"]), ("PGPASSWORD", ["pgpassword"]), ("OAuth2ClientSecret", ["o", "auth", "2", "client", "secret"]),
])
def test_names_split_into_words(name: str, expected: list[str]) -> None:
    assert words(name) == expected


WORKLOAD = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  TOKEN_EXPIRY_SECONDS: "3600"
  DB_PASSWORD: kept-in-a-configmap
---
""" + deployment(container="""\
          args: ["--listen=:8080", "--db-password", "in-the-args"]
          envFrom: [{configMapRef: {name: settings}}]
          env:
            - {name: ALLOW_EMPTY_PASSWORD, value: "yes"}
            - {name: ADMIN_PASSWORD, value: /starts-with-slash}
            - {name: DATABASE_URL, value: "postgres://app:in-the-url@db:5432/app"}
            - {name: PEER_PASSWORD, value: "$(ADMIN_PASSWORD)"}
            - {name: PEER_URL, value: "postgres://app:$(ADMIN_PASSWORD)@db/app"}
          livenessProbe:
            httpGet: {path: /healthz, port: 8080, httpHeaders: [{name: Authorization, value: "Bearer in-the-probe-header"}]}
""")


def test_what_a_run_does_with_each_literal() -> None:
    result = translate_text(WORKLOAD, name="app.yaml")
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    literals = {e["name"]: e["value"] for e in container.get("environment", [])}
    secrets = {e["name"]: e["valueFrom"] for e in container.get("secrets", [])}
    # settings stay settings, with their values
    assert literals == {"TOKEN_EXPIRY_SECONDS": "3600", "ALLOW_EMPTY_PASSWORD": "yes",
                        "PEER_URL": "postgres://app:$(ADMIN_PASSWORD)@db/app"}
    # a credential in the env, in a URL or in a ConfigMap moves to the workload's secret to fill,
    # and a variable that is only a reference to it reads the same secret, as Kubernetes expands it
    prefix = "arn:aws:secretsmanager:${AWS_REGION}:${AWS_ACCOUNT_ID}:secret:k8s/shop/api/env:"
    assert secrets == {name: f"{prefix}{name}::" for name in ("DB_PASSWORD", "ADMIN_PASSWORD", "DATABASE_URL")} | {
        "PEER_PASSWORD": f"{prefix}ADMIN_PASSWORD::"}
    everything = "".join(result.files().values())
    for value in ("kept-in-a-configmap", "starts-with-slash", "in-the-url"):
        assert value not in everything
    found = sorted((f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E337", "K2E339", "K2E355"))
    assert found == [
        ("K2E337", 1, "env DB_PASSWORD of container api looks like a secret held in plain text; its value was not copied"),
        ("K2E337", 23, "env ADMIN_PASSWORD of container api looks like a secret held in plain text; its value was not copied"),
        ("K2E337", 24, "env DATABASE_URL of container api looks like a secret held in plain text; its value was not copied"),
        ("K2E339", 17, "args[2] of container api holds a credential in plain text; it is copied into the task definition"),
        ("K2E339", 27, "header Authorization of the livenessProbe of container api holds a credential in plain text; "
                       "it is copied into the task definition"),
        ("K2E355", 26, "env PEER_URL of container api refers to $(ADMIN_PASSWORD), which comes from a secret; ECS does not expand it"),
    ]
    assert not any(value in f.message + f.remediation for f in result.findings
                   for value in ("in-the-args", "in-the-probe-header", "kept-in-a-configmap"))


def test_a_number_of_tokens_is_a_setting_and_a_connection_string_password_a_credential() -> None:
    """Language-model services count tokens (`MAX_TOKENS: "4096"`): a false alarm would start them without the
    limit; .NET, JDBC and libpq connection strings hold `Password=...` in a value whose name says nothing."""
    text = deployment(container="""\
          env:
            - {name: MAX_TOKENS, value: "4096"}
            - {name: TOKENS_PER_MINUTE, value: "90000"}
            - {name: PASSWORD_HASH_ROUNDS, value: "10"}
            - {name: ConnectionStrings__Catalog, value: "Server=sql;User Id=sa;Password=in-the-string;"}
            - {name: JDBC_URL, value: "jdbc:postgresql://db/app?user=app&password=in-the-query"}
""")
    result = translate_text(text, name="app.yaml")
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert {e["name"]: e["value"] for e in container["environment"]} == {
        "MAX_TOKENS": "4096", "TOKENS_PER_MINUTE": "90000", "PASSWORD_HASH_ROUNDS": "10"}
    assert [e["name"] for e in container["secrets"]] == ["ConnectionStrings__Catalog", "JDBC_URL"]
    assert sorted((f.code, f.location.line) for f in result.findings if f.code == "K2E337") == [
        ("K2E337", 16), ("K2E337", 17)]
    assert "in-the-string" not in "".join(result.files().values())


def test_a_command_argument_naming_a_secret_variable_is_an_error() -> None:
    """`-instances=$(CONNECTION_NAME)=tcp:5432` (a Cloud SQL proxy sidecar) with CONNECTION_NAME from a Secret: the
    kubelet expands it, ECS passed the text as written with no finding, so the proxy got a wrong argument."""
    text = """\
apiVersion: v1
kind: Secret
metadata: {name: sql, namespace: shop}
stringData: {connectionName: "project:region:instance"}
---
""" + deployment(container="""\
          command: ["/proxy", "-instances=$(CONNECTION_NAME)=tcp:5432", "--port=$(PORT)"]
          args: ["--token", "$(DB_PASSWORD)"]
          env:
            - {name: PORT, value: "5432"}
            - {name: DB_PASSWORD, value: hunter2hunter2}
            - name: CONNECTION_NAME
              valueFrom: {secretKeyRef: {name: sql, key: connectionName}}
""")
    result = translate_text(text, name="app.yaml")
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert container["entryPoint"] == ["/proxy", "-instances=$(CONNECTION_NAME)=tcp:5432", "--port=5432"]
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.code == "K2E369"] == [
        ("K2E369", 15, "args[1] of container api refers to $(DB_PASSWORD), which comes from a secret; "
                       "ECS passes the argument as written"),
        ("K2E369", 15, "command[1] of container api refers to $(CONNECTION_NAME), which comes from a secret; "
                       "ECS passes the argument as written"),
    ]
