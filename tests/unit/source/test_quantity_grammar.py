"""parse_quantity against the Kubernetes quantity grammar, form by form, with exact values.

Grammar and parser: k8s.io/apimachinery/pkg/api/resource/quantity.go (`<quantity> ::= <signedNumber><suffix>`,
parseQuantityString, ParseQuantity) and suffix.go (SI suffixes looked up before exponents).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.source.quantity import parse_quantity

VALID = [
    # <number> ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    ("1", Decimal(1)), ("0", Decimal(0)), ("007", Decimal(7)), ("1.5", Decimal("1.5")), ("1.", Decimal(1)),
    (".5", Decimal("0.5")),
    # <signedNumber> ::= <number> | <sign><number>
    ("+1", Decimal(1)), ("+.5", Decimal("0.5")), ("-0", Decimal(0)),
    # <decimalSI> ::= n | u | m | "" | k | M | G | T | P | E
    ("500000000n", Decimal("0.5")), ("1n", Decimal("1e-9")), ("250000u", Decimal("0.25")), ("250m", Decimal("0.25")),
    ("1k", Decimal(10**3)), ("1M", Decimal(10**6)), ("1G", Decimal(10**9)), ("1T", Decimal(10**12)),
    ("1P", Decimal(10**15)), ("1E", Decimal(10**18)), ("1.5k", Decimal(1500)), ("1.G", Decimal(10**9)),
    # <binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei
    ("1Ki", Decimal(2**10)), ("512Mi", Decimal(512 * 2**20)), ("0.5Gi", Decimal(2**29)), ("1Ti", Decimal(2**40)),
    ("1Pi", Decimal(2**50)), ("1Ei", Decimal(2**60)),
    # <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> (an int32: the parser takes no fraction)
    ("1e3", Decimal(1000)), ("1E3", Decimal(1000)), ("1e+3", Decimal(1000)), ("1E-3", Decimal("0.001")),
    ("129e6", Decimal(129_000_000)), ("1.5e0", Decimal("1.5")), ("0.0000000000000000000000000000000001e40", Decimal(10**6)),
    # finer than a nano rounds up to the next nano; JSON/YAML decoding trims spaces; YAML numbers
    ("0.9n", Decimal("1e-9")), ("1e-40", Decimal("1e-9")), (" 2 ", Decimal(2)), (2, Decimal(2)), (0.5, Decimal("0.5")),
]

INVALID = [
    # "", ".", "+" and "-" break the grammar (<number> needs a digit); apimachinery's fast path happens to
    # read the last three as 0, which no one means as a resource amount: kube2ecs follows the grammar.
    "", " ", ".", "+", "1.5 cores", "abc", "1Mb", "1K", "1ki", "1mi", "1e", "1e1.5", "1e+", "1.5.5", "--1", "1 Gi",
    "1Gi1", "0x10", "1_000", "e3", "1e2147483648",
    # valid quantities, but never a resource amount: negative, or beyond the int64 the API server stores
    "-1", "-250m", "8Ei", "1e19", "9223372036854775808",
    True, None, [1],
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_quantity_parses_to_its_exact_value(text: object, expected: Decimal) -> None:
    parsed = parse_quantity(text)
    assert parsed == expected
    assert parsed.as_tuple().exponent >= -9  # type: ignore[operator]  # nothing finer than a nano


@pytest.mark.parametrize("text", INVALID)
def test_invalid_quantity_is_rejected(text: object) -> None:
    with pytest.raises(ValueError):
        parse_quantity(text)
