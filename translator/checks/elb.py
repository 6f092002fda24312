"""Deploy checks on the load-balancer model for the ELB limits cfn-lint does not know.

cfn-lint accepts duplicate rule priorities, six condition values, a 40-character load-balancer
name and a target group no listener uses; CloudFormation then fails half-way through the stack
(mapping-reference section 4, items 2-6). The mapping keeps within these limits and reports
what it leaves out; a problem found here is a kube2ecs bug (K2E901).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from translator.model.ecs import (
    Action,
    EcsService,
    Listener,
    ListenerRule,
    LoadBalancer,
    Resource,
    Stack,
    WeightedForward,
    forwarded_groups,
)

MAX_RULES_PER_ALB = 100
MAX_CONDITION_VALUES = 5
MAX_WILDCARDS = 5
MAX_VALUE = 128
MAX_TARGET_GROUPS_PER_SERVICE = 5
MAX_TARGET_GROUPS_PER_ACTION = 5
MAX_WEIGHT = 999
_LB_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")


def check_rules(rules: list[ListenerRule]) -> Iterator[str]:
    """Priorities unique per listener and within 1-50000; conditions within the per-rule limits."""
    seen: dict[tuple[str, int], str] = {}
    for rule in rules:
        owner = seen.setdefault((rule.listener_arn.name, rule.priority), rule.logical_id)
        if owner != rule.logical_id:
            yield f"{rule.logical_id}: priority {rule.priority} already used by {owner} on {rule.listener_arn.name}"
        if not 1 <= rule.priority <= 50_000:
            yield f"{rule.logical_id}: priority {rule.priority} outside 1-50000"
        values = [v for c in rule.conditions for v in c.values]
        if not rule.conditions or not rule.actions:
            yield f"{rule.logical_id}: a rule needs a condition and an action"
        if len(values) > MAX_CONDITION_VALUES:
            yield f"{rule.logical_id}: {len(values)} condition values, more than {MAX_CONDITION_VALUES}"
        if sum(v.count("*") + v.count("?") for v in values) > MAX_WILDCARDS:
            yield f"{rule.logical_id}: more than {MAX_WILDCARDS} wildcards"
        yield from (f"{rule.logical_id}: condition value longer than {MAX_VALUE}" for v in values if len(v) > MAX_VALUE)
        for action in rule.actions:
            if isinstance(action, WeightedForward):
                groups = action.forward_config.target_groups
                if not 1 <= len(groups) <= MAX_TARGET_GROUPS_PER_ACTION:
                    yield f"{rule.logical_id}: {len(groups)} target groups in one forward action, 1-{MAX_TARGET_GROUPS_PER_ACTION} allowed"
                if any(not 0 <= g.weight <= MAX_WEIGHT for g in groups):
                    yield f"{rule.logical_id}: a target group weight outside 0-{MAX_WEIGHT}"


def check_balancers(resources: Sequence[Resource]) -> Iterator[str]:
    """Names AWS accepts, a certificate on every TLS listener, at most 100 rules per ALB."""
    listeners = {r.logical_id: r for r in resources if isinstance(r, Listener)}
    rules_per_lb: dict[str, int] = {}
    for rule in (r for r in resources if isinstance(r, ListenerRule)):
        listener = listeners.get(rule.listener_arn.name)
        if listener is None:
            yield f"{rule.logical_id}: listener {rule.listener_arn.name} does not exist"
            continue
        balancer = listener.load_balancer_arn.name
        rules_per_lb[balancer] = rules_per_lb.get(balancer, 0) + 1
    for lb in (r for r in resources if isinstance(r, LoadBalancer)):
        if lb.name and (not _LB_NAME.match(lb.name) or lb.name.startswith("internal-")):
            yield f"{lb.logical_id}: name {lb.name!r} is not a valid load-balancer name (32 characters, A-Z a-z 0-9 -)"
        if rules_per_lb.get(lb.logical_id, 0) > MAX_RULES_PER_ALB:
            yield f"{lb.logical_id}: {rules_per_lb[lb.logical_id]} rules, more than {MAX_RULES_PER_ALB}"
    for listener in listeners.values():
        if listener.protocol in ("HTTPS", "TLS") and not listener.certificates:
            yield f"{listener.logical_id}: a {listener.protocol} listener needs a certificate"
        if len(listener.default_actions) != 1:
            yield f"{listener.logical_id}: a listener needs exactly one default action"


def check_registrations(resources: Sequence[Resource]) -> Iterator[str]:
    """Each target group of an ECS service is attached to a load balancer by a listener or rule the
    service waits for; otherwise ECS rejects the service ("target group has no associated load balancer")."""
    attachers: dict[str, set[str]] = {}
    for r in resources:
        actions: tuple[Action, ...] = (r.default_actions if isinstance(r, Listener) else
                                       r.actions if isinstance(r, ListenerRule) else ())
        for action in actions:
            for group in forwarded_groups(action):
                attachers.setdefault(group, set()).add(r.logical_id)
    for service in (r for r in resources if isinstance(r, EcsService)):
        groups = {lb.target_group_arn.name for lb in service.load_balancers}
        groups |= {lb.advanced_configuration.alternate_target_group_arn.name for lb in service.load_balancers
                   if lb.advanced_configuration is not None}
        if len(groups) > MAX_TARGET_GROUPS_PER_SERVICE:
            yield f"{service.service_name}: in {len(groups)} target groups, more than {MAX_TARGET_GROUPS_PER_SERVICE}"
        for group in sorted(groups):
            if not attachers.get(group, set()) & set(service.depends_on):
                yield f"{service.service_name}: target group {group} is not attached by a listener or rule it depends on"


def check_traffic_shifting(resources: Sequence[Resource]) -> Iterator[str]:
    """What ECS requires of a service deployed otherwise than ROLLING: the ECS deployment controller, no
    circuit breaker, and behind a load balancer an alternate target group and a production listener rule
    (a rule on an ALB, ECS rejects a listener there) that forwards to both groups, with the role for ECS."""
    by_id = {r.logical_id: r for r in resources}
    for service in (r for r in resources if isinstance(r, EcsService)):
        if service.deployment is None:
            continue
        if service.deployment_controller != "ECS" or service.circuit_breaker:
            yield f"{service.service_name}: a {service.deployment.strategy} deployment needs the ECS controller " \
                  "and no circuit breaker"
        for lb in service.load_balancers:
            advanced = lb.advanced_configuration
            if advanced is None or advanced.role_arn is None:
                yield f"{service.service_name}: target group {lb.target_group_arn.name} has no advanced configuration"
                continue
            rules = [advanced.production_listener_rule, *([advanced.test_listener_rule] if advanced.test_listener_rule else [])]
            pair = {lb.target_group_arn.name, advanced.alternate_target_group_arn.name}
            for ref in rules:
                rule = by_id.get(ref.name)
                if not isinstance(rule, ListenerRule) or not any(set(forwarded_groups(a)) == pair for a in rule.actions):
                    yield f"{service.service_name}: {ref.name} is not a listener rule forwarding to {sorted(pair)}"
                elif ref.name not in service.depends_on:
                    yield f"{service.service_name}: does not wait for {ref.name}"


def check_load_balancing(stack: Stack) -> Iterator[str]:
    rules = [r for r in stack.resources if isinstance(r, ListenerRule)]
    yield from check_rules(rules)
    yield from check_balancers(stack.resources)
    yield from check_registrations(stack.resources)
    yield from check_traffic_shifting(stack.resources)
