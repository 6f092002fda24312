"""Blue/green, canary and linear deployments behind a load balancer: what ECS shifts traffic with, exactly,
and where it cannot (mapping/service/traffic.py)."""

from __future__ import annotations

from dataclasses import replace

from tests.support.manifests import deployment, service
from translator.api import translate_text
from translator.model.ecs import (
    AdvancedConfiguration,
    ClientAlias,
    ConditionValues,
    ConnectTestHeader,
    ConnectTestTraffic,
    EcsService,
    ExactValue,
    ForwardConfig,
    HttpHeaderConfig,
    ListenerRule,
    Resource,
    Role,
    RuleCondition,
    TargetGroup,
    TargetGroupTuple,
    WeightedForward,
)
from translator.model.intrinsics import GetAtt, Ref, Sub

ROLLOUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{name: http, containerPort: 8080}]}]
  strategy:
"""
BLUE_GREEN = ROLLOUT + "    blueGreen: {activeService: web, previewService: web-preview}\n"
CANARY = ROLLOUT + "    canary: {steps: [{setWeight: 20}, {pause: {duration: 1m}}]}\n"
PREVIEW = service("web-preview", "{port: 80, targetPort: http}", app="web")
INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
%s
"""
PATH = "          - {path: %s, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}"


def _translate(*documents: str) -> tuple[dict[str, Resource], list[tuple[str, str]]]:
    result = translate_text("---\n".join(documents))
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    findings = [(f.code, f.message) for f in result.findings if f.code in ("K2E374", "K2E378", "K2E379", "K2E385", "K2E389")]
    return resources, findings


def _service(resources: dict[str, Resource]) -> EcsService:
    found = resources["WebService"]
    assert isinstance(found, EcsService)
    return found


def test_a_blue_green_rollout_behind_an_alb_gets_an_alternate_target_group_rules_and_a_role() -> None:
    resources, findings = _translate(BLUE_GREEN, service("web", "{port: 80, targetPort: http}", type="LoadBalancer"),
                                     PREVIEW)
    primary, alternate = resources["Web80TargetGroup"], resources["Web80AlternateTargetGroup"]
    assert isinstance(primary, TargetGroup) and isinstance(alternate, TargetGroup)
    assert replace(alternate, logical_id=primary.logical_id, metadata=primary.metadata) == primary  # same health check
    weighted = WeightedForward(ForwardConfig((TargetGroupTuple(Ref("Web80TargetGroup"), 100),
                                              TargetGroupTuple(Ref("Web80AlternateTargetGroup"), 0))))
    production, test = resources["Web80ProductionRule"], resources["Web80TestRule"]
    assert isinstance(production, ListenerRule) and isinstance(test, ListenerRule)
    assert (production.listener_arn, production.priority, production.conditions, production.actions) == (
        Ref("Web80Listener"), 2, (RuleCondition("path-pattern", path_pattern_config=ConditionValues(("/*",))),), (weighted,))
    assert (test.listener_arn, test.priority, test.conditions, test.actions) == (
        Ref("Web80Listener"), 1,
        (RuleCondition("http-header", http_header_config=HttpHeaderConfig("X-Preview", ("web-preview",))),), (weighted,))
    role = resources["EcsLoadBalancersRole"]
    assert isinstance(role, Role)
    assert (role.principal, role.source_account, role.statements, role.managed_policy_arns) == (
        "ecs.amazonaws.com", False, (),
        (Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"),))
    ecs = _service(resources)
    assert [b.advanced_configuration for b in ecs.load_balancers] == [AdvancedConfiguration(
        Ref("Web80AlternateTargetGroup"), Ref("Web80ProductionRule"), Ref("Web80TestRule"),
        GetAtt("EcsLoadBalancersRole", "Arn"))]
    assert ecs.depends_on == ("Web80Listener", "Web80ProductionRule", "Web80TestRule")
    assert (ecs.deployment_controller, ecs.circuit_breaker) == ("ECS", False)
    header = ConnectTestTraffic(ConnectTestHeader("X-Preview", ExactValue("web-preview")))
    assert [(c.discovery_name, c.client_aliases) for c in ecs.connect_services] == [
        ("web", (ClientAlias(80, "web", header),)), ("web-preview", (ClientAlias(80, "web-preview"),))]
    assert findings == [
        ("K2E378", "Rollout web: ECS deploys Rollout web with BLUE_GREEN by shifting the weights of Web80ProductionRule "
                   "(test: Web80TestRule) from target group Web80TargetGroup to Web80AlternateTargetGroup, through role "
                   "EcsLoadBalancersRole"),
        ("K2E379", "Rollout web: preview Service web-preview has no address of its own on ECS; during a blue/green "
                   "deployment, requests to the load balancer's port 80 (listener Web80Listener) and through Service "
                   "Connect to web:80 that carry header X-Preview: web-preview reach the new revision, other requests "
                   "the production one"),
    ]


def test_a_canary_behind_an_ingress_rule_shifts_that_rule_and_has_no_test_rule() -> None:
    resources, findings = _translate(CANARY, service("web", "{port: 80, targetPort: http}"), INGRESS % (PATH % "/shop"))
    rules = [r for r in resources.values() if isinstance(r, ListenerRule)]
    assert len(rules) == 1
    assert rules[0].actions == (WeightedForward(ForwardConfig((
        TargetGroupTuple(Ref("IngressAlbWeb80TargetGroup"), 100),
        TargetGroupTuple(Ref("IngressAlbWeb80AlternateTargetGroup"), 0)))),)
    ecs = _service(resources)
    assert ecs.deployment is not None and ecs.deployment.strategy == "CANARY"
    assert [b.advanced_configuration for b in ecs.load_balancers] == [AdvancedConfiguration(
        Ref("IngressAlbWeb80AlternateTargetGroup"), Ref(rules[0].logical_id), None, GetAtt("EcsLoadBalancersRole", "Arn"))]
    assert [code for code, _ in findings] == ["K2E378"]


def test_the_preview_of_a_blue_green_rollout_behind_an_ingress_rule_is_reported() -> None:
    resources, findings = _translate(BLUE_GREEN, service("web", "{port: 80, targetPort: http}"), PREVIEW,
                                     INGRESS % (PATH % "/shop"))
    rule = next(r for r in resources.values() if isinstance(r, ListenerRule))
    assert ("K2E389", f"Rollout web: ECS shifts traffic on Ingress rule {rule.logical_id}; preview Service web-preview "
                      "gets no test listener rule, so the new revision takes no test traffic through the load balancer "
                      "before production traffic") in findings


def test_a_target_group_two_rules_reach_stays_rolling() -> None:
    resources, findings = _translate(CANARY, service("web", "{port: 80, targetPort: http}"),
                                     INGRESS % "\n".join((PATH % "/shop", PATH % "/cart")))
    ecs = _service(resources)
    assert ecs.deployment is None and ecs.circuit_breaker and not ecs.deployment_controller
    assert "IngressAlbWeb80AlternateTargetGroup" not in resources and "EcsLoadBalancersRole" not in resources
    assert [code for code, _ in findings] == ["K2E374", "K2E385"]
    assert findings[1][1].startswith(
        "Rollout web: Rollout web registers in a load balancer in a way ECS cannot shift traffic on (target group "
        "IngressAlbWeb80TargetGroup is reached through 2 listeners and rules (")


def test_the_rolling_update_percentages_are_said_only_for_services_ecs_rolls_out() -> None:
    _, findings = _translate(CANARY, deployment("plain", "nginx:1.27"))
    assert findings == [("K2E374", "rolling update maxSurge 25% / maxUnavailable 25% of 1 replicas becomes "
                                   "maximumPercent 200 / minimumHealthyPercent 100")]


def test_the_deploy_check_holds_a_non_rolling_service_to_what_ecs_requires() -> None:
    from translator.checks.elb import check_traffic_shifting

    resources, _ = _translate(BLUE_GREEN, service("web", "{port: 80, targetPort: http}", type="LoadBalancer"), PREVIEW)
    ecs = _service(resources)
    assert list(check_traffic_shifting(list(resources.values()))) == []
    rolling_controller = replace(ecs, deployment_controller="", circuit_breaker=True)
    bare = replace(ecs, load_balancers=tuple(replace(b, advanced_configuration=None) for b in ecs.load_balancers))
    impatient = replace(ecs, depends_on=("Web80Listener",))
    problems = [list(check_traffic_shifting([*(r for r in resources.values() if r is not ecs), broken]))
                for broken in (rolling_controller, bare, impatient)]
    assert problems == [
        ["shop-web: a BLUE_GREEN deployment needs the ECS controller and no circuit breaker"],
        ["shop-web: target group Web80TargetGroup has no advanced configuration"],
        ["shop-web: does not wait for Web80ProductionRule", "shop-web: does not wait for Web80TestRule"],
    ]


GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: alb
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: split, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  rules:
    - backendRefs: [{name: web, port: 80, weight: 80}, {name: next, port: 80, weight: 20}]
"""


def test_a_target_group_of_a_weighted_split_stays_rolling() -> None:
    """ECS shifts a rule by making it forward to the primary and the alternate target group: done to a rule
    that splits requests over several target groups, it would drop the others' share."""
    resources, findings = _translate(CANARY, service("web", "{port: 80, targetPort: http}"), GATEWAY,
                                     deployment("next", container="          ports: [{name: http, containerPort: 8080}]\n"),
                                     service("next", "{port: 80, targetPort: http}"))
    ecs = _service(resources)
    assert ecs.deployment is None and "EcsLoadBalancersRole" not in resources
    assert not [r for r in resources if r.endswith("AlternateTargetGroup")]
    split = [r for r in resources.values() if isinstance(r, ListenerRule)]
    assert [len(rule.actions[0].forward_config.target_groups) for rule in split] == [2]  # type: ignore[union-attr]
    assert [code for code, _ in findings] == ["K2E374", "K2E385", "K2E374"]  # both services roll
    assert findings[1][1] == (
        "Rollout web: Rollout web registers in a load balancer in a way ECS cannot shift traffic on (target group "
        "GatewayEdgeWeb80TargetGroup is one of 2 target groups that listener rule GatewayEdge80SplitRulecd4b63 splits "
        "the requests over, and ECS shifts a rule that forwards to one), so its ECS service keeps rolling deployments "
        "instead of CANARY")


def test_a_service_in_more_target_groups_than_ecs_can_double_stays_rolling() -> None:
    """Each target group ECS shifts gets an alternate; an ECS service is in at most 5 target groups."""
    ports = ", ".join(f"{{name: p{port}, port: {port}, targetPort: http}}" for port in (80, 81, 82))
    paths = "\n".join(f"          - {{path: /p{port}, pathType: Prefix, backend: {{service: {{name: web, port: {{number: {port}}}}}}}}}"
                      for port in (80, 81, 82))
    resources, findings = _translate(CANARY, service("web", ports), INGRESS % paths)
    assert _service(resources).deployment is None
    assert not [r for r in resources if r.endswith("AlternateTargetGroup")]
    assert [code for code, _ in findings] == ["K2E374", "K2E385"]
    assert findings[1][1].endswith("(its 3 target groups and their alternates would be 6, more than the 5 an ECS service "
                                   "can be in), so its ECS service keeps rolling deployments instead of CANARY")
