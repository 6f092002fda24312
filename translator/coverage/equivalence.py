"""Load the equivalence table (equivalence.yaml) once; look rows up by field pattern."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from translator.findings.model import Severity
from translator.model.record import record
from translator.source.document import Document

VERDICTS = ("full", "partial", "none")
# Kinds whose rows are shared: a ReplicaSet is read exactly like a Deployment.
SCOPE_ALIASES = {"ReplicaSet": "Deployment"}
# Kinds another API names alike: (API group, kind) -> the scope of its rows (Istio's Gateway is not the Gateway API's).
GROUP_SCOPES = {("networking.istio.io", "Gateway"): "IstioGateway"}


def scope_kind(doc: Document) -> str:
    """The kind a document's rows are scoped by: its kind, unless another API's kind of that name owns it."""
    kind = doc.kind
    if kind not in _SHARED:
        return kind
    api_version = doc.api_version
    return GROUP_SCOPES.get((api_version.rsplit("/", 1)[0] if "/" in api_version else "", kind), kind)


_SHARED = frozenset(k for _, k in GROUP_SCOPES)


@record
class Row:
    id: str
    field: str
    verdict: str
    target: str = ""
    note: str = ""
    remediation: str = ""
    severity: Severity = Severity.WARNING
    # Kubernetes' own default for the field (None: none listed). A field that holds it asks for nothing
    # Kubernetes would not do unasked, so it is no gap. A mapping chooses the default by a rule on the
    # field's siblings: {by: image-tag, latest: Always, other: IfNotPresent} (see gaps.holds_default).
    default: Any = None
    # The note and remediation where the tasks do not run on Fargate, by launch_type (EC2, MANAGED_INSTANCES):
    # a row's note names Fargate, and under another launch type it must say what is true there.
    launch_notes: Any = None
    launch_remediations: Any = None

    def note_for(self, launch_type: str) -> str:
        return str((self.launch_notes or {}).get(launch_type) or self.note or self.target)

    def remediation_for(self, launch_type: str) -> str:
        return str((self.launch_remediations or {}).get(launch_type) or self.remediation
                   or "Rebuild the behaviour by hand on ECS if it matters.")

    @property
    def scope(self) -> str:
        return self.field.split(":", 1)[0]

    @property
    def path(self) -> str:
        return self.field.split(":", 1)[1]


@functools.cache
def table() -> Mapping[str, Row]:
    """Every row by its field. Every convert needs the table, but a run meets only the rows of the
    fields its manifests hold, and parsing all 600 took 3% of a corpus convert. So each row is
    parsed when it is first looked up: the rows are one flow mapping per line (`- {id: X, field:
    "...", ...}`), found by their field without parsing. A table in any other layout is parsed whole,
    and `tests/meta` checks that the shipped one takes the fast way and reads the same rows."""
    text = (Path(__file__).parent / "equivalence.yaml").read_text(encoding="utf-8")  # a file of the package
    lines = row_lines(text)
    return Rows(lines) if lines is not None else parse_all(text)


_ROW_LINE = re.compile(r'^- \{id: [^,]+, field: "([^"\\]+)", [^\n]*', re.MULTILINE)


def row_lines(text: str) -> dict[str, str] | None:
    """Each row's line by its field; None when a top-level item of the list is not such a line."""
    lines: dict[str, str] = {}
    for match in _ROW_LINE.finditer(text):
        if match[1] in lines:
            raise ValueError(f"equivalence table field {match[1]} is duplicated")
        lines[match[1]] = match[0]
    items = text.count("\n- ") + text.startswith("- ")
    return lines if len(lines) == items else None


class Rows(Mapping[str, Row]):
    """The rows by field, each parsed from its own line on first use."""

    def __init__(self, lines: dict[str, str]) -> None:
        self._lines = lines
        self._rows: dict[str, Row] = {}

    def __getitem__(self, field: str) -> Row:
        row = self._rows.get(field)
        if row is None:
            (row,) = parse_all(self._lines[field]).values()  # KeyError for a field the table lacks
            self._rows[field] = row
        return row

    def __contains__(self, field: object) -> bool:
        return field in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


def parse_all(text: str) -> dict[str, Row]:
    """Read with the loader that reads manifests: ruamel.yaml's own safe loader takes twice as
    long over these rows (see source/yamlparse.py)."""
    from translator.source.yamlparse import ParsedDocument, parse_documents

    (parsed,) = parse_documents(text)
    if not isinstance(parsed, ParsedDocument):
        raise ValueError(f"equivalence table line {parsed.line}: {parsed}")
    rows: dict[str, Row] = {}
    for raw in parsed.data:
        severity = Severity.parse(raw.pop("severity", "warning"))
        row = Row(severity=severity, **raw)
        if row.verdict not in VERDICTS or row.field in rows:
            raise ValueError(f"equivalence table row {row.id} is invalid or duplicated")
        rows[row.field] = row
    return rows


@functools.cache
def prefixes() -> frozenset[str]:
    """Every proper prefix of a table field, so the sweep knows where deeper rows exist."""
    out = set()
    for field in table():
        scope, path = field.split(":", 1)
        parts = path.split(".")
        for i in range(1, len(parts)):
            out.add(f"{scope}:{'.'.join(parts[:i])}")
    return frozenset(out)
