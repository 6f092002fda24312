"""Values in template text, as CloudFormation reads them (the casing is encode.py's).

`to_yaml` (the `j(column)` filter) writes the templates' block YAML. `to_json` writes the same data
as JSON re-indented, the form templates had before and the reference the block writer is tested
against; `to_flow` writes one line of JSON (the `flow` filter, kept for templates not yet converted).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from translator.render import encode
from translator.render.jsontext import float_text, key_text


def cfn_value(value: Any, case: bool = True) -> Any:
    """API-shaped value -> CloudFormation shape: keys capitalised (when `case`), typed values encoded."""
    if isinstance(value, dict):
        return {(key[:1].upper() + key[1:] if case else key): cfn_value(item, case) for key, item in value.items()}
    if isinstance(value, list):
        return [cfn_value(v, case) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return encode.cfn(value)
    return value


def cfn_cased(value: Any) -> Any:
    """Jinja filter `cfn`: an ECS API-shaped value (Service Connect services) in CloudFormation casing."""
    return cfn_value(value)


def to_json(value: Any, column: int = 0) -> str:
    """JSON-shaped YAML: no quoting rules to get wrong. Continuation lines are indented past the key.

    The text is `json.dumps(cfn_value(value, case=False), indent=2, ensure_ascii=True)` with every
    line after the first indented by `column + 2`, and input text made safe for CloudFormation
    (`yaml_string`, `_literal`). It is written here rather than by json.dumps because the standard
    library falls back to its pure-Python encoder whenever `indent` is set, and templates call this
    filter for every property of every resource; typed values are encoded on the way, as cfn_value
    would, instead of copying the value first.
    """
    out: list[str] = []
    _dump(value, "\n" + " " * (column + 2), out)
    return "".join(out)


_ascii = json.encoder.encode_basestring_ascii  # the C function json.dumps uses for strings
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
# `${...}` that cfn-lint (E1029) rejects outside Fn::Sub when it names a parameter, a resource (logical
# ids are alphanumeric), a pseudo parameter or an attribute; CloudFormation itself leaves such text alone.
_VARIABLE = re.compile(r"\$\{(?:AWS::[A-Za-z]+|[A-Za-z0-9]+(?:\.[A-Za-z0-9.]+)?)\}")
DYNAMIC_REFERENCE = "{{resolve:"
DYNAMIC_REFERENCE_WRITTEN = "{ {resolve:"  # not resolved by CloudFormation, not read as one by cfn-lint


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar that every YAML parser reads back exactly.

    JSON's ASCII escapes are YAML escapes too, except that JSON writes a character above U+FFFF as
    two `\\uD8xx\\uDCxx` surrogate escapes, which YAML parsers reject or read as two broken
    characters: those are written `\\UXXXXXXXX`. DEL, which JSON leaves raw, is not printable in
    YAML and is escaped as well.
    """
    quoted = _ascii(text)
    if not text.isascii():
        parts = _ASTRAL.split(text)
        if len(parts) > 1:
            astral = _ASTRAL.findall(text)
            pieces = [_ascii(parts[0])[:-1]]
            for char, part in zip(astral, parts[1:], strict=True):
                pieces.append(f"\\U{ord(char):08X}{_ascii(part)[1:-1]}")
            quoted = "".join(pieces) + '"'
    return quoted.replace("\x7f", "\\u007f") if "\x7f" in text else quoted


def cfn_text(text: str) -> str:
    """Input text as CloudFormation must receive it inside a template (and Fn::Sub): with every
    `{{resolve:` broken, as CloudFormation resolves dynamic references wherever they stand and has
    no escape for them (finding K2E377 names the input that holds one)."""
    return text.replace(DYNAMIC_REFERENCE, DYNAMIC_REFERENCE_WRITTEN) if DYNAMIC_REFERENCE in text else text


def note_text(text: str) -> str:
    """Jinja filter `note`: text where CloudFormation takes no intrinsic function (the template's
    Description, a parameter's): a `${Name}` in it is written `${!Name}`, which cfn-lint accepts."""
    if "${" in text:
        text = _VARIABLE.sub(lambda m: "${!" + m.group(0)[2:], text)
    return _quoted(text)


def _literal(text: str) -> Any:
    """A literal string, or, when it holds `${Name}`, an Fn::Join that gives the same text back.

    CloudFormation substitutes `${...}` only inside Fn::Sub, but cfn-lint rejects a literal that
    holds one (E1029). Joining the text's pieces with "$" as delimiter rebuilds it exactly and
    leaves no `${` anywhere in the template; an Fn::Sub with `${!` escapes would be flagged as an
    Fn::Sub without variables (W1020). It is written on one line, so it fits wherever a string does.
    """
    text = cfn_text(text)
    if "${" in text and _VARIABLE.search(text):
        return {"Fn::Join": ["$", text.split("$")]}
    return text


def _dump(value: Any, newline: str, out: list[str], sub: bool = False) -> None:
    """Append the indent=2 JSON of `value`; `newline` is a line break plus the current indentation.

    `sub`: `value` is the string of an Fn::Sub (or its list form), already escaped by its maker.
    """
    if isinstance(value, str):  # the types in the order they are most common in templates
        if value.isascii() and "$" not in value and "{{" not in value and "\x7f" not in value:
            out.append(_ascii(value))  # most strings: nothing to escape beyond JSON
        else:
            literal = cfn_text(value) if sub else _literal(value)
            out.append(yaml_string(literal) if isinstance(literal, str) else _flow(literal, False))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append((inner if i == 0 else "," + inner) + yaml_string(key_text(key)) + ": ")
            _dump(item, inner, out, key == "Fn::Sub")
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _dump(item, inner, out, sub and i == 0)
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(float_text(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _dump(encode.cfn(value), newline, out, sub)  # the typed ECS model: keys cased in encode
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def to_flow(value: Any) -> str:
    """One-line JSON, for short lists such as listener actions that read best on one line.

    The text of `json.dumps(cfn_value(value, case=False), ensure_ascii=True)`, with strings written
    as `to_json` writes them.
    """
    return _flow(cfn_value(value, case=False), False)


def plain_flow(value: Any) -> str:
    """One-line JSON of a resource's Metadata, which CloudFormation evaluates as it does properties.

    The text of `to_flow`. json.dumps without indent is the C encoder, so it writes the common
    case; a value with `${` or `{{resolve:` (a source file named so) goes the way of `to_flow`, and
    the rare surrogate pair or DEL is rewritten as `yaml_string` writes it.
    """
    text = json.dumps(value, ensure_ascii=True)
    if "${" in text or DYNAMIC_REFERENCE in text:
        return _flow(value, False)
    if "\\ud" in text:
        text = _SURROGATE_PAIR.sub(_astral_escape, text)
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


# JSON's `\ud83d\ude80` for one character above U+FFFF (lowercase, as json.dumps writes it), not
# after an escaped backslash.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _astral_escape(match: re.Match[str]) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def _flow(value: Any, sub: bool) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = encode.cfn(value)
    if isinstance(value, str):
        literal = cfn_text(value) if sub else _literal(value)
        return yaml_string(literal) if isinstance(literal, str) else _flow(literal, False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_string(key_text(k))}: {_flow(v, k == 'Fn::Sub')}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v, sub and i == 0) for i, v in enumerate(value)) + "]"
    return json.dumps(value)


# --- Block YAML: the templates as a person writes CloudFormation

def to_yaml(value: Any, column: int | None = None) -> str:
    """Jinja filter `j(column)`: `value` as block YAML, for the place after `Key: ` whose key starts at `column`.

    A scalar is written on the key's line; a mapping or list starts on the next line, indented by
    `column + 2` (the template's `Key: ` before it loses its space, see `cloudformation.render`).
    The data are those `to_json` writes, so every YAML loader reads the same values:
    - strings are plain where YAML reads them back as the same string, else double-quoted with
      JSON's escapes (`yaml_string`): numbers, booleans (`yes`, `off`), nulls, dates, text that
      starts with an indicator, holds `: ` or ` #`, ends with a space or a colon, is empty, or
      holds a character outside printable ASCII;
    - intrinsics are the long form (`Ref: X`, `Fn::GetAtt: [X, Arn]`) that cfn-lint and plain
      YAML loaders read alike; a key `Ref` or `Fn::...` beside other keys is quoted, so only an
      intrinsic reads as one (`crossrefs` relies on it);
    - a list of a few plain scalars is written inline (`[a, b]`), every other list as `- ` items;
    - text with a line break is double-quoted on one line, never a literal block: a line of it could
      then read as a key (`Ref: X`) to `crossrefs`, or end in `: ` before a line break, which
      `cloudformation.render` takes away.
    Without a column, a mapping or list is written on one line as `to_flow` writes it.
    """
    kind = type(value)
    if kind is str:  # most calls: a string on the key's line
        text = _plain_text(value)
        if text is not None:
            return text
    elif kind is int:
        return int.__repr__(value)
    if column is None:
        if kind is dict or kind is list or kind is tuple:
            return _flow(value, False)
        if kind is not str and dataclasses.is_dataclass(value) and not isinstance(value, type):
            encoded = encode.cfn(value)
            return _flow(encoded, False) if isinstance(encoded, dict | list) else to_yaml(encoded)
        if kind is str and not _cfn_safe(value):
            literal = _literal(value)
            return _quoted(literal) if isinstance(literal, str) else _flow(literal, False)
    out: list[str] = []
    column = column or 0
    _write(value, _NEWLINES[column] if column < 40 else "\n" + " " * (column + 2), out, False, False)
    text = "".join(out)
    return text[1:] if text[:1] == " " else text


_NEWLINES = tuple("\n" + " " * (column + 2) for column in range(40))


# Characters a plain scalar may start with (letters and a few that YAML gives no meaning there);
# every other start, digits included, is quoted: a number, date or indicator is never misread.
_PLAIN_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/_$(")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Plain words YAML 1.1 (PyYAML) or 1.2 (ruamel) read as booleans or null, compared in lower case.
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_FLOW_UNSAFE = frozenset(",[]{}:#")
_INLINE_WIDTH = 72  # an inline list at most this long, brackets included


def _cfn_safe(text: str) -> bool:
    """Text CloudFormation and cfn-lint take as written: nothing `_literal` or `cfn_text` would change."""
    return text.isascii() and "$" not in text and "{{" not in text


def _plain(text: str) -> bool:
    """Whether `text` written without quotes reads back as this same string in every YAML loader."""
    if text.isalnum() and text.isascii():  # names, ids, most keys: only a leading digit or a word matters
        return text[0] in _LETTERS and (len(text) > 5 or text.lower() not in _WORDS)
    return text != "" and text.isascii() and _plain_ascii(text)


def _plain_ascii(text: str) -> bool:
    """`_plain` of a non-empty ASCII text that is not all letters and digits."""
    return (text[0] in _PLAIN_START and text.isprintable() and text[-1] != " " and text[-1] != ":"
            and ": " not in text and " #" not in text and (len(text) > 5 or text.lower() not in _WORDS))


def _plain_text(text: str) -> str | None:
    """`text` as written when CloudFormation takes it as it is: plain or quoted; None when it is not."""
    if text.isascii():
        if text.isalnum():
            return text if text[0] in _LETTERS and (len(text) > 5 or text.lower() not in _WORDS) else yaml_string(text)
        if "$" in text or "{{" in text:
            return None
        return text if text and _plain_ascii(text) else yaml_string(text)
    return None


scalar_text = _plain_text


def _quoted(text: str) -> str:
    return text if _plain(text) else yaml_string(text)


def _scalar(value: Any) -> str | None:
    """The text of a scalar that needs no care about `${` (numbers, booleans, null); None otherwise."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _yaml_float(value)
    return None


def _yaml_float(value: float) -> str:
    """A float as YAML 1.1 and 1.2 both read it: with a dot, a signed exponent, `.inf`, `.nan`."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = float.__repr__(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        if exponent[0] not in "+-":
            exponent = "+" + exponent
        text = f"{mantissa}e{exponent}"
    return text


def _inline(items: list[Any] | tuple[Any, ...], always: bool) -> str | None:
    """`[a, b]` for a list of plain scalars within `_INLINE_WIDTH` (always for Fn::GetAtt); else None."""
    texts = []
    width = 2
    for item in items:
        kind = type(item)
        if kind is str:
            if not (item.isalnum() or (_FLOW_UNSAFE.isdisjoint(item) and _cfn_safe(item))) or not _plain(item):
                return None
            texts.append(item)
        elif kind is int or kind is float or kind is bool:
            texts.append(_scalar(item) or "")
        else:
            return None
        width += len(texts[-1]) + 2
        if width > _INLINE_WIDTH and not always:
            return None
    return "[" + ", ".join(texts) + "]"


def _write(value: Any, newline: str, out: list[str], sub: bool, item: bool, key: str = "") -> None:
    """Append `value` as the value of a key (`item` False: ` scalar`, or the block on the next lines)
    or as a list item right after its `- ` (`item` True). `newline` is a line break and the
    indentation of the value's own keys or items; `sub`: the string of an Fn::Sub, escaped by its
    maker; `key`: the key the value belongs to (Fn::GetAtt lists stay inline)."""
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}" if item else " {}")
            return
        inner = newline + "  "
        several = len(value) > 1
        first = item
        for name, child in value.items():
            if type(name) is not str:
                name = key_text(name)
            if (name.isalnum() and name.isascii() and name[0] in _LETTERS
                    and (len(name) > 5 or name.lower() not in _WORDS) and (not several or name != "Ref")):
                text = name  # the common key: a property name
            else:
                text = name if _plain(name) else yaml_string(name)
                if several and (name == "Ref" or name[:4] == "Fn::"):
                    text = yaml_string(name)  # data, not an intrinsic
            head = text + ":" if first else newline + text + ":"
            first = False
            kind = type(child)
            if kind is str and name != "Fn::Sub":  # the common values, without a call
                written = _plain_text(child)
                if written is not None:
                    out.append(head + " " + written)
                    continue
            elif kind is int:
                out.append(head + " " + int.__repr__(child))
                continue
            out.append(head)
            _write(child, inner, out, name == "Fn::Sub", False, name)
    elif kind is str:
        if not sub:
            written = _plain_text(value)
            if written is not None:
                out.append(written if item else " " + written)
                return
        literal = cfn_text(value) if sub else _literal(value)
        if isinstance(literal, str):
            out.append(_quoted(literal) if item else " " + _quoted(literal))
        else:
            _write(literal, newline, out, False, item)
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]" if item else " []")
            return
        if not sub:
            inline = _inline(value, key == "Fn::GetAtt")
            if inline is not None:
                out.append(inline if item else " " + inline)
                return
        inner = newline + "  "
        dash = newline + "- "
        for i, child in enumerate(value):
            head = "- " if item and i == 0 else dash
            if type(child) is str and not sub:
                written = _plain_text(child)
                if written is not None:
                    out.append(head + written)
                    continue
            out.append(head)
            _write(child, inner, out, sub and i == 0, True)
    else:
        number = _scalar(value)
        if number is not None:
            out.append(number if item else " " + number)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            _write(encode.cfn(value), newline, out, sub, item, key)  # the typed ECS model: keys cased in encode
        else:
            raise TypeError(f"Object of type {value.__class__.__name__} is not YAML serializable")
