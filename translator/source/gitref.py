"""`git:REV:PATH` inputs: the manifests as they were at a revision, extracted into a temporary folder.

A pull request pipeline compares the base revision with the working tree; checking out a second
worktree for that is slow and leaves state behind. `git archive` writes the tree at REV (PATH is
relative to the current directory, as git takes it) and nothing else is touched.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from translator.source.loader import InputError

PREFIX = "git:"


def parse(spec: str) -> tuple[str, str]:
    """`git:REV:PATH` -> (REV, PATH); PATH may be empty for the current directory."""
    rev, sep, path = spec[len(PREFIX):].partition(":")
    if not rev or not sep:
        raise InputError(f"{spec}: expected git:REV:PATH, for example git:main:k8s/")
    return rev, path.strip("/") or "."


@contextmanager
def materialised(spec: str, cwd: str | None = None) -> Iterator[str]:
    """Yield a path to read `spec` from: itself, or a temporary copy of PATH at REV (removed afterwards)."""
    if not spec.startswith(PREFIX):
        yield spec
        return
    rev, path = parse(spec)
    archive = _archive(spec, rev, path, cwd)
    with tempfile.TemporaryDirectory(prefix="kube2ecs-git-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield os.path.join(tmp, path)


def _archive(spec: str, rev: str, path: str, cwd: str | None) -> bytes:
    command = ["git", "archive", "--format=tar", rev, "--", path]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError as err:
        raise InputError(f"{spec}: git is not on PATH") from err
    except subprocess.TimeoutExpired as err:
        raise InputError(f"{spec}: git archive did not finish in 120 s") from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{spec}: {message[-1] if message else 'git archive failed'}")
    return done.stdout
