"""Output file names: one file per object, never outside OUT, never two that a filesystem confuses.

Names are checked as Kubernetes checks them before anything is mapped (`k8s/naming.py`), so a
valid input already gives safe, distinct names. This module does not rely on that: `FileNames`
turns any text into a safe file name and gives a second owner of a name (compared case-insensitively,
as macOS and Windows filesystems compare them) a name of its own, and `check_paths` refuses a set
of paths that could leave OUT or overwrite one another, whatever produced it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from translator.model.record import record

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; the rest is room for suffixes


class UnsafeOutputPath(ValueError):
    """An output path that could write outside OUT or over another output file: a bug, never written."""


def _key(path: str) -> str:
    """Two paths a case-insensitive (and normalising) filesystem would take for one."""
    return unicodedata.normalize("NFC", path).casefold()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def safe_stem(text: str) -> str:
    """`text` as one file name without extension: itself when it is already plain (every valid
    Kubernetes name is), else with each other character replaced and a hash of the original added."""
    stem = _UNSAFE.sub("_", text)
    if stem.startswith(".") or not stem:
        stem = "_" + stem
    if stem == text and len(stem) <= MAX_NAME_BYTES:
        return stem
    return f"{stem[:MAX_NAME_BYTES - 9]}-{_hash(text)}"


@record
class Renamed:
    """A file written under another name than wanted, for the finding that says so."""

    owner: str
    wanted: str
    path: str
    other: str


@dataclass
class FileNames:
    """Hands out one path per owner. The first owner of a path keeps it; a later owner of the same
    path (or one differing only in case) gets its stem with a hash of its own identity added, so the
    result depends only on the input, not on the run."""

    _owners: dict[str, str] = field(default_factory=dict)  # case-folded path -> owner
    renamed: list[Renamed] = field(default_factory=list)

    def claim(self, owner: str, folder: str, stem: str, extension: str) -> str:
        """The file name (within `folder`) for `owner`, which would like `<stem><extension>`."""
        wanted = f"{safe_stem(stem)}{extension}"
        first = self._owners.setdefault(_key(f"{folder}/{wanted}"), owner)
        if first == owner:
            return wanted
        name = f"{safe_stem(stem)[:MAX_NAME_BYTES - 9]}-{_hash(owner)}{extension}"
        while self._owners.setdefault(_key(f"{folder}/{name}"), owner) != owner:  # pragma: no cover - a hash collision
            name = f"{safe_stem(stem)[:MAX_NAME_BYTES - 18]}-{_hash(owner)}-{_hash(name)}{extension}"
        self.renamed.append(Renamed(owner, f"{folder}/{wanted}", f"{folder}/{name}", first))
        return name


def unsafe_reason(path: str) -> str:
    """Why `path` (relative to OUT, `/`-separated) could write outside OUT or somewhere unexpected, or ''."""
    if not path:
        return "it is empty"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "it is absolute"
    if any(c in path for c in "\0\n\r\\:"):  # `a:b` is an alternate data stream of `a` on NTFS
        return "it holds a NUL, a line break, a backslash or a colon"
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "it has an empty, '.' or '..' part"
    if any(len(p.encode("utf-8", "surrogatepass")) > 255 for p in parts):
        return "a part is longer than 255 bytes"
    return ""


def check_paths(paths: Iterable[str]) -> None:
    """The last guard before anything is written: raise UnsafeOutputPath for a path that could leave
    OUT, or for two paths that are one file on a case-insensitive filesystem."""
    seen: dict[str, str] = {}
    for path in paths:
        reason = unsafe_reason(path)
        if reason:
            raise UnsafeOutputPath(f"refusing output path {path!r}: {reason}")
        other = seen.setdefault(_key(path), path)
        if other != path:
            raise UnsafeOutputPath(f"refusing output paths {other!r} and {path!r}: they are one file on a case-insensitive filesystem")
