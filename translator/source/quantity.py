"""Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `129e6`, `500000000n`) as exact decimals.

The grammar is apimachinery's (k8s.io/apimachinery/pkg/api/resource/quantity.go):

    <quantity>        ::= <signedNumber><suffix>
    <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    <signedNumber>    ::= <number> | <sign><number>
    <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>

as its parser reads it: a suffix is looked up as SI first, so `1E` is 10^18 and `1E3` is 1000; the
exponent is a signed 32-bit integer (`1e1.5` is rejected); surrounding spaces are trimmed, as
Quantity's JSON decoding does; a value finer than a nano is rounded up to the next nano (`0.9n` is
1n), as Kubernetes keeps nothing finer and rounds away from zero so that a tiny request stays one.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_UP, Decimal, localcontext

_Q = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|(n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$")
_BIN = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DEC = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_MAX = Decimal(2**63 - 1)
_NANO = Decimal("1e-9")
_INT32 = 2**31


def parse_quantity(value: object) -> Decimal:
    """Parse a quantity; raises ValueError for anything Kubernetes would reject as a resource amount.

    Negative quantities parse in Kubernetes but no resource amount may be negative, and every
    amount kube2ecs reads must fit the int64 the API server stores, so both are rejected here.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("not a quantity")
    match = _Q.match(str(value).strip())
    if not match:
        raise ValueError("not a quantity")
    number = Decimal(match.group(1))
    binary, decimal, exponent = match.group(2), match.group(3), match.group(4)
    if binary:
        result = number * _BIN[binary]
    elif decimal or exponent:
        result = _scaled(number, _DEC[decimal] if decimal else int(exponent))
    else:
        result = number
    if result > _MAX or result < 0:
        raise ValueError("quantity out of range")
    if result.as_tuple().exponent < -9:  # type: ignore[operator]  # finite here: the regex admits no NaN
        with localcontext(prec=40):
            result = result.quantize(_NANO, rounding=ROUND_UP)
    return result


def _scaled(number: Decimal, exponent: int) -> Decimal:
    """`number` x 10^exponent, exact. Kubernetes reads the exponent as an int32; a larger one is no
    quantity. Far beyond any int64 the result is only compared against the range, so it is scaled
    in a wide context instead of raised to a power."""
    if not -_INT32 <= exponent < _INT32:
        raise ValueError("exponent out of range")
    if abs(exponent) <= 30:
        return number * Decimal(10) ** exponent
    with localcontext(prec=60, Emax=4 * _INT32, Emin=-4 * _INT32):
        return number.scaleb(exponent)


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
