"""Every stack's outputs: the cluster, load-balancer URLs and DNS names, service names, the task security group."""

from __future__ import annotations

import yaml

from tests.support.manifests import deployment, service
from translator.api import TranslationResult, translate_text
from translator.findings.model import FindingSink
from translator.mapping.context import MapContext
from translator.mapping.outputs import OUTPUT_LIMIT, add_outputs
from translator.mapping.stackbuilder import StackBuilder
from translator.model.app import Application
from translator.model.ecs import Cluster, EcsService, Listener, LoadBalancer, Output, SecurityGroup
from translator.model.intrinsics import GetAtt, Ref, Sub
from translator.options import Options, options_from_dict


def _outputs(result: TranslationResult, stack: str = "shop") -> dict[str, dict[str, object]]:
    return dict(yaml.safe_load(result.templates[f"{stack}.yaml"]).get("Outputs", {}))


def test_a_service_behind_a_load_balancer_gives_its_url_and_names() -> None:
    text = deployment("web", container="          ports: [{containerPort: 8080}]\n") + "---\n" + service(
        "web", "{port: 80, targetPort: 8080}", type="LoadBalancer")
    outputs = _outputs(translate_text(text))
    assert sorted(outputs) == ["ClusterName", "TaskSecurityGroup", "WebLoadBalancerDNSName", "WebLoadBalancerUrl",
                               "WebServiceName"]
    assert outputs["ClusterName"] == {"Description": "Name of the ECS cluster", "Value": {"Ref": "Cluster"}}
    assert outputs["WebLoadBalancerUrl"]["Value"] == {"Fn::Sub": "http://${WebLoadBalancer.DNSName}"}
    assert outputs["WebLoadBalancerDNSName"]["Value"] == {"Fn::GetAtt": ["WebLoadBalancer", "DNSName"]}
    assert outputs["WebServiceName"]["Value"] == {"Fn::GetAtt": ["WebService", "Name"]}
    assert outputs["TaskSecurityGroup"]["Value"] == {"Fn::GetAtt": ["ServicesSecurityGroup", "GroupId"]}
    assert all("Export" not in o for o in outputs.values())  # nothing imports them


def test_a_configured_cluster_is_no_output() -> None:
    result = translate_text(deployment("web"), options_from_dict({"cluster": "prod"}))
    assert sorted(_outputs(result)) == ["TaskSecurityGroup", "WebServiceName"]


def _builder(listeners: list[Listener], lb_type: str = "application") -> StackBuilder:
    stack = StackBuilder("shop", "shop")
    stack.add(LoadBalancer("WebLoadBalancer", lb_type=lb_type))
    for listener in listeners:
        stack.add(listener)
    return stack


def _context() -> MapContext:
    return MapContext(Application(), Options(), FindingSink())


def test_the_url_follows_the_listeners() -> None:
    lb = Ref("WebLoadBalancer")
    cases = [
        ([Listener("A", load_balancer_arn=lb, port=80), Listener("B", load_balancer_arn=lb, port=443, protocol="HTTPS")],
         "https://${WebLoadBalancer.DNSName}"),
        ([Listener("A", load_balancer_arn=lb, port=8443, protocol="HTTPS")], "https://${WebLoadBalancer.DNSName}:8443"),
        ([Listener("A", load_balancer_arn=lb, port=9090), Listener("B", load_balancer_arn=lb, port=8080)],
         "http://${WebLoadBalancer.DNSName}:8080"),
        ([Listener("A", load_balancer_arn=Ref("Other"), port=80)], None),
        ([Listener("A", load_balancer_arn=lb, port=53, protocol="UDP")], None),
    ]
    for listeners, url in cases:
        stack = _builder(listeners)
        add_outputs(_context(), stack)
        assert stack.outputs.get("WebLoadBalancerUrl") == (
            None if url is None else Output(Sub(url), description="URL of load balancer WebLoadBalancer")), url
        assert stack.outputs["WebLoadBalancerDNSName"].value == GetAtt("WebLoadBalancer", "DNSName")


def test_over_the_limit_the_most_useful_outputs_stay_and_the_rest_is_reported() -> None:
    stack = StackBuilder("shop", "shop")
    stack.add(Cluster("Cluster"))
    stack.add(SecurityGroup("ServicesSecurityGroup"))
    for i in range(150):
        stack.add(LoadBalancer(f"Lb{i}"))
        stack.add(Listener(f"Lb{i}Listener", load_balancer_arn=Ref(f"Lb{i}")))
    for i in range(60):
        stack.add(EcsService(f"Svc{i}Service", service_name=f"shop-svc{i}"))
    stack.outputs["DataFileSystem"] = Output(Ref("DataFileSystem"))  # declared by another step: kept
    mc = _context()
    add_outputs(mc, stack)
    assert len(stack.outputs) == OUTPUT_LIMIT
    names = set(stack.outputs)
    assert {"DataFileSystem", "ClusterName"} <= names
    assert all(f"Lb{i}Url" in names for i in range(150)) and sum(n.endswith("ServiceName") for n in names) == 48
    assert not any(n.endswith("DNSName") for n in names) and "TaskSecurityGroup" not in names
    assert [f.message for f in mc.sink.sorted() if f.code == "K2E378"] == [
        "stack shop would have 363 outputs, over CloudFormation's 200: 163 were left out "
        "(service names, load-balancer DNS names, task security group)"]
