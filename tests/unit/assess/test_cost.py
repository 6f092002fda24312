"""Monthly Fargate cost against hand calculations, with the arithmetic written out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.assess.cost import PricesError, cents, load_prices, parse_prices, split_tasks, workload_cost
from translator.options import CapacityProvider

ON_DEMAND = (CapacityProvider("FARGATE", 1, 0),)
US = load_prices(region="us-east-1")  # x86: 0.04048 per vCPU-hour, 0.004445 per GB-hour; Spot 0.01334053 / 0.00146489


def test_quarter_vcpu_half_gb_one_task() -> None:
    # 256 units = 0.25 vCPU, 512 MiB = 0.5 GB
    # hour:  0.25 x 0.04048 + 0.5 x 0.004445 = 0.01012 + 0.0022225 = 0.0123425
    # month: 0.0123425 x 730 = 9.010025 -> 9.01
    # Spot:  0.25 x 0.01334053 + 0.5 x 0.00146489 = 0.0033351325 + 0.000732445 = 0.0040675775; x 730 = 2.969331575 -> 2.97
    cost = workload_cost(US, 256, 512, 0, "", 1, ON_DEMAND)
    assert cost.hourly_fargate == Decimal("0.0123425")
    assert cost.fargate == Decimal("9.010025")
    assert cents(cost.fargate) == Decimal("9.01")
    assert cost.spot == Decimal("2.969331575")
    assert cents(cost.spot) == Decimal("2.97")
    assert cost.strategy == cost.fargate


def test_one_vcpu_two_gb_three_tasks() -> None:
    # hour:  1 x 0.04048 + 2 x 0.004445 = 0.04048 + 0.00889 = 0.04937
    # month: 0.04937 x 730 x 3 = 36.0401 x 3 = 108.1203 -> 108.12
    cost = workload_cost(US, 1024, 2048, 0, "X86_64", 3, ON_DEMAND)
    assert cost.hourly_fargate == Decimal("0.04937")
    assert cost.fargate == Decimal("108.1203")
    assert cents(cost.fargate) == Decimal("108.12")


def test_four_vcpu_thirty_gb_with_fifty_gib_storage_two_tasks() -> None:
    # hour:  4 x 0.04048 + 30 x 0.004445 + (50 - 20) x 0.000111 = 0.16192 + 0.13335 + 0.00333 = 0.2986
    # month: 0.2986 x 730 x 2 = 217.978 x 2 = 435.956 -> 435.96
    cost = workload_cost(US, 4096, 30720, 50, "", 2, ON_DEMAND)
    assert cost.hourly_fargate == Decimal("0.2986")
    assert cents(cost.fargate) == Decimal("435.96")


def test_strategy_puts_the_base_first_then_splits_by_weight() -> None:
    # FARGATE base 1 weight 1, FARGATE_SPOT weight 3, 4 tasks: 1 base task on FARGATE, the other 3 split 1:3,
    # so FARGATE 1 + 0.75 = 1.75 tasks and FARGATE_SPOT 2.25 tasks.
    # month: 730 x (0.0123425 x 1.75 + 0.0040675775 x 2.25) = 730 x (0.021599375 + 0.009152049375)
    #      = 730 x 0.030751424375 = 22.44853979375 -> 22.45
    strategy = (CapacityProvider("FARGATE_SPOT", 3, 0), CapacityProvider("FARGATE", 1, 1))
    assert split_tasks(4, strategy) == {"FARGATE_SPOT": Decimal("2.25"), "FARGATE": Decimal("1.75")}
    cost = workload_cost(US, 256, 512, 0, "", 4, strategy)
    assert cost.strategy == Decimal("22.44853979375")
    assert cents(cost.strategy) == Decimal("22.45")


def test_tokyo_prices_and_arm_without_spot() -> None:
    tokyo = load_prices(region="ap-northeast-1")
    # x86 0.5 vCPU / 1 GB: 0.5 x 0.05056 + 1 x 0.00553 = 0.02528 + 0.00553 = 0.03081; x 730 = 22.4913 -> 22.49
    assert cents(workload_cost(tokyo, 512, 1024, 0, "", 1, ON_DEMAND).fargate) == Decimal("22.49")
    # ARM64 1 vCPU / 2 GB: 1 x 0.04045 + 2 x 0.00442 = 0.04929; x 730 = 35.9817 -> 35.98; Fargate Spot runs no ARM64
    arm = workload_cost(tokyo, 1024, 2048, 0, "ARM64", 1, ON_DEMAND)
    assert cents(arm.fargate) == Decimal("35.98")
    assert arm.spot is None
    assert workload_cost(tokyo, 1024, 2048, 0, "ARM64", 1, (CapacityProvider("FARGATE_SPOT", 1, 0),)).strategy is None


def test_bundled_files_state_their_source_and_date() -> None:
    for region in ("us-east-1", "ap-northeast-1"):
        prices = load_prices(region=region)
        assert prices.region == region and prices.currency == "USD" and prices.hours_per_month == 730
        assert "aws.amazon.com/fargate/pricing" in prices.source and prices.as_of == "2026-11-22"


def test_a_prices_file_needs_its_source_and_valid_numbers() -> None:
    good = ("region: eu-west-1\ncurrency: USD\nas_of: '2026-01-01'\nsource: my quote\n"
            "fargate: {x86_64: {vcpu_hour: '0.05', gb_hour: '0.005'}}\n")
    assert parse_prices(good, "p.yaml").fargate["x86_64"].vcpu_hour == Decimal("0.05")
    with pytest.raises(PricesError, match="source is required"):
        parse_prices(good.replace("source: my quote\n", ""), "p.yaml")
    with pytest.raises(PricesError, match="vcpu_hour must be a non-negative number"):
        parse_prices(good.replace("'0.05'", "cheap"), "p.yaml")
    with pytest.raises(PricesError, match="no bundled prices for region 'mars-1'"):
        load_prices(region="mars-1")
