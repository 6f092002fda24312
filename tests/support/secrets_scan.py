"""Collect every Secret value of a set of manifests (raw and base64-decoded) to scan outputs for leaks."""

from __future__ import annotations

import base64
import binascii
import contextlib
from pathlib import Path
from typing import Any

import yaml

from translator.source.credentials import is_credential

MIN_LENGTH = 4  # shorter values ("a", "yes") match by accident and prove nothing
# A password/token-like literal in plain env is what the translator's credential rule says it is: the
# rule is measured on its own labelled set (tests/unit/source/test_credentials.py), this proof checks that
# every literal it names stays out of every output.


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


def plain_env_secrets(paths: list[Path]) -> set[str]:
    """Password/token-like literal env values of every object, minus those that also appear
    anywhere else in the input (then they are public and would match by accident)."""
    values: set[str] = set()
    public: set[str] = set()
    for doc in _documents(paths):
        for item in _objects(doc):
            if item.get("kind") != "Secret":
                public |= set(_strings(_without_env_secrets(item, values)))
    text = "\n".join(public)
    return {v for v in values - public if len(v) >= MIN_LENGTH and v not in text}


def _documents(paths: list[Path]) -> list[Any]:
    out: list[Any] = []
    for path in paths:
        with contextlib.suppress(yaml.YAMLError, UnicodeDecodeError):
            out.extend(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    return out


def _without_env_secrets(node: Any, found: set[str], in_env: bool = False) -> Any:
    """A copy of `node` whose credential-like env values are blanked; the values go into `found`.
    Only items of `env` lists count: a probe header is named in a finding but copied (ECS has no other way)."""
    if isinstance(node, list):
        return [_without_env_secrets(v, found, in_env) for v in node]
    if not isinstance(node, dict):
        return node
    name, value = node.get("name"), node.get("value")
    if in_env and isinstance(name, str) and isinstance(value, str) and is_credential(name, value):
        found.add(value.strip())
        return {**node, "value": ""}
    return {k: _without_env_secrets(v, found, k == "env") for k, v in node.items()}


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
        out.add(base64.b64encode(str(value).encode()).decode())  # encoded on the way out would leak too
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
