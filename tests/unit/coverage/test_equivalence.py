"""The equivalence table is read row by row from its lines, and whole when its layout is another."""

from __future__ import annotations

import pytest

from translator.coverage.equivalence import Rows, parse_all, row_lines
from translator.findings.model import Severity

ONE_PER_LINE = """\
# a comment
- {id: A1, field: "Thing:spec.size", verdict: full, target: "Size"}
- {id: A2, field: "Thing:spec.mode", verdict: none, severity: info, remediation: "Nothing to do.", default: "auto"}  # why
"""


def test_rows_are_parsed_from_their_own_line_when_looked_up() -> None:
    lines = row_lines(ONE_PER_LINE)
    assert lines is not None and list(lines) == ["Thing:spec.size", "Thing:spec.mode"]
    rows = Rows(lines)
    assert "Thing:spec.mode" in rows and "Thing:spec.other" not in rows and len(rows) == 2
    assert rows["Thing:spec.mode"].severity is Severity.INFO and rows["Thing:spec.mode"].default == "auto"
    assert rows.get("Thing:spec.other") is None
    assert dict(rows) == parse_all(ONE_PER_LINE)


def test_a_row_in_another_layout_makes_the_whole_table_parsed() -> None:
    block = ONE_PER_LINE + "- id: A3\n  field: \"Thing:spec.more\"\n  verdict: full\n"
    assert row_lines(block) is None
    assert list(parse_all(block)) == ["Thing:spec.size", "Thing:spec.mode", "Thing:spec.more"]


def test_a_field_given_twice_is_refused_either_way() -> None:
    twice = ONE_PER_LINE + '- {id: A9, field: "Thing:spec.size", verdict: none, remediation: "x"}\n'
    with pytest.raises(ValueError, match=r"Thing:spec\.size"):
        row_lines(twice)
    with pytest.raises(ValueError, match="A9"):
        parse_all(twice)
