"""The AWS Load Balancer Controller annotations of an Ingress that have a direct ALB meaning.

Each honoured annotation is parsed into `IngressSettings`; a value the controller would reject
is reported (K2E442) and ignored, and every other annotation is reported as ignored (K2E346, or K2E359 for
deploy-tool bookkeeping, with a remedy chosen by findings/annotations.py),
so nothing an Ingress says is dropped silently. Names and value rules follow the controller's
annotation reference (mapping-reference 2.5, I9).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import field, replace
from typing import Any

from translator.findings.annotations import ignored_annotation
from translator.k8s.ingress import CLASS_ANNOTATION
from translator.mapping.context import MapContext
from translator.model.app import Ingress, Origin
from translator.model.record import record

PREFIX = "alb.ingress.kubernetes.io/"
_OTHER_HONOURED = frozenset({CLASS_ANNOTATION, "kubectl.kubernetes.io/last-applied-configuration"})
_GROUP_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$")
_LB_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
_CODES = re.compile(r"^\d{1,3}(-\d{1,3})?(,\d{1,3}(-\d{1,3})?)*$")


@record
class HealthOverrides:
    """The healthcheck-* annotations of an Ingress: each set one replaces that part of the check
    built from the readiness probe (`port` may be `traffic-port`; `matcher` is the success codes)."""

    path: str | None = None
    port: str | None = None
    protocol: str | None = None
    interval: int | None = None
    timeout: int | None = None
    healthy: int | None = None
    unhealthy: int | None = None
    matcher: str | None = None


@record
class TargetSettings:
    """Per-Ingress target-group settings."""

    protocol: str = "HTTP"
    version: str = ""
    health: HealthOverrides = field(default_factory=HealthOverrides)
    attributes: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()  # a TargetGroupConfiguration's
    origins: tuple[Origin, ...] = ()  # the configuration objects that set them (TargetGroupPolicy, ...): in the Metadata


@record
class IngressSettings:
    group: str = ""
    order: int = 0
    scheme: str = ""
    name: str = ""
    listen: tuple[tuple[str, int], ...] = ()  # (HTTP|HTTPS, port); empty: the controller's default
    ssl_redirect: int | None = None
    certificates: tuple[str, ...] = ()
    ssl_policy: str = ""
    cidrs: tuple[str, ...] | None = None
    ip_address_type: str = ""
    lb_attributes: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    target: TargetSettings = field(default_factory=TargetSettings)


class _Invalid(ValueError):
    """An annotation value the controller would reject; the message says why."""


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise _Invalid(f"expected one of {', '.join(allowed)}")
        return value
    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not re.fullmatch(r"-?\d+", value.strip()) or not low <= int(value) <= high:
            raise _Invalid(f"expected an integer from {low} to {high}")
        return int(value)
    return parse


def _string_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _string_map(value: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in _string_list(value):
        key, sep, val = item.partition("=")
        if not sep or not key.strip():
            raise _Invalid("expected key=value pairs separated by commas")
        pairs.append((key.strip(), val.strip()))
    return tuple(pairs)


def _group_name(value: str) -> str:
    if not _GROUP_NAME.match(value):
        raise _Invalid("a group name is at most 63 lowercase letters, digits, '-' or '.'")
    return value


def _lb_name(value: str) -> str:
    if not _LB_NAME.match(value) or value.startswith("internal-"):
        raise _Invalid("at most 32 letters, digits or '-', not starting or ending with '-' or starting with internal-")
    return value


def _listen_ports(value: str) -> tuple[tuple[str, int], ...]:
    try:
        raw = json.loads(value)
    except ValueError as err:
        raise _Invalid('expected JSON such as [{"HTTP": 80}, {"HTTPS": 443}]') from err
    ports: list[tuple[str, int]] = []
    for item in raw if isinstance(raw, list) else [None]:
        entries = list(item.items()) if isinstance(item, dict) else [(None, None)]
        for protocol, port in entries:
            if protocol not in ("HTTP", "HTTPS") or not isinstance(port, int) or not 1 <= port <= 65535:
                raise _Invalid('expected JSON such as [{"HTTP": 80}, {"HTTPS": 443}]')
            if all(p != port for _, p in ports):
                ports.append((protocol, port))
    return tuple(ports)


def _certificates(value: str) -> tuple[str, ...]:
    arns = _string_list(value)
    if not arns or any(not a.startswith("arn:") for a in arns):
        raise _Invalid("expected ACM certificate ARNs separated by commas")
    return arns


def _cidrs(value: str) -> tuple[str, ...]:
    out = []
    for item in _string_list(value):
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as err:
            raise _Invalid(f"{item[:40]!r} is not a CIDR block; the load balancer was left closed") from err
    return tuple(out)


def _success_codes(value: str) -> str:
    if not _CODES.match(value.replace(" ", "")):
        raise _Invalid("expected codes such as 200, 200,204 or 200-399")
    return value.replace(" ", "")


def _health_port(value: str) -> str:
    if value == "traffic-port":
        return value
    return str(_integer(1, 65535)(value))


_Parsers = dict[str, tuple[str, Callable[[str], Any]]]
_LB: _Parsers = {
    "group.name": ("group", _group_name),
    "group.order": ("order", _integer(-1000, 1000)),
    "scheme": ("scheme", _choice("internal", "internet-facing")),
    "load-balancer-name": ("name", _lb_name),
    "listen-ports": ("listen", _listen_ports),
    "ssl-redirect": ("ssl_redirect", _integer(1, 65535)),
    "certificate-arn": ("certificates", _certificates),
    "ssl-policy": ("ssl_policy", lambda v: v),
    "inbound-cidrs": ("cidrs", _cidrs),
    "ip-address-type": ("ip_address_type", _choice("ipv4", "dualstack", "dualstack-without-public-ipv4")),
    "load-balancer-attributes": ("lb_attributes", _string_map),
    "tags": ("tags", _string_map),
}
_TARGET: _Parsers = {
    "backend-protocol": ("protocol", _choice("HTTP", "HTTPS")),
    "backend-protocol-version": ("version", _choice("HTTP1", "HTTP2", "GRPC")),
    "target-group-attributes": ("attributes", _string_map),
}
_HEALTH: _Parsers = {
    "healthcheck-path": ("path", lambda v: v if v.startswith("/") else _fail("a path starting with /")),
    "healthcheck-port": ("port", _health_port),
    "healthcheck-protocol": ("protocol", _choice("HTTP", "HTTPS")),
    "healthcheck-interval-seconds": ("interval", _integer(5, 300)),
    "healthcheck-timeout-seconds": ("timeout", _integer(2, 120)),
    "healthy-threshold-count": ("healthy", _integer(2, 10)),
    "unhealthy-threshold-count": ("unhealthy", _integer(2, 10)),
    "success-codes": ("matcher", _success_codes),
}


def _fail(expected: str) -> str:
    raise _Invalid(f"expected {expected}")


def read_settings(mc: MapContext, ing: Ingress) -> IngressSettings:
    """Parse every annotation of the Ingress; report invalid and ignored ones."""
    settings, target = IngressSettings(), TargetSettings()
    health: dict[str, Any] = {}
    places = dict(ing.annotation_origins)
    for key, value in ing.meta.annotations:
        where = places.get(key, ing.origin)
        short = key.removeprefix(PREFIX) if key.startswith(PREFIX) else None
        try:
            if short in _LB:
                name, parse = _LB[short]
                settings = replace(settings, **{name: parse(value)})
            elif short in _TARGET:
                name, parse = _TARGET[short]
                target = replace(target, **{name: parse(value)})
            elif short in _HEALTH:
                name, parse = _HEALTH[short]
                health[name] = parse(value)
            elif short == "target-type":
                if _choice("ip", "instance")(value) == "instance":
                    mc.report(where, "K2E443", name=ing.meta.name, value=value)
            elif short is not None and short.startswith(("actions.", "conditions.")):
                pass  # read where a backend names the action (use-annotation, ingressactions.py); unnamed, it does nothing
            elif key not in _OTHER_HONOURED:
                found = ignored_annotation("Ingress", key)
                mc.report(where, found.code, annotation=key, kind="Ingress", name=ing.meta.name, **found.params)
        except _Invalid as err:
            mc.report(where, "K2E442", annotation=key, name=ing.meta.name, detail=str(err))
    target = replace(target, health=HealthOverrides(**health))
    return replace(settings, target=target)
