"""Rollout and Canary steps to ECS's native strategies: the exact strategy and every finding."""

from __future__ import annotations

from decimal import Decimal

from translator.mapping.service.delivery import plan
from translator.model.app import Delivery, DeliveryStep, Meta
from translator.model.ecs import CanaryConfiguration, DeploymentStrategy, HookTimeout, LifecycleHook, LinearConfiguration
from translator.render import encode

META = Meta("web", "shop")


def _canary(*steps: tuple[str, float | None], delay: int | None = None) -> Delivery:
    built = tuple(DeliveryStep("setWeight", weight=Decimal(str(v))) if kind == "w" else
                  DeliveryStep("pause", pause=None if v is None else Decimal(str(v))) if kind == "p" else DeliveryStep(kind)
                  for kind, v in steps)
    return Delivery(META, "Rollout", ("Rollout", "web"), "canary", steps=built, scale_down_delay=delay)


def _codes(notes: tuple) -> list[tuple[str, dict]]:
    return [(n.code, dict(n.params)) for n in notes]


def test_blue_green_waiting_for_a_person_pauses_before_production_traffic() -> None:
    delivery = Delivery(META, "Rollout", ("Rollout", "web"), "blueGreen", "web-active", "web-preview",
                        auto_promotion=False, scale_down_delay=30)
    strategy, notes = plan(delivery)
    assert strategy == DeploymentStrategy("BLUE_GREEN", 1, lifecycle_hooks=(LifecycleHook(("PRE_PRODUCTION_TRAFFIC_SHIFT",)),))
    assert _codes(notes) == [
        ("K2E383", {"name": "Rollout web", "stage": "PRE_PRODUCTION_TRAFFIC_SHIFT"}),
        ("K2E380", {"name": "Rollout web", "workload": "Rollout web", "strategy": "BLUE_GREEN",
                    "detail": "paused at PRE_PRODUCTION_TRAFFIC_SHIFT until continued by hand; previous revision kept 1 min"})]
    assert encode.cfn(strategy) == {"Strategy": "BLUE_GREEN", "BakeTimeInMinutes": 1, "LifecycleHooks": [
        {"LifecycleStages": ["PRE_PRODUCTION_TRAFFIC_SHIFT"], "TargetType": "PAUSE"}]}


def test_blue_green_promoted_after_a_delay_pauses_with_a_timeout_that_continues() -> None:
    delivery = Delivery(META, "Rollout", ("Rollout", "web"), "blueGreen", auto_promotion_seconds=90, scale_down_delay=600)
    strategy, _ = plan(delivery)
    assert strategy == DeploymentStrategy("BLUE_GREEN", 10, lifecycle_hooks=(
        LifecycleHook(("PRE_PRODUCTION_TRAFFIC_SHIFT",), timeout_configuration=HookTimeout(2, "CONTINUE")),))


def test_one_weight_and_a_pause_is_a_canary() -> None:
    strategy, notes = plan(_canary(("w", 20), ("p", 600)))
    assert strategy == DeploymentStrategy("CANARY", 0, canary_configuration=CanaryConfiguration(Decimal(20), 10))
    assert [c for c, _ in _codes(notes)] == ["K2E380"]
    assert encode.cfn(strategy)["CanaryConfiguration"] == {"CanaryPercent": 20, "CanaryBakeTimeInMinutes": 10}


def test_equal_steps_with_equal_pauses_are_linear() -> None:
    strategy, notes = plan(_canary(("w", 20), ("p", 300), ("w", 40), ("p", 300), ("w", 60), ("p", 300), ("w", 80), ("p", 300)))
    assert strategy == DeploymentStrategy("LINEAR", 0, linear_configuration=LinearConfiguration(Decimal(20), 5))
    assert [c for c, _ in _codes(notes)] == ["K2E380"]


def test_unequal_steps_become_the_nearest_canary_and_say_what_changes() -> None:
    strategy, notes = plan(_canary(("w", 10), ("p", 3600), ("w", 30), ("p", 3600), ("w", 60), ("p", 3600)))
    assert strategy == DeploymentStrategy("CANARY", 0, canary_configuration=CanaryConfiguration(Decimal(10), 180))
    assert _codes(notes)[0] == ("K2E381", {
        "name": "Rollout web", "steps": "setWeight 10, pause 3600s, setWeight 30, pause 3600s, setWeight 60, pause 3600s",
        "change": ("ECS shifts 10% for the summed pauses (180 min), then all traffic: its steps are either one canary "
                   "step or equal steps with equal pauses")})


def test_linear_steps_that_stop_short_of_100_keep_stepping_on_ecs() -> None:
    strategy, notes = plan(_canary(*[s for w in (10, 20, 30, 40, 50) for s in (("w", w), ("p", 60))]))
    assert strategy == DeploymentStrategy("LINEAR", 0, linear_configuration=LinearConfiguration(Decimal(10), 1))
    assert _codes(notes)[0][1]["change"] == (
        "the manifest shifts the rest at once after 50%; ECS keeps stepping 10% up to 100% (10 steps instead of 6)")


def test_a_pause_without_end_waits_for_a_person() -> None:
    strategy, notes = plan(_canary(("w", 25), ("p", None)))
    assert strategy == DeploymentStrategy("CANARY", 0, canary_configuration=CanaryConfiguration(Decimal(25), 0),
                                          lifecycle_hooks=(LifecycleHook(("PRE_PRODUCTION_TRAFFIC_SHIFT",)),))
    assert [c for c, _ in _codes(notes)] == ["K2E383", "K2E381", "K2E380"]
    assert _codes(notes)[1][1]["change"] == (
        "ECS runs PRE_PRODUCTION_TRAFFIC_SHIFT before every traffic shift of a CANARY deployment, so it waits for a "
        "person before each step, where the manifest waits once")


def test_steps_below_the_linear_minimum_are_a_canary() -> None:
    strategy, _ = plan(_canary(("w", 2), ("p", 60), ("w", 4), ("p", 60)))
    assert strategy == DeploymentStrategy("CANARY", 0, canary_configuration=CanaryConfiguration(Decimal(2), 2))


def test_a_linear_deployment_longer_than_cloudformation_waits_is_shortened() -> None:
    strategy, notes = plan(_canary(*[s for w in range(5, 100, 5) for s in (("w", w), ("p", 7200))]))
    assert strategy == DeploymentStrategy("LINEAR", 0, linear_configuration=LinearConfiguration(Decimal(5), 104))
    assert _codes(notes)[0][1]["change"] == (
        "19 steps of 120 min exceed the 33 hours a CloudFormation deployment may take; each step waits 104 min instead")


def test_a_last_step_at_100_is_the_bake_time() -> None:
    strategy, _ = plan(_canary(("w", 30), ("p", 120), ("w", 100), ("p", 900)))
    assert strategy == DeploymentStrategy("CANARY", 15, canary_configuration=CanaryConfiguration(Decimal(30), 2))


def test_no_weight_is_a_rolling_update() -> None:
    strategy, notes = plan(_canary(("p", 60)))
    assert strategy is None
    assert _codes(notes) == [("K2E381", {"name": "Rollout web", "steps": "pause 60s", "change": (
        "no traffic weight is set, so the canary is a rolling update: ECS rolls the service as a Deployment")})]


def test_steps_ecs_has_no_equivalent_for_are_reported_and_left_out() -> None:
    strategy, notes = plan(_canary(("setCanaryScale", None), ("w", 50), ("p", 60)))
    assert strategy == DeploymentStrategy("CANARY", 0, canary_configuration=CanaryConfiguration(Decimal(50), 1))
    assert _codes(notes)[0] == ("K2E381", {"name": "Rollout web", "steps": "setCanaryScale",
                                           "change": "ECS has no setCanaryScale step; it is left out"})


def test_analyses_are_reported_by_name() -> None:
    delivery = Delivery(META, "Rollout", ("Rollout", "web"), "blueGreen", analyses=("success-rate", "latency"))
    _, notes = plan(delivery)
    assert _codes(notes)[0] == ("K2E382", {"name": "Rollout web", "analyses": "success-rate, latency"})


def test_the_option_applies_ecs_defaults_to_services_nothing_else_rolls_out() -> None:
    from tests.support.manifests import deployment, service
    from translator.api import translate_text
    from translator.model.ecs import EcsService
    from translator.options import options_from_dict

    text = (deployment("worker", "busybox:1.36") + "---\n" + deployment("web", "nginx:1.27") + "---\n"
            + service("web", "{port: 80}", type="LoadBalancer") + "---\n" + deployment("dns", "coredns:1.11") + "---\n"
            + service("dns", "{port: 53, protocol: UDP}", type="LoadBalancer"))
    result = translate_text(text, options_from_dict({"deployment_strategy": "LINEAR"}))
    services = {r.service_name: r for s in result.stacks for r in s.resources if isinstance(r, EcsService)}
    linear = DeploymentStrategy("LINEAR", 15, linear_configuration=LinearConfiguration(Decimal(10), 6))
    assert services["shop-worker"].deployment == linear
    assert services["shop-worker"].circuit_breaker is False  # rolling deployments only
    assert services["shop-web"].deployment == linear  # behind an ALB: ECS shifts the listener rule's weights
    assert services["shop-dns"].deployment is None  # behind an NLB: stays rolling
    found = sorted((f.code, f.resource) for f in result.findings if f.code in ("K2E374", "K2E378", "K2E380", "K2E385"))
    assert found == [("K2E374", "Deployment/shop/dns"), ("K2E378", "Deployment/shop/web"),
                     ("K2E380", "Deployment/shop/web"), ("K2E380", "Deployment/shop/worker"),
                     ("K2E385", "Deployment/shop/dns")]


DAEMON_CANARY = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "busybox:1.36", resources: {requests: {cpu: 100m, memory: 64Mi}}}]
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: agent, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: DaemonSet, name: agent}
  service: {port: 80}
  analysis: {interval: 1m, iterations: 5, threshold: 2}
"""


def test_a_canary_of_a_daemon_service_stays_rolling() -> None:
    """ECS runs a DAEMON service one task per instance (MaximumPercent 100): no blue/green beside it."""
    from translator.api import translate_text
    from translator.model.ecs import EcsService
    from translator.options import options_from_dict

    for launch_type in ("EC2", "MANAGED_INSTANCES", "FARGATE"):
        result = translate_text(DAEMON_CANARY, options_from_dict({"launch_type": launch_type}))
        services = [r for s in result.stacks for r in s.resources if isinstance(r, EcsService)]
        assert [s.deployment for s in services] == ([None] if launch_type == "EC2" else [])
        found = [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings
                 if f.code in ("K2E380", "K2E383", "K2E384", "K2E778")]
        assert found == [("K2E778", "warning", 17, (
            "Canary agent rolls out DaemonSet agent: ECS updates the one task per instance it runs for a DaemonSet "
            "(a DAEMON service, a managed daemon) with rolling updates only, so its steps, pauses and analysis are not "
            "followed"))], launch_type


def test_waits_longer_than_ecs_allows_are_shortened_and_said() -> None:
    """A two-day canary pause and bake were cut to ECS's 1440 minutes without a word; past 33 hours in all,
    CloudFormation stops waiting for the deployment, so the canary step gives way to the bake time."""
    strategy, notes = plan(_canary(("w", 10), ("p", 172800), delay=172800))
    assert strategy == DeploymentStrategy("CANARY", 1440, canary_configuration=CanaryConfiguration(Decimal(10), 540))
    assert [(code, params["steps"], params["change"]) for code, params in _codes(notes) if code == "K2E381"] == [
        ("K2E381", "scaleDownDelaySeconds 172800s",
         "ECS waits at most 1440 min in the bake time, so it waits 1440 min instead of 2880"),
        ("K2E381", "setWeight 10, pause 172800s",
         "ECS waits at most 1440 min after a traffic step, so it waits 1440 min instead of 2880"),
        ("K2E381", "setWeight 10, pause 172800s",
         "the canary step's 1440 min and the bake time's 1440 min exceed the 33 hours a CloudFormation deployment may "
         "take; the canary step waits 540 min instead")]


def test_a_blue_green_promotion_wait_beyond_fourteen_days_is_said() -> None:
    delivery = Delivery(META, "Rollout", ("Rollout", "web"), "blueGreen", auto_promotion_seconds=2_000_000)
    strategy, notes = plan(delivery)
    assert strategy is not None and strategy.lifecycle_hooks[0].timeout_configuration == HookTimeout(20160, "CONTINUE")
    assert [(c, p["steps"], p["change"]) for c, p in _codes(notes) if c == "K2E381"] == [
        ("K2E381", "autoPromotionSeconds 2000000s",
         "ECS waits at most 20160 min in the pause hook, so it waits 20160 min instead of 33334")]
