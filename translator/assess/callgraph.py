"""The call graph of the assessment: which workload calls which, and which calls break on ECS.

`graph` turns the pipeline's calls (translator/mapping/network/reachability.py) into plain JSON data: nodes are
the workloads that call or are called (or a Service no workload serves), edges one per caller and
callee with every Service port it uses. `svg` draws it without any library, in columns by call depth
(callers left, the services they call to the right), so the same input gives the same bytes. Broken
calls are red and dashed; each edge's tooltip says what the caller writes and why a call breaks.
"""

from __future__ import annotations

from html import escape
from typing import Any

from translator.mapping.network.reachability import Call

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 200, 34, 90, 14, 16
MAX_LABEL = 26


def graph(calls: list[Call]) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for call in calls:
        source = _node(nodes, call.caller_namespace, call.caller, call.caller_kind)
        targets = call.targets or (call.service,)
        for target in targets:
            kind = "Workload" if call.targets else "Service"
            sink = _node(nodes, call.namespace, target, kind)
            edge = edges.setdefault((source, sink), {"from": source, "to": sink, "broken": False, "calls": []})
            edge["broken"] = edge["broken"] or call.broken
            edge["calls"].append({"service": f"{call.namespace}/{call.service}", "port": call.port,
                                  "container": call.container, "where": call.where, "written": call.written,
                                  "status": call.status, "alias": call.alias, "reason": call.reason,
                                  "file": call.file, "line": call.line})
    ordered = [edges[key] for key in sorted(edges)]
    return {"nodes": [nodes[key] for key in sorted(nodes)], "edges": ordered,
            "calls": len(calls), "broken": sum(c.broken for c in calls)}


def _node(nodes: dict[str, dict[str, Any]], namespace: str, name: str, kind: str) -> str:
    key = f"{namespace}/{name}" if kind != "Service" else f"{namespace}/Service/{name}"
    nodes.setdefault(key, {"id": key, "namespace": namespace, "name": name, "kind": kind})
    return key


def _columns(data: dict[str, Any]) -> dict[str, int]:
    """Column of each node: its longest call depth from a node nobody calls (cycles stop growing)."""
    ids = [n["id"] for n in data["nodes"]]
    column = dict.fromkeys(ids, 0)
    for _ in range(len(ids)):
        changed = False
        for edge in data["edges"]:
            want = column[edge["from"]] + 1
            if edge["from"] != edge["to"] and want > column[edge["to"]] and want < len(ids):
                column[edge["to"]] = want
                changed = True
        if not changed:
            break
    return column


def svg(data: dict[str, Any]) -> str:
    """The picture as SVG text; every text from the input is escaped."""
    if not data["nodes"]:
        return ""
    column = _columns(data)
    rows: dict[int, list[str]] = {}
    for node in data["nodes"]:
        rows.setdefault(column[node["id"]], []).append(node["id"])
    where: dict[str, tuple[int, int]] = {}
    for col, members in rows.items():
        for row, node_id in enumerate(members):
            where[node_id] = (PAD + col * (BOX_W + GAP_X), PAD + row * (BOX_H + GAP_Y))
    width = PAD * 2 + (max(rows) + 1) * BOX_W + max(rows) * GAP_X
    height = PAD * 2 + max(len(m) for m in rows.values()) * (BOX_H + GAP_Y) - GAP_Y
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="callgraph" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="Call graph: {data["calls"]} calls, '
             f'{data["broken"]} broken">',
             '<defs><marker id="cg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker>'
             '<marker id="cg-arrow-broken" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#c62828"/></marker></defs>']
    for edge in data["edges"]:
        parts.append(_edge(edge, where[edge["from"]], where[edge["to"]]))
    kinds = {n["id"]: n for n in data["nodes"]}
    qualified = len({n["namespace"] for n in data["nodes"]}) > 1  # one namespace: names alone, longer before a cut
    for node_id in sorted(where):
        parts.append(_box(kinds[node_id], *where[node_id], qualified))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _edge(edge: dict[str, Any], start: tuple[int, int], end: tuple[int, int]) -> str:
    broken = edge["broken"]
    tip = "; ".join(_describe(c) for c in edge["calls"])
    x1, y1 = start[0] + BOX_W, start[1] + BOX_H // 2
    x2, y2 = end[0], end[1] + BOX_H // 2
    if edge["from"] == edge["to"]:  # a workload calling its own Service: a loop above the box
        x1, x2 = start[0] + BOX_W - 30, start[0] + BOX_W - 10
        path = f"M {x1} {start[1]} C {x1} {start[1] - 14}, {x2} {start[1] - 14}, {x2} {start[1]}"
    elif x2 <= x1:  # back to an earlier column: bend below the boxes
        bottom = max(y1, y2) + BOX_H
        path = f"M {x1} {y1} C {x1 + 40} {bottom}, {x2 - 40} {bottom}, {x2} {y2}"
    else:
        mid = (x1 + x2) // 2
        path = f"M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}"
    style = ('stroke="#c62828" stroke-width="2.5" stroke-dasharray="6 4" marker-end="url(#cg-arrow-broken)"' if broken
             else 'stroke="#555" stroke-width="1.2" marker-end="url(#cg-arrow)"')
    css = "edge broken" if broken else "edge"
    return (f'<path class="{css}" d="{path}" fill="none" {style} data-from="{escape(edge["from"])}" '
            f'data-to="{escape(edge["to"])}"><title>{escape(tip)}</title></path>')


def _describe(call: dict[str, Any]) -> str:
    port = f":{call['port']}" if call["port"] is not None else ""
    text = f"{call['container']} {call['where']}: {call['written']}{port} -> {call['service']}"
    if call["status"] == "rewritten":
        text += f" (now {call['alias']})"
    if call["status"] == "broken":
        text += f" BROKEN: {call['reason']}"
    return text


def _box(node: dict[str, Any], x: int, y: int, qualified: bool) -> str:
    label = f"{node['namespace']}/{node['name']}"
    shown = label if qualified else node["name"]
    short = shown if len(shown) <= MAX_LABEL else shown[:MAX_LABEL - 1] + "…"
    fill = "#fff3e0" if node["kind"] == "Service" else "#e8f0fe"
    return (f'<g class="node" data-id="{escape(node["id"])}"><title>{escape(node["kind"])} {escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}" stroke="#5f6368"/>'
            f'<text x="{x + 8}" y="{y + BOX_H // 2 + 4}" font-size="12" font-family="sans-serif">{escape(short)}</text></g>')
