"""Which equivalence-table fields one document uses, so a report can show each field's verdict.

Computed from what the translation itself did, not by a second reading of the input: a field the
parser read carries its table row's verdict, and a field the sweep reported carries the row the
sweep used. A field holding its Kubernetes default (`dnsPolicy: ClusterFirst`) is neither read nor
reported, and a read field whose row says `none` was read because a catch-all row covers its children
(`resources.limits`); nothing is lost there, so neither is listed as a field the object uses.
"""

from __future__ import annotations

from translator.coverage.equivalence import Row
from translator.coverage.sweep import pattern_of, row_of
from translator.source.reader import Context


def fields_used(ctx: Context, swept: list[Row]) -> tuple[str, ...]:
    """Table fields (`scope:path`) the document uses, sorted; see the module docstring for the rule."""
    kind = ctx.doc.kind
    used = {row.field for row in swept}
    for pointer in ctx.log.touched | ctx.log.consumed:
        if not pointer:
            continue
        row = row_of(kind, pattern_of(kind, pointer))
        if row is not None and row.verdict != "none":
            used.add(row.field)
    return tuple(sorted(used))
