"""Generate the README's kinds, mapping and severity tables from the code: `python -m translator.cli.docs README.md`.

The tables are data the translator already holds (the kind modules, the not-translated advice, the
equivalence table and the finding catalogue with its reasons), so the README cannot drift from what the
tool does; a meta test fails when a generated section is out of date.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from translator.coverage.equivalence import GROUP_SCOPES, SCOPE_ALIASES, VERDICTS, Row, table


def _verdict_counts(rows: list[Row]) -> str:
    counts = {v: sum(r.verdict == v for r in rows) for v in VERDICTS}
    return " / ".join(str(counts[v]) for v in VERDICTS)


def kinds_table() -> str:
    """One row per kind module (what it becomes, its verdict counts), then the kinds only reported."""
    from translator.k8s import registry, unsupported

    rows = list(table().values())
    lines = ["| Kubernetes kind | API groups | ECS | Fields full / partial / none |", "|---|---|---|---|"]
    for module in registry.MODULES:
        kinds = list(module.KINDS)
        scopes = {GROUP_SCOPES.get((g, k), SCOPE_ALIASES.get(k, k)) for k in kinds for g in module.KINDS[k]}
        own = [r for r in rows if r.scope in scopes]
        groups = sorted({g or "core" for k in kinds for g in module.KINDS[k]})
        lines.append(f"| {', '.join(kinds)} | {', '.join(groups)} | {module.BECOMES} | {_verdict_counts(own)} |")
    pod = [r for r in rows if r.scope in ("pod", "container")]
    lines.append(f"| pod template (every workload kind) | | see the rows scoped `pod:` and `container:` below | {_verdict_counts(pod)} |")
    reported = sorted(k for k in unsupported.KIND_ADVICE if k not in registry.PARSERS)
    lines += ["", "Reported with a finding (K2E100) and what to do instead:", "",
              "| Kubernetes kind | What to do on AWS |", "|---|---|"]
    lines += [f"| {k} | {unsupported.KIND_ADVICE[k]} |" for k in reported]
    lines += ["", "Custom resources (K2E101), by API group:", "", "| API group | What to do on AWS |", "|---|---|"]
    lines += [f"| {g} | {advice} |" for g, advice in sorted(unsupported.GROUP_ADVICE.items())]
    lines.append("| any other group | rebuild what its controller does with AWS services |")
    return "\n".join(lines)


def mapping_table() -> str:
    rows = sorted(table().values(), key=lambda r: (r.scope, r.path))
    counts = {v: sum(r.verdict == v for r in rows) for v in VERDICTS}
    lines = [f"{len(rows)} fields: {counts['full']} full, {counts['partial']} partial, {counts['none']} none.", "",
             "| Kubernetes field | Verdict | ECS / CloudFormation | Loss or remedy |", "|---|---|---|---|"]
    for r in rows:
        loss = r.note if r.verdict != "none" else f"{r.note}. {r.remediation}"
        if r.default is not None:
            loss = f"{loss} (Kubernetes' default, {_default_text(r.default)}, is no gap)".lstrip()
        verdict = f"{r.verdict} ({r.severity.label})" if r.verdict == "none" else r.verdict
        lines.append(f"| `{r.field}` | {verdict} | {r.target or '-'} | {loss.replace('|', '/') or '-'} |")
    return "\n".join(lines)


def severity_table() -> str:
    """Every finding code with its severity, headline and slug, and the reason the severity rule gives it."""
    from translator.findings.catalogue import CATALOGUE
    from translator.findings.reasons import RULE

    codes = sorted(CATALOGUE.values(), key=lambda c: c.id)
    counts = {s: sum(c.severity.label == s for c in codes) for s in ("error", "warning", "info")}
    lines = [f"Rule: {RULE}", "",
             f"{len(codes)} codes: {counts['error']} error, {counts['warning']} warning, {counts['info']} info.", "",
             "| Code | Severity | Headline | Slug | Why this severity |", "|---|---|---|---|---|"]
    lines += [f"| {c.id} | {c.severity.label} | {c.headline} | {c.slug} | {c.why.replace('|', '/')} |" for c in codes]
    return "\n".join(lines)


def _default_text(default: object) -> str:
    if isinstance(default, dict):  # chosen by a rule: {by: image-tag, latest: Always, other: IfNotPresent}
        return " or ".join(f"`{v}` ({k} {default['by']})" for k, v in default.items() if k != "by")
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f"`{default}`" if default != "" else '`""`'


SECTIONS: dict[str, Callable[[], str]] = {"kinds-table": kinds_table, "mapping-table": mapping_table,
                                          "severity-table": severity_table}


def render(text: str) -> str:
    """Replace the body of every `<!-- NAME:begin -->` ... `<!-- NAME:end -->` section that exists."""
    for name, build in SECTIONS.items():
        begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
        head, found, rest = text.partition(begin)
        if not found:
            continue
        _, _, tail = rest.partition(end)
        text = f"{head}{begin}\n{build()}\n{end}{tail}"
    return text


def update(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    new = render(text)
    path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
