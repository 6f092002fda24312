"""jsontext.dumps must be json.dumps(indent=2, ensure_ascii=False), byte for byte, or raise as it does."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest

from translator.render import jsontext


class Size(enum.IntEnum):
    SMALL = 1


class Tone(enum.StrEnum):
    LOUD = "loud"


AWKWARD: list[Any] = [
    {},
    [],
    (),
    "",
    None,
    True,
    0,
    -0.0,
    1e300,
    10**40,
    float("nan"),
    float("inf"),
    float("-inf"),
    "é \u2028 \x00 \x7f \" \\ \t \U0001f680",
    {"a": {"b": [], "c": {}, "d": [[], [{}]]}, "e": (1, (2.5, None))},
    {2: "int key", 2.5: "float key", True: "bool key", None: "none key", "s": "str key"},
    [Size.SMALL, Tone.LOUD, {Tone.LOUD: Size.SMALL}],
    {"nested": [{"name": "x", "values": ["a", 1, False, None, 1.25]}]},
]


@pytest.mark.parametrize("value", AWKWARD, ids=range(len(AWKWARD)))
def test_same_text_as_json_dumps(value: Any) -> None:
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_the_kitchen_sink_findings_and_task_definitions_are_what_json_dumps_writes() -> None:
    from pathlib import Path

    from translator import api
    from translator.cli.output import findings_json

    result = api.translate(Path(__file__).parents[3] / "samples" / "kitchen-sink")
    texts = [*result.task_definitions.values(), findings_json(result)]
    assert len(texts) == 3  # two task definitions and the findings
    for text in texts:
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("value", [{"a": object()}, [b"bytes"], {(1, 2): "tuple key"}, {1j}])
def test_what_json_dumps_refuses_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        jsontext.dumps(value)
