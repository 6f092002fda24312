"""The sweep: every field present in a document and read by nobody becomes a finding.

A field covered by an equivalence-table row is reported with that row's verdict, note and
remediation; a field the table does not know is reported as unknown. The report is made once,
at the highest unread node, so an unread `lifecycle` block is one finding, not one per leaf. A
field holding the Kubernetes default its row lists (`hostNetwork: false`) is not reported: it asks
for nothing Kubernetes would not do unasked, and generated manifests spell defaults out.
"""

from __future__ import annotations

import functools
from typing import Any

from translator.coverage.equivalence import SCOPE_ALIASES, Row, prefixes, scope_kind, table
from translator.findings.catalogue import NO_EQUIVALENT
from translator.k8s.registry import EMBEDDED, POD_SPECS
from translator.source.document import join
from translator.source.reader import Context

_CONTAINER_LISTS = ("containers", "initContainers")


def sweep(ctx: Context) -> list[Row]:
    """Report every unread field; return the table rows of the fields reported (for the usage view)."""
    reported: list[Row] = []
    if isinstance(ctx.doc.data, dict):
        _Sweep(ctx, reported).visit(ctx.doc.data, "", None)
    return reported


@functools.lru_cache(maxsize=8192)  # the same few thousand pointers recur in every document of a kind
def pattern_of(kind: str, pointer: str) -> str:
    """`/spec/template/spec/containers/0/lifecycle` -> `container:lifecycle` (scope:path)."""
    inner = EMBEDDED.get(kind)
    if inner and pointer.startswith(inner[0] + "/"):  # read as the embedded kind's field at its own place
        return pattern_of(inner[1], inner[2] + pointer[len(inner[0]):])
    pod = POD_SPECS.get(kind)
    if pod and (pointer == pod or pointer.startswith(pod + "/")):
        tokens = pointer[len(pod):].split("/")[1:]
        if len(tokens) >= 2 and tokens[0] in _CONTAINER_LISTS and tokens[1].isdigit():
            return "container:" + _dotted(tokens[2:])
        return "pod:" + _dotted(tokens)
    tokens = pointer.split("/")[1:]
    if tokens and tokens[0] == "metadata":
        return "object:" + _dotted(tokens)
    if tokens and tokens[0] == "status":
        return "object:status"
    return f"{SCOPE_ALIASES.get(kind, kind)}:" + _dotted(tokens)


def _dotted(tokens: list[str]) -> str:
    out: list[str] = []
    for token in tokens:
        if token.isdigit() and out:
            out[-1] += "[]"
        else:
            out.append(token.replace("~1", "/").replace("~0", "~"))
    return ".".join(out)


class _Sweep:
    """One document's walk; what every node consults (its kind, what the readers read) looked up once."""

    def __init__(self, ctx: Context, reported: list[Row]) -> None:
        self.ctx, self.reported = ctx, reported
        self.kind = scope_kind(ctx.doc)  # an Istio Gateway has rows of its own scope
        self.consumed, self.touched = ctx.log.consumed, ctx.log.touched

    def visit(self, node: Any, pointer: str, inherited: Row | None) -> None:
        if pointer in self.consumed:
            return
        pattern = pattern_of(self.kind, pointer) if pointer else ""
        exact = row_of(self.kind, pattern)
        row = exact or inherited
        container = isinstance(node, dict | list) and bool(node)
        if pointer and pointer not in self.touched:
            if exact is not None and holds_default(exact, node, self.ctx.doc.data, pointer):
                return
            stop_here = exact is not None and exact.verdict == "none"
            if stop_here or not container or pattern not in prefixes():
                known = _report(self.ctx, pointer, pattern, row)
                if known is not None:
                    self.reported.append(known)
                return
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, value in children:
            self.visit(value, join(pointer, key), row)


@functools.lru_cache(maxsize=8192)  # as pattern_of: few distinct fields, looked up for every node of every document
def row_of(kind: str, pattern: str) -> Row | None:
    """A kind's own row (`Secret:metadata.labels`) wins over the row every kind shares (`object:`)."""
    rows = table()
    if pattern.startswith("object:"):
        own = f"{SCOPE_ALIASES.get(kind, kind)}:{pattern.removeprefix('object:')}"
        if own in rows:
            return rows[own]
    return rows.get(pattern) or rows.get(pattern.removesuffix("[]"))


def row_covering(kind: str, pattern: str) -> Row | None:
    """The row that speaks for a field: its own, else its nearest ancestor's (`container:livenessProbe`
    for `container:livenessProbe.httpGet.path`). A row describes how its field is translated, children
    included, unless a deeper row says otherwise."""
    scope, _, path = pattern.partition(":")
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        row = row_of(kind, f"{scope}:{'.'.join(parts[:end])}")
        if row is not None:
            return row
    return None


def holds_default(row: Row, value: Any, data: Any, pointer: str) -> bool:
    """Whether `value` is Kubernetes' default for the row's field. Types must match too: `1` is not `true`."""
    default = row.default
    if isinstance(default, dict):
        parent = value_at(data, pointer.rsplit("/", 1)[0])
        rule = _RULES[default["by"]]
        default = default[rule(parent if isinstance(parent, dict) else {})]
    return default is not None and type(value) is type(default) and value == default


def image_tag(container: dict[str, Any]) -> str:
    """`latest` or `other`: Kubernetes reads an image without tag or digest as `:latest`
    (pkg/apis/core/v1/defaults.go SetDefaults_Container, via parsers.ParseImageName)."""
    image = container.get("image")
    if not isinstance(image, str):
        return "other"
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ("" if digest else "latest")
    return "latest" if tag == "latest" else "other"


_RULES = {"image-tag": image_tag}


def value_at(data: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict):
            data = data.get(token)
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return None
    return data


def _report(ctx: Context, pointer: str, pattern: str, row: Row | None) -> Row | None:
    field = pattern.split(":", 1)[-1]
    if row is None or (row.verdict != "none" and row.field != pattern):
        ctx.report("K2E202", pointer, field=field)
        return None
    what = (NO_EQUIVALENT if row.verdict == "none"
            else f"was not translated for this object ({row.verdict} in its other uses)")
    ctx.report("K2E200", pointer, field=field, what=what, note=row.note_for(ctx.launch_type),
               remediation=row.remediation_for(ctx.launch_type), severity=row.severity)
    return row
