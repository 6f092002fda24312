"""YAML text to plain data with positions, safely.

We compose nodes with ruamel.yaml's safe (libyaml-backed when available) parser and build the
Python values ourselves. That gives every key and item its line and column at C parsing speed,
and lets us bound alias expansion and nesting depth, so a billion-laughs document or a deeply
nested one becomes a finding instead of a hang or a crash.

Speed: the C parser calls back into Python to resolve the tag of every scalar, and ruamel.yaml's
resolver looks up the YAML version and builds a new Tag object on each call; that cost more than
the parsing itself. `_Loader` resolves with the same YAML 1.2 rules from a table built once and
returns shared Tag objects, and the builder constructs numbers, booleans and nulls once per
distinct text. The result is the same data, positions and problems, several times faster.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from translator.source.document import join

MAX_NODES = 400_000  # values built per document, aliases expanded; real manifests stay far below
MAX_DEPTH = 200
# The C composer recurses once per nesting level and overflows the C stack (a segmentation fault,
# not an exception) somewhere past 30,000 levels. Every level needs one of these characters, so a
# chunk with fewer of them cannot get near; any other chunk has its depth measured first, from
# parser events, which take no recursion.
_NESTING_MARKS = "[{:-?"
_SAFE_MARKS = 2_000
PURE_LIMIT = 1_000_000  # characters of a chunk the pure-Python parser may read (`_compose_any`)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}")
# `gatewayClassName: {GATEWAY_CLASS_NAME}`: a single-brace placeholder after a name key (api.py _name_placeholder).
NAME_PLACEHOLDER_TEXT = re.compile(r"""(?:[nN]ame|namespace)["']?[ \t]*:[ \t]*["']?\{[ \t]*[A-Z]""")

# A `---` document marker; split_documents keeps those at the start of a line. Anchored with `^`,
# the pattern was tried at every character of every file; led by the literal, it is searched for.
# JSON's escape of a character above U+FFFF: two surrogates, `\ud83d\ude80`, not after an escaped backslash.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
_DOC_MARKER = re.compile(r"---(?=[ \t]|$)", re.MULTILINE)
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_CONSTRUCTED = frozenset((_INT, _FLOAT, _BOOL, _NULL))
_OCTAL = re.compile(r"^0[0-7]+$")


class YamlProblem(Exception):
    """A document that cannot be loaded; carries a 1-based position for the finding."""

    def __init__(self, message: str, line: int, column: int, code: str = "K2E001", resource: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.code = code  # K2E007 when the document is too large or too deep to load, not malformed
        self.resource = resource  # `Kind/namespace/name` when the document was read but refused (K2E010)


@dataclass
class ParsedDocument:
    data: Any
    positions: dict[str, tuple[int, int]]
    # The text of every scalar YAML read as something other than a string (`1e3`, `012`, `true`),
    # by pointer: a finding about such a value shows what was written, not what YAML made of it.
    texts: dict[str, str] = field(default_factory=dict)
    # False when no string of `data` can hold `${` or `{{` (an unrendered placeholder): the text has
    # neither and no backslash, the only way (an escape) YAML can make one from other characters.
    may_hold_placeholder: bool = True


@functools.cache
def _loader_class() -> Any:
    """A CParser with a fixed YAML 1.2 resolver: built on first use, so `--help` never imports ruamel."""
    from ruamel.yaml.cyaml import CParser
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import BaseResolver, implicit_resolvers
    from ruamel.yaml.tag import Tag

    by_first: dict[str, list[tuple[Any, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:  # what ruamel's VersionedResolver applies to a stream without %YAML 1.1
            shared = Tag(suffix=tag)
            match = regexp.match  # the compiled pattern's own: ruamel wraps it in a lazy proxy
            for char in first:
                by_first.setdefault(char, []).append((shared, match))
    plain, sequence, mapping = (BaseResolver.DEFAULT_SCALAR_TAG, BaseResolver.DEFAULT_SEQUENCE_TAG,
                                BaseResolver.DEFAULT_MAPPING_TAG)

    class Loader(CParser):  # type: ignore[misc, valid-type]
        PLAIN = plain  # the one Tag object of every string scalar without an explicit tag

        def descend_resolver(self, parent: Any, index: Any) -> None:
            """No path-based resolvers: nothing to track while descending."""

        def ascend_resolver(self) -> None:
            """No path-based resolvers: nothing to track while ascending."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode:
                if implicit[0]:  # a plain scalar: the first character picks the candidate patterns
                    for tag, match in by_first.get(value[:1], ()):
                        if match(value):
                            return tag
                return plain
            return mapping if kind.id == "mapping" else sequence

    return Loader


@functools.cache
def _pure_loader_class() -> Any:
    """ruamel.yaml's pure-Python scanner, parser and composer with `_Loader`'s resolver: the same nodes and tags.

    libyaml refuses a few documents that YAML 1.2 and Kubernetes' own parser accept, notably a colon inside a
    plain scalar in a flow collection (`containers: [{name: web, image: nginx:1.27}]`; go-yaml, which
    Kubernetes decodes manifests with, accepts it since https://github.com/go-yaml/yaml/pull/305); those are
    composed again with this loader, which is slower but only ever runs on a chunk libyaml refused."""
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.parser import Parser
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.scanner import Scanner

    fast = _loader_class()

    class PureLoader(Reader, Scanner, Parser, Composer):  # type: ignore[misc]
        PLAIN = fast.PLAIN
        processing_version = (1, 2)  # what the scanner asks the resolver; `fast` resolves by YAML 1.2 too
        max_depth = MAX_DEPTH + 1  # the composer stops there (the builder reports a deeper document anyway)
        resolve = fast.resolve
        descend_resolver = fast.descend_resolver
        ascend_resolver = fast.ascend_resolver

        def __init__(self, stream: str) -> None:
            self.comment_handling = None
            Reader.__init__(self, stream, loader=self)
            Scanner.__init__(self, loader=self)
            Parser.__init__(self, loader=self)
            Composer.__init__(self, loader=self)
            self._resolver = self

    return PureLoader


def _compose_any(chunk: str) -> list[Any]:
    """Compose with libyaml; a chunk it refuses for a colon in a plain scalar, with the pure-Python parser
    (`_pure_loader_class`). That parser takes seconds a megabyte, so it never reads a chunk over PURE_LIMIT
    nor one libyaml refuses for another reason (no other difference between the two is known). When both
    refuse the chunk, libyaml's error is the one reported, as before the fallback existed."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        return _compose_json_aware(chunk)
    except MarkedYAMLError as err:
        if "unexpected ':'" not in str(err.problem) or len(chunk) > PURE_LIMIT:
            raise
        try:
            return _compose(chunk, _pure_loader_class())
        except Exception:  # refused here too (or too deep for Python's stack): libyaml's word stands
            raise err from None


def _compose_json_aware(chunk: str) -> list[Any]:
    """Compose `chunk`; a JSON document that escapes a character above U+FFFF as a surrogate pair
    (as `json.dumps` does), which libyaml refuses, is read with each pair as the one YAML escape
    `\\UXXXXXXXX`. Only in JSON, where a backslash is always an escape, is that rewrite exact."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        return _compose(chunk)
    except MarkedYAMLError as err:
        body = chunk.lstrip()
        body = body[3:].lstrip() if body.startswith("---") else body
        if "escape" not in str(err.problem) or not body.startswith(("{", "[")):
            raise
        joined = _SURROGATE_PAIR.sub(_astral_escape, chunk)
        if joined == chunk:
            raise
        try:
            return _compose(joined)
        except MarkedYAMLError:
            raise err from None


def _astral_escape(match: re.Match[str]) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def _compose(chunk: str, loader_class: Any = None) -> list[Any]:
    loader = (loader_class or _loader_class())(chunk)  # one per chunk: nothing shared between threads or calls
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


@functools.lru_cache(maxsize=4096)
def _construct(tag: str, value: str) -> Any:
    """int, float, bool or null from its text, by ruamel.yaml's own safe constructor functions."""
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.nodes import ScalarNode

    return SafeConstructor.yaml_constructors[tag](_safe_constructor(), ScalarNode(tag, value, None, None))


@functools.cache
def _safe_constructor() -> Any:
    """Only read by the four scalar constructors (they keep no state), so one instance serves all.

    They ask the resolver for the YAML version; with the C parser ruamel.yaml always answers 1.2.
    """
    import types

    from ruamel.yaml.constructor import SafeConstructor

    class Yaml12(SafeConstructor):  # type: ignore[misc]
        resolver = types.SimpleNamespace(processing_version=(1, 2))

    return Yaml12()


def split_documents(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line offset, chunk) per `---` separated document.

    Parsing each chunk on its own means a syntax error loses one document, not the rest of the file.
    """
    starts = [m.start() for m in _DOC_MARKER.finditer(text) if m.start() == 0 or text[m.start() - 1] == "\n"]
    bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
    line, counted = 0, 0  # lines before `counted`: each chunk counts only its own, not the file's again
    for begin, end in itertools.pairwise(bounds):
        line += text.count("\n", counted, begin)
        counted = begin
        yield line, text[begin:end]


def parse_documents(text: str) -> Iterator[ParsedDocument | YamlProblem]:
    """Parse every document of a YAML stream; a problem is yielded in place of a document."""
    for offset, chunk in split_documents(text):
        yield from _parse_chunk(chunk, offset)


def _parse_chunk(chunk: str, offset: int) -> Iterator[ParsedDocument | YamlProblem]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        deep = _too_deep(chunk) if sum(map(chunk.count, _NESTING_MARKS)) > _SAFE_MARKS else None
        if deep is not None:
            yield YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", deep[0] + offset, deep[1], "K2E007")
            return
        nodes = _compose_any(chunk)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        col = (mark.column + 1) if mark else 1
        yield YamlProblem(_hinted(_one_line(err.problem or err.context or "invalid YAML"), chunk), line, col)
        return
    except (YAMLError, RecursionError, ValueError) as err:
        yield YamlProblem(_one_line(str(err) or type(err).__name__), offset + 1, 1)
        return
    shared = _may_share_nodes(chunk)
    placeholder = "${" in chunk or "{{" in chunk or "\\" in chunk or NAME_PLACEHOLDER_TEXT.search(chunk) is not None
    for node in nodes:
        if node is None:
            continue
        bomb = _exploding(node) if shared else None
        if bomb is not None:
            mark = bomb.start_mark
            yield YamlProblem(f"more than {MAX_NODES:,} values after alias expansion (alias bomb?)",
                              mark.line + offset + 1, mark.column + 1, "K2E007")
            continue
        builder = _Builder(offset)
        try:
            data = builder.build(node, "", 0)
        except YamlProblem as problem:
            if problem.code == "K2E001":
                problem.args = (_hinted(str(problem), chunk),)
            yield problem
            continue
        if builder.duplicates:  # Kubernetes rejects the object (strict decoding): so does kube2ecs
            for duplicate in builder.duplicates:
                duplicate.resource = _label(data)  # the assessment counts a refused workload as not ready
            yield from builder.duplicates
            continue
        yield ParsedDocument(data, builder.positions, builder.texts, placeholder)


def _label(data: Any) -> str:
    """`Kind/namespace/name` of a document, as findings name objects (source/reader.py), or '' without a kind."""
    meta = data.get("metadata") if isinstance(data, dict) else None
    kind = data.get("kind") if isinstance(data, dict) else None
    name = meta.get("name") if isinstance(meta, dict) else None
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    if not isinstance(kind, str) or not kind:
        return ""
    if not isinstance(name, str) or not name:
        return kind
    return f"{kind}/{namespace if isinstance(namespace, str) and namespace else 'default'}/{name}"


def _may_share_nodes(chunk: str) -> bool:
    """Whether the composed nodes of `chunk` may need `_exploding` (whose walk costs as much as composing).

    Only an alias makes a node appear twice, and an alias needs an anchor (`&`). Without one the
    nodes form a tree, in which every node but the root takes at least one character of the text
    (a scalar its own, an empty value the `-`, `:`, `?` or `,` beside it): a chunk of fewer than
    MAX_NODES / 2 characters, with room to spare, cannot hold a tree that large.
    """
    return "&" in chunk or len(chunk) * 2 > MAX_NODES


def _children(node: Any) -> list[Any]:
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    return list(node.value) if node.id == "sequence" else []


def _exploding(root: Any) -> Any:
    """The first node whose value expands to more than MAX_NODES values once aliases are followed,
    or None. Aliases share their node, so sizes are counted once per distinct node: a billion laughs
    is measured in microseconds instead of being built. A node that contains itself is endless."""
    size: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            active.discard(key)
            size[key] = min(1 + sum(size[id(child)] for child in _children(node)), MAX_NODES + 1)
            if size[key] > MAX_NODES:
                return node
            continue
        if key in size:
            continue
        if key in active:
            return node  # an alias to an enclosing node: infinite
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)) if id(child) not in size)
    return None


def _too_deep(chunk: str) -> tuple[int, int] | None:
    """(line, column) where nesting passes MAX_DEPTH, from the parser's events; None if it does not
    (or if the chunk does not parse: composing it then reports the syntax error)."""
    from ruamel.yaml.error import YAMLError

    loader = _loader_class()(chunk)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _hinted(message: str, chunk: str) -> str:
    """A syntax error in a document with template placeholders is almost always the placeholder."""
    match = _PLACEHOLDER.search(chunk)
    if match is None:
        return message
    return (f"{message}; the document holds the unrendered template placeholder {match.group(0)[:60]!r}: "
            "render it first (helm template, envsubst, kustomize build)")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


class _Builder:
    def __init__(self, offset: int) -> None:
        self.line = offset + 1  # marks are 0-based and relative to the chunk
        self.positions: dict[str, tuple[int, int]] = {}
        self.texts: dict[str, str] = {}
        self.duplicates: list[YamlProblem] = []
        self.count = 0
        self.plain = _loader_class().PLAIN

    def build(self, node: Any, pointer: str, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._problem(node, f"more than {MAX_NODES:,} values after alias expansion (alias bomb?)", "K2E007")
        if depth > MAX_DEPTH:
            raise self._problem(node, f"nesting deeper than {MAX_DEPTH} levels", "K2E007")
        if pointer not in self.positions:
            mark = node.start_mark
            self.positions[pointer] = (mark.line + self.line, mark.column + 1)
        kind = node.id
        if kind == "mapping":
            return self._mapping(node, pointer, depth)
        if kind == "sequence":
            return [self.build(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)]
        if node.ctag is not self.plain:
            self.texts[pointer] = node.value
        return self._scalar(node)

    def _mapping(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        positions = self.positions
        for key_node, value_node in node.value:
            if key_node.ctag is not self.plain and key_node.tag == _MERGE:
                merged.update(self._merge_source(value_node, pointer, depth))
                continue
            key = self._scalar(key_node) if key_node.id == "scalar" else None
            if key.__class__ is not str:
                if key is None or isinstance(key, bool | float) or not isinstance(key, str | int):
                    raise self._problem(key_node, "mapping keys must be strings")
                key = str(key)
            child = join(pointer, key) if "~" in key or "/" in key else f"{pointer}/{key}"
            if key in result:
                self._duplicate(key_node, key, positions.get(child, (0, 0))[0])
            elif child not in positions:
                mark = key_node.start_mark
                positions[child] = (mark.line + self.line, mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _duplicate(self, key_node: Any, key: str, first: int) -> None:
        """A key given twice in one mapping: YAML loaders keep the later value without a word, the API
        server refuses the object. The key is a name, never a value, so it may be shown."""
        shown = key if len(key) <= 60 else key[:57] + "..."
        self.duplicates.append(self._problem(
            key_node, f"mapping key {shown!r} is given twice in one mapping (first at line {first}); "
            "Kubernetes rejects the object, so the document was not translated", "K2E010"))

    def _merge_source(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        sources = node.value if node.id == "sequence" else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            value = self.build(source, pointer, depth + 1)
            if not isinstance(value, dict):
                raise self._problem(source, "a merge key (<<) needs a mapping")
            merged.update(value)
        return merged

    def _problem(self, node: Any, message: str, code: str = "K2E001") -> YamlProblem:
        mark = node.start_mark
        return YamlProblem(message, mark.line + self.line, mark.column + 1, code)

    def _scalar(self, node: Any) -> Any:
        if node.ctag is self.plain:  # most scalars: strings, checked without building the tag text
            return node.value
        tag = node.tag
        if tag == _INT and _OCTAL.match(node.value):
            return int(node.value, 8)  # YAML 1.1, as the API server reads it: `defaultMode: 0644` is 420
        if tag in _CONSTRUCTED:
            try:
                return _construct(tag, node.value)
            except Exception:
                return node.value
        return node.value  # strings, timestamps and binaries stay text, as the API server sees them
