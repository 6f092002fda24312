"""Services that select several workloads, and the deploy check that guards Service Connect names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.manifests import deployment, service
from translator.api import translate, translate_text
from translator.checks.deploy import check_service_connect_names
from translator.model.ecs import ClientAlias, ConnectService, EcsService, Listener, TargetGroup

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


def test_a_selector_picks_the_workloads_holding_all_its_labels_in_workload_order() -> None:
    """Services find their workloads through a label index: the same workloads, in the same order, as comparing each."""
    from dataclasses import replace

    from translator.mapping.network.networking import _by_label, _selected
    from translator.model.app import Workload

    base = translate([str(INPUT)]).app.workloads[0]
    labels = {"w1": (("app", "web"), ("tier", "front")), "w2": (("app", "api"),),
              "w3": (("tier", "front"), ("app", "web"), ("track", "canary")), "w4": ()}
    workloads: list[Workload] = [replace(base, meta=replace(base.meta, name=n), pod_labels=v) for n, v in labels.items()]
    index = _by_label(workloads)

    def names(selector: tuple[tuple[str, str], ...]) -> list[str]:
        return [w.meta.name for w in _selected(selector, workloads, index)]

    assert names((("app", "web"),)) == ["w1", "w3"]
    assert names((("tier", "front"), ("app", "web"))) == ["w1", "w3"]
    assert names((("app", "web"), ("track", "canary"))) == ["w3"]
    assert names((("app", "web"), ("track", "stable"))) == []
    assert names((("app", "db"),)) == []
    assert names(()) == ["w1", "w2", "w3", "w4"]


def test_label_selectors_match_with_and_without_expressions() -> None:
    from translator.model.app import Selector

    labels = (("app", "web"), ("tier", "front"))
    assert Selector((("app", "web"),)).matches(labels)
    assert Selector((("app", "web"), ("tier", "front"))).matches(labels)
    assert not Selector((("app", "web"), ("tier", "back"))).matches(labels)
    assert not Selector((("app", "api"),)).matches(labels)
    assert Selector().matches(labels) and Selector().matches(())
    assert Selector((("app", "web"),), (("tier", "In", ("front", "back")),)).matches(labels)
    assert not Selector((("app", "api"),), (("tier", "In", ("front",)),)).matches(labels)
    assert not Selector((), (("tier", "NotIn", ("front",)),)).matches(labels)
    assert Selector((), (("zone", "DoesNotExist", ()),)).matches(labels)


def test_an_nlb_terminates_tls_on_the_ssl_ports_only() -> None:
    """With a certificate, aws-load-balancer-ssl-ports names the TLS ports (every port when absent); a port it
    leaves out stays plain TCP, for clients that speak no TLS there."""
    def protocols(ssl_ports: str) -> dict[int, str]:
        svc = service("api", "{name: tls, port: 443, targetPort: 8443}, {name: plain, port: 8080, targetPort: 8443}",
                      type="LoadBalancer").replace("metadata: {name: api, namespace: shop}", (
                          "metadata:\n  name: api\n  namespace: shop\n  annotations:\n"
                          "    service.beta.kubernetes.io/aws-load-balancer-type: external\n"
                          "    service.beta.kubernetes.io/aws-load-balancer-ssl-cert: arn:aws:acm:us-east-1:1:certificate/a\n"
                          + (f"    service.beta.kubernetes.io/aws-load-balancer-ssl-ports: '{ssl_ports}'\n" if ssl_ports else "")))
        result = translate_text(deployment(container="          ports: [{containerPort: 8443}]\n") + "---\n" + svc,
                                name="app.yaml")
        assert [f.message for f in result.findings if f.code == "K2E346"] == []
        return {r.port: r.protocol for s in result.stacks for r in s.resources if isinstance(r, Listener)}

    assert protocols("") == {443: "TLS", 8080: "TLS"}
    assert protocols("*") == {443: "TLS", 8080: "TLS"}
    assert protocols("443") == {443: "TLS", 8080: "TCP"}
    assert protocols("plain") == {443: "TCP", 8080: "TLS"}


@pytest.mark.parametrize(("container", "annotations", "expected"), [
    # 443 to a container port named https: the application's own TLS, which the ALB re-encrypts to.
    ("          ports: [{containerPort: 8443, name: https}]\n", "", ("HTTPS", "HTTPS", "HTTPS")),
    # an HTTP readiness probe on that port says it speaks plain HTTP
    ("          ports: [{containerPort: 8443, name: https}]\n          readinessProbe: {httpGet: {path: /ready, port: 8443}}\n",
     "", ("HTTPS", "HTTP", "HTTP")),
    # an NLB without a certificate passes TLS through, as on Kubernetes
    ("          ports: [{containerPort: 8443, name: https}]\n",
     "    service.beta.kubernetes.io/aws-load-balancer-type: external\n", ("TCP", "TCP", "TCP")),
])
def test_a_load_balancer_in_front_of_the_applications_own_tls(container: str, annotations: str,
                                                                expected: tuple[str, str, str]) -> None:
    """Without a certificate annotation the Kubernetes load balancer passed TCP through to a port that speaks TLS:
    a plain HTTP target group (or a terminating NLB) would send plaintext to it and fail every check."""
    svc = service("web", "{name: web, port: 443, targetPort: 8443}", type="LoadBalancer")
    if annotations:
        svc = svc.replace("metadata: {name: web, namespace: shop}",
                          "metadata:\n  name: web\n  namespace: shop\n  annotations:\n" + annotations)
    result = translate_text(deployment("web", container=container) + "---\n" + svc, name="app.yaml")
    listener = next(r for s in result.stacks for r in s.resources if isinstance(r, Listener))
    group = next(r for s in result.stacks for r in s.resources if isinstance(r, TargetGroup))
    assert (listener.protocol, group.protocol, group.health_check.protocol) == expected
    parameters = {p.name for s in result.stacks for p in s.parameters}
    assert ("CertificateArn" in parameters) == (expected[0] != "TCP")
