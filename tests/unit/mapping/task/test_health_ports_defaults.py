"""Health checks, ports and Kubernetes defaults: exact findings and task-definition fields on small inputs."""

from __future__ import annotations

import json
from typing import Any

from translator.api import translate_text


def _deployment(pod: str, container: str = "", image: str = "example/api:1.0") -> str:
    """A Deployment `api` in namespace shop; `pod` and `container` are extra lines (pod spec at 6
    spaces, container at 10). Without pod lines, the container's extra lines start on line 13."""
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n"
        "  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n"
        + pod
        + "      containers:\n        - name: api\n"
        + f"          image: {image}\n"
        + "          resources: {requests: {cpu: 500000000n, memory: 256Mi}}\n"
        + container
    )


def _run(text: str) -> tuple[list[tuple[str, int, str]], dict[str, Any]]:
    result = translate_text(text, name="api.yaml")
    found = [(f.code, f.location.line, f.message) for f in result.findings if f.code not in ("K2E370", "K2E300", "K2E374")]
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    return found, container


def _codes(found: list[tuple[str, int, str]], *codes: str) -> list[tuple[str, int, str]]:
    return [f for f in found if f[0] in codes]


# --- quantities ---------------------------------------------------------------------------


def test_nano_cpu_request_is_half_a_core() -> None:
    found, container = _run(_deployment(""))
    assert container["cpu"] == 512
    assert _codes(found, "K2E304") == []


# --- readiness without a load balancer -------------------------------------------------------

READINESS = "          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n"
PORT = "          ports: [{containerPort: 8080, name: http}]\n"


def test_readiness_without_a_load_balancer_is_reported_at_the_probe() -> None:
    found, container = _run(_deployment("", PORT + READINESS))
    assert _codes(found, "K2E313") == [(
        "K2E313", 14, "readinessProbe of container api has no load balancer to act on: "
                      "ECS has no readiness gate without a target group")]
    assert "healthCheck" not in container


def test_readiness_behind_a_load_balancer_is_the_target_group_check() -> None:
    service = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\n"
               "spec: {type: LoadBalancer, selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}]}\n")
    found, _ = _run(_deployment("", PORT + READINESS) + service)
    assert _codes(found, "K2E313") == []


# --- startup probes ---------------------------------------------------------------------------

STARTUP = ("          startupProbe:\n            httpGet: {path: /started, port: 8080}\n"
           "            initialDelaySeconds: 10\n            periodSeconds: 5\n            failureThreshold: 30\n")


def test_startup_probe_alone_becomes_the_health_check_with_its_budget() -> None:
    found, container = _run(_deployment("", PORT + STARTUP))
    assert container["healthCheck"] == {
        "command": ["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8080/started || exit 1"],
        "interval": 5, "timeout": 2, "retries": 10, "startPeriod": 160,
    }
    assert ("K2E314", 14, "startupProbe of container api becomes a container health check") in found
    assert ("K2E310", 14, "startupProbe failureThreshold 30 is outside the ECS range 1-10; 10 used") in found


def test_a_probe_path_without_a_leading_slash_is_requested_as_the_kubelet_requests_it() -> None:
    """The kubelet builds the URL from host, port and path, and Go's URL puts a `/` between a host and a
    relative path: `healthz` is GET /healthz, in the container check and in the target group's."""
    import yaml

    relative = STARTUP.replace("path: /started", "path: started")
    _, container = _run(_deployment("", PORT + relative))
    assert container["healthCheck"]["command"] == ["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8080/started || exit 1"]
    service = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\n"
               "spec: {type: LoadBalancer, selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}]}\n")
    readiness = READINESS.replace("path: /ready", "path: ready")
    template = translate_text(_deployment("", PORT + readiness) + service, name="api.yaml").templates["shop.yaml"]
    groups = [r["Properties"] for r in yaml.safe_load(template)["Resources"].values()
              if r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup"]
    assert [g["HealthCheckPath"] for g in groups] == ["/ready"]


def test_startup_budget_over_300_seconds_is_clamped_and_reported() -> None:
    found, container = _run(_deployment("", PORT + STARTUP.replace("periodSeconds: 5", "periodSeconds: 20")))
    assert container["healthCheck"]["startPeriod"] == 300
    assert ("K2E310", 14, "startupProbe start period 610 is outside the ECS range 0-300; 300 used") in found


def test_liveness_with_startup_keeps_the_liveness_check_and_the_startup_budget() -> None:
    liveness = "          livenessProbe:\n            exec: {command: [/bin/healthy]}\n            initialDelaySeconds: 3\n"
    found, container = _run(_deployment("", PORT + liveness + STARTUP))
    assert container["healthCheck"] == {"command": ["CMD", "/bin/healthy"], "interval": 10, "timeout": 2,
                                        "retries": 3, "startPeriod": 160}
    assert _codes(found, "K2E314") == [("K2E314", 14, "livenessProbe of container api becomes a container health check")]


# --- ports ------------------------------------------------------------------------------------

PORTS = ("          ports:\n            - {containerPort: 9094, protocol: TCP}\n"
         "            - {containerPort: 9094, protocol: UDP}\n            - {containerPort: 9095, protocol: SCTP}\n")


def test_one_port_for_tcp_and_udp_maps_the_first_and_reports_the_other() -> None:
    """ECS rejects a container port exposed for two protocols (API PortMapping), so one is mapped."""
    found, container = _run(_deployment("", PORTS))
    assert container["portMappings"] == [{"containerPort": 9094, "protocol": "tcp", "name": "api-9094"}]
    assert _codes(found, "K2E318") == [(
        "K2E318", 15, "port 9094/UDP of container api is not in the task definition: ECS maps a container port "
                      "for one protocol, and 9094/TCP is mapped")]
    assert _codes(found, "K2E315") == [(
        "K2E315", 16, "port 9095/SCTP of container api has no ECS port mapping: ECS maps TCP and UDP only")]


def _service(kind: str) -> str:
    return ("---\napiVersion: v1\nkind: Service\nmetadata: {name: kafka, namespace: shop}\n"
            f"spec:\n  type: {kind}\n  selector: {{app: api}}\n  ports:\n"
            "    - {name: tcp, port: 9094, protocol: TCP}\n    - {name: udp, port: 9094, protocol: UDP}\n")


def test_udp_service_port_is_not_carried_by_service_connect() -> None:
    found, _ = _run(_deployment("", PORTS) + _service("ClusterIP"))
    assert _codes(found, "K2E316") == [(
        "K2E316", 18, "Service kafka port 9094/UDP is not reachable through Service Connect, which carries TCP only")]


def test_tcp_and_udp_on_one_nlb_port_is_reported() -> None:
    found, _ = _run(_deployment("", PORTS) + _service("LoadBalancer"))
    assert _codes(found, "K2E317") == [(
        "K2E317", 18, "Service kafka port 9094 is declared for TCP and UDP; the NLB listener on it carries TCP only")]


def test_ingress_to_a_udp_port_is_reported() -> None:
    ingress = ("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
               "spec:\n  ingressClassName: alb\n  defaultBackend: {service: {name: kafka, port: {name: udp}}}\n")
    found, _ = _run(_deployment("", PORTS) + _service("ClusterIP") + ingress)
    assert _codes(found, "K2E349") == [("K2E349", 33, "Service kafka port 9094 uses UDP, which an ALB cannot carry")]


# --- Kubernetes defaults are not gaps ---------------------------------------------------------

DEFAULT_POD = """\
      hostNetwork: false
      hostPID: false
      hostIPC: false
      hostUsers: true
      shareProcessNamespace: false
      enableServiceLinks: true
      automountServiceAccountToken: true
      restartPolicy: Always
      dnsPolicy: ClusterFirst
      schedulerName: default-scheduler
      setHostnameAsFQDN: false
      securityContext: {runAsNonRoot: false}
"""
DEFAULT_CONTAINER = """\
          imagePullPolicy: IfNotPresent
          terminationMessagePath: /dev/termination-log
          terminationMessagePolicy: File
          stdinOnce: false
          securityContext:
            privileged: false
            readOnlyRootFilesystem: false
            allowPrivilegeEscalation: true
            runAsNonRoot: false
            procMount: Default
"""


def test_fields_holding_their_kubernetes_default_are_no_gap() -> None:
    found, container = _run(_deployment(DEFAULT_POD, DEFAULT_CONTAINER))
    assert _codes(found, "K2E200", "K2E202") == []
    assert container["readonlyRootFilesystem"] is False


def test_a_field_off_its_default_is_still_a_gap() -> None:
    found, _ = _run(_deployment("      hostNetwork: true\n      dnsPolicy: Default\n",
                                "          securityContext: {allowPrivilegeEscalation: false}\n"))
    assert _codes(found, "K2E200") == [
        ("K2E200", 9, "hostNetwork has no ECS equivalent and was not translated (none): Fargate tasks always use awsvpc networking"),
        ("K2E200", 10, "dnsPolicy has no ECS equivalent and was not translated (none): DNS settings are invalid on Fargate"),
        ("K2E200", 15, "securityContext.allowPrivilegeEscalation has no ECS equivalent and was not translated (none): "
                       "Fargate offers no no-new-privileges switch"),
    ]


def test_a_default_must_have_the_defaults_type() -> None:
    found, _ = _run(_deployment("      hostNetwork: 0\n"))
    assert [f[:2] for f in _codes(found, "K2E200", "K2E003")] == [("K2E200", 9)]


def test_image_pull_policy_default_follows_the_image_tag() -> None:
    always = "          imagePullPolicy: Always\n"
    for image, reported in (("example/api:1.0", True), ("example/api", False), ("example/api:latest", False),
                            ("registry:5000/api", False), ("example/api@sha256:" + "a" * 64, True)):
        found, _ = _run(_deployment("", always, image=image))
        assert bool(_codes(found, "K2E200")) == reported, image


def test_udp_service_port_on_a_tcp_only_container_port_registers_that_port() -> None:
    service = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: shop}\n"
               "spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 53, protocol: UDP}]}\n")
    result = translate_text(_deployment("", "          ports: [{containerPort: 53}]\n") + service, name="api.yaml")
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert container["portMappings"] == [{"containerPort": 53, "protocol": "tcp", "name": "api-53"}]
    assert [f.code for f in result.findings if f.severity.name == "ERROR"] == []
    template = next(iter(result.templates.values()))
    assert '"ContainerName": "api"' in template or "ContainerName: api" in template


def test_undeclared_udp_target_port_is_mapped_for_udp() -> None:
    service = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: shop}\n"
               "spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 53, protocol: UDP}]}\n")
    found, container = _run(_deployment("") + service)
    assert container["portMappings"] == [{"containerPort": 53, "protocol": "udp", "name": "api-53"}]
    assert _codes(found, "K2E318", "K2E315") == []
