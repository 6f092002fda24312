"""The finding sink: repeats kept out, withdrawals exact, and one documented order."""

from __future__ import annotations

import itertools
import random

from translator.findings.model import Finding, FindingSink, Location, Severity


def _finding(file: str, line: int, code: str, message: str, resource: str = "Deployment/shop/api") -> Finding:
    return Finding(code, Severity.WARNING, message, "do this", resource, Location(file, line, 1, "/spec"))


FINDINGS = [
    _finding("b.yaml", 3, "K2E200", "port 15672 of rabbit"),
    _finding("b.yaml", 3, "K2E200", "port 4369 of rabbit"),
    _finding("b.yaml", 3, "K2E200", "port 5672 of rabbit"),
    _finding("b.yaml", 3, "K2E200", "port 5672 of rabbit", resource="Deployment/shop/other"),
    _finding("a.yaml", 10, "K2E300", "z"),
    _finding("a.yaml", 9, "K2E300", "z"),
    _finding("a.yaml", 10, "K2E100", "y"),
    _finding("", 0, "K2E371", "stack big was split"),
]


def test_sorted_is_the_sort_key_order_whatever_the_order_added() -> None:
    expected = sorted(FINDINGS, key=Finding.sort_key)
    assert [f.message for f in expected[-4:]] == ["port 4369 of rabbit", "port 5672 of rabbit", "port 15672 of rabbit",
                                                  "port 5672 of rabbit"]
    for seed in range(20):
        shuffled = FINDINGS[:]
        random.Random(seed).shuffle(shuffled)
        sink = FindingSink()
        for finding in shuffled:
            sink.add(finding)
        assert sink.sorted() == expected


def test_repeats_are_kept_once_and_a_withdrawn_finding_can_come_back() -> None:
    sink = FindingSink()
    for finding in itertools.chain(FINDINGS, FINDINGS):
        sink.add(finding)
    assert len(sink) == len(FINDINGS)
    sink.withdraw(("K2E200",), "Deployment/shop/api")
    assert [f.message for f in sink.sorted() if f.code == "K2E200"] == ["port 5672 of rabbit"]  # the other resource's
    assert len(sink) == len(FINDINGS) - 3
    sink.add(FINDINGS[0])  # no longer seen: a later step may report it again
    sink.add(FINDINGS[4])  # still there: a repeat
    assert len(sink) == len(FINDINGS) - 2
