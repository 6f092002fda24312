"""The AWS Load Balancer Controller's annotation actions and conditions of an Ingress backend.

A backend `{service: {name: X, port: {name: use-annotation}}}` takes its action from the annotation
`alb.ingress.kubernetes.io/actions.X` and adds the conditions of `alb.ingress.kubernetes.io/conditions.X`
to the path's own (controller guide, ingress annotations, #actions and #conditions):
- `forward`: `targetGroupARN`, or `forwardConfig.targetGroups` of `serviceName`/`servicePort` (the
  Services' target groups, made as for any backend) or `targetGroupARN`, each with a `weight`, and
  `targetGroupStickinessConfig` -> a weighted forward;
- `fixed-response` -> FixedResponseConfig; `redirect` -> RedirectConfig;
- conditions host-header, path-pattern, http-header, http-request-method, query-string, source-ip.
Keys are read without regard to case, as the controller's JSON decoding does. A value the ELB API refuses
raises `Invalid`, whose message the caller reports at the annotation (K2E861), leaving the rule out.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

from translator.mapping.network.albannotations import PREFIX, TargetSettings
from translator.mapping.network.ingressbackends import Backends, Target
from translator.mapping.network.ingressrules import MAX_VALUE, Unroutable, check_host, path_patterns
from translator.model.app import Ingress, IngressBackend, Origin
from translator.model.ecs import (
    Action,
    ConditionValues,
    FixedResponse,
    FixedResponseConfig,
    ForwardConfig,
    HttpHeaderConfig,
    QueryStringConfig,
    QueryStringKeyValue,
    Redirect,
    RedirectConfig,
    RuleCondition,
    TargetGroupStickinessConfig,
    TargetGroupTuple,
    WeightedForward,
)
from translator.model.intrinsics import Ref

MAX_TARGET_GROUPS = 5  # per forward action [ELB API ForwardActionConfig]
MAX_WEIGHT = 999  # [ELB API TargetGroupTuple]
MAX_BODY = 1024  # characters of a fixed response [ELB API FixedResponseActionConfig]
MAX_STICKINESS = 604_800  # seconds [ELB API TargetGroupStickinessConfig]
MAX_CONDITION_VALUES = 5  # per rule [ELB-QUOTA]
MAX_WILDCARDS = 5  # per rule [ELB-QUOTA]
MAX_METHOD = 40  # characters of a method [ELB API HttpRequestMethodConditionConfig]
CONTENT_TYPES = ("text/plain", "text/css", "text/html", "application/javascript", "application/json")
_STATUS = re.compile(r"^[245]\d\d$")
_METHOD = re.compile(r"^[A-Za-z_-]+$")
_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")  # an HTTP header name (RFC 9110 token)

Targets = list[tuple[IngressBackend, Target]]


class Invalid(ValueError):
    """An annotation the controller or the ELB API refuses; the message says what and why."""


def action_key(service: str) -> str:
    return f"{PREFIX}actions.{service}"


def conditions_key(service: str) -> str:
    return f"{PREFIX}conditions.{service}"


def annotation(ing: Ingress, key: str) -> tuple[str, Origin] | None:
    """The annotation's value and where it is written (the Ingress where its line is not known)."""
    value = dict(ing.meta.annotations).get(key)
    return None if value is None else (value, dict(ing.annotation_origins).get(key, ing.origin))


def _get(obj: dict[str, Any], key: str) -> Any:
    """A JSON key as Go's decoder finds it: exact first, else regardless of case."""
    if key in obj:
        return obj[key]
    return next((v for k, v in obj.items() if k.lower() == key.lower()), None)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{what} is not a JSON object")
    return value


def _text(value: Any, what: str, limit: int = MAX_VALUE) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        raise Invalid(f"{what} is not a non-empty string")
    if len(str(value)) > limit:
        raise Invalid(f"{what} is longer than {limit} characters")
    return str(value)


def _number(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"{what} is {str(value)[:20]!r}, not an integer from {low} to {high}")
    return value


def _parse(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise Invalid(f"{what} is not valid JSON ({err.msg} at character {err.pos})") from err
    except RecursionError as err:
        raise Invalid(f"{what} is nested too deeply to read") from err


def routes(backends: Backends, ing: Ingress, backend: IngressBackend) -> bool:
    """Whether the backend's annotation action answers requests: a fixed response, a redirect, a forward to an
    ARN or to a Service that leads to a translated workload. No finding: `action` reports."""
    found = annotation(ing, action_key(backend.service))
    try:
        raw = _object(_parse(found[0], "the action"), "the action") if found else {}
    except Invalid:
        return False
    if _get(raw, "type") in ("fixed-response", "redirect") or _get(raw, "targetGroupARN") is not None:
        return True
    config = _get(raw, "forwardConfig")
    groups = _get(config, "targetGroups") if isinstance(config, dict) else None
    return any(isinstance(g, dict) and (_get(g, "targetGroupARN") is not None or backends.routable(IngressBackend(
        str(_get(g, "serviceName")), _port(_get(g, "servicePort")))))
        for g in (groups if isinstance(groups, list) else []))


def _port(value: Any) -> int | str:
    return int(value) if isinstance(value, str) and value.isdigit() else value if isinstance(value, (int, str)) else ""


def action(backends: Backends, ing: Ingress, backend: IngressBackend, text: str, origin: Origin,
           target: TargetSettings) -> tuple[Action, Targets]:
    """The rule action the annotation describes, and the targets of the Services it forwards to (resolved,
    with their target groups made; a Service that leads nowhere is reported by `Backends.resolve`)."""
    raw = _object(_parse(text, "the action"), "the action")
    kind = _get(raw, "type")
    if kind == "fixed-response":
        return _fixed_response(_object(_get(raw, "fixedResponseConfig"), "fixedResponseConfig")), []
    if kind == "redirect":
        return _redirect(_object(_get(raw, "redirectConfig"), "redirectConfig")), []
    if kind == "forward":
        return _forward(backends, ing, raw, origin, target)
    raise Invalid(f"the action type {str(kind)[:40]!r} is not forward, fixed-response or redirect")


def _fixed_response(config: dict[str, Any]) -> FixedResponse:
    status = _text(_get(config, "statusCode"), "fixedResponseConfig.statusCode")
    if not _STATUS.match(status):
        raise Invalid(f"the fixed-response status code {status[:20]!r} is not a 2XX, 4XX or 5XX code")
    content = _get(config, "contentType")
    if content is not None and content not in CONTENT_TYPES:
        raise Invalid(f"the content type {str(content)[:60]!r} is not one of {', '.join(CONTENT_TYPES)}")
    body = _get(config, "messageBody")
    if body is not None and not isinstance(body, str):
        raise Invalid("fixedResponseConfig.messageBody is not a string")
    if body is not None and len(body) > MAX_BODY:
        raise Invalid(f"the message body has {len(body)} characters, more than the {MAX_BODY} an ALB returns")
    return FixedResponse(FixedResponseConfig(status, content, body or None))


def _redirect(config: dict[str, Any]) -> Redirect:
    status = _get(config, "statusCode")
    if status not in ("HTTP_301", "HTTP_302"):
        raise Invalid(f"the redirect status code {str(status)[:20]!r} is not HTTP_301 or HTTP_302")
    protocol = _get(config, "protocol") or "#{protocol}"
    if protocol not in ("HTTP", "HTTPS", "#{protocol}"):
        raise Invalid(f"the redirect protocol {str(protocol)[:20]!r} is not HTTP, HTTPS or #{{protocol}}")
    port = _get(config, "port") or "#{port}"
    if port != "#{port}":
        port = str(_number(port, "the redirect port", 1, 65535))
    host, path, query = (_get(config, k) for k in ("host", "path", "query"))
    host = None if host is None else _text(host, "the redirect host")
    path = None if path is None else _text(path, "the redirect path")
    query = None if query is None else _text(query, "the redirect query") if query != "" else ""
    if path is not None and not path.startswith("/"):
        raise Invalid(f"the redirect path {path[:40]!r} does not start with /")
    return Redirect(RedirectConfig(protocol, port, status, host, path, query))


def _forward(backends: Backends, ing: Ingress, raw: dict[str, Any], origin: Origin,
             target: TargetSettings) -> tuple[Action, Targets]:
    arn = _get(raw, "targetGroupARN")
    if arn is not None:
        return WeightedForward(ForwardConfig((TargetGroupTuple(_arn(arn), 1),))), []
    config = _object(_get(raw, "forwardConfig"), "forwardConfig")
    groups = _get(config, "targetGroups")
    if not isinstance(groups, list) or not 1 <= len(groups) <= MAX_TARGET_GROUPS:
        count = len(groups) if isinstance(groups, list) else "no"
        raise Invalid(f"forwardConfig.targetGroups has {count} target groups; a forward takes 1 to {MAX_TARGET_GROUPS}")
    tuples: list[TargetGroupTuple] = []
    targets: Targets = []
    for item in groups:
        item = _object(item, "a target group")
        weight = _number(_get(item, "weight") if _get(item, "weight") is not None else 1, "a weight", 0, MAX_WEIGHT)
        if _get(item, "targetGroupARN") is not None:
            tuples.append(TargetGroupTuple(_arn(_get(item, "targetGroupARN")), weight))
            continue
        name, port = _get(item, "serviceName"), _get(item, "servicePort")
        if not isinstance(name, str) or not name or isinstance(port, bool) or not isinstance(port, (str, int)):
            raise Invalid("a target group names neither a targetGroupARN nor a serviceName and servicePort")
        chosen = IngressBackend(name, _port(port), origin=origin)
        resolved = backends.resolve(ing, chosen, target)
        if resolved is None:
            raise Invalid(f"its target group {name}:{port} reaches no translated workload")
        tuples.append(TargetGroupTuple(Ref(resolved.target_group), weight))
        targets.append((chosen, resolved))
    if len({str(t.target_group_arn) for t in tuples}) < len(tuples):
        raise Invalid("a target group is named twice, which the ELB API refuses")
    return WeightedForward(ForwardConfig(tuple(tuples), _stickiness(_get(config, "targetGroupStickinessConfig")))), targets


def _arn(value: Any) -> str:
    arn = _text(value, "targetGroupARN", 2048)
    if not arn.startswith("arn:") or ":targetgroup/" not in arn:
        raise Invalid(f"targetGroupARN {arn[:80]!r} is not the ARN of a target group")
    return arn


def _stickiness(value: Any) -> TargetGroupStickinessConfig | None:
    if value is None:
        return None
    config = _object(value, "targetGroupStickinessConfig")
    enabled = _get(config, "enabled")
    if not isinstance(enabled, bool):
        raise Invalid("targetGroupStickinessConfig.enabled is not true or false")
    duration = _get(config, "durationSeconds")
    seconds = None if duration is None else _number(duration, "the stickiness duration", 1, MAX_STICKINESS)
    return TargetGroupStickinessConfig(enabled, seconds)


def conditions(text: str, own: tuple[RuleCondition, ...]) -> tuple[RuleCondition, ...]:
    """The path's own conditions and the annotation's, all of which must hold; within the ALB's per-rule limits."""
    raw = _parse(text, "the conditions")
    if not isinstance(raw, list):
        raise Invalid("the conditions are not a JSON list")
    out = list(own) + [_condition(_object(c, "a condition")) for c in raw]
    values = [v for c in out for v in c.values]
    wild = sum(v.count("*") + v.count("?") for c in out if c.source_ip_config is None for v in c.values)
    if len(values) > MAX_CONDITION_VALUES or wild > MAX_WILDCARDS:
        raise Invalid(f"with the path's own conditions the rule needs {len(values)} condition values and {wild} "
                      f"wildcards; an ALB rule takes at most {MAX_CONDITION_VALUES} of each")
    return tuple(out)


def _values(config: Any, what: str) -> tuple[str, ...]:
    values = _get(_object(config, what), "values")
    if not isinstance(values, list) or not values:
        raise Invalid(f"{what}.values is not a non-empty list")
    return tuple(_text(v, f"a value of {what}") for v in values)


def _condition(raw: dict[str, Any]) -> RuleCondition:
    kind = _get(raw, "field")
    try:
        if kind == "host-header":
            hosts = _values(_get(raw, "hostHeaderConfig"), "hostHeaderConfig")
            for host in hosts:
                check_host(host)
            return RuleCondition(kind, host_header_config=ConditionValues(hosts))
        if kind == "path-pattern":
            paths = _values(_get(raw, "pathPatternConfig"), "pathPatternConfig")
            for path in paths:
                path_patterns(path, "ImplementationSpecific")
            return RuleCondition(kind, path_pattern_config=ConditionValues(paths))
        if kind == "http-header":
            config = _object(_get(raw, "httpHeaderConfig"), "httpHeaderConfig")
            name = _text(_get(config, "httpHeaderName"), "httpHeaderConfig.httpHeaderName", 40)
            if not _TOKEN.match(name):
                raise Invalid(f"the header name {name!r} is not an HTTP header name (letters, digits, - and the like)")
            return RuleCondition(kind, http_header_config=HttpHeaderConfig(name, _values(config, "httpHeaderConfig")))
        if kind == "http-request-method":
            methods = _values(_get(raw, "httpRequestMethodConfig"), "httpRequestMethodConfig")
            if any(len(m) > MAX_METHOD or not _METHOD.match(m) for m in methods):
                raise Invalid("an HTTP method is not letters, '-' and '_' of at most 40 characters")
            return RuleCondition(kind, http_request_method_config=ConditionValues(methods))
        if kind == "query-string":
            return RuleCondition(kind, query_string_config=QueryStringConfig(_pairs(_get(raw, "queryStringConfig"))))
        if kind == "source-ip":
            cidrs = _values(_get(raw, "sourceIpConfig"), "sourceIpConfig")
            return RuleCondition(kind, source_ip_config=ConditionValues(tuple(_cidr(c) for c in cidrs)))
    except Unroutable as err:
        raise Invalid(f"the {kind} condition: {err.detail}") from err
    raise Invalid(f"the condition field {str(kind)[:40]!r} is not host-header, path-pattern, http-header, "
                  "http-request-method, query-string or source-ip")


def _pairs(config: Any) -> tuple[QueryStringKeyValue, ...]:
    values = _get(_object(config, "queryStringConfig"), "values")
    if not isinstance(values, list) or not values:
        raise Invalid("queryStringConfig.values is not a non-empty list")
    out = []
    for item in values:
        pair = _object(item, "a query-string value")
        key = _get(pair, "key")
        out.append(QueryStringKeyValue(None if key is None else _text(key, "a query-string key"),
                                       _text(_get(pair, "value"), "a query-string value")))
    return tuple(out)


def _cidr(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as err:
        raise Invalid(f"the source-ip value {value[:40]!r} is not a CIDR block") from err
