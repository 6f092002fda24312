"""Services that select several workloads, and the deploy check that guards Service Connect names."""

from __future__ import annotations

from pathlib import Path

from translator.api import translate
from translator.checks.deploy import check_service_connect_names
from translator.model.ecs import ClientAlias, ConnectService, EcsService

INPUT = Path(__file__).with_name("two_workloads_one_service.yaml")


def test_one_service_over_two_workloads() -> None:
    result = translate([str(INPUT)])
    services = {r.logical_id: r for s in result.stacks for r in s.resources if isinstance(r, EcsService)}
    # The LoadBalancer Service keeps its in-app name as well (its balancer still reaches both workloads).
    assert [e.discovery_name for e in services["BlueService"].connect_services] == ["web", "web-public"]
    assert services["GreenService"].connect_services == ()
    assert services["BlueService"].depends_on == services["GreenService"].depends_on == ("WebPublic80Listener",)
    messages = [f.message for f in result.findings if f.code in ("K2E353", "K2E901")]
    assert messages == ["Service web selects 2 workloads (blue, green); its Service Connect name routes to blue only",
                        "Service web-public selects 2 workloads (blue, green); its Service Connect name routes to blue only"]


def test_check_rejects_a_discovery_name_used_twice() -> None:
    entry = ConnectService("web-80", "web", (ClientAlias(80, "web"),))
    services = [EcsService("A", service_name="a", connect_services=(entry,)),
                EcsService("B", service_name="b", connect_services=(entry,))]
    assert list(check_service_connect_names(services)) == [
        "b: Service Connect discovery web already belongs to a",
        "b: Service Connect alias web already belongs to a",
    ]
