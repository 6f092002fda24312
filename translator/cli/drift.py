"""`convert --check`: is OUT exactly what a fresh translation would write? Shown as a unified diff.

A pipeline that commits generated CloudFormation next to the manifests fails when someone edits
one without regenerating the other; the diff tells them what regenerating would change.
"""

from __future__ import annotations

import difflib
from pathlib import Path

MAX_LINES = 400  # per file: enough to see the change, short enough for a CI log


def absent(out: Path) -> str | None:
    """What OUT lacks when there is nothing to compare, in words; None when it holds files.

    A diff against a missing or empty OUT would print every file the run writes, thousands of
    lines that say only that OUT was never generated.
    """
    if not out.exists():
        return "does not exist"
    if not out.is_dir():
        return "is not a folder"
    if not any(p.is_file() for p in out.rglob("*")):
        return "holds no file"
    return None


def drift(expected: dict[str, str], out: Path) -> list[str]:
    """Unified-diff lines from OUT to `expected` (relative path -> text); empty when they agree."""
    present = _read(out)
    lines: list[str] = []
    for relative in sorted(set(expected) | set(present)):
        old, new = present.get(relative), expected.get(relative)
        if old == new:
            continue
        diff = list(difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(),
                                         f"{out.name}/{relative}" if old is not None else "/dev/null",
                                         f"{out.name}/{relative}" if new is not None else "/dev/null", lineterm=""))
        if old is not None and new is not None and not diff:
            diff = [f"--- {out.name}/{relative}", "(differs in line endings or a final newline)"]
        if len(diff) > MAX_LINES:
            diff = [*diff[:MAX_LINES], f"... {len(diff) - MAX_LINES} more line(s) of {relative}"]
        lines.extend(diff)
    return lines


def _read(out: Path) -> dict[str, str]:
    if not out.is_dir():
        return {}
    files: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        try:
            files[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            files[path.relative_to(out).as_posix()] = "\0(unreadable)"
    return files
