"""The assessment's delivery and operations sections, read from the translated stacks of real samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from tests.support.repo import ROOT
from translator.cli.main import cli

SAMPLES = ROOT / "samples"


def _assess(tmp_path: Path, *args: str) -> tuple[dict[str, Any], str, str]:
    paths = [tmp_path / "report.json", tmp_path / "report.html", tmp_path / "report.md"]
    outs = [a for p in paths for a in ("-o", str(p))]
    result = CliRunner().invoke(cli, ["assess", *args, *outs], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    payload = json.loads(paths[0].read_text())
    from importlib import resources
    schema = json.loads(resources.files("translator.assess").joinpath("schema", "assessment-v1.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(payload)
    return payload, paths[1].read_text(), paths[2].read_text()


def test_a_blue_green_rollout_that_waits_for_promotion(tmp_path: Path) -> None:
    payload, html, md = _assess(tmp_path, str(SAMPLES / "rollout-bluegreen"))
    assert payload["delivery"] == [{
        "service": "payments-checkout", "namespace": "payments", "source": "Rollout/payments/checkout",
        "strategy": "BLUE_GREEN", "load_balanced": True, "waits_for_a_person": True,
        "detail": "paused at PRE_PRODUCTION_TRAFFIC_SHIFT until continued by hand; previous revision kept 10 min"}]
    assert "1 waits at a pause until someone runs" in html and "<span class=\"chip\">BLUE_GREEN</span>" in html
    assert ("| payments/payments-checkout | BLUE_GREEN | paused at PRE_PRODUCTION_TRAFFIC_SHIFT until continued by "
            "hand; previous revision kept 10 min (waits for a person) |") in md


def test_rolling_services_say_how_they_roll(tmp_path: Path) -> None:
    payload, _, _ = _assess(tmp_path, str(SAMPLES / "autoscaled-batch"))
    assert [(d["service"], d["strategy"], d["detail"]) for d in payload["delivery"]] == [
        ("orders-api", "ROLLING", "at most 134% running, at least 66% healthy; rolled back when tasks keep failing")]  # maxSurge 1, maxUnavailable 2 of 3


def test_scaling_is_the_services_target_and_policies(tmp_path: Path) -> None:
    payload, _, md = _assess(tmp_path, str(SAMPLES / "autoscaled-batch"))
    assert payload["operations"] == [{
        "service": "orders-api", "namespace": "orders", "execute_command": False, "log_drivers": ["awslogs"],
        "scaling": {"min": 3, "max": 12, "policies": [
            {"name": "orders-api-cpu", "metric": "ECSServiceAverageCPUUtilization", "target": 17.5},
            {"name": "orders-api-memory", "metric": "ECSServiceAverageMemoryUtilization", "target": 15.0}],
        "scheduled": []}}]
    assert ("| orders/orders-api | off | awslogs | 3 to 12 tasks; ECSServiceAverageCPUUtilization at 17.5; "
            "ECSServiceAverageMemoryUtilization at 15 |") in md


def test_ecs_exec_follows_the_option(tmp_path: Path) -> None:
    on, html, _ = _assess(tmp_path / "on", str(SAMPLES / "storefront"), "--config", str(SAMPLES / "kube2ecs-exec.yaml"))
    off, _, _ = _assess(tmp_path / "off", str(SAMPLES / "storefront"))
    assert [(o["service"], o["execute_command"]) for o in on["operations"]] == [
        ("store-api", True), ("store-cache", True), ("store-catalog", True), ("store-storefront", True)]
    assert not any(o["execute_command"] for o in off["operations"])
    assert "a shell into a task with ECS Exec (4 of 4;" in html


def test_keda_triggers_show_their_metric_math_and_scheduled_actions(tmp_path: Path) -> None:
    payload, _, md = _assess(tmp_path, str(SAMPLES / "keda-scaling"))
    scaling = payload["operations"][0]["scaling"]
    assert [(p["metric"], p["target"]) for p in scaling["policies"]] == [
        ("ECSServiceAverageCPUUtilization", 15.0), ("custom metric: messages per running task", 20.0)]
    assert scaling["scheduled"] == [
        {"name": "events-orders-worker-cron-start", "schedule": "cron(0 8 ? * MON-FRI *)", "timezone": "Europe/Berlin",
         "min": 6, "max": None},
        {"name": "events-orders-worker-cron-end", "schedule": "cron(0 18 ? * MON-FRI *)", "timezone": "Europe/Berlin",
         "min": 2, "max": None}]
    assert "custom metric: messages per running task at 20; 2 scheduled actions |" in md


def test_firelens_routed_containers_show_their_log_driver(tmp_path: Path) -> None:
    payload, _, _ = _assess(tmp_path, str(SAMPLES / "firelens-logging"), "--config",
                            str(SAMPLES / "kube2ecs-firelens.yaml"))
    assert {tuple(o["log_drivers"]) for o in payload["operations"]} == {("awsfirelens", "awslogs")}
