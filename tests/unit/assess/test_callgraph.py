"""The assessment's call graph on the Online Boutique: every call is drawn, and a broken call lowers readiness."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from tests.support.repo import CORPUS
from translator.assess.callgraph import graph, svg
from translator.cli.main import cli
from translator.mapping.network.reachability import Call

pytestmark = pytest.mark.needs("corpus")
BOUTIQUE = CORPUS / "gcp-microservices-demo" / "release" / "kubernetes-manifests.yaml"
FRONTEND_CALLS = {"adservice", "cartservice", "checkoutservice", "currencyservice", "productcatalogservice",
                  "recommendationservice", "shippingservice"}


def _assess(manifest: Path, out: Path) -> tuple[dict[str, Any], str]:
    json_path, html_path = out / "report.json", out / "report.html"
    result = CliRunner().invoke(cli, ["assess", str(manifest), "-o", str(json_path), "-o", str(html_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(json_path.read_text()), html_path.read_text()


def _schema() -> dict[str, Any]:
    from importlib import resources
    return json.loads(resources.files("translator.assess").joinpath("schema", "assessment-v1.schema.json").read_text())  # type: ignore[no-any-return]


def test_online_boutique_call_graph(tmp_path: Path) -> None:
    payload, html = _assess(BOUTIQUE, tmp_path)
    jsonschema.Draft202012Validator(_schema()).validate(payload)
    cg = payload["call_graph"]
    edges = {(e["from"], e["to"]) for e in cg["edges"]}
    assert {("default/frontend", f"default/{name}") for name in FRONTEND_CALLS} <= edges
    assert cg["calls"] == payload["summary"]["calls"] == 17 and cg["broken"] == payload["summary"]["broken_calls"] == 0
    assert sum(len(e["calls"]) for e in cg["edges"]) == 17  # every call the analysis finds is on an edge
    assert len(cg["edges"]) == 16  # one per caller and callee: both loadgenerator containers call the frontend
    picture = re.search(r"<svg[^>]*class=\"callgraph\".*?</svg>", html, re.S)
    assert picture is not None
    root = ElementTree.fromstring(picture.group(0))
    drawn = {(p.get("data-from"), p.get("data-to")) for p in root.iter("{http://www.w3.org/2000/svg}path")
             if p.get("data-from")}
    assert drawn == edges


def test_a_broken_call_is_a_blocker_and_lowers_readiness(tmp_path: Path) -> None:
    good, _ = _assess(BOUTIQUE, tmp_path / "good")
    text = BOUTIQUE.read_text().replace('value: "cartservice:7070"', 'value: "cartservice:7071"', 1)
    assert text != BOUTIQUE.read_text()
    broken_input = tmp_path / "broken.yaml"
    broken_input.write_text(text)
    bad, html = _assess(broken_input, tmp_path / "bad")
    assert bad["summary"]["broken_calls"] == 1 and bad["call_graph"]["broken"] == 1
    assert bad["summary"]["readiness_percent"] < good["summary"]["readiness_percent"]
    assert bad["summary"]["blockers"] == good["summary"]["blockers"] + 1
    blocker = [b for b in bad["blockers"] if b["code"] == "K2E357"]
    assert [b["message"] for b in blocker] == [
        "env CART_SERVICE_ADDR of container server calls cartservice (Service cartservice of namespace default), which "
        "will not resolve on ECS: Service cartservice has no port 7071 (it has 7070)"]
    broken_edges = [(e["from"], e["to"]) for e in bad["call_graph"]["edges"] if e["broken"]]
    assert len(broken_edges) == 1 and broken_edges[0][1] == "default/cartservice"
    assert 'class="edge broken"' in html and 'class="broken-call"' in html


def test_svg_is_deterministic_and_escapes_names() -> None:
    calls = [Call("ns", "a<b", "Deployment", "c", "env X", "svc", 80, "ns", "svc", ("d&e",), "broken", reason="<why>")]
    data = graph(calls)
    first = svg(data)
    assert first == svg(graph(list(calls)))
    ElementTree.fromstring(first)  # well-formed: the names are escaped
    assert "a&lt;b" in first and "d&amp;e" in first and "<why>" not in first
