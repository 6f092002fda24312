"""crossrefs finds block intrinsics with str.find; it must find exactly what the pattern's own search finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.render.crossrefs import _BLOCK, _blocks

GOLDEN = Path(__file__).parents[2] / "golden"


def _spans(matches: list) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_every_golden_template_gives_the_same_matches_as_finditer() -> None:
    templates = sorted(GOLDEN.glob("*/cloudformation/*.yaml"))
    assert len(templates) > 20
    found = 0
    for path in templates:
        text = path.read_text(encoding="utf-8")
        expected = list(_BLOCK.finditer(text))
        assert _spans(_blocks(text)) == _spans(expected), path
        found += len(expected)
    assert found > 500


@pytest.mark.parametrize("text", [
    "",
    "Ref: X",
    "  Fn::Sub: Ref: X\n  Ref: Y\n",  # a key inside a Sub's text: one match, the Sub
    "Fn::Sub: a Fn::GetAtt: [A, B]\n",
    "RRef: X\nFn::Fn::Sub: x\nRef: \nRef: X Y\n",
    "- Fn::GetAtt: [Web, GroupId]\n- Ref: Web\n  Fn::Sub: \"${Web}\\\"\"\n",
    "Ref: A\nRef: B\nFn::Sub: ${A}\nRef: A",
])
def test_awkward_texts_give_the_same_matches_as_finditer(text: str) -> None:
    assert _spans(_blocks(text)) == _spans(list(_BLOCK.finditer(text)))
