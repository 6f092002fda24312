"""Monthly Fargate cost of a workload. Prices are data (one YAML file per region); the arithmetic is exact.

    task price per hour = vCPU x vcpu_hour + GB x gb_hour + max(0, ephemeral GiB - 20) x storage_gb_hour
    monthly cost        = task price per hour x hours_per_month x tasks

vCPU = CPU units / 1024 and GB = MiB / 1024, which is how Fargate bills a task size. Tasks are split
between FARGATE and FARGATE_SPOT the way ECS places them under a capacity provider strategy: each
provider's `base` first, in strategy order, then the rest in proportion to the weights. The split is
an expected value, so 3 tasks under weights 1:3 count as 0.75 on FARGATE and 2.25 on FARGATE_SPOT.
Decimals all the way, rounded to cents only when shown, so totals do not drift.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from translator.model.record import record
from translator.options import CapacityProvider

FREE_STORAGE_GIB = 20
ARCHITECTURES = ("x86_64", "arm64")
DEFAULT_REGION = "us-east-1"


class PricesError(ValueError):
    """A prices file that cannot be used: a one-line message, exit status 2."""


@record
class Rate:
    vcpu_hour: Decimal
    gb_hour: Decimal


@record
class Prices:
    region: str
    currency: str
    as_of: str
    source: str
    notes: str
    hours_per_month: Decimal
    fargate: dict[str, Rate]
    spot: dict[str, Rate]
    storage_gb_hour: Decimal
    origin: str = ""  # "bundled" or the path of the file passed with --prices


@record
class Cost:
    """One workload's monthly cost: everything on FARGATE, everything on FARGATE_SPOT, and the strategy's mix."""

    hourly_fargate: Decimal
    hourly_spot: Decimal | None
    fargate: Decimal
    spot: Decimal | None
    strategy: Decimal | None
    tasks: dict[str, Decimal] = field(default_factory=dict)  # provider -> expected tasks


def bundled_regions() -> tuple[str, ...]:
    folder = resources.files("translator.assess").joinpath("prices")
    return tuple(sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")))


def load_prices(path: str | None = None, region: str | None = None) -> Prices:
    """Prices from `path`, else the bundled file of `region` (us-east-1 when neither is given)."""
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise PricesError(f"{path}: cannot read ({err.strerror or err})") from err
        return parse_prices(text, path, origin=path)
    name = region or DEFAULT_REGION
    if name not in bundled_regions():
        raise PricesError(f"no bundled prices for region {name!r} (bundled: {', '.join(bundled_regions())}); pass --prices FILE")
    text = resources.files("translator.assess").joinpath("prices", f"{name}.yaml").read_text(encoding="utf-8")
    return parse_prices(text, f"{name}.yaml", origin="bundled")


def parse_prices(text: str, where: str, origin: str = "") -> Prices:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        raw = YAML(typ="safe").load(text)
    except YAMLError as err:
        raise PricesError(f"{where}: not valid YAML ({' '.join(str(err).split())[:160]})") from err
    if not isinstance(raw, dict):
        raise PricesError(f"{where}: expected a mapping")
    fargate = _section(raw, "fargate", where)
    spot = _section(raw, "fargate_spot", where)
    if "x86_64" not in fargate:
        raise PricesError(f"{where}: fargate.x86_64 is required")
    return Prices(
        region=_text(raw, "region", where), currency=_text(raw, "currency", where), as_of=_text(raw, "as_of", where),
        source=_text(raw, "source", where), notes=str(raw.get("notes") or ""),
        hours_per_month=_number(raw.get("hours_per_month", 730), f"{where}: hours_per_month"),
        fargate={a: _rate(v, f"{where}: fargate.{a}") for a, v in fargate.items() if a in ARCHITECTURES},
        spot={a: _rate(v, f"{where}: fargate_spot.{a}") for a, v in spot.items() if a in ARCHITECTURES},
        storage_gb_hour=_number(fargate.get("ephemeral_storage_gb_hour", 0), f"{where}: fargate.ephemeral_storage_gb_hour"),
        origin=origin,
    )


def _section(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise PricesError(f"{where}: {key} must be a mapping")
    return value


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str | int) or not str(value).strip():
        raise PricesError(f"{where}: {key} is required (the report states where its prices come from)")
    return " ".join(str(value).split())


def _rate(value: Any, where: str) -> Rate:
    if not isinstance(value, dict):
        raise PricesError(f"{where} must be a mapping with vcpu_hour and gb_hour")
    return Rate(_number(value.get("vcpu_hour"), f"{where}.vcpu_hour"), _number(value.get("gb_hour"), f"{where}.gb_hour"))


def _number(value: Any, where: str) -> Decimal:
    """Prices are written as strings in the bundled files so that YAML floats never round them."""
    try:
        number = Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise PricesError(f"{where} must be a non-negative number")
    return number


def task_hourly(rate: Rate, cpu_units: int, memory_mib: int, ephemeral_gib: int, storage_gb_hour: Decimal) -> Decimal:
    extra_storage = max(0, ephemeral_gib - FREE_STORAGE_GIB)
    return (Decimal(cpu_units) / 1024 * rate.vcpu_hour + Decimal(memory_mib) / 1024 * rate.gb_hour
            + extra_storage * storage_gb_hour)


def split_tasks(replicas: int, providers: tuple[CapacityProvider, ...]) -> dict[str, Decimal]:
    """Expected tasks per provider: bases first in strategy order, the rest by weight."""
    counts = {p.provider: Decimal(0) for p in providers}
    left = Decimal(max(replicas, 0))
    for p in providers:
        take = min(Decimal(p.base), left)
        counts[p.provider] += take
        left -= take
    total = sum(p.weight for p in providers)
    for i, p in enumerate(providers):
        if total:
            counts[p.provider] += left * p.weight / total
        elif i == 0:
            counts[p.provider] += left
    return counts


def workload_cost(prices: Prices, cpu_units: int, memory_mib: int, ephemeral_gib: int, architecture: str,
                  replicas: int, providers: tuple[CapacityProvider, ...]) -> Cost:
    arch = "arm64" if architecture.upper() == "ARM64" else "x86_64"
    rate = prices.fargate.get(arch) or prices.fargate["x86_64"]
    hourly = task_hourly(rate, cpu_units, memory_mib, ephemeral_gib, prices.storage_gb_hour)
    spot_rate = prices.spot.get(arch)
    hourly_spot = task_hourly(spot_rate, cpu_units, memory_mib, ephemeral_gib, prices.storage_gb_hour) if spot_rate else None
    tasks = split_tasks(replicas, providers)
    month = prices.hours_per_month
    on_spot = tasks.get("FARGATE_SPOT", Decimal(0))
    strategy = None
    if hourly_spot is not None or not on_spot:
        strategy = month * (hourly * tasks.get("FARGATE", Decimal(0)) + (hourly_spot or Decimal(0)) * on_spot)
    return Cost(hourly_fargate=hourly, hourly_spot=hourly_spot, fargate=month * hourly * replicas,
                spot=month * hourly_spot * replicas if hourly_spot is not None else None,
                strategy=strategy, tasks=tasks)


def cents(value: Decimal | None) -> Decimal | None:
    from decimal import ROUND_HALF_UP

    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
