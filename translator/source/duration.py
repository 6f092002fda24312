"""Durations as the Kubernetes ecosystem writes them: Go's `time.ParseDuration` text, or whole seconds.

Argo Rollouts (`pause.duration`) and Flagger (`analysis.interval`) both take Go duration strings
(`1h30m`, `90s`, `1.5h`); Argo also takes a bare integer, in seconds.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Go's units (time/format.go unitMap), in nanoseconds; "µs" is written with U+00B5 or U+03BC.
_UNITS = {"ns": Decimal(1), "us": Decimal(1_000), "\u00b5s": Decimal(1_000), "\u03bcs": Decimal(1_000),
          "ms": Decimal(1_000_000), "s": Decimal(10) ** 9, "m": 60 * Decimal(10) ** 9, "h": 3600 * Decimal(10) ** 9}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")


def seconds(value: object) -> Decimal | None:
    """Seconds of a duration (an int, a digit string, or Go's text), or None when it is not one.

    Go accepts a sign and "0" without a unit; a negative duration is no wait at all here.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if value >= 0 else None
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.isdigit():
        return Decimal(text)
    sign, text = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if text == "0":
        return Decimal(0)
    total, position = Decimal(0), 0
    for match in _PART.finditer(text):
        if match.start() != position:
            return None
        try:
            total += Decimal(match.group(1)) * _UNITS[match.group(2)]
        except InvalidOperation:
            return None
        position = match.end()
    if position != len(text) or position == 0 or sign < 0:
        return None
    return total / Decimal(10) ** 9
