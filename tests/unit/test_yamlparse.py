"""The position-keeping loader resolves scalars exactly as ruamel.yaml's safe loader does.

It resolves tags from its own copy of the YAML 1.2 table (for speed), so this pins it to the
library's answer for every kind of plain, quoted and explicitly tagged scalar.
"""

from __future__ import annotations

import math

import pytest
from ruamel.yaml import YAML

from translator.source.yamlparse import ParsedDocument, YamlProblem, parse_documents

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
