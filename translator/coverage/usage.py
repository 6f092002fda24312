"""Which equivalence-table fields one document uses, so a report can show each field's verdict.

Computed from what the translation itself did, not by a second reading of the input: a field the
parser read carries its table row's verdict, and a field the sweep reported carries the row the
sweep used. A field a parser read only to report it (`Reader.for_report`) carries its row whatever
the verdict, as if the sweep had reported it: its finding says what is lost. A field holding its
Kubernetes default (`dnsPolicy: ClusterFirst`) is not reported by the sweep, nor listed when read only
to report, and a field read to translate whose row says `none` was read because a catch-all row covers
its children (`resources.limits`); nothing is lost there, so neither is listed as a field the object uses.
"""

from __future__ import annotations

from translator.coverage.equivalence import Row, scope_kind
from translator.coverage.sweep import holds_default, pattern_of, row_of, value_at
from translator.source.reader import Context


def fields_used(ctx: Context, swept: list[Row]) -> tuple[str, ...]:
    """Table fields (`scope:path`) the document uses, sorted; see the module docstring for the rule."""
    kind = scope_kind(ctx.doc)
    used = {row.field for row in swept}
    reported = ctx.log.reported
    for pointer in ctx.log.touched | ctx.log.consumed:
        if not pointer:
            continue
        row = row_of(kind, pattern_of(kind, pointer))
        if row is None:
            continue
        if row.verdict != "none" or (pointer in reported and not holds_default(row, value_at(ctx.doc.data, pointer),
                                                                                ctx.doc.data, pointer)):
            used.add(row.field)
    return tuple(sorted(used))
