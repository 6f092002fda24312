"""The benchmark's scaled inputs: each copy is a distinct set of namespaces, the text otherwise untouched.

If the renaming broke, the 5x and 10x runs would translate duplicates (one stack, K2E005 findings)
instead of five and ten times the work, and the linearity figure would mean nothing.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.repo import ROOT, bench_module
from translator.api import translate


def _bench() -> object:
    return bench_module("run")


MANIFESTS = """\
# a comment that stays
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: 'shop'   # quoted, with a comment
data: {a: b}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: app
"""

JSON = '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "v"}}\n'


def test_copies_rename_every_namespace(tmp_path: Path) -> None:
    bench = _bench()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "app.yaml").write_text(MANIFESTS)
    (corpus / "secret.json").write_text(JSON)
    built = bench.build_copies(corpus, tmp_path / "copies", 2)  # type: ignore[attr-defined]
    copy = sorted((tmp_path / "copies/c00").iterdir())
    assert built == {"files": 2, "bytes": sum(p.stat().st_size for p in copy)}
    assert (tmp_path / "copies/c01/app.yaml").read_text() == MANIFESTS.replace(
        "  name: shop", '  name: "shop-c01"').replace(
        "namespace: 'shop'", 'namespace: "shop-c01"').replace(
        "  metadata:\n    name: app", '  metadata:\n    namespace: "default-c01"\n    name: app')
    assert (tmp_path / "copies/c00/secret.json").read_text() == JSON.replace(
        '{"name": "s"}', '{"namespace": "default-c00", "name": "s"}')


def test_copies_translate_to_distinct_namespaces(tmp_path: Path) -> None:
    bench = _bench()
    bench.build_copies(ROOT / "samples" / "web-app", tmp_path, 2)  # type: ignore[attr-defined]
    one = translate([str(tmp_path / "c00")])
    two = translate([str(tmp_path)])
    assert sorted(two.templates) == sorted([*one.templates, *(n.replace("-c00", "-c01") for n in one.templates)])
    assert [f for f in two.findings if f.code == "K2E005"] == []


def test_commands_compared_as_a_ratio_run_in_turns(tmp_path: Path) -> None:
    """Floor and convert alternate run by run, so a drift of the machine's speed meets both alike."""
    bench = _bench()
    log = tmp_path / "order"
    commands = [bench.Best(["sh", "-c", f"echo {name} >> {log}"]) for name in ("floor", "convert")]  # type: ignore[attr-defined]
    runs = bench.alternating(commands, 3)  # type: ignore[attr-defined]
    assert log.read_text().split() == ["floor", "convert"] * 3
    assert [run.status for run in runs] == [0, 0]
    assert all(run.cpu_seconds >= 0 and run.seconds > 0 for run in runs)
