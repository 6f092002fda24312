"""`to_json` writes exactly what json.dumps(indent=2, ensure_ascii=True) writes, re-indented,
with characters above U+FFFF as YAML's `\\U` escapes instead of JSON's surrogate pairs.

It is a hand-written encoder (the standard one is pure Python whenever `indent` is set), so
this compares it with the standard library on every kind of value a template can hold.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any

import pytest

from translator.model.intrinsics import Linked, Ref, Sub
from translator.render.values import cfn_value, to_json


class Level(enum.IntEnum):
    HIGH = 3


VALUES: list[Any] = [
    "plain", "quote \" backslash \\ newline \n tab \t", "ünïcødé ✓ 😀", "", 0, -12, 10**30, True, False, None,
    1.5, -0.0, 1e300, float("inf"), float("-inf"), float("nan"), Level.HIGH, [], {}, (), [[]], [{}], {"a": []},
    ["a", 1, None, [True, {"k": "v"}]], ("x", ("y",)),
    {"Fn::GetAtt": ["Role", "Arn"], "nested": {"deeper": {"list": [1, 2.5, "three", {"four": None}]}}},
    {2: "int key", 2.5: "float key", True: "bool key", False: "false key", None: "none key", "é": "unicode key"},
    {"ref": Linked(Ref("Cluster"), "my-cluster"), "refs": [Linked(Sub("${A}"), "a")]},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("column", [0, 4, 10])
def test_to_json_matches_json_dumps(value: Any, column: int) -> None:
    expected = json.dumps(cfn_value(value, case=False), indent=2, ensure_ascii=True).replace("\n", "\n" + " " * (column + 2))
    assert to_json(value, column) == _astral_escaped(expected)


def _astral_escaped(text: str) -> str:
    """JSON's `\\ud83d\\ude00` pairs as the one `\\U0001F600` YAML reads (a `\\\\` before is an escaped backslash)."""
    def one(match: re.Match[str]) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        return match.group(1) + f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"
    return re.sub(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", one, text)


def test_to_json_rejects_what_json_rejects() -> None:
    with pytest.raises(TypeError):
        to_json({"a": object()})
    with pytest.raises(TypeError):
        to_json({("tuple", "key"): 1})


TEXTS = ["plain", "rocket \U0001F680 \U0010FFFD", "del \x7f", "\\ud83d\\ude80 is text", "\\\U0001F680",
         "nel \x85 ls \u2028 bom \ufeff", "nul \x00 \x1f", "\uffff \ufffe", "", "\"'\\"]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_yaml_string_reads_back_exactly(text: str) -> None:
    import yaml

    from translator.render.values import plain_flow, yaml_string

    assert yaml.safe_load(yaml_string(text)) == text
    assert yaml.safe_load(plain_flow({"k": [text]})) == {"k": [text]}
    assert yaml_string(text).isascii()
    assert plain_flow({"k": [text, 1, None]}) == _astral_escaped(json.dumps({"k": [text, 1, None]})).replace("\x7f", "\\u007f")


def test_literals_with_variables_and_dynamic_references() -> None:
    from translator.render.values import to_flow

    assert to_json("${AWS::Region}-x") == '{"Fn::Join": ["$", ["", "{AWS::Region}-x"]]}'
    assert to_json("${lower_case} $HOME ${!x}") == '"${lower_case} $HOME ${!x}"'  # no name cfn-lint resolves
    assert to_json({"Fn::Sub": "${A}:${!b}"}) == '{\n    "Fn::Sub": "${A}:${!b}"\n  }'
    assert to_json("a {{resolve:ssm:x}}") == '"a { {resolve:ssm:x}}"'
    assert to_flow({"Fn::Sub": ["${A}{{resolve:", {"A": "${B}"}]}) == (
        '{"Fn::Sub": ["${A}{ {resolve:", {"A": {"Fn::Join": ["$", ["", "{B}"]]}}]}')
