"""YAML text to plain data with positions, safely.

We compose nodes with ruamel.yaml's safe (libyaml-backed when available) parser and build the
Python values ourselves. That gives every key and item its line and column at C parsing speed,
and lets us bound alias expansion and nesting depth, so a billion-laughs document or a deeply
nested one becomes a finding instead of a hang or a crash.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from translator.source.document import join

MAX_NODES = 400_000  # values built per document, aliases expanded; real manifests stay far below
MAX_DEPTH = 200

_DOC_START = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"


class YamlProblem(Exception):
    """A document that cannot be loaded; carries a 1-based position for the finding."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class ParsedDocument:
    data: Any
    positions: dict[str, tuple[int, int]]


def _yaml() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe")


def split_documents(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line offset, chunk) per `---` separated document.

    Parsing each chunk on its own means a syntax error loses one document, not the rest of the file.
    """
    starts = [m.start() for m in _DOC_START.finditer(text)]
    bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
    for begin, end in itertools.pairwise(bounds):
        chunk = text[begin:end]
        yield text.count("\n", 0, begin), chunk


def parse_documents(text: str) -> Iterator[ParsedDocument | YamlProblem]:
    """Parse every document of a YAML stream; a problem is yielded in place of a document."""
    for offset, chunk in split_documents(text):
        yield from _parse_chunk(chunk, offset)


def _parse_chunk(chunk: str, offset: int) -> Iterator[ParsedDocument | YamlProblem]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _yaml()  # one per chunk: nothing shared between threads, nothing kept between calls
    try:
        nodes = list(yaml.compose_all(chunk))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        col = (mark.column + 1) if mark else 1
        yield YamlProblem(_one_line(err.problem or err.context or "invalid YAML"), line, col)
        return
    except (YAMLError, RecursionError, ValueError) as err:
        yield YamlProblem(_one_line(str(err) or type(err).__name__), offset + 1, 1)
        return
    for node in nodes:
        if node is None:
            continue
        builder = _Builder(offset, yaml.constructor)
        try:
            data = builder.build(node, "", 0)
        except YamlProblem as problem:
            yield problem
            continue
        yield ParsedDocument(data, builder.positions)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


class _Builder:
    def __init__(self, offset: int, constructor: Any) -> None:
        self.offset = offset
        self.constructor = constructor
        self.positions: dict[str, tuple[int, int]] = {}
        self.count = 0

    def _mark(self, pointer: str, node: Any) -> None:
        if pointer not in self.positions:
            mark = node.start_mark
            self.positions[pointer] = (mark.line + 1 + self.offset, mark.column + 1)

    def build(self, node: Any, pointer: str, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._problem(node, f"more than {MAX_NODES:,} values after alias expansion (alias bomb?)")
        if depth > MAX_DEPTH:
            raise self._problem(node, f"nesting deeper than {MAX_DEPTH} levels")
        self._mark(pointer, node)
        kind = node.id
        if kind == "mapping":
            return self._mapping(node, pointer, depth)
        if kind == "sequence":
            return [self.build(item, join(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self._merge_source(value_node, pointer, depth))
                continue
            key = self._scalar(key_node) if key_node.id == "scalar" else None
            if key is None or isinstance(key, bool | float) or not isinstance(key, str | int):
                raise self._problem(key_node, "mapping keys must be strings")
            key = str(key)
            child = join(pointer, key)
            self._mark(child, key_node)
            result[key] = self.build(value_node, child, depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge_source(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        sources = node.value if node.id == "sequence" else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            value = self.build(source, pointer, depth + 1)
            if not isinstance(value, dict):
                raise self._problem(source, "a merge key (<<) needs a mapping")
            merged.update(value)
        return merged

    def _scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag in (_INT, _FLOAT, _BOOL, _NULL):
            try:
                return self.constructor.construct_object(node, deep=True)
            except Exception:
                return node.value
        return node.value  # strings, timestamps and binaries stay text, as the API server sees them

    def _problem(self, node: Any, message: str) -> YamlProblem:
        mark = node.start_mark
        return YamlProblem(message, mark.line + 1 + self.offset, mark.column + 1)
