"""Go duration text and Argo's whole seconds, as the controllers read them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.source.duration import seconds


@pytest.mark.parametrize(("text", "expected"), [
    ("1h30m", Decimal(5400)), ("90s", Decimal(90)), ("1.5h", Decimal(5400)), ("10m", Decimal(600)),
    ("500ms", Decimal("0.5")), ("1m0.5s", Decimal("60.5")), ("2h45m30s", Decimal(9930)), ("0", Decimal(0)),
    ("+5s", Decimal(5)), ("300", Decimal(300)), (300, Decimal(300)), ("1\u00b5s", Decimal("0.000001")),
    (".5m", Decimal(30)),
])
def test_durations_go_and_argo_accept(text: object, expected: Decimal) -> None:
    assert seconds(text) == expected


@pytest.mark.parametrize("text", ["", "1d", "h", "1h 30m", "-5s", "1.2.3s", "5sm", True, -3, None, "1H"])
def test_what_go_rejects_is_not_a_duration(text: object) -> None:
    assert seconds(text) is None
