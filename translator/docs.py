"""Generate the README's mapping table from the equivalence table: `python -m translator.docs README.md`."""

from __future__ import annotations

import sys
from pathlib import Path

from translator.mapping.equivalence import table

BEGIN, END = "<!-- mapping-table:begin -->", "<!-- mapping-table:end -->"


def mapping_table() -> str:
    rows = sorted(table().values(), key=lambda r: (r.scope, r.path))
    counts = {v: sum(r.verdict == v for r in rows) for v in ("full", "partial", "none")}
    lines = [f"{len(rows)} fields: {counts['full']} full, {counts['partial']} partial, {counts['none']} none.", "",
             "| Kubernetes field | Verdict | ECS / CloudFormation | Loss or remedy |", "|---|---|---|---|"]
    for r in rows:
        loss = r.note if r.verdict != "none" else f"{r.note}. {r.remediation}"
        lines.append(f"| `{r.field}` | {r.verdict} | {r.target or '-'} | {loss.replace('|', '/') or '-'} |")
    return "\n".join(lines)


def update(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    new = f"{head}{BEGIN}\n{mapping_table()}\n{END}{tail}"
    path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
