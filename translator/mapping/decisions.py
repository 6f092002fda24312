"""Every option left at its default is an info finding with a stable id, so reruns can be explained."""

from __future__ import annotations

from translator.findings.model import Location
from translator.mapping.context import MapContext
from translator.options import DECISIONS, Options
from translator.source.reader import make_finding


def _shown(name: str, value: object) -> object:
    if name == "capacity_providers":
        return ", ".join(f"{p.provider} weight {p.weight} base {p.base}" for p in value)  # type: ignore[attr-defined]
    if name == "cluster" and not value:
        return "a new cluster per stack"
    if name == "certificate_arn" and not value:
        return "a CertificateArn stack parameter where TLS is used"
    return value


def report_decisions(mc: MapContext) -> None:
    defaults = Options()
    for name in DECISIONS:
        if name in mc.options.explicit:
            continue
        value = _shown(name, getattr(defaults, name))
        mc.sink.add(make_finding("K2E370", Location(file="kube2ecs.yaml"), f"option/{name}", option=name, value=value))
