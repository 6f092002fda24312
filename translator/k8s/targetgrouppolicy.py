"""TargetGroupPolicy (application-networking.k8s.aws, the AWS Gateway API Controller for VPC Lattice).

A policy attached to a Service (targetRef) sets the protocol, protocol version and health check of the
target groups made for that Service's backends. The mapping (`mapping/network/targetpolicies.py`) sets
them on the VPC Lattice target groups under `gateway_target: vpc-lattice`, and on the ALB or NLB target
groups of the Service otherwise; what a target group cannot hold is reported at its line.
"""

from __future__ import annotations

from typing import Any

from translator.k8s.common import origin, origin_at, parse_meta
from translator.model.app import Application, ObjectRef, PolicySetting, TargetPolicy
from translator.source.reader import Reader

LATTICE_GROUP = "application-networking.k8s.aws"
KINDS: dict[str, tuple[str, ...]] = {"TargetGroupPolicy": (LATTICE_GROUP,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {LATTICE_GROUP: ("v1alpha1",)}
BECOMES = (
    "the protocol, protocol version and health check of the target groups of the Service it targets: the VPC "
    "Lattice target groups with `gateway_target: vpc-lattice`, the ALB and NLB target groups otherwise "
    "(docs/aws-gateway-controllers.md); a setting a target group cannot hold, or a target that is no Service "
    "of the input, is reported"
)
# Field -> type: what the policy says, read as written and judged by the mapping (which knows the target).
FIELDS: dict[str, Any] = dict(
    protocol=str, protocolVersion=str,
    healthCheck=dict(enabled=bool, intervalSeconds=int, timeoutSeconds=int, healthyThresholdCount=int,
                    unhealthyThresholdCount=int, statusMatch=str, path=str, port=int, protocol=str,
                    protocolVersion=str),
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    target = reference(spec, "targetRef", meta.namespace)
    if target is None:
        return
    app.target_policies.append(TargetPolicy(meta, "TargetGroupPolicy", target, tuple(settings(spec, FIELDS)),
                                            origin=origin(root)))


def reference(spec: Reader, key: str, namespace: str) -> ObjectRef | None:
    """The object a policy is attached to (a Service unless it says otherwise), or None with K2E004."""
    ref = spec.child(key)
    name = (ref.str("name") or "") if ref is not None else ""
    if ref is None or not name:
        spec.report("K2E004", key, field=f"spec.{key}.name")
        return None
    return ObjectRef(ref.str("group") or "", ref.str("kind") or "Service", name, ref.str("namespace") or namespace,
                     origin=origin(ref))


def settings(r: Reader, fields: dict[str, Any], prefix: str = "", reported: frozenset[str] = frozenset()) -> list[PolicySetting]:
    """Every field of `fields` that `r` holds, nested blocks as dotted paths (`healthCheck.path`); those in
    `reported` (paths) are read for their finding only, as no target carries them."""
    out: list[PolicySetting] = []
    for key, kind in fields.items():
        path = prefix + key
        if not r.has(key):
            continue
        src = r.for_report if path in reported else r
        if isinstance(kind, dict):
            child = src.child(key)
            if child is not None:
                out += settings(child, kind, path + ".", reported)
            continue
        value: Any
        if kind == "any":  # a block no target carries: named in its finding by its keys
            data = src.data.get(key)
            src.ignore(key)
            value = ", ".join(map(str, data)) if isinstance(data, dict) else (
                f"{len(data)} item(s)" if isinstance(data, list) else _text(data))
        elif kind is list:
            if not isinstance(src.data.get(key), list):
                src.str_list(key)  # reported as a wrong type (K2E003), not applied
                continue
            value = tuple(src.str_list(key))
        elif kind is dict:
            value = tuple(sorted(src.str_map(key).items()))
        elif kind == "pairs":  # [{key: k, value: v}] as the controllers write attributes
            value = tuple((i.str("key") or "", _text(i.scalar("value", ""))) for i in src.items(key))
        elif kind is int:
            value = src.int(key)
        elif kind is bool:
            value = src.bool(key)
        else:
            value = src.scalar(key)
            value = _text(value) if value is not None else None
        if value is not None:
            out.append(PolicySetting(path, value, origin_at(r, key)))
    return out


def _text(value: Any) -> str:
    """A scalar as the controller reads it: YAML `true` is `true`, 200 is `200`."""
    return str(value).lower() if isinstance(value, bool) else str(value)
