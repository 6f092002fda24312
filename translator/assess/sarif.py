"""SARIF 2.1.0 from the assessment payload, so code-scanning tools show each finding at its file and line.

Rules are the whole finding catalogue (stable ids, `kube2ecs codes`). A finding that points at a line
of an input file is a result with a physical location; the rest (defaults used, stack-level notes)
have no line to point at, and code-scanning uploads reject results without a location, so they are
tool execution notifications of the same run instead: still in the file, never dropped.
"""

from __future__ import annotations

import hashlib
import posixpath
from typing import Any
from urllib.parse import quote

from translator.findings.catalogue import CATALOGUE

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(payload: dict[str, Any], base: str = "") -> dict[str, Any]:
    """`base`: a folder to prefix relative file names with (the one input folder, as given)."""
    rules = sorted(CATALOGUE)
    index = {code: i for i, code in enumerate(rules)}
    results, notes = [], []
    for finding in _all_findings(payload):
        if finding["file"] and finding["line"] > 0 and finding["file"] != "<stdin>":
            results.append(_result(finding, index, base))
        else:
            notes.append(_notification(finding, index))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "kube2ecs", "version": payload["tool"]["version"],
                            "rules": [_rule(CATALOGUE[code]) for code in rules]}},
        "results": results,
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notes}],
        "properties": {"readiness_percent": payload["summary"]["readiness_percent"],
                       "workloads": payload["summary"]["workloads"], "ready": payload["summary"]["ready"]},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _all_findings(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding once: a role's finding is listed under each workload bound to it."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    groups = [w["findings"] for w in payload["workloads"]] + [payload["other_findings"]]
    for group in groups:
        for f in group:
            key = (f["code"], f["resource"], f["file"], f["line"], f["column"], f["pointer"], f["message"])
            if key not in seen:
                seen.add(key)
                out.append(f)
    return sorted(out, key=lambda f: (f["file"], f["line"], f["column"], f["code"], f["resource"], f["message"]))


def _rule(code: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": code.id, "name": code.slug,
        "shortDescription": {"text": code.headline},
        "fullDescription": {"text": code.message},
        "defaultConfiguration": {"level": LEVELS[code.severity.label]},
    }
    if "{" not in code.remediation:
        rule["help"] = {"text": code.remediation}
    return rule


def _text(f: dict[str, Any]) -> str:
    return f"{f['message']}. {f['remediation']}" if f["remediation"] else f["message"]


def _result(f: dict[str, Any], index: dict[str, int], base: str) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": f["line"]}
    if f["column"] > 0:
        region["startColumn"] = f["column"]
    uri = posixpath.join(base, f["file"]) if base else f["file"]
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": quote(uri)}, "region": region}}
    if f["resource"]:
        location["logicalLocations"] = [{"fullyQualifiedName": f["resource"], "kind": "object"}]
    fingerprint = hashlib.sha256("|".join((f["code"], f["resource"], f["pointer"], f["message"])).encode()).hexdigest()
    return {"ruleId": f["code"], "ruleIndex": index[f["code"]], "level": LEVELS[f["severity"]],
            "message": {"text": _text(f)}, "locations": [location],
            "partialFingerprints": {"kube2ecsFinding/v1": fingerprint[:32]}}


def _notification(f: dict[str, Any], index: dict[str, int]) -> dict[str, Any]:
    return {"descriptor": {"id": f["code"], "index": index[f["code"]]}, "level": LEVELS[f["severity"]],
            "message": {"text": _text(f)}}
