"""The typed ECS service and load-balancing model: its encodings, and the service built once from contributions."""

from __future__ import annotations

from dataclasses import replace

from tests.support.manifests import deployment
from translator.api import translate_text
from translator.checks.elb import check_balancers, check_registrations, check_rules
from translator.mapping.service.assemble import Contribution, ServiceBase, build
from translator.mapping.task.probes import target_group_timeout
from translator.model.app import Origin
from translator.model.ecs import (
    Attribute,
    CapacityProviderStrategyItem,
    Certificate,
    ClientAlias,
    ConditionValues,
    ConnectService,
    EcsService,
    FixedResponse,
    FixedResponseConfig,
    Forward,
    Listener,
    ListenerRule,
    LoadBalancerBinding,
    Matcher,
    PlacementConstraint,
    Redirect,
    RedirectConfig,
    RuleCondition,
    Tag,
    TargetGroup,
    TargetHealthCheck,
)
from translator.model.intrinsics import GetAtt, ImportValue, Ref
from translator.model.provenance import provenance
from translator.render import encode
from translator.render.cloudformation import ResourceTexts


def test_actions_conditions_and_certificates_encode_as_cloudformation_writes_them() -> None:
    assert encode.cfn(Forward(Ref("WebTargetGroup"))) == {"Type": "forward", "TargetGroupArn": {"Ref": "WebTargetGroup"}}
    assert encode.cfn(Redirect(RedirectConfig("HTTPS", "443", "HTTP_301"))) == {
        "Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    assert encode.cfn(FixedResponse(FixedResponseConfig("404", "text/plain"))) == {
        "Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}
    assert encode.cfn(RuleCondition("host-header", host_header_config=ConditionValues(("a.example",)))) == {
        "Field": "host-header", "HostHeaderConfig": {"Values": ["a.example"]}}
    assert encode.cfn(Certificate(Ref("CertificateArn"))) == {"CertificateArn": {"Ref": "CertificateArn"}}
    assert encode.cfn(Attribute("stickiness.enabled", "true")) == {"Key": "stickiness.enabled", "Value": "true"}


def test_service_parts_encode_in_declaration_order() -> None:
    assert encode.cfn(LoadBalancerBinding("app", 8080, Ref("WebTargetGroup"))) == {
        "ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "WebTargetGroup"}}
    assert encode.cfn(ConnectService("app-8080", "web", (ClientAlias(80, "web"),))) == {
        "PortName": "app-8080", "DiscoveryName": "web", "ClientAliases": [{"Port": 80, "DnsName": "web"}]}
    assert encode.cfn(CapacityProviderStrategyItem("FARGATE_SPOT", 3, 1)) == {
        "CapacityProvider": "FARGATE_SPOT", "Weight": 3, "Base": 1}
    assert encode.cfn(PlacementConstraint("distinctInstance")) == {"Type": "distinctInstance"}
    assert encode.cfn(Tag("team", "shop")) == {"Key": "team", "Value": "shop"}


def test_identity_compares_values() -> None:
    """A target group named twice is one group: references are values, not dicts compared through repr."""
    assert LoadBalancerBinding("app", 80, Ref("Tg")) == LoadBalancerBinding("app", 80, Ref("Tg"))
    assert len({Ref("Tg"), Ref("Tg"), Ref("Other")}) == 2
    assert ListenerRule("R", actions=(Forward(Ref("Tg")),)).actions[0].target_group_arn == Ref("Tg")


def test_target_group_template_writes_the_model_as_it_is() -> None:
    check = TargetHealthCheck("HTTP", 10, 9, 2, 3, port="9090", path="/healthz", matcher=Matcher(grpc_code="12"))
    group = TargetGroup("ApiTargetGroup", port=9090, protocol="HTTP", protocol_version="GRPC", health_check=check,
                        attributes=(Attribute("stickiness.enabled", "true"),))
    assert ResourceTexts().text(group) == """\
  ApiTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: ip
      VpcId:
        Ref: VpcId
      Port: 9090
      Protocol: HTTP
      ProtocolVersion: GRPC
      HealthCheckProtocol: HTTP
      HealthCheckPort: "9090"
      HealthCheckPath: /healthz
      Matcher:
        GrpcCode: "12"
      HealthCheckIntervalSeconds: 10
      HealthCheckTimeoutSeconds: 9
      HealthyThresholdCount: 2
      UnhealthyThresholdCount: 3
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: "true"
"""
    tcp = TargetGroup("NlbTargetGroup", port=53, protocol="UDP", health_check=TargetHealthCheck("TCP", 15, 5, 2, 2))
    text = ResourceTexts().text(tcp)
    assert "HealthCheckPort" not in text and "HealthCheckPath" not in text and "Matcher" not in text


def test_target_group_timeout_stays_below_the_interval() -> None:
    assert [target_group_timeout(t, i) for t, i in [(5, 15), (15, 15), (30, 10), (2, 5), (1, 2)]] == [5, 14, 9, 2, 2]


def _origin(name: str) -> Origin:
    return Origin(resource=name)


BASE = ServiceBase("WebService", "shop-web", Ref("WebTaskDefinition"), 4, 200, 50, cluster=Ref("Cluster"),
                   subnets=Ref("Subnets"), security_groups=(GetAtt("ServicesSecurityGroup", "GroupId"),),
                   assign_public_ip="DISABLED", namespace=GetAtt("ServiceConnectNamespace", "Arn"),
                   launch_type="FARGATE", capacity_strategy=(), tags=(Tag("kube2ecs:object", "Deployment/web"),),
                   depends_on=("WebMountTarget",), metadata=provenance(_origin("Deployment/shop/web")))


def test_build_without_contributions_is_the_base() -> None:
    assert build(BASE, []) == EcsService(
        "WebService", depends_on=("WebMountTarget",), metadata=provenance(_origin("Deployment/shop/web")),
        service_name="shop-web", cluster=Ref("Cluster"), task_definition=Ref("WebTaskDefinition"), desired_count=4,
        maximum_percent=200, minimum_healthy_percent=50, launch_type="FARGATE", platform_version="LATEST",
        capacity_strategy=None, subnets=Ref("Subnets"), security_groups=(GetAtt("ServicesSecurityGroup", "GroupId"),),
        assign_public_ip="DISABLED", namespace=GetAtt("ServiceConnectNamespace", "Arn"),
        tags=(Tag("kube2ecs:object", "Deployment/web"),))


def test_build_merges_contributions_in_order() -> None:
    a = LoadBalancerBinding("app", 8080, Ref("WebTargetGroup"))
    b = LoadBalancerBinding("app", 8080, Ref("IngressTargetGroup"))
    web = ConnectService("app-8080", "web", (ClientAlias(80, "web"),))
    parts = [
        Contribution(origins=(_origin("PodDisruptionBudget/shop/web"),), minimum_healthy_percent=75, maximum_percent=200),
        Contribution(origins=(_origin("PodDisruptionBudget/shop/web2"),), minimum_healthy_percent=100, maximum_percent=125),
        Contribution(origins=(_origin("HorizontalPodAutoscaler/shop/web"),), scaled=True),
        Contribution(origins=(_origin("Service/shop/web"),)),
        Contribution(bindings=(a,), attached_by=("Web80Listener",), grace_period=40),
        Contribution(connect=(web,)),
        Contribution(bindings=(b, a), attached_by=("Rule1", "Web80Listener"), grace_period=35),
        Contribution(connect=(ConnectService("other-8080", "web", (ClientAlias(8080, "web"),)),)),  # taken: kept out
        Contribution(security_groups=(GetAtt("WebSecurityGroup", "GroupId"),)),
    ]
    service = build(BASE, parts)
    assert (service.minimum_healthy_percent, service.maximum_percent, service.desired_count) == (100, 125, None)
    assert service.load_balancers == (a, b)
    assert service.depends_on == ("WebMountTarget", "Web80Listener", "Rule1")
    assert service.grace_period == 40
    assert service.connect_services == (web,)
    assert service.security_groups == (GetAtt("WebSecurityGroup", "GroupId"),)
    names = [o.name for o in service.metadata.objects]
    assert names == ["web", "web", "web2", "web", "web"]
    kinds = [o.kind for o in service.metadata.objects]
    assert kinds == ["Deployment", "PodDisruptionBudget", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Service"]


def test_grace_period_only_with_load_balancers() -> None:
    assert build(BASE, [Contribution(grace_period=40)]).grace_period is None


def test_daemon_runs_on_instances_without_service_connect() -> None:
    strategy = (CapacityProviderStrategyItem("asg", 1, 0),)
    base = ServiceBase("AgentService", "ops-agent", Ref("AgentTaskDefinition"), 1, 100, 0, cluster="prod",
                       subnets=Ref("Subnets"), security_groups=(ImportValue("sg"),), assign_public_ip="DISABLED",
                       namespace=GetAtt("ServiceConnectNamespace", "Arn"), launch_type="", capacity_strategy=strategy)
    assert build(base, []).capacity_strategy == strategy and build(base, []).launch_type is None
    service = build(base, [Contribution(daemon=True)])
    assert (service.scheduling_strategy, service.launch_type, service.platform_version, service.capacity_strategy,
            service.desired_count, service.circuit_breaker, service.namespace) == (
        "DAEMON", "EC2", None, None, None, False, None)


APP = deployment(image="api", container=(
    "          ports: [{name: grpc, containerPort: 9090}]\n"
    "          readinessProbe: {grpc: {port: 9090}, periodSeconds: 20, timeoutSeconds: 4}\n")) + """\
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: grpc, port: 9090, targetPort: grpc}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/backend-protocol-version: GRPC
    alb.ingress.kubernetes.io/healthcheck-port: traffic-port
    alb.ingress.kubernetes.io/healthcheck-interval-seconds: "6"
    alb.ingress.kubernetes.io/healthcheck-path: /grpc.health.v1.Health/Check
spec:
  ingressClassName: alb
  defaultBackend: {service: {name: api, port: {number: 9090}}}
"""


def test_ingress_annotations_override_the_readiness_check() -> None:
    """The probe's check, then the annotations over it; the timeout stays below the annotated interval,
    the traffic port drops the probe's port, and a GRPC group answers with gRPC codes."""
    result = translate_text(APP, name="app.yaml")
    group = next(r for s in result.stacks for r in s.resources if isinstance(r, TargetGroup))
    assert group.protocol_version == "GRPC"
    assert group.health_check == TargetHealthCheck("HTTP", 6, 4, 2, 3, port=None, path="/grpc.health.v1.Health/Check",
                                             matcher=Matcher(grpc_code="12"))
    service = next(r for s in result.stacks for r in s.resources if isinstance(r, EcsService))
    assert service.load_balancers == (LoadBalancerBinding("api", 9090, Ref(group.logical_id)),)
    assert service.grace_period == 50  # the probe's period and 30 s
    assert service.connect_services == (ConnectService("grpc", "api", (ClientAlias(9090, "api"),)),)


def test_elb_checks_read_the_typed_model() -> None:
    rule = ListenerRule("Rule1", listener_arn=Ref("Web80Listener"), priority=1,
                        conditions=(RuleCondition("path-pattern", path_pattern_config=ConditionValues(("/a",))),),
                        actions=(Forward(Ref("WebTargetGroup")),))
    twin = ListenerRule("Rule2", listener_arn=Ref("Web80Listener"), priority=1, conditions=rule.conditions,
                        actions=rule.actions)
    assert list(check_rules([rule, twin])) == ["Rule2: priority 1 already used by Rule1 on Web80Listener"]
    listener = Listener("Web80Listener", load_balancer_arn=Ref("WebLoadBalancer"),
                        default_actions=(FixedResponse(FixedResponseConfig("404", "text/plain")),))
    waiting = EcsService("WebService", depends_on=("Rule1",), service_name="shop-web",
                         load_balancers=(LoadBalancerBinding("app", 80, Ref("WebTargetGroup")),))
    assert list(check_registrations([listener, rule, waiting])) == []
    unattached = replace(waiting, depends_on=("Web80Listener",))
    assert list(check_registrations([listener, rule, unattached])) == [
        "shop-web: target group WebTargetGroup is not attached by a listener or rule it depends on"]
    tls = replace(listener, protocol="HTTPS")
    assert list(check_balancers([tls])) == ["Web80Listener: a HTTPS listener needs a certificate"]
    assert list(check_balancers([replace(tls, certificates=(Certificate(Ref("CertificateArn")),))])) == []
