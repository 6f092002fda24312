"""The library API: the README example runs, results are typed, calls are pure and thread-safe."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import translator
from tests.support.repo import CORPUS, ROOT
from translator.api import TranslationResult
from translator.cli.output import findings_json

README = ROOT / "README.md"


def _readme_block(marker: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"<!-- {marker}:begin -->", 1)[1].split(f"<!-- {marker}:end -->", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_readme_example_runs_and_prints_what_the_readme_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_readme_block("library-example"), "README.md", "exec"), {})
    after = README.read_text(encoding="utf-8").split("<!-- library-example:end -->", 1)[1]
    expected = re.search(r"```text\n(.*?)```", after, re.S).group(1)  # type: ignore[union-attr]
    assert printed.getvalue() == expected


def test_result_is_typed_and_complete() -> None:
    result = translator.translate(str(ROOT / "samples" / "web-app"))
    assert isinstance(result, translator.TranslationResult)
    assert set(result.templates) == {"shop.yaml"} and set(result.task_definitions) == {"shop.web.json"}
    assert all(isinstance(f, translator.Finding) for f in result.findings)
    assert [(d.option, d.value, d.default) for d in result.decisions][:2] == [
        ("cluster", "a new cluster per stack", True), ("capacity_providers", "FARGATE weight 1 base 0", True)]
    assert result.documents == {"Deployment": 1, "Ingress": 1, "Service": 2, "ServiceAccount": 1}
    assert (ROOT / "translator" / "py.typed").is_file()


def test_an_option_set_in_code_is_a_decision_not_a_default() -> None:
    result = translator.translate_text((ROOT / "samples" / "web-app" / "web.yaml").read_text(),
                                       translator.Options(log_retention_days=90))
    retention = next(d for d in result.decisions if d.option == "log_retention_days")
    assert (retention.value, retention.default) == ("90", False)
    assert "option/log_retention_days" not in {f.resource for f in result.findings if f.code == "K2E370"}


def test_text_and_stream_variants_agree_with_files() -> None:
    text = (ROOT / "samples" / "web-app" / "web.yaml").read_text()
    by_text = translator.translate_text(text, name="web.yaml")
    by_stream = translator.translate_stream(io.StringIO(text), name="web.yaml")
    by_file = translator.translate(ROOT / "samples" / "web-app" / "web.yaml")
    assert by_text.files() == by_stream.files() == by_file.files()
    assert findings_json(by_text) == findings_json(by_stream) == findings_json(by_file)


def test_the_library_prints_nothing_writes_nothing_and_raises_input_errors(tmp_path: Path,
                                                                           capfd: pytest.CaptureFixture[str],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    translator.translate([str(ROOT / "samples" / "kitchen-sink")])
    with pytest.raises(translator.InputError, match="no such file"):
        translator.translate([str(tmp_path / "missing")])
    assert capfd.readouterr() == ("", "")
    assert list(tmp_path.iterdir()) == []


def _everything(result: TranslationResult) -> dict[str, str]:
    files = result.files()
    files["findings.json"] = findings_json(result)
    return files


@pytest.mark.needs("corpus")
def test_translations_in_parallel_threads_give_the_same_bytes() -> None:
    """Shared state between calls (a parser, a cache, a counter) would mix outputs up under threads."""
    inputs = [str(p) for p in sorted((ROOT / "samples").iterdir()) if p.is_dir()]
    inputs += [str(CORPUS / name) for name in ("gcp-microservices-demo", "podinfo", "kube-prometheus")]
    expected = {path: _everything(translator.translate([path])) for path in inputs}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible while they run
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            jobs = [(path, pool.submit(translator.translate, [path])) for path in inputs * 4]
            results = [(path, job.result()) for path, job in jobs]
    finally:
        sys.setswitchinterval(interval)
    for path, result in results:
        assert _everything(result) == expected[path], path
