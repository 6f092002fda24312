"""The byte-identity check refactorings rely on: a snapshot must see every added, removed or changed byte."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.support.repo import ROOT, bench_module


def _snapshot() -> ModuleType:
    return bench_module("snapshot")


def test_a_sample_converted_twice_is_identical_and_every_kind_of_change_is_listed(tmp_path: Path) -> None:
    snapshot = _snapshot()
    sample = ROOT / "samples" / "web-app"
    assert snapshot.convert(sample, tmp_path / "a" / "web-app") == "web-app: exit 0"
    snapshot.convert(sample, tmp_path / "b" / "web-app")
    assert snapshot.changed(tmp_path / "a", tmp_path / "b") == []

    template = next((tmp_path / "b" / "web-app" / "cloudformation").iterdir())
    template.write_bytes(template.read_bytes().replace(b"\n", b" \n", 1))  # one byte more
    (tmp_path / "b" / "web-app" / "task-definitions" / "extra.json").write_text("{}")
    (tmp_path / "b" / "web-app" / "findings.json").unlink()
    assert snapshot.changed(tmp_path / "a", tmp_path / "b") == sorted([
        "web-app/findings.json", f"web-app/cloudformation/{template.name}", "web-app/task-definitions/extra.json"])
