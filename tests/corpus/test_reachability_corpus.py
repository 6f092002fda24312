"""Every sample and every corpus application, converted and checked by the independent reachability checker.

A call to a Service of the input that the output does not resolve must be an error finding (K2E357) at the
caller; any that remained would be listed here with why no ECS configuration can resolve them.
"""

from __future__ import annotations

import pytest

from tests.support.proof_sources import VARIANTS
from tests.support.reachability_check import unresolved
from tests.support.repo import CORPUS, ROOT
from translator.api import translate
from translator.options import Options, options_from_dict

SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir())
SOURCES = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
# (template, container, host, port) that cannot resolve on ECS, each reported as K2E357: none is left. Calls from
# tasks started on their own and per-pod names resolve through Cloud Map DNS, and a Service whose pods an
# untranslated custom resource runs is a CNAME to a stack parameter (docs/service-connect.md).
KNOWN_BROKEN: dict[str, set[tuple[str, str, str, int | None]]] = {}


def _check(path: str, options: Options | None = None) -> tuple[set[tuple[str, str, str, int | None]], set[tuple[str, str]]]:
    result = translate([path], options)
    left = unresolved(result.templates, {s.meta.key for s in result.app.services})
    reported = {(c.container, c.written) for c in result.calls if c.broken}
    assert {c.container for c in result.calls if c.broken} == {u.container for u in left}
    return {(u.template, u.container, u.host, u.port) for u in left}, reported


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_samples_have_no_unresolved_call(sample: object) -> None:
    left, reported = _check(str(sample))
    assert left == set() and reported == set()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_samples_under_the_ssm_backends_have_no_unresolved_call(sample: object) -> None:
    """ConfigMap values kept in SSM parameters are read and rewritten too."""
    left, reported = _check(str(sample), options_from_dict(VARIANTS["ssm"]))
    assert left == set() and reported == set()


@pytest.mark.slow
@pytest.mark.needs("corpus")
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_corpus_calls_resolve_or_are_errors(source: object) -> None:
    left, reported = _check(str(source))
    name = getattr(source, "name", "")
    assert left == KNOWN_BROKEN.get(name, set())
    assert {(container, host.rstrip(".")) for _, container, host, _ in left} <= reported


@pytest.mark.slow
@pytest.mark.needs("corpus")
def test_readme_states_the_call_counts() -> None:
    results = [translate([str(p)]) for p in [*SAMPLES, *SOURCES]]
    calls = [c for r in results for c in r.calls]
    broken = sum(c.broken for c in calls)
    stated = (f"**{len(calls)} calls in the {len(SAMPLES)} samples and {len(SOURCES)} corpus sources, {broken} that do "
              "not resolve, all reported**")
    assert stated in (ROOT / "README.md").read_text()
    assert broken == sum(len(v) for v in KNOWN_BROKEN.values())
