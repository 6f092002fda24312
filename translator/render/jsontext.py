"""Indented JSON text: byte for byte what `json.dumps(value, indent=2, ensure_ascii=False)` writes.

Why not json.dumps: with `indent` set, the standard library leaves its C encoder for a pure-Python
one made of nested generators, one frame per value. A convert writes every finding and every task
definition as indented JSON, and that encoder was a tenth of writing the output. This one appends
to one list from a recursive function, writes the common scalars inline and escapes strings with
the same C function json.dumps uses, for the same text in a third of the time.

Same rules as json.dumps: a tuple is a list; dict keys that are str, int, float, bool or None are
converted as json.dumps converts them, any other key or value type is a TypeError; NaN and the
infinities are written `NaN`, `Infinity`, `-Infinity`. A value that contains itself recurses
without end (json.dumps detects it): the values written here are built by kube2ecs, never cyclic.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_escape = json.encoder.encode_basestring  # the C function json.dumps uses when ensure_ascii=False


def dumps(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`."""
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    """Append `value`; `newline` is a line break and the indentation of the line `value` ends on."""
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        lead = "{" + inner
        for key, item in value.items():
            name = _escape(key if key.__class__ is str else key_text(key)) + ": "
            write = _SCALARS.get(item.__class__)
            text = _scalar(item) if write is None else write(item)
            if text is None:
                out.append(lead + name)
                _write(item, inner, out)
            else:
                out.append(lead + name + text)
            lead = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        lead = "[" + inner
        for item in value:
            write = _SCALARS.get(item.__class__)
            text = _scalar(item) if write is None else write(item)
            if text is None:
                out.append(lead)
                _write(item, inner, out)
            else:
                out.append(lead + text)
            lead = "," + inner
        out.append(newline + "]")
    else:
        text = _scalar(value)
        if text is None:
            raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
        out.append(text)


def _scalar(value: Any) -> str | None:
    """The text of a scalar, in json.dumps' order of checks; None for a container or another type."""
    if isinstance(value, str):
        return _escape(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float_text(value)
    return None


# The writer of each common scalar class, looked up by exact class: one dict lookup instead of a
# chain of isinstance checks. Floats (NaN, infinities) and subclasses go through `_scalar`.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _escape, int: int.__repr__, bool: {True: "true", False: "false"}.__getitem__,
    type(None): lambda _none: "null",
}


def float_text(value: float) -> str:
    """A float as json.dumps writes it (allow_nan, its default)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def key_text(key: Any) -> str:
    """A dictionary key as json.dumps converts it (it checks in this order)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return float_text(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
