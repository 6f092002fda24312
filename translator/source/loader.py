"""Files, directories and stdin to `Document`s; every problem becomes a finding or an InputError.

An InputError (unreadable path, nothing to read) is the CLI's exit 2. A problem inside a file
(bad YAML, bad encoding, a document that is not an object) is a finding, and the other
documents are still translated.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from translator.findings.model import FindingSink, Location
from translator.model.record import record
from translator.source.document import Document, join
from translator.source.reader import make_finding
from translator.source.yamlparse import YamlProblem, parse_documents

SUFFIXES = (".yaml", ".yml", ".json")
# A folder holding one of these is the input of a renderer, not rendered objects: (code, renderer, command).
RENDERED_BY = {
    "kustomization.yaml": ("K2E030", "a kustomization", "kube2ecs convert --kustomize {folder} -o OUT"),
    "kustomization.yml": ("K2E030", "a kustomization", "kube2ecs convert --kustomize {folder} -o OUT"),
    "Kustomization": ("K2E030", "a kustomization", "kube2ecs convert --kustomize {folder} -o OUT"),
    "Chart.yaml": ("K2E031", "a Helm chart", "helm template RELEASE {folder} | kube2ecs convert - -o OUT"),
}
# The largest real manifest bundles (an operator with all its CRDs) stay under 5 MB; a bigger file
# is generated data, and parsing it would take minutes and gigabytes before anything is said.
MAX_FILE_BYTES = 16 * 2**20
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # PowerShell's `>` writes UTF-16 with a byte order mark


class InputError(Exception):
    """The input cannot be read at all: a one-line message, exit status 2."""


@record
class Source:
    """One text to translate, with the name findings use for it (relative to the input root).

    An object read from a live cluster has no file: its name is '', and its findings name the object.
    """

    name: str
    text: str
    problem: str = ""  # why the file could not be decoded; it then yields one finding
    code: str = "K2E001"  # the code of that finding
    origins: str = ""  # rendered by kustomize with origin annotations relative to this folder (source/kustomize.py)

def collect(paths: Iterable[str], stdin_text: str | None = None) -> list[Source]:
    sources: list[Source] = []
    for raw in paths:
        if raw == "-":
            sources.append(_stdin(stdin_text or ""))
            continue
        path = Path(raw)
        if path.is_dir():
            found, skipped = _walk(path)
            sources.extend(_read(f, name) for f, name in found)
            sources.extend(_skipped(raw, name, marker) for name, marker in skipped)
        elif path.exists() or path.is_symlink():  # a dangling or looping link: say why it cannot be read
            sources.append(_read(path, path.name if path.is_absolute() else path.as_posix()))
        else:
            raise InputError(f"{raw}: no such file or directory")
    return sources


def _stdin(text: str) -> Source:
    if len(text) > MAX_FILE_BYTES:
        return Source("<stdin>", "", problem=_too_large(len(text.encode())), code="K2E007")
    return Source("<stdin>", text)


def _skipped(root: str, relative: str, marker: str) -> Source:
    """A folder whose files are not manifests (kube2ecs' own output, a kustomization, a Helm chart):
    said once, with what to run instead, and not read."""
    folder = os.path.join(root, relative.rstrip("/")) if relative else root
    if marker not in RENDERED_BY:
        name = relative.rstrip("/") or root
        return Source(name, "", problem=f"{name} is a kube2ecs output folder; its files were not read as input",
                      code="K2E020")
    code, what, command = RENDERED_BY[marker]
    return Source(f"{relative}{marker}", "", code=code, problem=(
        f"{folder} is {what}: its files are templates to render, not objects, and were not read; "
        f"convert what it renders: {command.format(folder=folder)}"))


def _walk(root: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Manifest files below `root` with their names relative to it, sorted by name, and the
    folders skipped on the way (relative name, and the file that marks it: kube2ecs' manifest, a
    kustomization or a Helm chart), whose files would be read as broken objects otherwise.

    Symlinked folders are followed, each real folder once, so a link back up the tree (a loop)
    ends instead of recursing forever. A folder's real path is its parent's plus its own name
    unless it is a link, so only links are resolved: resolving every folder from the root took
    longer than reading the files.
    """
    from translator.cli.outguard import MANIFEST, is_output_folder

    found: list[tuple[str, str]] = []  # paths as text: a Path per file cost a third of finding and reading them
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    real = {os.fspath(root): os.path.realpath(root)}  # folder as os.walk names it -> its real path
    relative = {os.fspath(root): ""}  # folder -> its name relative to root, with a trailing /
    for folder, dirs, files in os.walk(root, followlinks=True):
        seen.add(real[folder])
        if (MANIFEST in files or "findings.json" in files) and is_output_folder(Path(folder)):
            skipped.append((relative[folder], MANIFEST))
            dirs[:] = []
            continue
        marker = next((name for name in RENDERED_BY if name in files), None)
        if marker is not None:
            skipped.append((relative[folder], marker))
            dirs[:] = []
            continue
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            path = os.path.join(folder, name)
            real[path] = os.path.realpath(path) if os.path.islink(path) else os.path.join(real[folder], name)
            relative[path] = f"{relative[folder]}{name}/"
            if real[path] not in seen:
                kept.append(name)
        dirs[:] = kept
        found.extend((os.path.join(folder, f), relative[folder] + f) for f in files
                     if f.lower().endswith(SUFFIXES) and not f.startswith("."))
    return sorted(found, key=lambda pair: pair[1]), skipped


def _too_large(size: int) -> str:
    return (f"{size / 1e6:.1f} MB is more than the {MAX_FILE_BYTES // 2**20} MiB kube2ecs reads from one input; "
            "split it into smaller files")


def _read(path: str | Path, name: str) -> Source:
    """The text of a regular file. Anything else (a FIFO, a device, a socket) would block or never
    end, so it is refused before it is opened."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: cannot read (not a regular file)")
        if info.st_size > MAX_FILE_BYTES:
            return Source(name, "", problem=_too_large(info.st_size), code="K2E007")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or err})") from err
    return _decode(name, data)


def _decode(name: str, data: bytes) -> Source:
    try:
        if data[:2] in _UTF16_BOMS:
            return Source(name, data.decode("utf-16"))
        if b"\0" in data:
            return Source(name, "", problem="the file is binary, not YAML or JSON")
        return Source(name, data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        return Source(name, "", problem=f"the file is not UTF-8 text (invalid byte at offset {err.start})")


def load(sources: Iterable[Source], sink: FindingSink) -> list[Document]:
    return list(stream(sources, sink))


def stream(sources: Iterable[Source], sink: FindingSink) -> Iterator[Document]:
    """The documents of `sources` one at a time, in order.

    A document with its position index takes several times the memory of its text, so a
    caller that handles each document and lets it go keeps peak memory flat as input grows.
    """
    for source in sources:
        if source.origins:
            from translator.source.kustomize import traced

            yield from traced(_documents(source, sink), source.origins)
        else:
            yield from _documents(source, sink)


def _documents(source: Source, sink: FindingSink) -> Iterator[Document]:
    if source.problem:
        _problem(sink, source.name, 1, 1, source.problem, source.code)
        return
    if "\0" in source.text:
        _problem(sink, source.name, 1, 1, "the file is binary, not YAML or JSON")
        return
    index = 0
    for parsed in parse_documents(source.text):
        if isinstance(parsed, YamlProblem):
            _problem(sink, source.name, parsed.line, parsed.column, str(parsed), parsed.code, parsed.resource)
            continue
        if parsed.data is None:
            continue
        positions = parsed.positions if source.name else {}  # no file, so no line to point at
        yield from _unwrap(Document(parsed.data, source.name, index, positions, texts=parsed.texts,
                                  may_hold_placeholder=parsed.may_hold_placeholder), sink)
        index += 1


def _unwrap(doc: Document, sink: FindingSink) -> Iterator[Document]:
    """`kind: List` (and `*List` from kubectl get) holds objects in `items`."""
    data = doc.data
    if not isinstance(data, dict):
        sink.add(make_finding("K2E002", doc.location(), "", detail="expected a mapping"))
        return
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list):
        for i, item in enumerate(data["items"]):
            if isinstance(item, dict):
                yield Document(item, doc.file, doc.index, doc.positions, base=join("/items", i), texts=doc.texts,
                               may_hold_placeholder=doc.may_hold_placeholder)
            else:
                sink.add(make_finding("K2E002", doc.location(join("/items", i)), "", detail="expected a mapping"))
        return
    yield doc


def _problem(sink: FindingSink, file: str, line: int, column: int, detail: str, code: str = "K2E001",
             resource: str = "") -> None:
    sink.add(make_finding(code, Location(file, line, column, "", 0), resource, detail=detail))
