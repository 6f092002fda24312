"""The recording reader: mapping code reads the input only through it, so nothing is dropped silently.

Every read marks a JSON pointer. After a document is mapped, the sweep (`coverage/sweep.py`) walks
the document and reports each present field nobody read, using the equivalence table for the
verdict and the remediation. A Kubernetes field added next year shows up as a gap on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import (
    Any,
    TypeAlias,
)

from translator.findings.catalogue import CATALOGUE
from translator.findings.model import Finding, FindingSink, Location
from translator.options import MANAGED_INSTANCES
from translator.source.document import Document, join

# Annotation aliases: Reader has methods named str/int/bool that shadow the builtins in its body.
Str: TypeAlias = str
Int: TypeAlias = int
Bool: TypeAlias = bool

_TYPE_NAMES = {str: "a string", int: "an integer", bool: "a boolean", dict: "a mapping", list: "a list"}


class ReadLog:
    """What was read in one document: whole subtrees (`consumed`) and every ancestor of a read (`touched`).

    Every read counts for the sweep, whatever its purpose. `reported` keeps apart the pointers read only
    to report them (`Reader.for_report`): a specific finding says what is lost instead of the sweep's
    generic one, and nothing of the value reaches the output. Every other read is read to translate. An
    object one finding accounts for as a whole (`Reader.report_all`: a kind kube2ecs does not translate)
    is in `reported_whole` (`""` for the document), its fields marked read but not listed one by one.
    """

    def __init__(self) -> None:
        self.consumed: set[str] = set()
        self.touched: set[str] = {""}
        self.reported: set[str] = set()
        self.reported_whole: set[str] = set()

    def mark(self, pointer: str, whole: bool, reported: bool = False) -> None:
        if reported:
            self.reported.add(pointer)
        if whole:
            self.consumed.add(pointer)
        touched = self.touched
        while pointer and pointer not in touched:
            touched.add(pointer)
            pointer = pointer.rsplit("/", 1)[0]


class Context:
    """Per-document state shared by the readers of one document: sink, log, resource label.

    `launch_type` (the option; empty for the default, Fargate) picks the equivalence-table note that is true
    where the tasks run; `instances` (MANAGED_INSTANCES) reads the few fields only instances can carry
    (extended resources, hostPID, hostIPC), which are otherwise left to the sweep, which reports them as
    Fargate cannot carry them."""

    def __init__(self, doc: Document, sink: FindingSink, launch_type: str = "") -> None:
        self.doc = doc
        self.sink = sink
        self.launch_type = launch_type
        self.instances = launch_type == MANAGED_INSTANCES
        self.log = ReadLog()
        self.resource = f"{doc.kind}/{doc.namespace or 'default'}/{doc.name}" if doc.name else doc.kind

    def location(self, pointer: str) -> Location:
        return self.doc.location(pointer)

    def report(self, code: str, pointer: str, **params: Any) -> None:
        self.sink.add(make_finding(code, self.location(pointer), self.resource, **params))


def make_finding(code: str, location: Location, resource: str, **params: Any) -> Finding:
    entry = CATALOGUE[code]
    return Finding(
        code=code,
        severity=params.pop("severity", entry.severity),
        message=entry.message.format(**params),
        remediation=entry.remediation.format(**params),
        resource=resource,
        location=location,
    )


class Reader:
    """A view on one mapping of a document at `pointer`.

    A read is a read to translate: the value shapes the output. `for_report` gives the same view for
    reads whose only purpose is a finding (a specific one, made here or by the mapping from the model);
    they are recorded apart (`ReadLog.reported`), so a test can hold each kind of read to its rule.
    """

    def __init__(self, ctx: Context, data: dict[str, Any], pointer: Str = "", reporting: Bool = False) -> None:
        self.ctx = ctx
        self.data = data
        self.pointer = pointer
        self.reporting = reporting

    @property
    def for_report(self) -> Reader:
        """This view, reading to report: what is read through it, or through its children, only feeds a
        finding about what ECS does not carry, never the output."""
        return self if self.reporting else Reader(self.ctx, self.data, self.pointer, reporting=True)

    def _mark(self, pointer: Str, whole: Bool) -> None:
        self.ctx.log.mark(pointer, whole, self.reporting)

    def report_all(self, code: Str, **params: Any) -> None:
        """One finding that accounts for this whole object (a kind kube2ecs does not translate): every
        field is marked read, and no row of the equivalence table applies field by field."""
        self.ctx.log.reported_whole.add(self.pointer)
        for key in self.data:
            self.ctx.log.mark(self.at(key), whole=True)
        self.report(code, **params)

    def at(self, key: Str | Int) -> Str:
        return join(self.pointer, key)

    def has(self, key: Str) -> Bool:
        return self.data.get(key) is not None

    def fields(self) -> list[str]:
        return list(self.data)

    def report(self, code: Str, key: Str | Int | None = None, **params: Any) -> None:
        self.ctx.report(code, self.pointer if key is None else self.at(key), **params)

    def ignore(self, *keys: Str) -> None:
        """Mark fields as accounted for although they produce nothing (e.g. a selector)."""
        for key in keys:
            if key in self.data:
                self._mark(self.at(key), whole=True)

    def _typed(self, key: Str, expected: type | tuple[type, ...], default: Any) -> Any:
        value = self.data.get(key)
        if value is None:
            if key in self.data:
                self._mark(self.at(key), whole=True)
            return default
        self.ctx.log.mark(join(self.pointer, key), True, self.reporting)  # _mark(at(key)): every read passes here
        if isinstance(value, Bool) and bool not in _as_tuple(expected):
            return self._wrong(key, expected, value, default)
        if not isinstance(value, expected):
            return self._wrong(key, expected, value, default)
        return value

    def _wrong(self, key: Str, expected: type | tuple[type, ...], value: Any, default: Any) -> Any:
        names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in _as_tuple(expected))
        self.report("K2E003", key, field=self.field(key), expected=names, got=_describe(value))
        return default

    def field(self, key: Str | Int | None = None) -> Str:
        pointer = self.pointer if key is None else self.at(key)
        return pointer.lstrip("/").replace("/", ".") or "(document)"

    def str(self, key: Str, default: Str | None = None) -> Str | None:
        return self._typed(key, Str, default)  # type: ignore[no-any-return]

    def int(self, key: Str, default: Int | None = None) -> Int | None:
        return self._typed(key, Int, default)  # type: ignore[no-any-return]

    def int_in(self, key: Str, low: Int, high: Int | None = None, default: Int | None = None) -> Int | None:
        """An integer Kubernetes accepts only in a range (a port 1-65535, a replica count 0 or more): one outside
        it would be carried into the output (a 70000 client alias port fails the deploy), so it is K2E003 and
        the default instead."""
        value = self.int(key)
        if value is None:
            return default
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"of {low} or more"
            self.report("K2E003", key, field=self.field(key), expected=f"an integer {bound}", got=str(value))
            return default
        return value

    def bool(self, key: Str, default: Bool | None = None) -> Bool | None:
        return self._typed(key, Bool, default)  # type: ignore[no-any-return]

    def int_or_str(self, key: Str, default: Int | Str | None = None) -> Int | Str | None:
        return self._typed(key, (int, Str), default)  # type: ignore[no-any-return]

    def scalar(self, key: Str, default: Any = None) -> Any:
        """A quantity-like value that YAML may give as a string, an int or a float."""
        return self._typed(key, (str, Int, float), default)

    def str_list(self, key: Str) -> list[Str]:
        values = self._typed(key, list, [])
        out = []
        for i, item in enumerate(values):
            if isinstance(item, Str):
                out.append(item)
            elif isinstance(item, Int | float) and not isinstance(item, Bool):
                out.append(str(item))  # kubectl rejects these; keep the text rather than lose an arg
            else:
                self.report("K2E003", key, field=f"{self.field(key)}[{i}]",
                            expected="a string", got=_describe(item))
        return out

    def str_map(self, key: Str) -> dict[Str, Str]:
        """A map of strings (labels, annotations, nodeSelector); non-string values are reported."""
        values = self._typed(key, dict, {})
        out: dict[str, Str] = {}
        for k, v in values.items():
            if isinstance(v, Str):
                out[k] = v
            elif isinstance(v, Int | float | Bool) and v is not None:
                out[k] = str(v).lower() if isinstance(v, Bool) else str(v)
        return out

    def child(self, key: Str) -> Reader | None:
        value = self.data.get(key)
        if value is None:
            if key in self.data:
                self._mark(self.at(key), whole=True)
            return None
        if not isinstance(value, dict):
            self._mark(self.at(key), whole=True)
            return self._wrong(key, dict, value, None)  # type: ignore[no-any-return]
        self._mark(self.at(key), whole=False)
        return Reader(self.ctx, value, self.at(key), self.reporting)

    def items(self, key: Str) -> Iterator[Reader]:
        """Readers for a list of mappings; non-mapping items are reported and skipped."""
        values = self.data.get(key)
        if values is None:
            if key in self.data:
                self._mark(self.at(key), whole=True)
            return
        if not isinstance(values, list):
            self._mark(self.at(key), whole=True)
            self._wrong(key, list, values, None)
            return
        self._mark(self.at(key), whole=False)
        base = self.at(key)
        for i, item in enumerate(values):
            pointer = join(base, i)
            if isinstance(item, dict):
                self._mark(pointer, whole=False)
                yield Reader(self.ctx, item, pointer, self.reporting)
            else:
                self._mark(pointer, whole=True)
                self.ctx.report("K2E003", pointer, field=f"{self.field(key)}[{i}]",
                                expected="a mapping", got=_describe(item))


def _as_tuple(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def _describe(value: Any) -> str:
    """Type and a short shape, never the value: a wrong-typed field may hold a secret."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return "a string"
