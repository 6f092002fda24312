"""Load the equivalence table (equivalence.yaml) once; look rows up by field pattern."""

from __future__ import annotations

import functools
from importlib import resources
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

    @property
    def scope(self) -> str:
        return self.field.split(":", 1)[0]

    @property
    def path(self) -> str:
        return self.field.split(":", 1)[1]


@functools.cache
def table() -> dict[str, Row]:
    """Read with the loader that reads manifests: every convert needs the table, and ruamel.yaml's
    own safe loader takes twice as long over its rows (see source/yamlparse.py)."""
    from translator.source.yamlparse import ParsedDocument, parse_documents

    text = resources.files("translator.coverage").joinpath("equivalence.yaml").read_text(encoding="utf-8")
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
