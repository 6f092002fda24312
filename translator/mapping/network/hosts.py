"""Host names in a value: where an application would find the name of another service to call.

Kubernetes DNS resolves a Service as `svc`, `svc.ns`, `svc.ns.svc` and `svc.ns.svc.cluster.local`.
A qualified name is unmistakable wherever it stands; a bare one-label name is only taken where a
caller would put a host: the whole value, a URL's host, `host:port`, one element of a `,`/`;`
separated list or of a `key=value` / `key: value` setting, or the host argument of a shell command that
reaches one (`nc -z api 80`, `redis-cli -h cache`). Everything else (prose, paths, image
tags such as `redis:7.2`) is not a call.
"""

from __future__ import annotations

import re
from collections.abc import Container

from translator.model.record import record

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?<![A-Za-z0-9_.\-])(?P<host>{_LABEL}(?:\.{_LABEL})*)(?P<dot>\.)?(?::(?P<port>\d{{1,5}}))?"
                   r"(?![A-Za-z0-9_\-]|\.[A-Za-z0-9])")
_URL_BEFORE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^/\s@]*@)?$")
_WINDOW = 120  # how far before a host its context is read: values may be whole files
# `key=value` / `key: value` names a host only under a key that says so (`job="node-exporter"` is a label).
_SETTING_BEFORE = re.compile(r"(?P<key>[A-Za-z0-9_.-]+)[\"']?\s*[=:]\s*[\"']?$")
_HOST_KEYS = re.compile(r"host|addr|url|uri|server|endpoint|service|svc|upstream|backend|broker|peer|target|dest|"
                        r"proxy|remote|master|primary|replica|seed|node|db|database|redis|cache|api|connect", re.I)
# A shell command's host argument: `nc -z api 80`, `telnet db 5432`, `nslookup api` (init containers that wait for a
# Service), `redis-cli -h cache`, `pg_isready -h db`; netcat and telnet take the port as the next word.
_COMMAND_BEFORE = re.compile(r"(?:\b(?P<tool>nc|ncat|netcat|telnet|nslookup|dig|ping)(?:\s+-{1,2}[A-Za-z][\w-]*(?:\s+\d+)?)*"
                             r"|\s-(?:h|-host))\s+$")
_SPACED_PORT = re.compile(r"[ \t]+(\d{1,5})(?![\w.:-])")
_SPACED_TOOLS = frozenset({"nc", "ncat", "netcat", "telnet"})
_ELEMENT_AFTER = re.compile(r"^[\"']?(?:[,;/]|[ \t]*(?:$|\n))")
_DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
CLUSTER_SUFFIX = ("svc", "cluster", "local")


@record
class Host:
    """A host named in a value: its span (the host only, port excluded) and the port the caller uses."""

    start: int
    end: int
    name: str  # without a trailing dot
    port: int | None  # written, or the URL scheme's default; None when the value names no port
    placed: bool  # where a caller puts a host (URL, host:port, whole value, list element), not just any word
    spaced: bool = False  # the port is the next word (`nc -z api 80`), not `:port`


def hosts(value: str, names: Container[str] | None = None) -> list[Host]:
    """The hosts of `value`; with `names`, only those whose first or second label is one of them (a
    Service, or a pod of one): values may be whole configuration files, and reading the context of
    every other word cost more than the rest of the reachability analysis."""
    out = []
    stripped = value.strip()
    for match in _HOST.finditer(value):
        if names is not None:
            labels = match.group("host").split(".", 2)
            if labels[0] not in names and (len(labels) == 1 or labels[1] not in names):
                continue
        start, end = match.span("host")
        if match.group("dot"):
            end += 1
        before, after = value[max(0, start - _WINDOW):start], value[match.end():match.end() + 40]
        url = _URL_BEFORE.search(before)
        port = int(match.group("port")) if match.group("port") else None
        if port is not None and not 0 < port < 65536:
            continue
        if port is None and url:
            port = _DEFAULT_PORTS.get(url.group("scheme").lower())
        placed = bool(url or match.group("port") or match.group(0) == stripped
                      or (_ELEMENT_AFTER.search(after) and _element(before, start <= _WINDOW)))
        command = None if placed or match.group("dot") else _COMMAND_BEFORE.search(before)
        spaced = _SPACED_PORT.match(value, end) if command is not None and command.group("tool") in _SPACED_TOOLS else None
        if spaced is not None and 0 < int(spaced.group(1)) < 65536:
            port = int(spaced.group(1))
        out.append(Host(start, end, match.group("host"), port, placed or command is not None, spaced is not None and port is not None))
    return out


def _element(before: str, whole: bool) -> bool:
    """One element of a list, or the value of a setting whose key is about an address; `whole`: `before`
    starts where the value does."""
    bare = before[:-1] if before[-1:] in ("'", '"') else before
    if (whole and not bare) or bare[-1:] in (",", ";"):
        return True
    setting = _SETTING_BEFORE.search(before)
    return bool(setting and _HOST_KEYS.search(setting.group("key")))


def service_of(name: str, namespace: str) -> tuple[str, str, str] | None:
    """(namespace, Service, form) that the name would resolve to from a pod of `namespace`, by its shape;
    form is `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`, or `pod` for a per-pod name
    (`web-0.svc.ns.svc.cluster.local`). None for any other name."""
    labels = name.split(".")
    if len(labels) == 1:
        return namespace, labels[0], "svc"
    if len(labels) == 2:
        return labels[1], labels[0], "svc.ns"
    if len(labels) == 3 and labels[2] == "svc":
        return labels[1], labels[0], "svc.ns.svc"
    if len(labels) == 5 and tuple(labels[2:]) == CLUSTER_SUFFIX:
        return labels[1], labels[0], "svc.ns.svc.cluster.local"
    if (len(labels) == 4 and labels[3] == "svc") or (len(labels) == 6 and tuple(labels[3:]) == CLUSTER_SUFFIX):
        return labels[2], labels[1], "pod"  # pod.svc.ns.svc[.cluster.local]: one pod of a headless Service
    return None
