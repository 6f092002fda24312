"""Arithmetic that decides sizes and rollouts, checked against hand calculations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.findings.model import FindingSink
from translator.mapping.context import MapContext
from translator.mapping.service.rollout import percentages
from translator.mapping.task.sizing import FARGATE_SIZES, fargate_size, is_valid_size, pod_need
from translator.model.app import Application, Meta, PodSpec, Rollout, Workload
from translator.options import Options
from translator.source.quantity import cpu_units, mebibytes, parse_quantity


@pytest.mark.parametrize(("text", "expected"), [
    ("250m", Decimal("0.25")), ("1.5", Decimal("1.5")), ("512Mi", Decimal(512 * 2**20)),
    ("1G", Decimal(10**9)), ("129e6", Decimal(129_000_000)), ("1E3", Decimal(1000)), ("1E", Decimal(10**18)),
    (2, Decimal(2)), (".5", Decimal("0.5")), ("0.5Gi", Decimal(2**29)),
])
def test_parse_quantity(text: object, expected: Decimal) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["1.5 cores", "abc", "", "-1", "1Mb", True, None])
def test_parse_quantity_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_quantity(text)


def test_units() -> None:
    assert cpu_units(Decimal("0.1")) == 103
    assert cpu_units(Decimal("0.25")) == 256
    assert mebibytes(Decimal(10**9)) == 954
    assert mebibytes(Decimal(129_000_000)) == 124


@pytest.mark.parametrize(("need", "size"), [
    ((103, 124), (256, 512)), ((1536, 954), (2048, 4096)), ((256, 3000), (512, 3072)),
    ((256, 512), (256, 512)), ((257, 512), (512, 1024)), ((4096, 30721), (8192, 32768)),
    ((16384, 122880), (16384, 122880)),
])
def test_fargate_size(need: tuple[int, int], size: tuple[int, int]) -> None:
    assert fargate_size(*need) == size


def test_fargate_size_too_big() -> None:
    assert fargate_size(16385, 1024) is None
    assert fargate_size(1024, 122881) is None


def test_every_size_is_valid_and_cheapest() -> None:
    for cpu, memories in FARGATE_SIZES.items():
        for memory in memories:
            chosen = fargate_size(cpu, memory)
            assert chosen == (cpu, memory) and is_valid_size(*chosen)
    assert not is_valid_size(32768, 61440)


def test_pod_need_counts_largest_init_container() -> None:
    assert pod_need([(256, 512), (100, 64)], [(1024, 128)]) == (1024, 576)


def _workload(replicas: int, rollout: Rollout) -> Workload:
    return Workload("Deployment", Meta("web", "shop"), replicas, PodSpec(containers=()), rollout=rollout)


@pytest.mark.parametrize(("replicas", "surge", "unavailable", "expected"), [
    (3, "25%", "25%", (134, 100)),
    (3, 1, 0, (134, 100)),
    (3, 0, "25%", (100, 66)),  # both resolve to 0 -> Kubernetes lets one pod go
    (4, "25%", "25%", (125, 75)),
    (10, "50%", 2, (150, 80)),
    (1, 1, 0, (200, 100)),
    (0, 1, 1, (200, 100)),
])
def test_rollout_percentages(replicas: int, surge: int | str, unavailable: int | str, expected: tuple[int, int]) -> None:
    mc = MapContext(Application(), Options(), FindingSink())
    assert percentages(mc, _workload(replicas, Rollout("RollingUpdate", surge, unavailable))) == expected


def test_rollout_counts_match_kubernetes_for_small_services() -> None:
    """ECS rounds max down and min up; the emitted percentages must give Kubernetes' task counts."""
    import math

    mc = MapContext(Application(), Options(), FindingSink())
    for replicas in range(1, 101):
        maximum, minimum = percentages(mc, _workload(replicas, Rollout()))
        surge, unavailable = math.ceil(replicas / 4), math.floor(replicas / 4)
        unavailable = unavailable or (0 if surge else 1)
        assert math.floor(replicas * maximum / 100) == replicas + surge
        assert math.ceil(replicas * minimum / 100) == replicas - unavailable


def test_recreate() -> None:
    mc = MapContext(Application(), Options(), FindingSink())
    assert percentages(mc, _workload(3, Rollout("Recreate"))) == (100, 0)
