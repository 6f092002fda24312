"""Whether kube2ecs may replace an output folder or report file: never one it did not write.

`convert -o OUT` replaces OUT whole (written beside it, then swapped in), so naming the wrong
folder would delete it: the working directory, the input manifests, a folder of unrelated files.
kube2ecs therefore keeps a manifest of what it wrote inside OUT (the relative path and SHA-256 of
every file) and replaces OUT only when it is missing, empty, or holds exactly what that manifest
lists, unchanged. Some places are refused whatever they hold: `/`, the working directory and its
ancestors, an input and anything inside or above an input, and a symbolic link (replacing it
would write into, or drop, a folder somewhere else).

An OUT written before manifests existed (0.1.0) is recognised by its layout, so upgrading does
not lock anyone out of their own output.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

MANIFEST = ".kube2ecs-manifest.json"
STAGING_MARK = ".kube2ecs-staging"  # present only while a staging folder is being filled
OUTPUT_FOLDERS = ("cloudformation", "task-definitions")
_LEGACY_FILES = re.compile(r"^(findings\.json|cloudformation/[^/]+\.yaml|task-definitions/[^/]+\.json)$")
_REPORT_MARKS = ('<meta name="generator" content="kube2ecs ', "## kube2ecs migration assessment",
                 '"schema": "kube2ecs-assessment"', '"name": "kube2ecs"')


_FOREIGN = ("holds files kube2ecs did not write", "kube2ecs replaces the whole folder, so give a new or empty folder, "
            "or move them away")
_CHANGED = ("holds files changed since kube2ecs wrote them", "move them away or undo the change, so that "
            "regenerating loses nothing")


class OutputRefused(Exception):
    """kube2ecs will not write there: a one-line message saying why and what to do, exit status 2."""


def manifest_json(files: Mapping[str, str]) -> str:
    """The manifest of a run's files: what a later run checks before it replaces the folder."""
    listed = {path: _digest(text.encode("utf-8")) for path, text in sorted(files.items())}
    payload = {"generator": "kube2ecs", "manifest_version": 1,
               "note": "written by kube2ecs; it replaces this folder only while it holds exactly these files",
               "files": listed}
    return json.dumps(payload, indent=2) + "\n"


def check_output_folder(out: Path, inputs: Iterable[str]) -> None:
    """Raise OutputRefused unless `convert` may replace `out` whole."""
    shown = os.fspath(out)
    if os.path.islink(out):
        raise OutputRefused(f"-o {shown}: it is a symbolic link; kube2ecs does not write through links: "
                            "give the folder it points to, or a new folder")
    real = Path(os.path.realpath(out))
    _refuse_protected(shown, real)
    _refuse_inputs(shown, real, inputs)
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise OutputRefused(f"-o {shown}: it is a file, not a folder; give a new or empty folder")
    problem = foreign_content(out)
    if problem:
        raise OutputRefused(f"-o {shown}: {problem}")


def check_report_file(path: Path, inputs: Iterable[str], read_as_input: tuple[str, ...]) -> None:
    """Raise OutputRefused unless `assess` may write the report `path` (new, or a report it wrote).

    `read_as_input`: the file suffixes the loader reads from an input folder.
    """
    shown = os.fspath(path)
    if os.path.islink(path):
        raise OutputRefused(f"-o {shown}: it is a symbolic link; give the file it points to or a new file")
    real = Path(os.path.realpath(path))
    for given, resolved in _input_paths(inputs):
        if real == resolved:
            raise OutputRefused(f"-o {shown}: it is an input; write the report elsewhere")
        if resolved in real.parents and real.suffix.lower() in read_as_input:
            raise OutputRefused(f"-o {shown}: it is inside the input folder {given} and would be read as a manifest "
                                "next time; write the report outside the input")
    if not os.path.lexists(path):
        return
    if not path.is_file():
        raise OutputRefused(f"-o {shown}: it exists and is not a file; give a new file name")
    if not _is_report(path):
        raise OutputRefused(f"-o {shown}: the file exists and is not a kube2ecs report; give a new file name "
                            "or move the file away")


def foreign_content(folder: Path) -> str:
    """Why `folder` is not exactly a kube2ecs output ('' when it is, or is empty)."""
    present, odd = _listing(folder)
    if not present and not odd:
        return ""
    manifest = _read_manifest(folder / MANIFEST)
    if manifest is None:
        if MANIFEST not in present and _legacy_output(folder, present, odd):
            return ""
        return _describe(folder, sorted(odd | (present.keys() - {MANIFEST})), _FOREIGN)
    unknown = sorted(odd | {p for p in present if p != MANIFEST and p not in manifest})
    if unknown:
        return _describe(folder, unknown, _FOREIGN)
    changed = sorted(p for p, digest in manifest.items() if p in present and _digest_file(present[p]) != digest)
    if changed:
        return _describe(folder, changed, _CHANGED)
    return ""


def is_output_folder(folder: Path) -> bool:
    """Whether `folder` is a kube2ecs output (with a manifest, or the layout of 0.1.0), for the input walk."""
    if (folder / MANIFEST).is_file():
        return True
    if not (folder / "findings.json").is_file():
        return False
    present, odd = _listing(folder)
    return _legacy_output(folder, present, odd)


def clean_stale(out: Path) -> None:
    """Remove what a run killed halfway left beside `out`: staging and backup folders, report temporaries.

    Only names of this exact pattern are touched, and a folder only when its content proves kube2ecs
    wrote it (the staging mark, or a folder that is exactly a kube2ecs output).
    """
    parent = out.parent
    if not parent.is_dir():
        return
    prefix = f".{out.name}.kube2ecs-"
    for entry in sorted(parent.iterdir()):
        if not entry.name.startswith(prefix) or entry.is_symlink():
            continue
        kind = entry.name[len(prefix):len(prefix) + 4]
        if kind == "tmp-" and entry.is_file():
            entry.unlink(missing_ok=True)
        elif kind in ("new-", "old-") and entry.is_dir() and _ours(entry):
            shutil.rmtree(entry, ignore_errors=True)


def current_umask() -> int:
    """The process umask (only readable by setting it), so files made 0600 by mkstemp get ordinary modes."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _ours(folder: Path) -> bool:
    return (folder / STAGING_MARK).is_file() or (is_output_folder(folder) and not foreign_content(folder))


def _refuse_protected(shown: str, real: Path) -> None:
    if real == Path(real.anchor):
        raise OutputRefused(f"-o {shown}: refusing to replace the root folder; give a new or empty folder, e.g. -o ecs")
    cwd = Path(os.path.realpath(os.getcwd()))
    if real == cwd or real in cwd.parents:
        raise OutputRefused(f"-o {shown}: refusing to replace the current directory or a folder above it; "
                            "give a new or empty folder, e.g. -o ecs")
    home = os.path.expanduser("~")
    if home not in ("~", "/") and real == Path(os.path.realpath(home)):
        raise OutputRefused(f"-o {shown}: refusing to replace the home folder; give a new or empty folder, e.g. -o ecs")


def _refuse_inputs(shown: str, real: Path, inputs: Iterable[str]) -> None:
    for given, resolved in _input_paths(inputs):
        if real == resolved:
            raise OutputRefused(f"-o {shown}: it is an input; write the output to a new folder, e.g. -o ecs")
        if resolved in real.parents:
            raise OutputRefused(f"-o {shown}: it is inside the input {given}, so it would be read as input next time; "
                                "write the output outside the input")
        if real in resolved.parents:
            raise OutputRefused(f"-o {shown}: it holds the input {given}; write the output to a new folder, e.g. -o ecs")


def _input_paths(inputs: Iterable[str]) -> list[tuple[str, Path]]:
    """(path as given, real path) of each input path; stdin has none."""
    return [(p, Path(os.path.realpath(p))) for p in inputs if p and p != "-"]


def _listing(folder: Path) -> tuple[dict[str, Path], set[str]]:
    """(regular files by relative path, anything else: links, sockets, unexpected folders), without following links."""
    files: dict[str, Path] = {}
    odd: set[str] = set()
    for current, dirs, names in os.walk(folder):
        base = Path(current)
        relative = base.relative_to(folder).as_posix()
        for name in dirs:
            if os.path.islink(base / name):
                odd.add(_join(relative, name))  # os.walk lists a link to a folder among the folders
        dirs[:] = sorted(d for d in dirs if not os.path.islink(base / d))
        if relative != "." and relative.split("/")[0] not in OUTPUT_FOLDERS:
            odd.add(relative)
        for name in names:
            mode = os.lstat(base / name).st_mode
            if stat.S_ISREG(mode):
                files[_join(relative, name)] = base / name
            else:
                odd.add(_join(relative, name))
    return files, odd


def _join(relative: str, name: str) -> str:
    return name if relative == "." else f"{relative}/{name}"


def _read_manifest(path: Path) -> dict[str, str] | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = payload.get("files") if isinstance(payload, dict) and payload.get("generator") == "kube2ecs" else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return None
    return files


def _legacy_output(folder: Path, present: Mapping[str, Path], odd: set[str]) -> bool:
    """The layout 0.1.0 wrote: findings.json (with its own shape) and template and task-definition files only."""
    if odd or "findings.json" not in present or not all(_LEGACY_FILES.match(p) for p in present):
        return False
    try:
        payload = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(payload, dict) and set(payload) == {"version", "findings"} and isinstance(payload["findings"], list)


def _is_report(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return any(mark in head for mark in _REPORT_MARKS)


def _describe(folder: Path, paths: list[str], problem: tuple[str, str]) -> str:
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    return f"it {problem[0]} ({(folder / paths[0]).as_posix()}{more}); {problem[1]}"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _digest_file(path: Path) -> str:
    try:
        return _digest(path.read_bytes())
    except OSError:
        return ""
