"""The command line in process (click's CliRunner) and as the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.repo import ROOT
from tests.support.results import invoke as _run
from translator.cli import output

WEB = ROOT / "samples" / "web-app"
SINK = ROOT / "samples" / "kitchen-sink"


def test_convert_writes_the_four_outputs(tmp_path: Path) -> None:
    result = _run("convert", str(WEB), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "wrote 1 template(s), 1 task definition(s)" in result.output
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.*")) == [
        ".kube2ecs-manifest.json", "NEXT-STEPS.md", "cloudformation/shop.yaml", "findings.json",
        "task-definitions/shop.web.json"]


@pytest.mark.parametrize(("fail_on", "status"), [("error", 1), ("never", 0)])
def test_exit_status_follows_fail_on(tmp_path: Path, fail_on: str, status: int) -> None:
    result = _run("convert", str(SINK), "-o", str(tmp_path / "out"), "--fail-on", fail_on)
    assert result.exit_code == status


def test_warning_threshold(tmp_path: Path) -> None:
    assert _run("convert", str(WEB), "-o", str(tmp_path / "o"), "--fail-on", "warning").exit_code == 1


def test_stdin(tmp_path: Path) -> None:
    text = (WEB / "web.yaml").read_text()
    result = _run("convert", "-", "-o", str(tmp_path / "out"), stdin=text)
    assert result.exit_code == 0
    assert (tmp_path / "out" / "task-definitions" / "shop.web.json").is_file()


def test_missing_input_is_a_one_line_error(tmp_path: Path) -> None:
    result = _run("convert", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such file" in result.output
    assert not (tmp_path / "out").exists()


def test_bad_config_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "kube2ecs.yaml"
    config.write_text("log_retention_days: 31\n")
    result = _run("convert", str(WEB), "-o", str(tmp_path / "out"), "--config", str(config))
    assert result.exit_code == 2 and "log_retention_days" in result.output


def test_options_change_the_output_and_silence_their_decision(tmp_path: Path) -> None:
    config = tmp_path / "kube2ecs.yaml"
    config.write_text("cluster: prod\nlog_retention_days: 90\ncapacity_providers:\n"
                      "  - {provider: FARGATE_SPOT, weight: 3}\n  - {provider: FARGATE, weight: 1, base: 1}\n")
    assert _run("convert", str(WEB), "-o", str(tmp_path / "out"), "--config", str(config)).exit_code == 0
    template = (tmp_path / "out" / "cloudformation" / "shop.yaml").read_text()
    assert "Cluster: prod\n" in template and "RetentionInDays: 90" in template
    assert "- CapacityProvider: FARGATE_SPOT\n" in template and "AWS::ECS::Cluster" not in template
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]
    decided = {f["resource"] for f in findings if f["code"] == "K2E370"}
    assert "option/cluster" not in decided and "option/secrets_backend" in decided


def test_failed_write_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert _run("convert", str(WEB), "-o", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(staging: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_swap", broken)
    result = _run("convert", str(SINK), "-o", str(out))
    assert result.exit_code == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_codes_lists_the_catalogue() -> None:
    result = _run("codes")
    assert result.exit_code == 0 and "K2E200" in result.output and "K2E901" in result.output


def test_console_script_and_module(tmp_path: Path) -> None:
    script = shutil.which("kube2ecs", path=str(Path(sys.executable).parent))
    assert script, "the kube2ecs console script is installed"
    version = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("kube2ecs, version")
    module = subprocess.run([sys.executable, "-m", "translator", "convert", str(SINK), "-o", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert module.returncode == 1 and "Traceback" not in module.stderr


def test_the_process_ends_with_every_line_written_and_the_command_status(tmp_path: Path) -> None:
    """The command leaves without tearing its objects down (`main._leave`): the streams still arrive whole."""
    done = subprocess.run([sys.executable, "-m", "translator", "convert", str(SINK), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == f"wrote 1 template(s), 2 task definition(s), findings.json and NEXT-STEPS.md to {tmp_path / 'o'}"
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert errors and all(": K2E" in line or line.startswith("errors:") for line in errors), errors
    probe = "from translator.cli.main import _leave; print('out', end=''); _leave('stopped: bad input')"
    message = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (message.returncode, message.stdout, message.stderr) == (1, "out", "stopped: bad input\n")
    quiet = subprocess.run([sys.executable, "-c", "from translator.cli.main import _leave; _leave(None)"])
    assert quiet.returncode == 0


def test_help_and_version_load_no_translation_code() -> None:
    """Start-up is what every pipeline step pays: the CLI module must not import the pipeline or its libraries."""
    probe = ("import sys, translator.cli.main; print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('jinja2', 'ruamel', 'kubernetes', 'deepdiff', 'cfnlint', 'botocore', 'boto3', 'yaml') "
             "or m.startswith(('translator.source', 'translator.api', 'translator.mapping', 'translator.render')))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
