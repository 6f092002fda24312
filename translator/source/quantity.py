"""Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `129e6`) as exact decimals."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_Q = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(m|k|M|G|T|P|E))?$")
_BIN = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DEC = {"m": Decimal("0.001"), "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9,
        "T": Decimal(10) ** 12, "P": Decimal(10) ** 15, "E": Decimal(10) ** 18}
_MAX = Decimal(2**63 - 1)


def parse_quantity(value: object) -> Decimal:
    """Parse a quantity; raises ValueError for anything Kubernetes would reject.

    The exponent form is tried before the `E` (exa) suffix, so `1E3` is 1000 and `1E` is 10^18.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("not a quantity")
    text = str(value).strip()
    match = _Q.match(text)
    if not match:
        raise ValueError("not a quantity")
    try:
        number = Decimal(match.group(1))
    except InvalidOperation as err:  # pragma: no cover - the regex admits only valid decimals
        raise ValueError("not a quantity") from err
    if match.group(2):
        result = number * _BIN[match.group(2)]
    elif match.group(3):
        exponent = int(match.group(3)[1:])
        if abs(exponent) > 30:
            raise ValueError("exponent out of range")
        result = number * Decimal(10) ** exponent
    elif match.group(4):
        result = number * _DEC[match.group(4)]
    else:
        result = number
    if result > _MAX or result < 0:
        raise ValueError("quantity out of range")
    return result


def is_milli_bytes(value: object) -> bool:
    return isinstance(value, str) and value.strip().endswith("m")


def cpu_units(cores: Decimal) -> int:
    """Cores to ECS CPU units: 0.25 -> 256, 0.1 -> 103 (rounded up, never below what was asked)."""
    return math.ceil(cores * 1024)


def mebibytes(size: Decimal) -> int:
    """Bytes to MiB rounded up: 1G -> 954, 512Mi -> 512."""
    return math.ceil(size / 2**20)


def gibibytes(size: Decimal) -> int:
    return math.ceil(size / 2**30)
