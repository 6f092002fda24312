"""Node placement and privileged containers: EC2 launch type features, findings on Fargate.

nodeSelector and required node affinity become one memberOf constraint in the ECS cluster query
language; well-known node labels map to the built-in ecs.* attributes, any other label to a
custom attribute the user registers on the container instances. Required anti-affinity against
the pod itself on the node name becomes distinctInstance. Fargate has no nodes: each of these is
reported there instead (one replica per node always holds on Fargate: each task has its own host).
"""

from __future__ import annotations

import re
from dataclasses import replace

from translator.findings.model import Severity
from translator.k8s.podplacement import RUNTIME_KEYS
from translator.mapping.context import MapContext
from translator.mapping.service import capacity
from translator.model.app import NodeTerm, Workload
from translator.model.ecs import ContainerDefinition, PlacementConstraint

BUILTIN = {
    "node.kubernetes.io/instance-type": "ecs.instance-type", "beta.kubernetes.io/instance-type": "ecs.instance-type",
    "topology.kubernetes.io/zone": "ecs.availability-zone", "failure-domain.beta.kubernetes.io/zone": "ecs.availability-zone",
    "kubernetes.io/arch": "ecs.cpu-architecture", "beta.kubernetes.io/arch": "ecs.cpu-architecture",
    "kubernetes.io/os": "ecs.os-type", "beta.kubernetes.io/os": "ecs.os-type",
}
_VALUES = {"ecs.cpu-architecture": {"amd64": "x86_64", "arm64": "arm64"}}
_OPERATORS = {"In": "in", "NotIn": "not_in", "Exists": "exists", "DoesNotExist": "!exists", "Gt": ">", "Lt": "<"}
_NOT_ATTRIBUTE = re.compile(r"[^A-Za-z0-9_.-]+")
_VALUE = re.compile(r"^[A-Za-z0-9_.@:-]+$")
MAX_EXPRESSION = 2000


def constraints(mc: MapContext, wl: Workload) -> tuple[PlacementConstraint, ...]:
    """Placement constraints of the ECS service (EC2), or findings (Fargate)."""
    placement = wl.pod.placement
    if mc.options.launch_type != "EC2":
        _fargate(mc, wl)
        return ()
    out: list[PlacementConstraint] = []
    expression, custom = _expression(mc, wl)
    if expression:
        out.append(PlacementConstraint("memberOf", expression))
        mc.report(placement.selector_origin or wl.pod.origin, "K2E482", name=f"{wl.kind} {wl.meta.name}",
                  expression=expression, attributes=", ".join(custom) or "none")
    if placement.one_per_node is not None and wl.daemon:
        mc.report(placement.one_per_node, "K2E486", name=wl.meta.name,
                  result="holds without a constraint: a DAEMON service runs one task per instance")
    elif placement.one_per_node is not None:
        out.append(PlacementConstraint("distinctInstance"))
        mc.report(placement.one_per_node, "K2E486", name=wl.meta.name, result="becomes the distinctInstance constraint")
    return tuple(out)


def _fargate(mc: MapContext, wl: Workload) -> None:
    """Fargate and Managed Instances: no placement constraints are written, so node rules are reported,
    each finding naming where the tasks do run (Managed Instances share instances, unlike Fargate tasks)."""
    placement = wl.pod.placement
    instances = mc.options.on_instances
    launch, places = ("Managed Instances", "Managed Instances places tasks on its capacity providers' instances") \
        if instances else ("Fargate", "Fargate places tasks itself")
    if placement.node_selector and placement.selector_origin is not None and not capacity.selected(mc, wl):
        labels = ", ".join(f"{k}={v}" for k, v in placement.node_selector)
        mc.report(placement.selector_origin, "K2E480", what=f"nodeSelector {labels}", launch=launch,
                  remediation=f"{places}; remove the node labels.")
    for term in placement.node_terms:
        if not _satisfied_on_fargate(wl, term):
            mc.report(term.origin, "K2E480", what=f"required node affinity {_describe(term)}", launch=launch,
                      remediation=f"{places}; rely on its spreading across the subnets' zones.")
    if placement.one_per_node is not None and instances:
        mc.report(placement.one_per_node, "K2E480", launch=launch,
                  what=f"required pod anti-affinity of {wl.meta.name} on kubernetes.io/hostname (one pod per node)",
                  remediation=f"{places}, and tasks of one service may share an instance; accept that if it is safe.")
    elif placement.one_per_node is not None:
        mc.report(placement.one_per_node, "K2E486", name=wl.meta.name,
                  result="holds on Fargate without a setting: every task runs on a host of its own")


def _satisfied_on_fargate(wl: Workload, term: NodeTerm) -> bool:
    """A term that only asks for Linux, or for the task's CPU architecture, is what Fargate gives."""
    arch = "arm64" if wl.pod.cpu_architecture == "ARM64" else "amd64"
    for key, operator, values in term.expressions:
        if key not in RUNTIME_KEYS or operator != "In":
            return False
        if not ({"linux"} if key.endswith("os") else {arch}) & set(values):
            return False
    return True


def _describe(term: NodeTerm) -> str:
    return " and ".join(f"{k} {op} {','.join(v)}".strip() for k, op, v in term.expressions)


def _expression(mc: MapContext, wl: Workload) -> tuple[str, list[str]]:
    """The memberOf expression and the custom attributes it needs."""
    placement = wl.pod.placement
    custom: set[str] = set()
    clauses = [c for k, v in placement.node_selector if (c := _clause(mc, wl, k, "In", (v,), custom))]
    terms = []
    for term in placement.node_terms:
        parts = [_clause(mc, wl, k, op, vals, custom) for k, op, vals in term.expressions]
        if all(parts):
            terms.append(" and ".join(parts))
        else:
            mc.report(term.origin, "K2E483", what="required node affinity term", name=wl.meta.name,
                      detail=f"{_describe(term)} was left out")
    if terms:
        clauses.append(terms[0] if len(terms) == 1 else "(" + ") or (".join(terms) + ")")
    expression = " and ".join(clauses)
    if len(expression) > MAX_EXPRESSION:
        mc.report(wl.pod.origin, "K2E483", what="node placement", name=wl.meta.name,
                  detail=f"the expression is longer than ECS's {MAX_EXPRESSION} characters")
        return "", []
    return expression, sorted(custom)


def _clause(mc: MapContext, wl: Workload, key: str, operator: str, values: tuple[str, ...], custom: set[str]) -> str:
    attribute = BUILTIN.get(key) or _NOT_ATTRIBUTE.sub(".", key).strip(".")[:128]
    op = _OPERATORS.get(operator)
    mapped = [_VALUES.get(attribute, {}).get(v, v) for v in values]
    if op is None or not attribute or not all(_VALUE.match(v) for v in mapped):
        mc.report(wl.pod.origin, "K2E483", what=f"node label {key} {operator}", name=wl.meta.name,
                  detail="the operator or a value has no form in the ECS cluster query language")
        return ""
    if attribute not in BUILTIN.values():
        custom.add(attribute)
    subject = f"attribute:{attribute}"
    if op in ("exists", "!exists"):
        return f"{subject} {op}"
    if op in (">", "<"):
        return f"{subject} {op} {mapped[0]}" if len(mapped) == 1 else ""
    if op == "in" and len(mapped) == 1:
        return f"{subject} == {mapped[0]}"
    return f"{subject} {op} [{', '.join(mapped)}]"


def privileged(mc: MapContext, wl: Workload,
               definitions: tuple[ContainerDefinition, ...]) -> tuple[ContainerDefinition, ...]:
    """`privileged: true` on EC2; an error finding on Fargate, where the task would not register."""
    by_name = {c.name: c for c in (*wl.pod.init_containers, *wl.pod.containers)}
    out = []
    for definition in definitions:
        out.append(definition)
        container = by_name.get(definition.name)
        if container is None or container.privileged is None:
            continue
        if mc.options.on_instances:
            out[-1] = replace(definition, privileged=True)
            mc.report(container.privileged, "K2E485", container=container.name)
        else:
            mc.report(container.privileged, "K2E480", what=f"privileged mode of container {container.name}", launch="Fargate",
                      severity=Severity.ERROR, remediation="Fargate rejects privileged containers; remove the need for it.")
    return tuple(out)
