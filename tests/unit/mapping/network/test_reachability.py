"""Service-to-service reachability: each case of issue 14's 'Why' as a small manifest, with exact findings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.manifests import service
from tests.support.reachability_check import unresolved
from translator.api import TranslationResult, translate_text
from translator.mapping.network.hosts import hosts
from translator.model.ecs import ClientAlias, ConnectService, EcsService, SsmParameter, TaskDefinition
from translator.model.intrinsics import GetAtt, ImportValue
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
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: s}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: job
        image: example/migrate:1
        env:
        - name: API
          value: http://api:8080
"""
            + _deployment("web", "s", 80, {"DB": "db:5432", "WRONG_PORT": "api:9999"}))
    result = translate_text(text, name="app.yaml")
    assert _findings(result, "K2E357") == [
        ("K2E357", 42, "env API of container job calls api (Service api of namespace s), which will not resolve on ECS: "
                       "it runs as a task started on its own, and only the tasks of ECS services are Service Connect clients"),
        ("K2E357", 60, "env DB of container app calls db (Service db of namespace s), which will not resolve on ECS: "
                       "it is an ExternalName Service for db.example.com, a name ECS does not create"),
        ("K2E357", 62, "env WRONG_PORT of container app calls api (Service api of namespace s), which will not resolve "
                       "on ECS: Service api has no port 9999 (it has 8080)"),
    ]
    assert sorted(c.status for c in result.calls) == ["broken", "broken", "broken"]


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
                       "which will not resolve on ECS: it names one pod of Service db, and ECS gives no task a name of its own")]
    assert [(c.written, c.status) for c in result.calls] == [("db-0.db.s.svc.cluster.local", "broken")]
    assert [(u.host, u.port) for u in _check(result)] == [("db-0.db.s.svc.cluster.local", 5432)]
