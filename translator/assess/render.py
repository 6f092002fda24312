"""The four report formats, all renderings of the one payload `build` returns.

JSON is the payload itself; SARIF is built in sarif.py; HTML and Markdown go through Jinja templates in
`templates/report/` (autoescaped for HTML, so a manifest's text can never become markup). The HTML page
stands alone: styles, the sorting script and the SVG charts are inline, nothing is fetched.
"""

from __future__ import annotations

import functools
from typing import Any

from translator.assess import callgraph, charts
from translator.assess.sarif import to_sarif
from translator.render import jsontext
from translator.render.cloudformation import templates_dir

FORMATS = ("html", "md", "json", "sarif")
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json", ".sarif": "sarif"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# GitHub comments stop at 65,536 characters: the Markdown report lists the worst first and stops here;
# everything is in the HTML and JSON reports.
MD_FINDINGS_LIMIT = 80
MD_WORKLOADS_LIMIT = 80
MD_MAX_CHARS = 65_000  # under GitHub's 65,536, with room for a line a pipeline adds
EFFORT_RANK = {"blocked": 0, "high": 1, "medium": 2, "low": 3}


def format_of(path: str, explicit: str | None = None) -> str | None:
    """The format a path asks for: --format wins, then the extension (`.sarif.json` is SARIF)."""
    if explicit:
        return explicit
    lower = path.lower()
    if lower.endswith(".sarif.json"):
        return "sarif"
    return next((fmt for ext, fmt in EXTENSIONS.items() if lower.endswith(ext)), None)


def render(payload: dict[str, Any], fmt: str, sarif_base: str = "") -> str:
    if fmt == "json":
        return jsontext.dumps(payload) + "\n"
    if fmt == "sarif":
        return jsontext.dumps(to_sarif(payload, sarif_base)) + "\n"
    if fmt == "html":
        return _environment(True).get_template("report.html.j2").render(**_context(payload))
    if fmt == "md":
        return _markdown(payload)
    raise ValueError(f"unknown format {fmt!r}")


def _markdown(payload: dict[str, Any]) -> str:
    """The Markdown report within a comment's size: counted limits first, lowered while the text is too
    long (long messages and paths make 80 findings longer than a comment holds)."""
    findings, workloads = MD_FINDINGS_LIMIT, MD_WORKLOADS_LIMIT
    while True:
        text: str = _environment(False).get_template("report.md.j2").render(**_context(payload, findings, workloads))
        if len(text) <= MD_MAX_CHARS or findings <= 5:
            return text
        findings, workloads = findings * 3 // 4, workloads * 3 // 4


def _context(payload: dict[str, Any], md_limit: int = MD_FINDINGS_LIMIT, md_workloads: int = MD_WORKLOADS_LIMIT) -> dict[str, Any]:
    currency = payload["prices"]["currency"]
    return {"a": payload, "verdict_chart": charts.verdict_chart(payload["workloads"]),
            "cost_chart": charts.cost_chart(payload["workloads"], currency), "md_limit": md_limit,
            "call_graph_svg": callgraph.svg(payload["call_graph"]),
            "md_workloads": md_workloads}


@functools.cache
def _environment(html: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "report")),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    currency = "USD"
    env.filters["money"] = lambda value, cur=currency: charts.money(value, cur)
    env.filters["where"] = _where
    env.filters["vcpu"] = lambda units: f"{units / 1024:g} vCPU"
    env.filters["gib"] = lambda mib: f"{mib / 1024:g} GB"
    env.filters["md"] = _md_cell
    env.filters["rate"] = lambda value, cur=currency: charts.money(value, cur, digits=6)
    env.filters["by_effort"] = lambda workloads: sorted(workloads, key=lambda w: EFFORT_RANK[w["effort"]])
    env.filters["by_severity"] = lambda findings: sorted(findings, key=lambda f: SEVERITY_RANK[f["severity"]])
    return env


def _where(f: dict[str, Any]) -> str:
    if not f["file"]:
        return f["resource"] or "-"
    return f"{f['file']}:{f['line']}" if f["line"] else f["file"]


def _md_cell(text: object) -> str:
    """A Markdown table cell: no pipes or newlines, and no HTML a PR comment would interpret."""
    value = "" if text is None else str(text)
    return (value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
            .replace("<", "&lt;").replace(">", "&gt;"))
