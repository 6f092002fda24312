"""Geometry of the report's two inline SVG charts; the template only draws what is computed here.

Computing positions in Python keeps the template simple and lets a test check the chart without a
browser. Charts list the workloads that matter most first (most untranslated fields; highest cost)
and stop at MAX_ROWS so a large input still gives a chart a person can read; the note says so.
"""

from __future__ import annotations

from typing import Any

MAX_ROWS = 40
LABEL_W, BAR_W, VALUE_W, ROW_H, TOP = 230, 400, 150, 22, 30


def _label(w: dict[str, Any]) -> str:
    text = f"{w['namespace']}/{w['name']}"
    return text if len(text) <= 32 else text[:31] + "…"


def _frame(rows: list[dict[str, Any]], total: int, what: str) -> dict[str, Any]:
    shown = len(rows)
    note = f"{shown} of {total} workloads, {what}" if total > shown else f"{total} workload{'s' if total != 1 else ''}, {what}"
    return {"width": LABEL_W + BAR_W + VALUE_W, "height": TOP + ROW_H * max(shown, 1) + 8, "rows": rows,
            "note": note, "label_w": LABEL_W, "bar_x": LABEL_W, "value_x": LABEL_W + BAR_W + 8}


def verdict_chart(workloads: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: fields used per workload by verdict (full, partial, none)."""
    ordered = sorted(workloads, key=lambda w: (-w["verdicts"]["none"], -w["verdicts"]["partial"], w["resource"]))
    chosen = ordered[:MAX_ROWS]
    top = max((sum(w["verdicts"].values()) for w in chosen), default=0) or 1
    rows = []
    for i, w in enumerate(chosen):
        x = float(LABEL_W)
        segments = []
        for verdict in ("full", "partial", "none"):
            count = w["verdicts"][verdict]
            width = round(BAR_W * count / top, 1)
            if count:
                segments.append({"x": round(x, 1), "width": width, "cls": verdict, "title": f"{count} {verdict}"})
            x += width
        v = w["verdicts"]
        rows.append({"label": _label(w), "href": "#" + w["id"], "y": TOP + i * ROW_H, "segments": segments,
                     "value": f"{v['full']} / {v['partial']} / {v['none']}"})
    chart = _frame(rows, len(workloads), "most fields without an ECS equivalent first")
    chart["legend"] = [("full", "full"), ("partial", "partial"), ("none", "none")]
    return chart


def cost_chart(workloads: list[dict[str, Any]], currency: str) -> dict[str, Any]:
    """Paired bars: monthly cost per workload on Fargate and on Fargate Spot."""
    priced = [w for w in workloads if w["cost"] is not None and w["cost"]["fargate"] is not None]
    ordered = sorted(priced, key=lambda w: (-(w["cost"]["fargate"] or 0), w["resource"]))
    chosen = ordered[:MAX_ROWS]
    top = max((w["cost"]["fargate"] or 0 for w in chosen), default=0) or 1
    rows = []
    for i, w in enumerate(chosen):
        c = w["cost"]
        half = (ROW_H - 6) / 2
        segments = [{"x": LABEL_W, "y_off": 2, "height": half, "width": round(BAR_W * (c["fargate"] or 0) / top, 1),
                     "cls": "fargate", "title": f"Fargate {money(c['fargate'], currency)}"}]
        if c["fargate_spot"] is not None:
            segments.append({"x": LABEL_W, "y_off": 2 + half + 1, "height": half,
                             "width": round(BAR_W * c["fargate_spot"] / top, 1), "cls": "spot",
                             "title": f"Fargate Spot {money(c['fargate_spot'], currency)}"})
        value = f"{money(c['fargate'], currency)} / {money(c['fargate_spot'], currency)}"
        rows.append({"label": _label(w), "href": "#" + w["id"], "y": TOP + i * ROW_H, "segments": segments, "value": value})
    chart = _frame(rows, len(priced), "most expensive first, per month; ECS services only")
    chart["legend"] = [("fargate", "Fargate"), ("spot", "Fargate Spot")]
    return chart


def money(value: float | None, currency: str = "USD", digits: int = 2) -> str:
    if value is None:
        return "n/a"
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{value:,.{digits}f}"
