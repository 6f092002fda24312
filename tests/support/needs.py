"""What some tests need beyond the repository, and what happens when it is missing.

A fresh clone has no `../shared/corpus`, and perhaps no Chromium or kubectl: there, a test that
needs one is skipped with a reason that says what is missing and how to get it, so `pytest` on a
clone passes on what it can check. In CI (`CI` set to true, as `.ci/run` does) the same test fails
instead, so that a CI machine that lost the corpus or a tool can never pass by skipping the proofs.

A test declares what it needs with `@pytest.mark.needs("corpus")` (or "chromium", "kubectl"; a
module with `pytestmark`); this module is the one place that decides skip or fail.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Need:
    what: str  # what is missing, as the reason starts
    how: str  # how to get it

    def present(self) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Folder(Need):
    path: Path

    def present(self) -> bool:
        return self.path.is_dir() and any(self.path.iterdir())


@dataclass(frozen=True)
class Program(Need):
    name: str

    def present(self) -> bool:
        return shutil.which(self.name) is not None


NEEDS: dict[str, Need] = {
    "corpus": Folder("../shared/corpus beside the checkout", f"put the shared corpus of real manifests at {CORPUS}", CORPUS),
    "chromium": Program("Chromium", "apt-get install chromium (Debian's package; `chromium` on PATH)", "chromium"),
    "kubectl": Program("kubectl", "apt-get install kubernetes-client (Debian's package; `kubectl` on PATH)", "kubectl"),
}


def in_ci() -> bool:
    """CI=true (GitHub Actions, GitLab and `.ci/run` set it); CI=1 counts too, CI=false or empty does not."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def missing(names: list[str]) -> list[Need]:
    unknown = sorted(set(names) - set(NEEDS))
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.needs: unknown {', '.join(unknown)}; known: {', '.join(NEEDS)}")
    return [NEEDS[name] for name in dict.fromkeys(names) if not NEEDS[name].present()]


def verdict(names: list[str], ci: bool) -> str | None:
    """None when everything needed is present; otherwise the one-line reason to skip (or, in CI, fail)."""
    absent = missing(names)
    if not absent:
        return None
    reason = "; ".join(f"needs {need.what}: {need.how}" for need in absent)
    return f"{reason} (CI=true makes this a failure, not a skip)" if ci else reason


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(*names): the test needs " + ", ".join(NEEDS)
                            + "; skipped when missing, failed when CI=true")


@pytest.hookimpl(tryfirst=True)  # before an empty parameter set's own skip, so that CI fails on it too
def pytest_runtest_setup(item: pytest.Item) -> None:
    names = [name for mark in item.iter_markers("needs") for name in mark.args]
    if not names:
        return
    ci = in_ci()
    reason = verdict(names, ci)
    if reason is None:
        return
    if ci:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
