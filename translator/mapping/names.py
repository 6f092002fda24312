"""Names that AWS accepts: logical ids, families, target-group names, tags."""

from __future__ import annotations

import hashlib
import re

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_NOT_FAMILY = re.compile(r"[^A-Za-z0-9_-]+")
_TAG_CHARS = re.compile(r"^[\w\s.:/=+\-@]*$", re.UNICODE)


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


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


def tag_value(text: str) -> str:
    """A value kube2ecs writes itself, in the tag character set (an unrendered `$ITEM` in a name is not)."""
    return re.sub(r"[^\w\s.:/=+\-@]", "-", text)[:256]


def tags(pairs: list[tuple[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
    """AWS tags from labels and annotations; returns (tags, keys that were dropped)."""
    out: list[dict[str, str]] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for key, value in pairs:
        ok = (0 < len(key) <= 128 and len(value) <= 256 and not key.lower().startswith("aws:")
              and _TAG_CHARS.match(key) and _TAG_CHARS.match(value) and key not in seen)
        if ok and len(out) < 45:  # keep room for the tags kube2ecs adds itself
            out.append({"Key": key, "Value": value})
            seen.add(key)
        else:
            dropped.append(key)
    return out, dropped
