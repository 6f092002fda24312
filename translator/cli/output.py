"""Write a translation to a folder atomically: a failed run leaves an existing folder as it was.

The files are written into a staging folder beside OUT, then swapped in with renames. Before
anything is written, `outguard` decides whether OUT may be replaced at all, and what a killed
run left beside OUT is cleaned up.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from translator.api import TranslationResult
from translator.cli.outguard import MANIFEST, STAGING_MARK, check_output_folder, clean_stale, current_umask, manifest_json
from translator.outnames import UnsafeOutputPath, check_paths, unsafe_reason
from translator.render import jsontext


def write_output(result: TranslationResult, out: Path, inputs: Iterable[str] = ()) -> list[str]:
    """Write every file of `result` as OUT; `inputs` are the paths read, which OUT must stay clear of.

    Raises OutputRefused when OUT holds anything kube2ecs did not write (see `outguard`).
    """
    check_output_folder(out, inputs)
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    files = output_files(result)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.kube2ecs-new-", dir=out.parent))
    try:
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes 0700; OUT is an ordinary folder
        (staging / STAGING_MARK).write_bytes(b"")
        made = {staging}
        for relative, text in sorted(files.items()):
            target = staging / _safe_relative(relative)
            if target.parent not in made:  # a few folders for hundreds of files: one mkdir each
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(text.encode("utf-8"))  # the texts end lines with \n already
        (staging / STAGING_MARK).unlink()
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(files)


def _safe_relative(relative: str) -> PurePosixPath:
    """A path the translation produced, checked once more here: whatever the input said, nothing leaves OUT."""
    reason = unsafe_reason(relative)
    if reason:
        raise UnsafeOutputPath(f"refusing output path {relative!r}: {reason}")
    return PurePosixPath(relative)


def _swap(staging: Path, out: Path) -> None:
    backup = None
    if os.path.lexists(out):
        backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.kube2ecs-old-", dir=out.parent))
        os.rmdir(backup)  # only the unique name is wanted: rename needs it free
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
    files[MANIFEST] = manifest_json(files)
    check_paths(files)
    return files


def findings_json(result: TranslationResult) -> str:
    payload = {"version": 1, "findings": [f.as_dict() for f in result.findings]}
    return jsontext.dumps(payload) + "\n"
