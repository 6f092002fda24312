"""Findings are data: every gap, assumption and input problem is a value, never a log line.

The library collects findings in a `FindingSink` passed explicitly through the pipeline, so a
caller (CLI, report, GitOps pipeline) decides what to print and how to exit.
"""

from __future__ import annotations

import enum
import itertools
import operator
import re
from dataclasses import dataclass, field

from translator.model.record import record


class Severity(enum.IntEnum):
    """Ordered so that `max()` gives the worst severity and `--fail-on` compares with `>=`."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[str | int, ...]:
    """Numbers compare as numbers: findings about ports 4369, 5672 and 15672 list in that order."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(text)))


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points in the input: a file position plus the JSON pointer in the document."""

    file: str = ""
    line: int = 0
    column: int = 0
    pointer: str = ""
    document: int = 0


@record
class Finding:
    code: str
    severity: Severity
    message: str
    remediation: str
    resource: str = ""
    location: Location = field(default_factory=Location)

    def sort_key(self) -> tuple[str, int, int, str, str, tuple[str | int, ...]]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.resource, _natural(self.message))

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "remediation": self.remediation,
            "resource": self.resource,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "pointer": loc.pointer,
        }

    def where(self) -> str:
        loc = self.location
        if not loc.file:
            return self.resource or "-"
        return f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file


def _place(finding: Finding) -> tuple[str, int, int, str, str]:
    """`Finding.sort_key` without the message."""
    loc = finding.location
    return (loc.file, loc.line, loc.column, finding.code, finding.resource)


class FindingSink:
    """Collects findings; deduplicates exact repeats so a shared pod template is reported once."""

    def __init__(self) -> None:
        self._items: list[Finding] = []
        self._seen: set[Finding] = set()

    def add(self, finding: Finding) -> None:
        if finding not in self._seen:
            self._seen.add(finding)
            self._items.append(finding)

    def withdraw(self, codes: tuple[str, ...], resource: str, message: str = "") -> None:
        """Drop the findings of `codes` about `resource` (whose message holds `message`): a later decision made
        them untrue (one problem, one finding)."""
        kept = []
        for finding in self._items:
            if finding.code in codes and finding.resource == resource and message in finding.message:
                self._seen.discard(finding)  # only these: hashing every finding again cost more than the run's sort
            else:
                kept.append(finding)
        self._items = kept

    def sorted(self) -> list[Finding]:
        """In `Finding.sort_key` order. The message's natural order decides only between findings alike in
        everything else, so it is computed for those only: splitting every message cost half the sort."""
        keyed = sorted([(_place(f), f) for f in self._items], key=operator.itemgetter(0))
        out: list[Finding] = []
        for _, group in itertools.groupby(keyed, key=operator.itemgetter(0)):
            run = [f for _, f in group]
            out += run if len(run) == 1 else sorted(run, key=lambda f: _natural(f.message))
        return out

    def __len__(self) -> int:
        return len(self._items)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self._items), default=None)
