"""Names that AWS accepts: logical ids, families, target-group names, tags."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from translator.model.ecs import Tag

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_NOT_FAMILY = re.compile(r"[^A-Za-z0-9_-]+")


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


@functools.lru_cache(maxsize=8192)  # a workload's name is the stem of each of its resources' ids
def camel(name: str) -> str:
    """`frontend-external` -> `FrontendExternal`, the stem of a CloudFormation logical id."""
    parts = [p for p in _NOT_ALNUM.split(name) if p]
    stem = "".join(p[:1].upper() + p[1:] for p in parts) or "X"
    return stem if stem[0].isalpha() else "K" + stem


class LogicalIds:
    """Hands out unique logical ids; a collision (`my-app` vs `my.app`) gets a stable hash suffix."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}

    def get(self, name: str, suffix: str) -> str:
        candidate = (camel(name) + suffix)[:255]
        owner = self._owners.setdefault(candidate, name)
        if owner == name:
            return candidate
        hashed = (camel(name) + short_hash(name) + suffix)[:255]
        self._owners.setdefault(hashed, name)
        return hashed


def family(namespace: str, name: str) -> str:
    """Task definition family and ECS service name: `[A-Za-z0-9_-]`, at most 255 characters."""
    text = _NOT_FAMILY.sub("-", f"{namespace}-{name}").strip("-")
    return text[:255] or "task"


def port_name(text: str) -> str:
    """ECS port-mapping names: lowercase `[a-z0-9_-]`, at most 64, no leading `-`."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).lstrip("-")[:64]


# AWS's tag character set is `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`: letters, separators (Z: space, no-break
# space, U+2028/9 but not a tab or a line break), numbers, and these.
_TAG_PUNCTUATION = frozenset("_.:/=+-@")
_ASCII_TAG = re.compile(r"[A-Za-z0-9 _.:/=+\-@]*")
TAG_KEY_UNITS, TAG_VALUE_UNITS = 128, 256  # counted in UTF-16 code units, as AWS's services count


def tag_value(text: str) -> str:
    """A value kube2ecs writes itself, in the tag character set (an unrendered `$ITEM` in a name is not)."""
    return clean_tag_value(text)


def _tag_char(char: str) -> bool:
    return char in _TAG_PUNCTUATION or unicodedata.category(char)[0] in "LNZ"


def is_tag_text(text: str, limit: int) -> bool:
    """Whether AWS takes `text` as a tag key (limit 128) or value (256) as it is."""
    if text.isascii():
        return len(text) <= limit and _ASCII_TAG.fullmatch(text) is not None
    return _units(text) <= limit and all(_tag_char(c) for c in text)


def clean_tag_value(text: str) -> str:
    """`text` as a tag value AWS takes: whitespace that is not a separator (a tab, a line break)
    becomes a space, any other character outside the set a `-`; then cut at 256 UTF-16 units."""
    if is_tag_text(text, TAG_VALUE_UNITS):
        return text
    cleaned = "".join(c if _tag_char(c) else " " if c.isspace() else "-" for c in text)
    while _units(cleaned) > TAG_VALUE_UNITS:
        cleaned = cleaned[:-1]
    return cleaned


def _units(text: str) -> int:
    return len(text) + sum(1 for c in text if c > "\uffff") if not text.isascii() else len(text)


@dataclass
class Tags:
    """AWS tags made from labels and annotations, with the keys that could not be and the keys whose
    value had to be cleaned, for the findings (K2E372, K2E376)."""

    tags: list[Tag] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)


def tags(pairs: list[tuple[str, str]]) -> Tags:
    """AWS tags from labels and annotations. A key AWS would refuse (or a 46th tag) is dropped:
    another key would be another tag; so is a value over 256 characters, whose first 256 rarely mean
    anything (a `last-applied-configuration`). A value with characters AWS refuses is cleaned
    (`clean_tag_value`)."""
    out = Tags()
    seen: set[str] = set()
    for key, value in pairs:
        ok = (len(key) > 0 and is_tag_text(key, TAG_KEY_UNITS) and not key.lower().startswith("aws:")
              and key not in seen and _units(value) <= TAG_VALUE_UNITS)
        if ok and len(out.tags) < 45:  # keep room for the tags kube2ecs adds itself
            clean = clean_tag_value(value)
            if clean != value:
                out.cleaned.append(key)
            out.tags.append(Tag(key, clean))
            seen.add(key)
        else:
            out.dropped.append(key)
    return out
