"""Write a translation to a folder atomically: a failed run leaves an existing folder as it was."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from translator.api import TranslationResult


def write_output(result: TranslationResult, out: Path) -> list[str]:
    """Write into a sibling temporary folder, then swap it in with renames."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        files = output_files(result)
        for relative, text in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(files)


def _swap(staging: Path, out: Path) -> None:
    backup = None
    if out.exists():
        backup = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, backup)
    try:
        os.replace(staging, out)
    except BaseException:
        if backup is not None:
            os.replace(backup, out)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def output_files(result: TranslationResult) -> dict[str, str]:
    """Every file a run writes, by path relative to OUT: what `convert --check` compares OUT with."""
    files = result.files()
    files["findings.json"] = findings_json(result)
    return files


def findings_json(result: TranslationResult) -> str:
    payload = {"version": 1, "findings": [f.as_dict() for f in result.findings]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
