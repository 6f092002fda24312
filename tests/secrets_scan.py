"""Collect every Secret value of a set of manifests (raw and base64-decoded) to scan outputs for leaks."""

from __future__ import annotations

import base64
import binascii
import contextlib
from pathlib import Path

import yaml

MIN_LENGTH = 4  # shorter values ("a", "yes") match by accident and prove nothing


def secret_values(paths: list[Path]) -> set[str]:
    """Values only Secrets hold: a string that also appears elsewhere in the input (a user name that
    is also a Service name, say, or part of a literal env value) is public and would match by accident."""
    values: set[str] = set()
    public: set[str] = set()
    for path in paths:
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        for doc in documents:
            for item in _objects(doc):
                if item.get("kind") == "Secret":
                    values |= _values(item)
                else:
                    public |= set(_strings(item))
    text = "\n".join(public)  # also inside a longer public string: `password` in an env value `yourpassword`
    return {v for v in values - public if len(v) >= MIN_LENGTH and v not in text}


def _strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [str(k), *_strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [str(node)]


def _objects(doc: object) -> list[dict]:
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("items"), list):
        return [i for i in doc["items"] if isinstance(i, dict)]
    return [doc]


def _values(secret: dict) -> set[str]:
    out: set[str] = set()
    for value in (secret.get("stringData") or {}).values():
        out.add(str(value))
    for value in (secret.get("data") or {}).values():
        text = str(value)
        out.add(text)
        with contextlib.suppress(binascii.Error, UnicodeDecodeError, ValueError):
            out.add(base64.b64decode(text, validate=True).decode("utf-8"))
    return {v.strip() for v in out if v.strip()}


def manifest_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
