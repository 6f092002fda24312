"""No secret value leaves kube2ecs: every output of every command, for every sample and corpus source.

The values: every Secret value (raw, base64-decoded, and string data base64-encoded) and every
password/token-like literal in plain env (secrets_scan). The outputs: the files `convert` writes
(templates, task definitions, findings), the four `assess` reports, the stdout and
stderr of each command, and the message of every exception raised inside kube2ecs while they ran,
caught or not.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.support.proof_sources import SOURCES, VARIANTS, path_of
from tests.support.repo import ROOT
from tests.support.secrets_scan import manifest_files, plain_env_secrets, secret_values
from translator.cli.main import cli

pytestmark = pytest.mark.slow  # every input through every command: `pytest -m "not slow"` leaves it out

PACKAGE = str(ROOT / "translator")


@contextlib.contextmanager
def exception_messages() -> Iterator[list[str]]:
    """The message of every exception raised in kube2ecs' own frames while the block runs."""
    messages: list[str] = []

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "exception":
            messages.append(f"{arg[0].__name__}: {arg[1]}")
        return local

    def calls(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        yield messages
    finally:
        sys.settrace(previous)


def _values(source: Path) -> set[str]:
    files = manifest_files(source)
    paths = " ".join(p.relative_to(source).as_posix() for p in files)
    return {v for v in secret_values(files) | plain_env_secrets(files) if v not in paths}  # a folder named like a value


def _config(source: str, folder: Path) -> list[str]:
    variant = source.split("+", 1)[1] if "+" in source else ""
    if not variant:
        return []
    config = folder / "kube2ecs.yaml"
    config.write_text(yaml.safe_dump(VARIANTS[variant]))
    return ["--config", str(config)]


def _outputs(source: str, folder: Path) -> dict[str, str]:
    path, config = str(path_of(source)), _config(source, folder)
    reports = [str(folder / f"report.{ext}") for ext in ("html", "md", "json", "sarif")]
    runner = CliRunner()
    with exception_messages() as messages:
        runs = {
            "convert": runner.invoke(cli, ["convert", path, "-o", str(folder / "out"), *config]),
            "assess": runner.invoke(cli, ["assess", path, *(a for r in reports for a in ("-o", r)), *config]),
        }
    texts = {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}
    for name, run in runs.items():
        assert run.exit_code in (0, 1), f"{name}: {run.output}"
        texts[f"{name} stdout"], texts[f"{name} stderr"] = run.stdout, run.stderr
    texts["exception messages"] = "\n".join(messages)
    return texts


@pytest.mark.parametrize("source", SOURCES)
def test_no_secret_value_in_any_output(source: str, tmp_path: Path) -> None:
    values = _values(path_of(source))
    texts = _outputs(source, tmp_path)
    assert {"out/findings.json", "report.html", "report.md", "report.json", "report.sarif"} <= set(texts)
    leaks = sorted({(name, value[:3] + "...") for name, text in texts.items() for value in values if value in text})
    assert leaks == []


def test_plain_env_secrets_become_secret_references(tmp_path: Path) -> None:
    """The translator's side of the plain-env rule: the value goes nowhere; the variable reads a
    secret of the workload that the finding tells the user to fill."""
    from translator.api import translate_text

    text = (ROOT / "samples" / "web-app" / "web.yaml").read_text().replace(
        "\n          env:\n", "\n          env:\n            - {name: DB_PASSWORD, value: hunter2-but-long}\n"
        "            - {name: DB_PASSWORD_FILE, value: /run/secrets/db}\n", 1)
    assert "hunter2" in text
    result = translate_text(text, name="web.yaml")
    outputs = json.dumps(result.templates) + json.dumps(result.task_definitions) + json.dumps([f.as_dict() for f in result.findings])
    assert "hunter2" not in outputs
    task = json.loads(result.task_definitions["shop.web.json"])["containerDefinitions"][0]
    assert {"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:${AWS_REGION}:${AWS_ACCOUNT_ID}:secret:"
            "k8s/shop/web/env:DB_PASSWORD::"} in task["secrets"]
    assert {"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db"} in task["environment"]  # where, not what
    finding = next(f for f in result.findings if f.code == "K2E337")
    assert finding.message == "env DB_PASSWORD of container web looks like a secret held in plain text; its value was not copied"
    assert "key DB_PASSWORD of Secrets Manager secret k8s/shop/web/env" in finding.remediation
    assert 'SecretString: "{\\"DB_PASSWORD\\": \\"\\"}"' in result.templates["shop.yaml"]  # keys only


def test_an_exception_carrying_a_value_never_shows_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash inside a kind module becomes K2E900 with the exception's type only, and the CLI's
    last-resort handler prints the type only: a message that quotes input never reaches the user."""
    from translator.k8s import deployment

    def crash(root: Any, app: Any) -> None:
        raise ValueError("password=hunter2-in-a-message")

    monkeypatch.setattr(deployment, "parse", crash)
    monkeypatch.setitem(__import__("translator.k8s.registry", fromlist=["PARSERS"]).PARSERS, "Deployment",
                        {"apps": crash, "extensions": crash})
    result = CliRunner().invoke(cli, ["convert", str(ROOT / "samples" / "web-app"), "-o", str(tmp_path / "out")])
    findings = (tmp_path / "out" / "findings.json").read_text()
    assert '"code": "K2E900"' in findings
    assert "hunter2" not in findings + result.stdout + result.stderr
