"""Service-to-service reachability: each case of issue 14's 'Why' as a small manifest, with exact findings."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.manifests import service, statefulset
from tests.support.reachability_check import unresolved
from translator.api import TranslationResult, translate_text
from translator.mapping.network.hosts import hosts
from translator.model.ecs import (
    ClientAlias,
    ConnectService,
    DiscoveryInstance,
    DiscoveryService,
    DnsRecord,
    EcsService,
    EfsAccessPoint,
    PrivateDnsNamespace,
    Role,
    ScalableTarget,
    ScalingPolicy,
    ServiceRegistry,
    SsmParameter,
    TaskDefinition,
)
from translator.model.intrinsics import GetAtt, ImportValue, Ref
from translator.options import options_from_dict


def _deployment(name: str, namespace: str, port: int, env: dict[str, str] | None = None, args: list[str] | None = None) -> str:
    env_text = "".join(f"\n        - name: {k}\n          value: {json.dumps(v)}" for k, v in (env or {}).items())
    args_text = f"\n        args: {json.dumps(args)}" if args else ""
    return f"""---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: app
        image: example/{name}:1{args_text}
        ports: [{{containerPort: {port}}}]
        env:
        - name: PLACEHOLDER
          value: "1"{env_text}
"""


def _service(name: str, namespace: str, port: int, target: int, kind: str = "ClusterIP") -> str:
    return "---\n" + service(name, f"{{port: {port}, targetPort: {target}}}", namespace=namespace, type=kind)


def _findings(result: TranslationResult, *codes: str) -> list[tuple[str, int, str]]:
    return [(f.code, f.location.line, f.message) for f in result.findings if f.code in codes]


def _services(result: TranslationResult) -> dict[str, EcsService]:
    return {r.service_name: r for s in result.stacks for r in s.resources if isinstance(r, EcsService)}


def _env(result: TranslationResult, family: str) -> dict[str, Any]:
    td = next(r for s in result.stacks for r in s.resources if isinstance(r, TaskDefinition) and r.family == family)
    return {e.name: e.value for e in td.containers[0].environment or ()}


def _check(result: TranslationResult) -> list[Any]:
    return unresolved(result.templates, {s.meta.key for s in result.app.services})


def test_load_balancer_service_keeps_its_name_for_callers() -> None:
    """Why: a LoadBalancer Service became an ALB with no Services entry, so `frontend:80` did not resolve."""
    text = (_deployment("frontend", "shop", 8080) + _service("frontend", "shop", 80, 8080, "LoadBalancer")
            + _deployment("loadgen", "shop", 9000, {"FRONTEND_ADDR": "frontend:80"}))
    result = translate_text(text, name="app.yaml")
    frontend = _services(result)["shop-frontend"]
    assert frontend.load_balancers
    assert frontend.connect_services == (ConnectService("app-8080", "frontend", (ClientAlias(80, "frontend"),)),)
    assert [(c.caller, c.written, c.status) for c in result.calls] == [("loadgen", "frontend", "resolved")]
    assert _findings(result, "K2E356", "K2E357") == []
    assert _check(result) == []


@pytest.mark.parametrize("written", ["api.shop", "api.shop.svc", "api.shop.svc.cluster.local", "api.shop.svc.cluster.local."])
def test_namespace_qualified_name_is_rewritten_at_the_callers_line(written: str) -> None:
    """Why: `api.shop:8080` was copied as it is; now it becomes the alias, said at the caller's env line."""
    text = _deployment("api", "shop", 8080) + _service("api", "shop", 8080, 8080) + \
        _deployment("web", "shop", 80, {"API_URL": f"http://{written}:8080/v1"})
    result = translate_text(text, name="app.yaml")
    assert _env(result, "shop-web")["API_URL"] == "http://api:8080/v1"
    assert _findings(result, "K2E356") == [
        ("K2E356", 41, f"env API_URL of container app calls {written}, a name ECS does not resolve; it now calls api, "
                       "the Service Connect alias of Service api (namespace shop)")]
    assert _check(result) == []


def test_calls_across_namespaces_share_one_service_connect_namespace() -> None:
    """Why: calls across namespaces were not addressed; Service Connect clients see one namespace."""
    text = _deployment("api", "shop", 8080) + _service("api", "shop", 8080, 8080) + \
        _deployment("web", "front", 80, {"API": "api.shop:8080"})
    result = translate_text(text, name="app.yaml")
    templates = {name: text for name, text in result.templates.items()}
    front, shop = templates["front.yaml"], templates["shop.yaml"]
    assert "AWS::ServiceDiscovery::HttpNamespace" in front and "AWS::ServiceDiscovery::HttpNamespace" not in shop
    assert "Fn::ImportValue: kube2ecs-front-ServiceConnectNamespace-Arn\n" in shop
    assert "Export:\n      Name: kube2ecs-front-ServiceConnectNamespace-Arn\n" in front
    assert _env(result, "front-web")["API"] == "api:8080"
    assert [m for _, _, m in _findings(result, "K2E358")] == [
        "namespace front and shop are joined by calls between their workloads: their ECS services share the Service Connect namespace and the "
        "security group that stack front creates and exports",
        "namespace shop and front are joined by calls between their workloads: their ECS services share the Service Connect namespace and the "
        "security group that stack front creates and exports"]
    web, api = _services(result)["front-web"], _services(result)["shop-api"]
    assert web.security_groups[-1] == GetAtt("ServiceConnectSharedSecurityGroup", "GroupId")
    assert api.security_groups[-1] == ImportValue("kube2ecs-front-ServiceConnectSharedSecurityGroup-GroupId")
    assert api.namespace == ImportValue("kube2ecs-front-ServiceConnectNamespace-Arn")
    assert _check(result) == []


def test_same_name_in_two_calling_namespaces_is_qualified() -> None:
    """Two namespaces share a Cloud Map namespace and each has `api:8080`: the aliases take the namespace."""
    text = (_deployment("api", "a", 8080) + _service("api", "a", 8080, 8080)
            + _deployment("api", "b", 8080) + _service("api", "b", 8080, 8080)
            + _deployment("client", "a", 80, {"LOCAL": "api:8080", "REMOTE": "api.b:8080"}))
    result = translate_text(text, name="app.yaml")
    aliases = {name: [e.client_aliases[0].dns_name for e in s.connect_services] for name, s in _services(result).items()}
    assert aliases == {"a-api": ["api.a"], "a-client": [], "b-api": ["api.b"]}
    discovery = {name: [e.discovery_name for e in s.connect_services] for name, s in _services(result).items()}
    assert discovery == {"a-api": ["api-a"], "a-client": [], "b-api": ["api-b"]}
    assert _env(result, "a-client") == {"PLACEHOLDER": "1", "LOCAL": "api.a:8080", "REMOTE": "api.b:8080"}
    assert _check(result) == []


def test_list_elements_urls_and_arguments() -> None:
    text = (_deployment("cart", "s", 7070) + _service("cart", "s", 7070, 7070)
            + _deployment("currency", "s", 7000) + _service("currency", "s", 7000, 7000)
            + _deployment("web", "s", 80, {"PEERS": "cart.s:7070,currency.s.svc:7000", "MODE": "cart is not a host here"},
                          args=["--currency=currency.s.svc.cluster.local:7000", "--cart", "http://cart:7070"]))
    result = translate_text(text, name="app.yaml")
    env = _env(result, "s-web")
    assert env["PEERS"] == "cart:7070,currency:7000"
    assert env["MODE"] == "cart is not a host here"
    td = next(r for s in result.stacks for r in s.resources if isinstance(r, TaskDefinition) and r.family == "s-web")
    assert td.containers[0].command == ("--currency=currency:7000", "--cart", "http://cart:7070")
    calls = sorted((c.where, c.written, c.status) for c in result.calls)
    assert calls == [("args[0]", "currency.s.svc.cluster.local", "rewritten"), ("args[2]", "cart", "resolved"),
                     ("env PEERS", "cart.s", "rewritten"), ("env PEERS", "currency.s.svc", "rewritten")]
    assert _check(result) == []


def test_calls_that_cannot_resolve_are_errors_at_the_caller() -> None:
    text = (_deployment("api", "s", 8080) + _service("api", "s", 8080, 8080)
            + """---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: s}
spec: {type: ExternalName, externalName: db.example.com}
"""
            + _deployment("web", "s", 80, {"DB": "db:5432", "WRONG_PORT": "api:9999"}))
    result = translate_text(text, name="app.yaml")
    assert _findings(result, "K2E357") == [
        ("K2E357", 46, "env DB of container app calls db (Service db of namespace s), which will not resolve on ECS: "
                       "it is an ExternalName Service for db.example.com, a name ECS does not create"),
        ("K2E357", 48, "env WRONG_PORT of container app calls api (Service api of namespace s), which will not resolve "
                       "on ECS: Service api has no port 9999 (it has 8080)"),
    ]
    assert sorted(c.status for c in result.calls) == ["broken", "broken"]


def _job(name: str, namespace: str, env: dict[str, str], *, schedule: str = "", annotations: str = "") -> str:
    """A Job (a CronJob when `schedule` is given) whose one container has `env`."""
    env_text = "".join(f"\n            - name: {k}\n              value: {json.dumps(v)}" for k, v in env.items())
    meta = f"{{name: {name}, namespace: {namespace}{', annotations: {' + annotations + '}' if annotations else ''}}}"
    pod = f"""      template:
        spec:
          restartPolicy: Never
          containers:
          - name: job
            image: example/{name}:1
            env:{env_text}
"""
    if schedule:
        return f"---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {meta}\nspec:\n  schedule: \"{schedule}\"\n" \
               f"  jobTemplate:\n    spec:\n{pod}"
    return f"---\napiVersion: batch/v1\nkind: Job\nmetadata: {meta}\nspec:\n" + pod.replace("\n    ", "\n")[4:]


def test_jobs_and_cronjobs_call_a_service_by_its_cloud_map_dns_name() -> None:
    """A task started on its own (RunTask, EventBridge) is no Service Connect client: the Service's tasks also register
    in Cloud Map DNS as `<svc>.<ns>.svc.cluster.local`, and the caller calls that name on the container's port."""
    text = (_deployment("api", "s", 8080) + _service("api", "s", 80, 8080)
            + _job("migrate", "s", {"API": "http://api", "FULL": "api.s.svc.cluster.local", "LISTED": "x,api.s:80"},
                   annotations='"helm.sh/hook": pre-upgrade')
            + _job("warm", "s", {"API": "http://api.s.svc.cluster.local/warm"}, schedule="*/5 * * * *"))
    result = translate_text(text, name="app.yaml")
    job = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "s-migrate")
    assert {e.name: e.value for e in job.containers[0].environment or ()} == {
        "API": "http://api.s.svc.cluster.local:8080", "FULL": "api.s.svc.cluster.local",
        "LISTED": "x,api.s.svc.cluster.local:8080"}
    assert _env(result, "s-warm") == {"API": "http://api.s.svc.cluster.local:8080/warm"}
    assert _findings(result, "K2E360", "K2E361", "K2E357") == [
        ("K2E361", 18, "Service api also registers its tasks in Cloud Map as api.s.svc.cluster.local (A records) for "
                       "migrate, warm, which cannot use Service Connect"),
        ("K2E360", 37, "env API of container job calls api; Job migrate is no Service Connect client (it runs as a task "
                       "started on its own), so it now calls api.s.svc.cluster.local:8080, the Cloud Map DNS name of the "
                       "tasks of Service api (namespace s)"),
        ("K2E360", 41, "env LISTED of container job calls api.s:80; Job migrate is no Service Connect client (it runs as "
                       "a task started on its own), so it now calls api.s.svc.cluster.local:8080, the Cloud Map DNS name "
                       "of the tasks of Service api (namespace s)"),
        ("K2E360", 58, "env API of container job calls api.s.svc.cluster.local; CronJob warm is no Service Connect client "
                       "(it runs as a task started on its own), so it now calls api.s.svc.cluster.local:8080, the Cloud Map "
                       "DNS name of the tasks of Service api (namespace s)"),
    ]
    assert sorted((c.caller, c.where, c.status, c.alias) for c in result.calls) == [
        ("migrate", "env API", "rewritten", "api.s.svc.cluster.local"),
        ("migrate", "env FULL", "resolved", "api.s.svc.cluster.local"),
        ("migrate", "env LISTED", "rewritten", "api.s.svc.cluster.local"),
        ("warm", "env API", "rewritten", "api.s.svc.cluster.local")]
    resources = {r.logical_id: r for st in result.stacks for r in st.resources}
    namespace, registry = resources["ServiceDiscoveryDnsNamespace"], resources["ApiServiceDiscovery"]
    assert isinstance(namespace, PrivateDnsNamespace) and isinstance(registry, DiscoveryService)
    assert (namespace.name, namespace.vpc) == ("s.svc.cluster.local", Ref("VpcId"))
    assert (registry.name, registry.namespace_id, registry.dns_records) == (
        "api", GetAtt("ServiceDiscoveryDnsNamespace", "Id"), (DnsRecord("A", 10),))
    api = _services(result)["s-api"]
    assert api.service_registries == (ServiceRegistry(GetAtt("ApiServiceDiscovery", "Arn")),)
    assert api.connect_services  # Service Connect callers keep the alias
    assert _check(result) == []


def test_the_checker_does_not_take_the_translators_word_for_a_dns_call() -> None:
    """Without the registration, or on the Service's port instead of the container's, the DNS name does not answer."""
    text = (_deployment("api", "s", 8080) + _service("api", "s", 80, 8080)
            + _job("migrate", "s", {"API": "http://api"}))
    result = translate_text(text, name="app.yaml")
    template = result.templates["s.yaml"]
    assert _check(result) == []
    unregistered = re.sub(r"      ServiceRegistries:\n(        .*\n)+", "", template)
    assert unregistered != template
    on_service_port = template.replace("http://api.s.svc.cluster.local:8080", "http://api.s.svc.cluster.local:80")
    for broken in (unregistered, on_service_port):
        left = unresolved({"s.yaml": broken}, {s.meta.key for s in result.app.services})
        assert [(u.container, u.host) for u in left] == [("job", "api.s.svc.cluster.local")]


def test_only_a_caller_that_is_no_service_connect_client_adds_dns_names() -> None:
    text = _deployment("api", "s", 8080) + _service("api", "s", 80, 8080) + _deployment("web", "s", 80, {"API": "api:80"})
    result = translate_text(text, name="app.yaml")
    assert not [r for st in result.stacks for r in st.resources if isinstance(r, (PrivateDnsNamespace, DiscoveryService))]
    assert _services(result)["s-api"].service_registries == ()


def test_a_job_calling_another_namespace_is_an_error() -> None:
    text = _deployment("api", "shop", 8080) + _service("api", "shop", 80, 8080) + _job("report", "ops", {"API": "http://api.shop"})
    result = translate_text(text, name="app.yaml")
    assert _findings(result, "K2E357") == [
        ("K2E357", 37, "env API of container job calls api.shop (Service api of namespace shop), which will not resolve "
                       "on ECS: it is no Service Connect client, and the tasks of namespace shop admit only the tasks of "
                       "their own namespace (security group ServicesSecurityGroup)")]


def test_host_positions() -> None:
    found = [(h.name, h.port, h.placed) for h in hosts('x = "redis:6.2" job="node-exporter", host: cache, http://api/v1')]
    assert [(name, port) for name, port, placed in found if placed] == [("cache", None), ("api", 80)]
    assert ("redis", None, False) in found  # an image tag is no port
    assert ("node-exporter", None, False) in found  # a label value, not a host


def test_configmap_values_kept_in_ssm_are_rewritten_once_for_every_reader() -> None:
    config = """---
apiVersion: v1
kind: ConfigMap
metadata: {name: endpoints, namespace: shop}
data: {API_ADDR: "api.shop.svc.cluster.local:8080"}
"""
    readers = "".join(_deployment(name, "shop", 80).replace("        env:\n", "        envFrom: [{configMapRef: {name: endpoints}}]\n        env:\n")
                      for name in ("web", "worker"))
    text = _deployment("api", "shop", 8080) + _service("api", "shop", 8080, 8080) + config + readers
    result = translate_text(text, options_from_dict({"config_backend": "ssm"}), name="app.yaml")
    values = [r.value for s in result.stacks for r in s.resources if isinstance(r, SsmParameter)]
    assert values == ["api:8080"]
    assert sorted((c.caller, c.where, c.status) for c in result.calls) == [
        ("web", "env API_ADDR (SSM parameter /k8s/shop/endpoints/API_ADDR)", "rewritten"),
        ("worker", "env API_ADDR (SSM parameter /k8s/shop/endpoints/API_ADDR)", "rewritten")]
    assert _check(result) == []


def test_a_per_pod_name_is_an_error_at_the_caller() -> None:
    text = _deployment("db", "s", 5432) + _service("db", "s", 5432, 5432) + \
        _deployment("web", "s", 80, {"PRIMARY": "db-0.db.s.svc.cluster.local:5432"})
    result = translate_text(text, name="app.yaml")
    assert _findings(result, "K2E357") == [
        ("K2E357", 41, "env PRIMARY of container app calls db-0.db.s.svc.cluster.local (Service db of namespace s), "
                       "which will not resolve on ECS: it names one pod of Service db, and only the existing pods of a "
                       "StatefulSet that the Service governs (serviceName) have names of their own")]
    assert [(c.written, c.status) for c in result.calls] == [("db-0.db.s.svc.cluster.local", "broken")]
    assert [(u.host, u.port) for u in _check(result)] == [("db-0.db.s.svc.cluster.local", 5432)]


def _peers(replicas: int = 3, extra: str = "") -> str:
    """A StatefulSet kv of namespace s whose pods list each other by name, its headless Service, a claim template."""
    container = ("          args: [\"--peers=kv-0.kv.s.svc.cluster.local:2380,kv-1.kv.s.svc:2380\"]\n"
                 "          ports: [{containerPort: 2379}, {containerPort: 2380}]\n"
                 "          volumeMounts: [{name: data, mountPath: /data}]\n")
    claims = ("  volumeClaimTemplates:\n  - metadata: {name: data}\n"
              "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")
    headless = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: kv, namespace: s}\nspec:\n  clusterIP: None\n"
                "  selector: {app: kv}\n  ports: [{name: client, port: 2379}, {name: peer, port: 2380}]\n")
    return statefulset("kv", replicas=replicas, namespace="s", container=container, after=claims) + headless + extra


def test_a_statefulset_whose_pods_are_called_by_name_becomes_one_service_per_pod() -> None:
    result = translate_text(_peers(), name="app.yaml")
    services = _services(result)
    assert sorted(services) == ["s-kv-0", "s-kv-1", "s-kv-2"]
    resources = {r.logical_id: r for st in result.stacks for r in st.resources}
    assert [(s.logical_id, s.desired_count, s.maximum_percent, s.minimum_healthy_percent, s.task_definition.name)
            for s in (services[f"s-kv-{i}"] for i in range(3))] == [
        ("KvService", 1, 100, 0, "KvTaskDefinition"), ("KvPod1Service", 1, 100, 0, "KvPod1TaskDefinition"),
        ("KvPod2Service", 1, 100, 0, "KvPod2TaskDefinition")]
    assert services["s-kv-1"].depends_on[-1] == "KvService" and services["s-kv-2"].depends_on[-1] == "KvPod1Service"
    assert services["s-kv-0"].connect_services and not services["s-kv-1"].connect_services
    registries = [resources[s.service_registries[0].registry_arn.logical_id] for s in services.values()]
    assert [r.name for r in registries if isinstance(r, DiscoveryService)] == ["kv-0.kv", "kv-1.kv", "kv-2.kv"]
    points = {r.logical_id: r.path for r in resources.values() if isinstance(r, EfsAccessPoint)}
    assert points == {"DataKvAccessPoint": "/data-kv-0", "DataKvPod1AccessPoint": "/data-kv-1",
                      "DataKvPod2AccessPoint": "/data-kv-2"}
    role = next(r for r in resources.values() if isinstance(r, Role) and any(s.conditions for s in r.statements))
    granted = {c.value.logical_id for s in role.statements for c in (s.conditions.items if s.conditions else ())
               if isinstance(c.value, GetAtt)}
    assert granted == set(points)
    td = resources["KvPod1TaskDefinition"]
    assert isinstance(td, TaskDefinition)
    assert td.containers[0].command == ("--peers=kv-0.kv.s.svc.cluster.local:2380,kv-1.kv.s.svc.cluster.local:2380",)
    assert _findings(result, "K2E362", "K2E364", "K2E357", "K2E460", "K2E463") == [
        ("K2E362", 1, "StatefulSet kv's pods are called by name (kv): it becomes 3 ECS services, one per pod (kv-0, kv-1, "
                      "kv-2), each with one task and its own DNS name (kv-0.kv.s.svc.cluster.local, ...), and its own EFS "
                      "access point for each claim template (data)"),
        ("K2E364", 12, "args[0] of container kv calls kv-1.kv.s.svc; it now calls kv-1.kv.s.svc.cluster.local, the DNS "
                       "name of pod kv-1 of StatefulSet kv")]
    assert _check(result) == []


def test_an_autoscaler_cannot_scale_a_statefulset_split_per_pod() -> None:
    hpa = ("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: kv, namespace: s}\nspec:\n"
           "  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: kv}\n  minReplicas: 3\n  maxReplicas: 5\n"
           "  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]\n")
    result = translate_text(_peers(extra=hpa), name="app.yaml")
    assert not [r for st in result.stacks for r in st.resources if isinstance(r, (ScalableTarget, ScalingPolicy))]
    assert [(code, line) for code, line, _ in _findings(result, "K2E363")] == [("K2E363", 29)]
    assert _check(result) == []


def test_a_job_calling_a_statefulset_split_per_pod_calls_its_first_pod() -> None:
    result = translate_text(_peers(extra=_job("backup", "s", {"KV": "kv:2379"})), name="app.yaml")
    assert _env(result, "s-backup") == {"KV": "kv-0.kv.s.svc.cluster.local:2379"}
    assert _check(result) == []


def test_a_pod_that_does_not_exist_is_an_error() -> None:
    text = _peers().replace("kv-1.kv.s.svc:2380", "kv-7.kv.s.svc:2380")
    result = translate_text(text, name="app.yaml")
    assert [(code, line) for code, line, _ in _findings(result, "K2E357")] == [("K2E357", 12)]
    assert {(u.task, u.host, u.port) for u in _check(result)} == {  # in each member's task definition
        (task, "kv-7.kv.s.svc", 2380) for task in ("KvTaskDefinition", "KvPod1TaskDefinition", "KvPod2TaskDefinition")}


def test_a_service_of_an_untranslated_custom_resource_becomes_a_cname_to_a_stack_parameter() -> None:
    """Nothing of the output serves it: its full name becomes a CNAME to the address the deployer supplies."""
    custom = ("---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\n"
              "spec: {replicas: 2}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: prometheus-k8s, namespace: mon}\n"
              "spec:\n  selector: {prometheus: k8s}\n  ports: [{name: web, port: 9090}]\n")
    text = custom + _deployment("adapter", "mon", 6443, args=["--prometheus-url=http://prometheus-k8s.mon.svc:9090/"])
    result = translate_text(text, name="app.yaml")
    td = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "mon-adapter")
    assert td.containers[0].command == ("--prometheus-url=http://prometheus-k8s.mon.svc.cluster.local:9090/",)
    assert _findings(result, "K2E365", "K2E357") == [
        ("K2E365", 23, "args[0] of container app calls prometheus-k8s.mon.svc (Service prometheus-k8s of namespace mon), "
                       "whose pods come from Prometheus k8s, which kube2ecs does not translate: it now calls "
                       "prometheus-k8s.mon.svc.cluster.local, a DNS name (CNAME) for the address you give as parameter "
                       "PrometheusK8sAddress of stack mon")]
    stack = result.stacks[0]
    resources = {r.logical_id: r for r in stack.resources}
    external, instance = resources["PrometheusK8sExternal"], resources["PrometheusK8sExternalInstance"]
    assert isinstance(external, DiscoveryService) and isinstance(instance, DiscoveryInstance)
    assert (external.name, external.dns_records, external.routing_policy) == ("prometheus-k8s", (DnsRecord("CNAME", 10),), "WEIGHTED")
    assert instance.cname == Ref("PrometheusK8sAddress") and stack.parameter_map()["PrometheusK8sAddress"].default is None
    assert [(c.written, c.status) for c in result.calls] == [("prometheus-k8s.mon.svc", "rewritten")]
    assert _check(result) == []
    defaulted = result.templates["mon.yaml"].replace("PrometheusK8sAddress:\n    Type: String\n",
                                                     "PrometheusK8sAddress:\n    Type: String\n    Default: x\n")
    assert defaulted != result.templates["mon.yaml"]
    assert [u.host for u in unresolved({"mon.yaml": defaulted}, {s.meta.key for s in result.app.services})] == [
        "prometheus-k8s.mon.svc.cluster.local"]  # a value the stack fixes itself is no address the user supplies


def test_a_service_that_selects_nothing_stays_an_error() -> None:
    text = (_service("ghost", "s", 80, 80) + _deployment("web", "s", 80, {"GHOST": "http://ghost"}))
    result = translate_text(text, name="app.yaml")
    assert [code for code, _, _ in _findings(result, "K2E357", "K2E365")] == ["K2E357"]


def _peer_set(name: str, replicas: int, args: list[str], port: int) -> str:
    container = f"          args: {json.dumps(args)}\n          ports: [{{containerPort: {port}}}]\n"
    headless = (f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: s}}\nspec:\n  clusterIP: None\n"
                f"  selector: {{app: {name}}}\n  ports: [{{port: {port}}}]\n")
    return statefulset(name, replicas=replicas, namespace="s", container=container) + headless


def test_short_per_pod_forms_are_rewritten_to_the_full_name() -> None:
    """`pod.svc` and `pod.svc.ns` resolve on Kubernetes through the pod's search domains, not on ECS."""
    args = ["--initial-cluster=etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd.s:2380,"
            "etcd-2=http://etcd-2.etcd.s.svc.cluster.local:2380"]
    result = translate_text(_peer_set("etcd", 3, args, 2380), name="app.yaml")
    td = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "s-etcd")
    assert td.containers[0].command == (
        "--initial-cluster=etcd-0=http://etcd-0.etcd.s.svc.cluster.local:2380,"
        "etcd-1=http://etcd-1.etcd.s.svc.cluster.local:2380,etcd-2=http://etcd-2.etcd.s.svc.cluster.local:2380",)
    assert sorted((c.written, c.status) for c in result.calls) == [
        ("etcd-0.etcd", "rewritten"), ("etcd-1.etcd.s", "rewritten"), ("etcd-2.etcd.s.svc.cluster.local", "resolved")]
    assert sorted(_services(result)) == ["s-etcd-0", "s-etcd-1", "s-etcd-2"]
    assert _check(result) == []
    short = result.templates["s.yaml"].replace("etcd-0.etcd.s.svc.cluster.local:2380,", "etcd-0.etcd:2380,")
    assert {u.host for u in unresolved({"s.yaml": short}, {s.meta.key for s in result.app.services})} == {"etcd-0.etcd"}


def test_an_ellipsis_of_pods_is_one_call_per_pod() -> None:
    """MinIO expands `minio-{0...3}` itself: each pod's name must resolve, and a short suffix is completed."""
    args = ["server", "http://minio-{0...3}.minio.s.svc.cluster.local/data", "http://minio-{0...3}.minio/cache"]
    result = translate_text(_peer_set("minio", 4, args, 9000), name="app.yaml")
    td = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "s-minio")
    assert td.containers[0].command == ("server", "http://minio-{0...3}.minio.s.svc.cluster.local/data",
                                        "http://minio-{0...3}.minio.s.svc.cluster.local/cache")
    assert sorted((c.where, c.written, c.status) for c in result.calls) == [
        *(("args[1]", f"minio-{i}.minio.s.svc.cluster.local", "resolved") for i in range(4)),
        *(("args[2]", f"minio-{i}.minio", "rewritten") for i in range(4))]
    assert sorted(_services(result)) == [f"s-minio-{i}" for i in range(4)]
    assert _check(result) == []
    three = translate_text(_peer_set("minio", 3, args, 9000), name="app.yaml")  # minio-3 does not exist
    assert {u.host for u in _check(three)} == {"minio-3.minio.s.svc.cluster.local"}
    assert [(c.written, c.status) for c in three.calls if c.broken] == [
        ("minio-3.minio.s.svc.cluster.local", "broken"), ("minio-3.minio", "broken")]


def test_hosts_of_given_names_are_those_of_every_name_whose_first_or_second_label_is_one() -> None:
    value = ("url: http://api.shop:8080/v1, peers: db-0.db.shop.svc.cluster.local;cache:6379 "
             "and prose about redis:7.2 or web")
    every = hosts(value)
    names = {"api", "db", "web"}
    assert hosts(value, names) == [h for h in every if {*h.name.split(".")[:2]} & names]
    assert [h.name for h in hosts(value, names)] == ["api.shop", "db-0.db.shop.svc.cluster.local", "web"]


def test_a_cluster_name_of_a_service_missing_from_the_input_is_a_warning_at_the_caller() -> None:
    """`zipkin.tracing.svc.cluster.local` was copied as it is with no finding, and no name of the output answers it.
    Only the `.svc` forms are unmistakable: `cache.other` may be any two-label name (`api.example`)."""
    text = _deployment("api", "s", 8080) + _service("api", "s", 8080, 8080) + _deployment("web", "s", 80, {
        "TRACING": "http://zipkin.tracing.svc.cluster.local:9411/api/v2/spans",
        "BROKERS": "kafka-0.kafka.data.svc:9092,kafka-1.kafka.data.svc:9092",
        "API": "api.s.svc.cluster.local:8080", "CACHE": "cache.other:6379", "SITE": "https://www.example.com"})
    result = translate_text(text, name="app.yaml")
    assert _findings(result, "K2E366") == [
        ("K2E366", 41, "env TRACING of container app calls zipkin.tracing.svc.cluster.local (Service zipkin of namespace "
                       "tracing, which is not in the input): only the cluster's DNS answers that name, and nothing of the "
                       "output does on ECS"),
        ("K2E366", 43, "env BROKERS of container app calls kafka-0.kafka.data.svc, kafka-1.kafka.data.svc (Service kafka "
                       "of namespace data, which is not in the input): only the cluster's DNS answers that name, and "
                       "nothing of the output does on ECS"),
    ]
    assert _env(result, "s-web")["TRACING"] == "http://zipkin.tracing.svc.cluster.local:9411/api/v2/spans"
    assert [(c.written, c.status) for c in result.calls] == [("api.s.svc.cluster.local", "rewritten")]


@pytest.mark.parametrize("backends", [{}, {"secrets_backend": "ssm", "config_backend": "ssm"}])
def test_a_call_inside_a_value_kept_in_a_secret_names_the_alias_to_store(backends: dict[str, str]) -> None:
    """A credential-like value (K2E337) is not copied, so its host cannot be rewritten: the deployer who stores
    `postgres://app:pw@db.s.svc.cluster.local:5432/app` as written reaches nothing. The run names the alias to write."""
    text = (_deployment("db", "s", 5432) + _service("db", "s", 5432, 5432) + """---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: s}
data:
  REPLICA_URL: "postgres://app:pw@db.s:5432/app"
"""
            + _deployment("web", "s", 80, {"DATABASE_URL": "postgres://app:pw@db.s.svc.cluster.local:5432/app",
                                           "LOCAL_URL": "postgres://app:pw@db:5432/app"}).replace(
                "        env:\n", "        envFrom: [{configMapRef: {name: settings}}]\n        env:\n"))
    result = translate_text(text, name="app.yaml", options=options_from_dict(backends) if backends else None)
    assert _findings(result, "K2E367") == [
        ("K2E367", 44, "env REPLICA_URL of container app is kept in a secret you fill and calls db.s, a name ECS does "
                       "not resolve; the tasks reach Service db (namespace s) as db"),
        ("K2E367", 48, "env DATABASE_URL of container app is kept in a secret you fill and calls "
                       "db.s.svc.cluster.local, a name ECS does not resolve; the tasks reach Service db (namespace s) as db"),
    ]
    assert "pw@" not in "".join(result.files().values())


def test_a_shell_command_that_waits_for_a_service_calls_it() -> None:
    """`until nc -z api 80` in a Job's container was not read as a call (a bare word, no `:port`): the task, no Service
    Connect client, waited forever for a name nothing answers. Netcat's next word is the port, on the container's port
    under DNS; `-h` names a host for redis-cli, pg_isready and the like."""
    text = (_deployment("api", "s", 8080) + _service("api", "s", 80, 8080)
            + _deployment("cache", "s", 6379) + _service("cache", "s", 6379, 6379)
            + _job("warm", "s", {"WAIT": "until nc -z api 80; do sleep 1; done", "PROSE": "the api is up, echo api 80"})
            + _deployment("web", "s", 80, {"PING": "redis-cli -h cache.s -p 6379 ping", "WAIT": "nc -zv api 80"}))
    result = translate_text(text, name="app.yaml")
    job = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "s-warm")
    assert {e.name: e.value for e in job.containers[0].environment or ()} == {
        "WAIT": "until nc -z api.s.svc.cluster.local 8080; do sleep 1; done", "PROSE": "the api is up, echo api 80"}
    assert _env(result, "s-web") == {"PLACEHOLDER": "1", "PING": "redis-cli -h cache -p 6379 ping", "WAIT": "nc -zv api 80"}
    assert sorted((c.caller, c.where, c.written, c.port, c.status) for c in result.calls) == [
        ("warm", "env WAIT", "api", 80, "rewritten"),
        ("web", "env PING", "cache.s", None, "rewritten"), ("web", "env WAIT", "api", 80, "resolved")]
    assert _check(result) == []


def test_a_reference_to_a_service_variable_becomes_the_services_name() -> None:
    """The kubelet sets `REDIS_SERVICE_HOST`, `REDIS_SERVICE_PORT`, ... for each Service of the namespace, and
    `$(REDIS_SERVICE_HOST)` expands to its cluster IP. ECS sets none: the reference reached the task as written.
    It becomes the Service's name, which reachability then resolves like any call; a variable the container sets
    itself still wins, and a Service of another namespace or none leaves the reference as written."""
    text = (_deployment("redis-main", "s", 6379) + _service("redis-main", "s", 6379, 6379)
            + _deployment("web", "s", 80, {"REDIS_URL": "redis://$(REDIS_MAIN_SERVICE_HOST):$(REDIS_MAIN_SERVICE_PORT)/0",
                                           "LINK": "$(REDIS_MAIN_PORT_6379_TCP)", "OTHER": "$(API_SERVICE_HOST)"})
            + _job("warm", "s", {"CACHE": "$(REDIS_MAIN_SERVICE_HOST):$(REDIS_MAIN_SERVICE_PORT)"})
            + _deployment("own", "s", 81, {"REDIS_MAIN_SERVICE_HOST": "cache.example.com", "AT": "$(REDIS_MAIN_SERVICE_HOST)"})
            + _deployment("unlinked", "s", 82, {"AT": "$(REDIS_MAIN_SERVICE_HOST)"}).replace(
                "    spec:\n      containers:", "    spec:\n      enableServiceLinks: false\n      containers:"))
    result = translate_text(text, name="app.yaml")
    assert _env(result, "s-web") == {"PLACEHOLDER": "1", "REDIS_URL": "redis://redis-main:6379/0",
                                     "LINK": "tcp://redis-main:6379", "OTHER": "$(API_SERVICE_HOST)"}
    job = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "s-warm")
    assert {e.name: e.value for e in job.containers[0].environment or ()} == {"CACHE": "redis-main.s.svc.cluster.local:6379"}
    assert _env(result, "s-own")["AT"] == "cache.example.com"
    assert _env(result, "s-unlinked")["AT"] == "$(REDIS_MAIN_SERVICE_HOST)"
    assert [m for _, _, m in _findings(result, "K2E368")] == [
        "env REDIS_URL of container app refers to $(REDIS_MAIN_SERVICE_HOST), which Kubernetes sets for Service redis-main; "
        "ECS sets no such variable, so the reference became redis-main",
        "env REDIS_URL of container app refers to $(REDIS_MAIN_SERVICE_PORT), which Kubernetes sets for Service redis-main; "
        "ECS sets no such variable, so the reference became 6379",
        "env LINK of container app refers to $(REDIS_MAIN_PORT_6379_TCP), which Kubernetes sets for Service redis-main; "
        "ECS sets no such variable, so the reference became tcp://redis-main:6379",
        "env CACHE of container job refers to $(REDIS_MAIN_SERVICE_HOST), which Kubernetes sets for Service redis-main; "
        "ECS sets no such variable, so the reference became redis-main",
        "env CACHE of container job refers to $(REDIS_MAIN_SERVICE_PORT), which Kubernetes sets for Service redis-main; "
        "ECS sets no such variable, so the reference became 6379"]
    assert _check(result) == []


def test_a_variable_that_names_a_database_or_queue_like_a_service_is_no_call() -> None:
    """`PGDATABASE: orders` beside a Service `orders` was read as a call: a Job's was rewritten to
    `orders.s.svc.cluster.local`, so it opened a database of that name. A variable whose last word says it holds
    another kind of name is no call; `PGHOST: orders` and `DB: orders` still are."""
    text = (_deployment("orders", "s", 5432) + _service("orders", "s", 5432, 5432)
            + _job("seed", "s", {"PGHOST": "orders", "DB": "orders", "PGDATABASE": "orders", "POSTGRES_DB": "orders",
                                 "QUEUE_NAME": "orders", "KAFKA_TOPIC": "orders"}))
    result = translate_text(text, name="app.yaml")
    job = next(r for st in result.stacks for r in st.resources if isinstance(r, TaskDefinition) and r.family == "s-seed")
    assert {e.name: e.value for e in job.containers[0].environment or ()} == {
        "PGHOST": "orders.s.svc.cluster.local", "DB": "orders.s.svc.cluster.local", "PGDATABASE": "orders",
        "POSTGRES_DB": "orders", "QUEUE_NAME": "orders", "KAFKA_TOPIC": "orders"}
    assert sorted(c.where for c in result.calls) == ["env DB", "env PGHOST"]
