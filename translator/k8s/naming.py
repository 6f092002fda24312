"""Object names as the API server checks them, so that a name Kubernetes refuses is refused here too.

Names end up in file names, stack names, ECS families and Cloud Map names. Checking them the way
Kubernetes does (apimachinery's `IsDNS1123Label`, `IsDNS1123Subdomain`, `IsDNS1035Label` and
`IsValidPathSegmentName`, chosen per kind as the kind's validation does) means every name that
reaches the mapping is lowercase, has no `/`, no `..` and no control character.
"""

from __future__ import annotations

import re

from translator.model.record import record
from translator.source.document import join
from translator.source.reader import Reader

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_LABEL_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


@record
class Rule:
    """One of the API server's name rules: its name in messages, the pattern, the longest name, a hint."""

    title: str
    pattern: re.Pattern[str] | None
    max_length: int
    hint: str


LABEL = Rule("DNS-1123 label", _LABEL, 63,
             "at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit")
LABEL_1035 = Rule("DNS-1035 label", _LABEL_1035, 63,
                  "at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit")
SUBDOMAIN = Rule("DNS-1123 subdomain", _SUBDOMAIN, 253,
                 "at most 253 lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit")
CRONJOB = Rule("CronJob name", _SUBDOMAIN, 52,
               "a DNS-1123 subdomain of at most 52 characters: the controller adds 11 to name each Job")
PATH_SEGMENT = Rule("path segment name", None, 0, "any name without '/' or '%', other than '.' and '..'")

# The kind's validation in kubernetes/pkg/apis/*/validation: a Namespace is a label; a Service a
# DNS-1035 label (a DNS-1123 label only behind the alpha RelaxedServiceNameValidation gate of 1.34);
# RBAC objects any path segment (`system:controller:x`); a CronJob a subdomain short enough for its
# Jobs' names; every other built-in kind and custom resources a subdomain.
_BY_KIND = {
    "Namespace": LABEL,
    "Service": LABEL_1035,
    "CronJob": CRONJOB,
    "Role": PATH_SEGMENT, "ClusterRole": PATH_SEGMENT, "RoleBinding": PATH_SEGMENT, "ClusterRoleBinding": PATH_SEGMENT,
}


def rule_for(kind: str) -> Rule:
    return _BY_KIND.get(kind, SUBDOMAIN)


def name_problem(name: str, rule: Rule) -> str:
    """Why `name` breaks `rule`, in the API server's terms, or '' when it is valid."""
    if rule.pattern is None:
        if name in (".", ".."):
            return f"may not be {name!r}"
        bad = next((c for c in "/%" if c in name), "")
        return f"may not contain {bad!r}" if bad else ""
    if len(name) > rule.max_length:
        return f"must be no more than {rule.max_length} characters (it has {len(name)})"
    if rule.pattern.fullmatch(name) is None:
        return _pattern_reason(name, rule)
    return ""


def _pattern_reason(name: str, rule: Rule) -> str:
    dots = rule.title.endswith("subdomain") or rule is CRONJOB
    allowed = "lowercase letters, digits, '-' and '.'" if dots else "lowercase letters, digits and '-'"
    odd = next((c for c in name if not (c.isascii() and (c.islower() or c.isdigit() or c in "-."))), "")
    if odd or ("." in name and not dots):
        return f"{odd or '.'!r} is not allowed (only {allowed})"
    if not name:
        return "must not be empty"
    if rule is LABEL_1035 and not name[:1].isalpha():
        return "must start with a lowercase letter"
    return "each part must start and end with a lowercase letter or digit"


def shown(value: str) -> str:
    """A name quoted for a message: control characters escaped, long names cut."""
    text = value if len(value) <= 80 else value[:77] + "..."
    return repr(text)


_DATA_KEY = re.compile(r"[-._a-zA-Z0-9]+")


def data_key_problem(key: str) -> str:
    """Why `key` cannot be a key of a ConfigMap's or Secret's data (apimachinery `IsConfigMapKey`), or ''."""
    if len(key) > 253:
        return f"must be no more than 253 characters (it has {len(key)})"
    if key in (".", ".."):
        return f"may not be {key!r}"
    if key.startswith(".."):
        return "may not start with '..'"
    if _DATA_KEY.fullmatch(key) is None:
        odd = next((c for c in key if not (c.isascii() and (c.isalnum() or c in "-._"))), "")
        return f"{odd!r} is not allowed (only letters, digits, '-', '_' and '.')" if odd else "must not be empty"
    return ""


def valid_data_keys(root: Reader, kind: str, name: str, block: str) -> list[str]:
    """The keys of `block` (data, stringData, binaryData) the API server accepts; each other key is
    reported at its line and left out. Only keys are read: a Secret's values are never looked at."""
    values = root.data.get(block)
    if not isinstance(values, dict):
        return []
    kept = []
    for key in values:
        reason = data_key_problem(str(key))
        if reason:
            root.ctx.report("K2E012", join(root.at(block), key), key=shown(str(key)), kind=kind, name=name, reason=reason)
        else:
            kept.append(str(key))
    return kept


# What the API server appends to `generateName` (apiserver's names.SimpleNameGenerator: five characters
# of this alphabet, after cutting the prefix to 58 so the whole fits a 63-character label).
_GENERATED_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_GENERATED_LENGTH = 5
_MAX_PREFIX = 63 - _GENERATED_LENGTH


def generated_name(prefix: str, content: str) -> str:
    """`prefix` and five characters taken from a hash of `content`, not random: the same object gets
    the same name on every run, so the output stays byte-stable."""
    import hashlib

    number = int.from_bytes(hashlib.sha256(content.encode()).digest()[:8], "big")
    suffix = ""
    for _ in range(_GENERATED_LENGTH):
        number, index = divmod(number, len(_GENERATED_ALPHABET))
        suffix += _GENERATED_ALPHABET[index]
    return prefix[:_MAX_PREFIX] + suffix
