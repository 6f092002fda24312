"""The HTML report in a real headless Chromium: it loads alone, logs no error, and shows its summary and charts.

The screenshot is kept in tests/artifacts/ (ignored by git) for a person to look at after a run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.browser import Browser
from tests.support.repo import CORPUS, ROOT
from translator.cli.main import cli

BOUTIQUE = CORPUS / "gcp-microservices-demo" / "release" / "kubernetes-manifests.yaml"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [pytest.mark.slow, pytest.mark.needs("chromium", "corpus")]  # a real browser: not in the quick loop

VISIBLE = """(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const shown = (sel) => { const el = document.querySelector(sel); return !!el && box(el)
      && getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).display !== "none"; };
  return {
    summary: shown("#summary .cards"),
    readiness: document.querySelector("#summary .big").textContent.trim(),
    verdictChart: shown("#chart-verdicts svg"),
    costChart: shown("#chart-cost svg"),
    verdictBars: document.querySelectorAll("#chart-verdicts svg rect.bar.full").length,
    costBars: [...document.querySelectorAll("#chart-cost svg rect.bar.fargate")].filter(box).length,
    externals: [...document.querySelectorAll("script[src], link[rel=stylesheet], img[src]")].length,
  };
})()"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "assessment.html"
    result = CliRunner().invoke(cli, ["assess", str(BOUTIQUE), "-o", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def test_report_loads_alone_with_no_console_error_and_shows_summary_and_charts(report: Path) -> None:
    with Browser() as browser:
        browser.open(report)
        state = browser.evaluate(VISIBLE)
        browser.screenshot(ARTIFACTS / "assessment-online-boutique.png")
        assert browser.console_errors() == []
        assert browser.requested_urls() == [report.resolve().as_uri()]  # nothing fetched: no network, no assets
    assert state == {"summary": True, "readiness": "100%", "verdictChart": True, "costChart": True,
                     "verdictBars": 12, "costBars": 12, "externals": 0}
    assert (ARTIFACTS / "assessment-online-boutique.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tables_sort_when_a_header_is_clicked(report: Path) -> None:
    first_names = "[...document.querySelectorAll('#workloads tbody tr td:first-child a')].map(a => a.textContent)"
    with Browser() as browser:
        browser.open(report)
        before = browser.evaluate(first_names)
        browser.evaluate("document.querySelectorAll('#workloads thead th')[4].click()")  # Fargate cost, ascending
        ascending = browser.evaluate(first_names)
        browser.evaluate("document.querySelectorAll('#workloads thead th')[4].click()")
        descending = browser.evaluate(first_names)
        assert browser.console_errors() == []
    assert before == sorted(before)
    assert ascending[0] == "checkoutservice" and descending[:3] == ["adservice", "cartservice", "loadgenerator"]
