"""A loaded Kubernetes document: plain data plus an index from JSON pointer to file position.

Positions live beside the data (not inside it, as magic keys would) so mapping code sees ordinary
dicts and lists while any stage can still turn a pointer into file:line:column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.findings.model import Location


def escape(token: str) -> str:
    """JSON pointer escaping (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join(pointer: str, token: str | int) -> str:
    text = token if type(token) is str else str(token)
    if "~" in text or "/" in text:  # rare in keys; every node of every document passes here
        text = escape(text)
    return f"{pointer}/{text}"


@dataclass
class Document:
    data: Any
    file: str
    index: int
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    base: str = ""  # pointer of this object inside its YAML document (items of a List)
    texts: dict[str, str] = field(default_factory=dict)  # pointer -> text of each scalar that YAML did not read as a string
    may_hold_placeholder: bool = True  # False when its YAML text cannot hold `${` or `{{` (ParsedDocument)

    def text(self, pointer: str) -> str | None:
        """How a number, boolean or null at `pointer` was written (`1e3`, `012`), or None when it is a string."""
        return self.texts.get(self.base + pointer)

    def location(self, pointer: str = "") -> Location:
        """The nearest known position of `pointer` (walking up to a parent that has one)."""
        full = self.base + pointer
        probe = full
        while probe and probe not in self.positions:
            probe = probe.rsplit("/", 1)[0]
        line, col = self.positions.get(probe, self.positions.get("", (0, 0)))
        return Location(self.file, line, col, full or "/", self.index)

    @property
    def kind(self) -> str:
        value = self.data.get("kind") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def api_version(self) -> str:
        value = self.data.get("apiVersion") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        value = meta.get("name") if isinstance(meta, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def namespace(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        value = meta.get("namespace") if isinstance(meta, dict) else None
        return value if isinstance(value, str) and value else ""
