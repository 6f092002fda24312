"""What a person at a terminal sees: a summary that fits the screen, and a hint when stdin is the keyboard."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.repo import ROOT
from translator.cli.main import SUMMARY_WIDTH, cli, documents_summary

WEB = ROOT / "samples" / "web-app" / "web.yaml"
HINT = "kube2ecs: reading manifests from standard input; end with Ctrl-D\n"
GUARD_SECONDS = 120  # against a hung child, not a performance expectation


def test_a_short_summary_stays_one_line() -> None:
    assert documents_summary({"Deployment": 1, "Service": 2}) == ["documents: Deployment 1, Service 2"]
    assert documents_summary({}) == ["documents: none"]
    exactly = {"K" * (SUMMARY_WIDTH - len("documents: ") - 2): 7}
    assert documents_summary(exactly) == [f"documents: {'K' * 87} 7"] and len(documents_summary(exactly)[0]) == 100


def test_a_long_summary_gives_the_total_then_every_count_wrapped_whole() -> None:
    assert documents_summary({"Alpha": 1, "Beta": 22, "Gamma": 333, "Delta": 4}, width=30) == [
        "documents: 360 in 4 kinds:",
        "  Alpha 1, Beta 22, Gamma 333,",
        "  Delta 4",
    ]


def test_convert_wraps_the_summary_of_forty_kinds(tmp_path: Path) -> None:
    kinds = [f"Widget{i:02}" for i in range(40)]
    (tmp_path / "in.yaml").write_text("".join(f"---\napiVersion: example.com/v1\nkind: {k}\nmetadata: {{name: w}}\n" for k in kinds))
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "in.yaml"), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [", ".join(f"{k} 1" for k in kinds[i:i + 8]) for i in range(0, 40, 8)]  # eight counts of 10 fill 96 columns
    assert lines[:6] == ["documents: 40 in 40 kinds:", *(f"  {row}," for row in rows[:-1]), f"  {rows[-1]}"]
    assert lines[6].startswith("findings: ") and lines[7].startswith("wrote ") and len(lines) == 8
    assert max(len(line) for line in lines[:6]) <= SUMMARY_WIDTH


def _in_a_terminal(args: list[str], typed: bytes) -> tuple[int, str, str, str]:
    """Run kube2ecs with a pseudo-terminal as stdin: (status, stderr before typing, stdout, stderr after)."""
    primary, secondary = pty.openpty()
    attrs = termios.tcgetattr(secondary)
    attrs[3] &= ~termios.ECHO  # nothing echoed back to read
    termios.tcsetattr(secondary, termios.TCSANOW, attrs)
    proc = subprocess.Popen([sys.executable, "-m", "translator", *args], stdin=secondary, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    os.close(secondary)
    try:
        assert proc.stderr is not None
        ready, _, _ = select.select([proc.stderr], [], [], GUARD_SECONDS)
        first = proc.stderr.readline().decode() if ready else ""  # printed while it waits, before anything is typed
        os.write(primary, typed + b"\x04")  # Ctrl-D at the start of a line ends the input
        out, err = proc.communicate(timeout=GUARD_SECONDS)
    finally:
        proc.kill()
        os.close(primary)
    return proc.returncode, first, out.decode(), err.decode()


@pytest.mark.parametrize("command", ["convert", "assess"])
def test_stdin_from_a_terminal_says_how_to_end_it(tmp_path: Path, command: str) -> None:
    out = tmp_path / ("out" if command == "convert" else "report.json")
    status, first, stdout, stderr = _in_a_terminal([command, "-", "-o", str(out)], WEB.read_bytes())
    assert (status, first, stderr) == (0, HINT, "")
    assert out.exists() and stdout.startswith("documents: " if command == "convert" else "workloads: ")


@pytest.mark.parametrize("command", ["convert", "assess"])
def test_piped_stdin_gets_no_hint(tmp_path: Path, command: str) -> None:
    out = tmp_path / ("out" if command == "convert" else "report.json")
    done = subprocess.run([sys.executable, "-m", "translator", command, "-", "-o", str(out)], input=WEB.read_text(),
                          capture_output=True, text=True, cwd=ROOT, timeout=GUARD_SECONDS)
    assert (done.returncode, done.stderr) == (0, "")
    assert out.exists()


def test_a_terminal_without_dash_gets_no_hint(tmp_path: Path) -> None:
    status, first, _, stderr = _in_a_terminal(["convert", str(WEB), "-o", str(tmp_path / "out")], b"")
    assert (status, first, stderr) == (0, "", "")
