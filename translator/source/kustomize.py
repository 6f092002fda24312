"""`--kustomize DIR`: what `kubectl kustomize` renders, each object traced back to the file it came from.

A finding at `kustomize:overlays/prod:90` points at a line of a stream nobody can open. kustomize
can say where each object came from (`buildMetadata: [originAnnotations]` writes the source file into
a `config.kubernetes.io/origin` annotation), but only when the kustomization asks for it, and
kube2ecs never edits the user's files. So DIR is rendered through a kustomization of our own in a
temporary folder that names DIR as its one resource and asks for the annotations. Each object then
takes the file of its origin and the positions of its document there; a field a patch added, which
that file does not hold, points at its nearest parent that the file does hold. The annotation itself
is removed: it is kustomize's bookkeeping, not the user's. When the wrapped render fails (a remote
base the wrapper cannot reach, say), DIR is rendered as it is and findings name the stream.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from translator.source.document import Document
from translator.source.yamlparse import ParsedDocument, parse_documents

ORIGIN = "config.kubernetes.io/origin"
TIMEOUT = 300  # seconds: a large remote base can be slow, a hung kubectl must not hang the run


class KustomizeError(Exception):
    """kubectl is missing or kustomize failed: one line, exit status 2."""


def render(directory: str) -> tuple[str, str]:
    """(the rendered stream, the folder origin paths are relative to, or '' when there are none)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise KustomizeError(f"--kustomize {directory}: kubectl is not on PATH; install kubectl, "
                             f"or run `kustomize build {directory} | kube2ecs convert - ...`")
    with tempfile.TemporaryDirectory(prefix="kube2ecs-kustomize-") as wrap:
        target = os.path.relpath(os.path.abspath(directory), wrap)  # kustomize refuses absolute resources
        Path(wrap, "kustomization.yaml").write_text(
            f"resources: [{json.dumps(target)}]\nbuildMetadata: [originAnnotations]\n", encoding="utf-8")
        done = _kustomize(kubectl, wrap, directory)
        if done.returncode == 0:
            return done.stdout, wrap
    done = _kustomize(kubectl, directory, directory)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise KustomizeError(f"--kustomize {directory}: {lines[-1] if lines else 'kubectl kustomize failed'}")
    return done.stdout, ""


def _kustomize(kubectl: str, folder: str, directory: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([kubectl, "kustomize", folder], capture_output=True, text=True, check=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as err:
        raise KustomizeError(f"--kustomize {directory}: kubectl kustomize did not finish in {TIMEOUT} s") from err


def traced(documents: Iterable[Document], origins: str) -> Iterator[Document]:
    """Each rendered document, placed at its origin file and positions where kustomize named one."""
    files: dict[str, list[ParsedDocument]] = {}
    for doc in documents:
        source = _take_origin(doc)
        if source is None:
            yield doc
            continue
        path = os.path.normpath(os.path.join(origins, source))
        if path not in files:
            files[path] = _parsed(path)
        found = _match(files[path], doc)
        yield doc if found is None else Document(doc.data, _shown(path), found[0], found[1], texts=doc.texts)


def _take_origin(doc: Document) -> str | None:
    """Remove the origin annotation and return the path it names (relative to the wrapper)."""
    meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if not isinstance(meta, dict) or not isinstance(annotations, dict) or ORIGIN not in annotations:
        return None
    origin = annotations.pop(ORIGIN)
    if not annotations:
        del meta["annotations"]
    fields = dict(line.split(": ", 1) for line in str(origin).splitlines() if ": " in line)
    # a generated object (configMapGenerator) names the kustomization that configured it
    return fields.get("path") or fields.get("configuredIn") or None


def _parsed(path: str) -> list[ParsedDocument]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [d for d in parse_documents(text) if isinstance(d, ParsedDocument)]


def _match(candidates: list[ParsedDocument], doc: Document) -> tuple[int, dict[str, tuple[int, int]]] | None:
    """The document of the origin file that is this object: same kind, and a name that the rendered
    one holds (namePrefix and nameSuffix only add to it); its index and positions. None when no
    document matches: the object keeps its place in the rendered stream rather than a wrong line."""
    for index, parsed in enumerate(candidates):
        data = parsed.data if isinstance(parsed.data, dict) else {}
        meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        name = meta.get("name") if isinstance(meta, dict) else None
        if data.get("kind") == doc.kind and isinstance(name, str) and name and name in doc.name:
            return index, parsed.positions
    return None


def _shown(path: str) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
