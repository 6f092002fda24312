"""Blue/green, canary and linear deployments behind a load balancer, and the preview of a blue/green one.

ECS shifts the traffic of such a deployment between two target groups through a listener rule it
rewrites (ecs-recent-features 1; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/
alb-resources-for-blue-green.html): per target group the service registers in, an alternate target
group with the same health check, a production listener rule that forwards to both by weight (on an
ALB the schema's `ProductionListenerRule` is a rule ARN, so a Service's listener gets a catch-all
rule; an Ingress rule becomes the production rule itself), optionally a test listener rule, and an
infrastructure role ECS assumes for the ELB calls, with the AWS managed policy
AmazonECSInfrastructureRolePolicyForLoadBalancers (https://docs.aws.amazon.com/aws-managed-policy/
latest/reference/AmazonECSInfrastructureRolePolicyForLoadBalancers.html; trust as in
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).

A preview Service (Argo `previewService`, Flagger's `<name>-canary`) has no address of its own on
ECS: the new revision is reached during a blue/green deployment by requests that carry a header,
through the test listener rule on an ALB and through Service Connect's test traffic rules.
"""

from __future__ import annotations

from dataclasses import replace

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network.ingressbackends import MAX_TARGET_GROUPS
from translator.mapping.service.assemble import Contribution
from translator.mapping.stackbuilder import StackBuilder
from translator.model.app import Delivery, Origin
from translator.model.ecs import (
    Action,
    AdvancedConfiguration,
    ConditionValues,
    ConnectTestHeader,
    ConnectTestTraffic,
    DeploymentStrategy,
    ExactValue,
    ForwardConfig,
    HttpHeaderConfig,
    Listener,
    ListenerRule,
    LoadBalancer,
    LoadBalancerBinding,
    Role,
    RuleCondition,
    TargetGroup,
    TargetGroupTuple,
    WeightedForward,
    forwarded_groups,
)
from translator.model.intrinsics import GetAtt, Ref, Sub
from translator.model.provenance import with_origins
from translator.model.record import record

ROLE = "EcsLoadBalancersRole"
MANAGED_POLICY = "AmazonECSInfrastructureRolePolicyForLoadBalancers"
PREVIEW_HEADER = "X-Preview"  # its value is the preview Service's name
TEST_PRIORITY, PRODUCTION_PRIORITY = 1, 2  # on a Service's own listener: the test rule is matched first


@record
class Shifted:
    """What `route` made: the service's contribution, where a test rule takes the preview's requests, and
    (load balancer, primary target group, alternate target group) per route, for the ALB alarms."""

    contribution: Contribution
    tested: list[str]
    groups: list[tuple[str, str, str]]


@record
class _Route:
    binding: LoadBalancerBinding
    attacher: Listener | ListenerRule


def blocker(stack: StackBuilder, bindings: tuple[LoadBalancerBinding, ...]) -> tuple[list[_Route], str]:
    """Each target group's one listener or rule; or why ECS cannot shift the traffic as the stack routes it."""
    routes = []
    seen: set[str] = set()
    for binding in bindings:
        group = binding.target_group_arn.name
        if group in seen:  # one target group bound twice (two ports of a route to it) is shifted once
            continue
        seen.add(group)
        attachers = [r for r in stack.resources if isinstance(r, Listener | ListenerRule) and group in _groups(r)]
        if len(attachers) != 1:
            names = ", ".join(a.logical_id for a in attachers)
            return [], f"target group {group} is reached through {len(attachers)} listeners and rules ({names}), ECS shifts one"
        attacher = attachers[0]
        split = _groups(attacher)
        if len(split) > 1:  # ECS makes the rule forward to the primary and the alternate: the others' share would go
            kind = "listener" if isinstance(attacher, Listener) else "listener rule"
            return [], (f"target group {group} is one of {len(split)} target groups that {kind} {attacher.logical_id} "
                        "splits the requests over, and ECS shifts a rule that forwards to one")
        if isinstance(attacher, Listener):
            balancer = stack.get(attacher.load_balancer_arn.name)
            if isinstance(balancer, LoadBalancer) and balancer.lb_type == "network":
                return [], (f"target group {group} is behind Network Load Balancer {balancer.logical_id}, whose listener "
                            "kube2ecs does not hand to ECS")
        routes.append(_Route(binding, attacher))
    if len(routes) * 2 > MAX_TARGET_GROUPS:
        return [], (f"its {len(routes)} target groups and their alternates would be {len(routes) * 2}, more than the "
                    f"{MAX_TARGET_GROUPS} an ECS service can be in")
    return routes, ""


def _groups(resource: Listener | ListenerRule) -> set[str]:
    actions: tuple[Action, ...] = resource.default_actions if isinstance(resource, Listener) else resource.actions
    return {group for action in actions for group in forwarded_groups(action)}


def route(mc: MapContext, nb: NamespaceBuild, routes: list[_Route], strategy: DeploymentStrategy,
          delivery: Delivery | None, origin: Origin, name: str, workload: str) -> Shifted:
    """The alternate target groups, listener rules and role; the service's advanced configuration; and
    where a test listener rule takes the preview's requests (said once with Service Connect's, K2E379)."""
    stack = nb.stack
    role = _role(nb, origin)
    preview = delivery.preview_service if delivery is not None and strategy.strategy == "BLUE_GREEN" else ""
    shifting: list[tuple[str, AdvancedConfiguration]] = []
    waits: list[str] = []
    tested: list[str] = []
    groups: list[tuple[str, str, str]] = []
    for r in routes:
        primary = stack.get(r.binding.target_group_arn.name)
        assert isinstance(primary, TargetGroup)
        alternate = _alternate(stack, primary, origin)
        action = WeightedForward(ForwardConfig((TargetGroupTuple(Ref(primary.logical_id), 100),
                                                TargetGroupTuple(Ref(alternate.logical_id), 0))))
        test: ListenerRule | None = None
        if isinstance(r.attacher, Listener):
            base = r.attacher.logical_id.removesuffix("Listener")
            production = stack.add(ListenerRule(
                f"{base}ProductionRule", metadata=with_origins(r.attacher.metadata, origin),
                listener_arn=Ref(r.attacher.logical_id), priority=PRODUCTION_PRIORITY,
                conditions=(RuleCondition("path-pattern", path_pattern_config=ConditionValues(("/*",))),), actions=(action,)))
            if preview:
                test = stack.add(ListenerRule(
                    f"{base}TestRule", metadata=with_origins(r.attacher.metadata, origin),
                    listener_arn=Ref(r.attacher.logical_id), priority=TEST_PRIORITY,
                    conditions=(RuleCondition("http-header", http_header_config=HttpHeaderConfig(PREVIEW_HEADER, (preview,))),),
                    actions=(action,)))
                tested.append(f"to the load balancer's port {r.attacher.port} (listener {r.attacher.logical_id})")
        else:
            production = replace(r.attacher, actions=(action,), metadata=with_origins(r.attacher.metadata, origin))
            stack.replace(production)
            if preview:
                mc.report(origin, "K2E389", name=name, preview=preview, rule=production.logical_id)
        advanced = AdvancedConfiguration(Ref(alternate.logical_id), Ref(production.logical_id),
                                         Ref(test.logical_id) if test is not None else None, GetAtt(role, "Arn"))
        shifting.append((primary.logical_id, advanced))
        listener = r.attacher if isinstance(r.attacher, Listener) else stack.get(r.attacher.listener_arn.name)
        if isinstance(listener, Listener):
            groups.append((listener.load_balancer_arn.name, primary.logical_id, alternate.logical_id))
        waits += [production.logical_id, *([test.logical_id] if test is not None else [])]
        rules = production.logical_id + (f" (test: {test.logical_id})" if test is not None else "")
        mc.report(origin, "K2E378", name=name, workload=workload, strategy=strategy.strategy, rules=rules,
                  primary=primary.logical_id, alternate=alternate.logical_id, role=role)
    return Shifted(Contribution(traffic_shifting=tuple(shifting), attached_by=tuple(waits)), tested, groups)


def _alternate(stack: StackBuilder, primary: TargetGroup, origin: Origin) -> TargetGroup:
    """The same target group again: same port, protocol, health check and attributes."""
    logical_id = (primary.logical_id.removesuffix("TargetGroup") + "AlternateTargetGroup")[:255]
    return stack.add(replace(primary, logical_id=logical_id, metadata=with_origins(primary.metadata, origin)))


def _role(nb: NamespaceBuild, origin: Origin) -> str:
    """One role per stack that ECS assumes to rewrite the listener rules and register the tasks."""
    if not nb.stack.has(ROLE):
        nb.stack.add(Role(
            ROLE, metadata=with_origins(nb.stack.get("ServicesSecurityGroup").metadata, origin),
            description=(f"ECS infrastructure role for the load balancers of blue/green, canary and linear "
                         f"deployments in namespace {nb.namespace}")[:1000],
            principal="ecs.amazonaws.com", source_account=False,
            managed_policy_arns=(Sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{MANAGED_POLICY}"),)))
    return ROLE


def preview_header(mc: MapContext, namespace: str, delivery: Delivery, strategy: DeploymentStrategy, service: str,
                   name: str, tested: list[str]) -> Contribution | None:
    """Service Connect test traffic: calls to the active Service's names carrying the preview header reach the
    new revision during a blue/green deployment (`ClientAliases[].ConnectTestTraffic` in the schema); K2E379
    says where the preview is reached, through the load balancer (`tested`) and Service Connect."""
    if strategy.strategy != "BLUE_GREEN" or not delivery.preview_service:
        return None
    entries = [e.entry for e in mc.endpoints.get((namespace, delivery.active_service), []) if e.service == service]
    rules = ConnectTestTraffic(ConnectTestHeader(PREVIEW_HEADER, ExactValue(delivery.preview_service)))
    if entries:
        aliases = ", ".join(f"{a.dns_name}:{a.port}" for e in entries for a in e.client_aliases)
        tested = [*tested, f"through Service Connect to {aliases}"]
    if tested:
        mc.report(delivery.origin, "K2E379", name=name, preview=delivery.preview_service, header=PREVIEW_HEADER,
                  where=" and ".join(tested))
    return Contribution(test_traffic=tuple((e.discovery_name, rules) for e in entries)) if entries else None
