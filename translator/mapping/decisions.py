"""Every option left at its default is an info finding with a stable id, so reruns can be explained."""

from __future__ import annotations

from translator.findings.model import Location
from translator.mapping.context import MapContext
from translator.model.record import record
from translator.options import DECISIONS, GATEWAY_DECISIONS, LOG_DECISIONS, MANAGED_INSTANCES, Options
from translator.source.reader import make_finding


@record
class Decision:
    """One choice a translation made: the option, the value used, and whether nobody set it."""

    option: str
    value: str
    default: bool


def _shown(name: str, value: object) -> object:
    if name == "capacity_providers":
        return ", ".join(f"{p.provider} weight {p.weight} base {p.base}" for p in value)  # type: ignore[attr-defined]
    if name == "cluster" and not value:
        return "a new cluster per stack"
    if name == "certificate_arn" and not value:
        return "a CertificateArn stack parameter where TLS is used"
    return value


def _defaulted(options: Options, name: str) -> bool:
    """Left at its default: not in kube2ecs.yaml, and (for `Options(...)` built in code) not changed."""
    return name not in options.explicit and getattr(options, name) == getattr(Options(), name)


def decisions(options: Options) -> list[Decision]:
    """The value of every option that shapes the output, in the order of `DECISIONS`; the log routing
    options after them when the FireLens router is on (left at awslogs, they change nothing), and the
    Gateway target when Gateways go to VPC Lattice (left at load-balancer, it changes nothing)."""
    return [Decision(name, str(_shown(name, getattr(options, name))), _defaulted(options, name))
            for name in _reported(options)]


def _reported(options: Options) -> tuple[str, ...]:
    """Managed Instances stacks make their own providers (K2E870, K2E871): capacity_providers decides nothing there."""
    names = DECISIONS if options.launch_type != MANAGED_INSTANCES else tuple(n for n in DECISIONS if n != "capacity_providers")
    return (*names, *(LOG_DECISIONS if options.log_router == "firelens" else ()),
            *(GATEWAY_DECISIONS if options.gateway_target == "vpc-lattice" else ()))


def report_decisions(mc: MapContext) -> None:
    defaults = Options()
    for name in _reported(mc.options):
        if not _defaulted(mc.options, name):
            continue
        value = _shown(name, getattr(defaults, name))
        mc.sink.add(make_finding("K2E370", Location(file="kube2ecs.yaml"), f"option/{name}", option=name, value=value))
