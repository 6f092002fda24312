"""Property tests: damage done at random to real corpus files never crashes kube2ecs and never gives
output a validator rejects; quantity parsing and Fargate sizing keep their invariants for any input.

Examples are derandomized (the same ones on every run, so CI is reproducible) and no example
database is written. `K2E_PROPERTY_EXAMPLES=1000` searches harder, with new random examples on
each run, while developing.
"""

from __future__ import annotations

import functools
import json
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.repo import CORPUS
from tests.support.validation import cfn_lint_errors, task_definition_errors
from translator.api import translate_text
from translator.assess.cost import load_prices
from translator.mapping.task.sizing import FARGATE_SIZES, MAX_SIZE, fargate_size, is_valid_size
from translator.source.quantity import cpu_units, mebibytes, parse_quantity

pytestmark = pytest.mark.slow  # hundreds of generated examples: `pytest -m "not slow"` leaves it out

EXAMPLES = int(os.environ.get("K2E_PROPERTY_EXAMPLES", "0"))
_SLOW = settings(derandomize=not EXAMPLES, database=None, deadline=None, max_examples=EXAMPLES or 40,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_FAST = settings(derandomize=not EXAMPLES, database=None, deadline=None, max_examples=EXAMPLES or 500)
_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod")
_MAX_DOCUMENTS = 12  # keeps one example under a few seconds, validators included
# What a field is replaced with: the wrong types and values real manifests carry.
_REPLACEMENTS = st.sampled_from([
    "three", "", "${VAR}", "{{ .Values.x }}", "-1", "1e30", 0, -1, 3, 2**63, 1.5, True, None,
    [], ["x"], [{"name": "x"}], {}, {"name": "x"}, {"a": {"b": [1]}},
])


@functools.cache
def _corpus_files() -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """(name, documents) of every corpus file with a workload in at most `_MAX_DOCUMENTS` documents."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        try:
            documents = tuple(d for d in yaml.load_all(path.read_text(encoding="utf-8")) if isinstance(d, dict))
        except Exception:  # a file that does not parse is the hostile-input tests' business
            continue
        if 0 < len(documents) <= _MAX_DOCUMENTS and any(d.get("kind") in _WORKLOADS for d in documents):
            found.append((str(path.relative_to(CORPUS)), documents))
    return tuple(found)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a document, the document itself excluded."""
    out: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        out.append((*prefix, key))
        out.extend(_paths(item, (*prefix, key)))
    return out


class _Twice:
    """A mapping key written twice in the serialized document: `{"image": "a", "image": "a"}`."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _mutated(document: Any, path: tuple[Any, ...], operation: str, replacement: Any) -> Any:
    """A copy of `document` with the field at `path` deleted, retyped or duplicated."""
    if not path:
        return document
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy: Any = dict(document)
    else:
        copy = list(document)
    if rest:
        copy[head] = _mutated(copy[head], rest, operation, replacement)
    elif operation == "delete":
        del copy[head]
    elif operation == "retype":
        copy[head] = replacement
    elif isinstance(copy, list):
        copy.insert(head, copy[head])
    else:
        copy[head] = _Twice(copy[head])
    return copy


def _json(value: Any) -> str:
    """JSON text (which is YAML) that can hold a key twice, which `json.dumps` cannot write."""
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            count = 2 if isinstance(item, _Twice) else 1
            item = item.value if isinstance(item, _Twice) else item
            parts += [f"{json.dumps(str(key))}: {_json(item)}"] * count
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    return json.dumps(value, default=str)


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, str]:
    name, documents = draw(st.sampled_from(_corpus_files()))
    documents = list(documents)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(documents) - 1))
        paths = _paths(documents[index])
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        operation = draw(st.sampled_from(["delete", "retype", "duplicate"]))
        documents[index] = _mutated(documents[index], path, operation, draw(_REPLACEMENTS))
    return name, "---\n".join(_json(d) + "\n" for d in documents)


@pytest.mark.needs("corpus")
@_SLOW
@given(damaged_files())
def test_damaged_corpus_files_never_crash_and_never_give_invalid_output(damaged: tuple[str, str]) -> None:
    name, text = damaged
    result = translate_text(text, name=name)
    assert [f.message for f in result.findings if f.code == "K2E900"] == []  # an internal error, caught
    for template, body in sorted(result.templates.items()):
        assert cfn_lint_errors(body) == [], template
    for family, body in sorted(result.task_definitions.items()):
        assert task_definition_errors(json.loads(body)) == [], family


@pytest.mark.needs("corpus")
def test_the_damaged_files_come_from_every_corpus_source() -> None:
    """The property above runs on real files of each source, not on a handful of them."""
    sources = {name.split("/", 1)[0] for name, _ in _corpus_files()}
    assert sources == {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert len(_corpus_files()) > 150


_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_DECIMAL = {"": 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


@_FAST
@given(st.integers(0, 10**6), st.sampled_from(sorted({**_BINARY, **_DECIMAL})))
def test_a_quantity_is_its_number_times_its_suffix(number: int, suffix: str) -> None:
    assert parse_quantity(f"{number}{suffix}") == number * Decimal({**_BINARY, **_DECIMAL}[suffix])


@_FAST
@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_and_exponent_forms_agree(number: Decimal) -> None:
    text = format(number, "f")
    assert parse_quantity(text) == number
    assert parse_quantity(f"{format(number * 1000, 'f')}m") == number
    assert parse_quantity(f"{format(number, 'f')}e3") == number * 1000


@_FAST
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.none(), st.lists(st.integers())))
def test_any_value_parses_or_raises_value_error(value: object) -> None:
    try:
        parsed = parse_quantity(value)
    except ValueError:
        return
    assert 0 <= parsed <= 2**63 - 1


@_FAST
@given(st.decimals(min_value=0, max_value=64, places=4, allow_nan=False, allow_infinity=False),
       st.integers(0, 2**40))
def test_units_never_round_below_what_was_asked(cores: Decimal, size: int) -> None:
    assert 0 <= cpu_units(cores) - cores * 1024 < 1
    assert 0 <= mebibytes(Decimal(size)) - Decimal(size) / 2**20 < 1


@functools.cache
def _price_order() -> list[tuple[Decimal, int, int]]:
    """Every Fargate size with its hourly us-east-1 x86 price, cheapest first."""
    rate = load_prices(region="us-east-1").fargate["x86_64"]
    return sorted((rate.vcpu_hour * cpu / 1024 + rate.gb_hour * Decimal(memory) / 1024, cpu, memory)
                  for cpu, memories in FARGATE_SIZES.items() for memory in memories)


@_FAST
@given(st.integers(1, MAX_SIZE[0] + 1024), st.integers(1, MAX_SIZE[1] + 4096))
def test_the_size_is_valid_covers_the_need_and_is_the_cheapest_that_does(cpu: int, memory: int) -> None:
    chosen = fargate_size(cpu, memory)
    fitting = [(price, c, m) for price, c, m in _price_order() if c >= cpu and m >= memory]
    if not fitting:
        assert chosen is None
        return
    assert chosen is not None and is_valid_size(*chosen)
    assert chosen[0] >= cpu and chosen[1] >= memory
    assert chosen == fitting[0][1:]
