"""A test that needs the corpus, Chromium or kubectl skips on a clone without them and fails in CI.

Run in a pytest of its own over a small test file, with nothing on PATH and the corpus pointed at a
folder that does not exist: what a fresh clone on a bare machine sees.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.support.needs import CORPUS
from tests.support.repo import ROOT

CONFTEST = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
import tests.support.needs as needs
needs.NEEDS["corpus"] = needs.Folder(needs.NEEDS["corpus"].what, needs.NEEDS["corpus"].how, Path(__file__).parent / "no-corpus")
from tests.support.needs import pytest_configure, pytest_runtest_setup
"""
TESTFILE = """
import pytest

@pytest.mark.needs("corpus")
def test_corpus():
    pass

@pytest.mark.needs("corpus")
@pytest.mark.parametrize("source", [])
def test_each_source(source):
    pass

@pytest.mark.needs("chromium", "kubectl")
def test_tools():
    pass

def test_plain():
    pass
"""
CORPUS_REASON = f"needs ../shared/corpus beside the checkout: put the shared corpus of real manifests at {CORPUS}"
TOOLS_REASON = ("needs Chromium: apt-get install chromium (Debian's package; `chromium` on PATH); "
                "needs kubectl: apt-get install kubernetes-client (Debian's package; `kubectl` on PATH)")
IN_CI = 'failed on setup with "Failed: {} (CI=true makes this a failure, not a skip)"'  # before any fixture runs


def _run(tmp_path: Path, ci: str | None) -> tuple[int, dict[str, tuple[str, str]]]:
    """Exit status, and test name -> (outcome, message) from pytest's JUnit XML."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_bare.py").write_text(TESTFILE)
    (tmp_path / "bin").mkdir()
    env = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={tmp_path / 'r.xml'}",
                           str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True)
    outcomes = {}
    for case in ET.parse(tmp_path / "r.xml").iter("testcase"):
        child = next(iter(case), None)
        outcomes[case.get("name", "")] = ("passed", "") if child is None else (child.tag, child.get("message", ""))
    return done.returncode, outcomes


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_on_a_bare_clone_each_test_that_needs_something_skips_and_says_what_and_how(tmp_path: Path, ci: str | None) -> None:
    status, outcomes = _run(tmp_path, ci)
    assert status == 0
    assert outcomes == {
        "test_corpus": ("skipped", CORPUS_REASON),
        "test_each_source[NOTSET]": ("skipped", CORPUS_REASON),  # an empty parameter set says why too
        "test_tools": ("skipped", TOOLS_REASON),
        "test_plain": ("passed", ""),
    }


@pytest.mark.parametrize("ci", ["true", "1", "True"])
def test_in_ci_each_test_that_needs_something_fails_and_says_what_and_how(tmp_path: Path, ci: str) -> None:
    """A failure in setup, which pytest counts as an error: the run fails (exit 1) and names what is missing."""
    status, outcomes = _run(tmp_path, ci)
    assert status == 1
    assert outcomes == {
        "test_corpus": ("error", IN_CI.format(CORPUS_REASON)),
        "test_each_source[NOTSET]": ("error", IN_CI.format(CORPUS_REASON)),
        "test_tools": ("error", IN_CI.format(TOOLS_REASON)),
        "test_plain": ("passed", ""),
    }


def test_ci_runs_the_tests_with_ci_set() -> None:
    """`.ci/run` sets CI=true before pytest, so that the CI machine cannot pass by skipping."""
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert lines.index("export CI=true") < lines.index(".venv/bin/pytest -q")
