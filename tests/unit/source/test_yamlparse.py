"""The position-keeping loader resolves scalars exactly as ruamel.yaml's safe loader does.

It resolves tags from its own copy of the YAML 1.2 table (for speed), so this pins it to the
library's answer for every kind of plain, quoted and explicitly tagged scalar.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from translator.source.yamlparse import MAX_NODES, ParsedDocument, YamlProblem, _children, _compose, parse_documents

SCALARS = [
    "80", "-1", "+7", "0", "007", "0o17", "0x1F", "0b101", "1_000", "12:30", "1e3", "1.5", "-.5", ".inf", "-.Inf",
    ".nan", "1.", "true", "False", "TRUE", "yes", "on", "No", "null", "~", "Null", "", "'80'", '"true"', "!!str 1",
    "!!int '12'", "!!float 1", "!!bool true", "abc", "<<x", "v1.2.3", "0777", "1.0e+3",
]


def _one(text: str) -> ParsedDocument:
    (parsed,) = parse_documents(text)
    assert isinstance(parsed, ParsedDocument)
    return parsed


# Except leading-zero integers: the API server reads manifests as YAML 1.1, where 0777 is octal (511).
OCTAL = {"0777": 0o777, "007": 0o7}


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_resolve_like_the_safe_loader(scalar: str) -> None:
    expected = OCTAL[scalar] if scalar in OCTAL else YAML(typ="safe").load(f"v: {scalar}\n")["v"]
    got = _one(f"v: {scalar}\n").data["v"]
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(got, float) and math.isnan(got)
    else:
        assert (type(got), got) == (type(expected), expected)


def test_timestamps_stay_text_and_keys_keep_positions() -> None:
    parsed = _one("a:\n  when: 2001-12-14\n  80: x\n  'a/b~c': [1, {d: 2}]\n")
    assert parsed.data == {"a": {"when": "2001-12-14", "80": "x", "a/b~c": [1, {"d": 2}]}}
    assert parsed.positions == {"": (1, 1), "/a": (1, 1), "/a/when": (2, 3), "/a/80": (3, 3), "/a/a~1b~0c": (4, 3),
                                "/a/a~1b~0c/0": (4, 13), "/a/a~1b~0c/1": (4, 16), "/a/a~1b~0c/1/d": (4, 17)}


def test_merge_keys_and_bad_keys() -> None:
    assert _one("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n").data["c"] == {"x": 1, "y": 2}
    first, problem = parse_documents("a: 1\n---\ntrue: 1\n")
    assert isinstance(first, ParsedDocument) and first.data == {"a": 1}
    assert isinstance(problem, YamlProblem) and (str(problem), problem.line) == ("mapping keys must be strings", 3)


# Texts with the most nodes per character: empty values, implicit nulls, empty collections.
DENSE = ["{a,b,c,d}", "[?:,?:]", "- \n- \n", "-\n-\n", "? \n", "[{},{},[]]", "{? ,? }", "[a: ,b: ]", "- - - -"]


@pytest.mark.parametrize("text", DENSE)
def test_a_tree_has_at_most_one_node_per_character(text: str) -> None:
    """What lets a chunk without anchors skip the alias-bomb walk when it is short (`_may_share_nodes`)."""
    pending, count = [node for node in _compose(text) if node is not None], 0
    while pending:
        count += 1
        pending.extend(_children(pending.pop()))
    assert count <= len(text) + 1


@pytest.mark.slow
def test_a_huge_tree_without_anchors_is_still_refused() -> None:
    text = "{" + ",".join(["a"] * (MAX_NODES // 2 + 1)) + "}\n"
    (problem,) = parse_documents(text)
    assert isinstance(problem, YamlProblem) and (problem.code, problem.line, problem.column) == ("K2E007", 1, 1)


# Documents libyaml refuses and Kubernetes (go-yaml) accepts: a colon inside a plain scalar in a flow collection.
FLOW_COLONS = [
    ("containers: [{name: web, image: nginx:1.27}]\n", {"containers": [{"name": "web", "image": "nginx:1.27"}]}),
    ("args: [--listen=:8080, a:b]\n", {"args": ["--listen=:8080", "a:b"]}),
    ("env: {URL: http://api:80/x, T: 12:30}\n", {"env": {"URL": "http://api:80/x", "T": "12:30"}}),
]


@pytest.mark.parametrize(("text", "data"), FLOW_COLONS)
def test_what_libyaml_refuses_and_yaml_1_2_accepts_is_read_by_the_pure_parser(text: str, data: object) -> None:
    from ruamel.yaml.error import MarkedYAMLError

    with pytest.raises(MarkedYAMLError):
        _compose(text)  # libyaml alone
    parsed = _one(text)
    assert parsed.data == data
    key = next(iter(data))  # type: ignore[call-overload]
    assert parsed.positions[f"/{key}"] == (1, 1)


def test_the_pure_parser_reads_every_sample_as_libyaml_does() -> None:
    """The fallback composes with the same resolver: same values, types and positions on real manifests."""
    from translator.source.yamlparse import _Builder, _pure_loader_class, split_documents

    samples = sorted((Path(__file__).parents[3] / "samples").rglob("*.yaml"))
    assert len(samples) > 30
    for path in samples:
        for offset, chunk in split_documents(path.read_text(encoding="utf-8")):
            fast, pure = _compose(chunk), _compose(chunk, _pure_loader_class())
            assert len(fast) == len(pure), path
            for a, b in zip(fast, pure, strict=True):
                built = [(_Builder(offset), node) for node in (a, b)]
                values = [(builder.build(node, "", 0), builder.positions, builder.texts) for builder, node in built]
                assert values[0] == values[1], path


def test_when_both_parsers_refuse_libyaml_says_why() -> None:
    (problem,) = parse_documents("a: [b: c: d\n")
    assert isinstance(problem, YamlProblem)
    assert (problem.code, str(problem), problem.line) == ("K2E001", "did not find expected ',' or ']'", 1)


def test_the_pure_parser_reads_no_chunk_over_its_limit_and_no_other_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """It takes seconds a megabyte: a large broken document must not cost that, whatever breaks it."""
    from translator.source import yamlparse

    calls: list[str] = []
    monkeypatch.setattr(yamlparse, "_pure_loader_class", lambda: calls.append("pure") or yamlparse._loader_class())
    big = "containers: [{name: web, image: nginx:1.27}]\n" + "# padding\n" * (yamlparse.PURE_LIMIT // 10)
    (problem,) = parse_documents(big)
    assert isinstance(problem, YamlProblem) and str(problem) == "found unexpected ':'"
    (problem,) = parse_documents("a: [b\n")  # refused for another reason
    assert isinstance(problem, YamlProblem)
    assert calls == []
