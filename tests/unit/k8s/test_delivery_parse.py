"""Argo Rollouts Rollouts and Flagger Canaries read into Deliveries, field by field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.api import translate_text
from translator.model.app import Delivery


def _deliveries(text: str) -> list[Delivery]:
    return translate_text(text).app.deliveries


def _steps(delivery: Delivery) -> list[tuple[str, Decimal | None, Decimal | None]]:
    return [(s.action, s.weight, s.pause) for s in delivery.steps]


ROLLOUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
  strategy:
"""


def test_a_blue_green_rollout_is_a_workload_and_a_delivery() -> None:
    result = translate_text(ROLLOUT + """\
    blueGreen:
      activeService: web
      previewService: web-preview
      autoPromotionEnabled: false
      autoPromotionSeconds: 45
      scaleDownDelaySeconds: 120
      prePromotionAnalysis: {templates: [{templateName: smoke}]}
      postPromotionAnalysis: {templates: [{clusterScope: true, templateName: soak}]}
""")
    [workload] = result.app.workloads
    assert (workload.kind, workload.meta.name, workload.replicas) == ("Rollout", "web", 3)
    [delivery] = result.app.deliveries
    assert (delivery.source, delivery.target, delivery.strategy) == ("Rollout", ("Rollout", "web"), "blueGreen")
    assert (delivery.active_service, delivery.preview_service, delivery.auto_promotion) == ("web", "web-preview", False)
    assert (delivery.auto_promotion_seconds, delivery.scale_down_delay, delivery.analyses) == (45, 120, ("smoke", "soak"))


def test_canary_steps_keep_their_order_weights_and_pauses() -> None:
    [delivery] = _deliveries(ROLLOUT + """\
    canary:
      stableService: web
      canaryService: web-canary
      trafficRouting: {alb: {ingress: web, servicePort: 80}}
      steps:
        - setWeight: 10
        - pause: {duration: 1h}
        - setWeight: 50
        - pause: {}
        - analysis: {templates: [{templateName: errors}]}
        - setCanaryScale: {replicas: 2}
""")
    assert _steps(delivery) == [("setWeight", Decimal(10), None), ("pause", None, Decimal(3600)),
                                ("setWeight", Decimal(50), None), ("pause", None, None), ("analysis", None, None),
                                ("setCanaryScale", None, None)]
    assert (delivery.traffic_router, delivery.analyses, delivery.active_service) == ("alb", ("errors",), "web")


def test_a_workload_ref_names_the_deployment_it_rolls_out() -> None:
    [delivery] = _deliveries("""\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: api}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api-deploy, scaleDown: progressively}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {duration: 90}}]}}
""")
    assert delivery.target == ("Deployment", "api-deploy")
    assert _steps(delivery) == [("setWeight", Decimal(20), None), ("pause", None, Decimal(90))]



WORKLOAD_REF = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: api}
spec:
  replicas: 4
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api-deploy}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {duration: 90}}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-deploy}
spec:
  replicas: 0
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "nginx:1.27", resources: {requests: {cpu: 250m, memory: 256Mi}}}]
"""


def test_a_workload_ref_runs_the_rollouts_replicas_not_the_scaled_down_deployments() -> None:
    """Argo's own example scales the Deployment to 0 and runs the Rollout's replicas: the ECS service must too."""
    result = translate_text(WORKLOAD_REF)
    [workload] = result.app.workloads
    assert (workload.kind, workload.meta.name, workload.replicas) == ("Deployment", "api-deploy", 4)
    assert "DesiredCount: 4" in result.templates["default.yaml"]
    [adopted] = [(f.code, f.severity.label, f.location.line, f.message) for f in result.findings if f.code == "K2E777"]
    assert adopted == ("K2E777", "info", 7, "Rollout api runs 4 replica(s) of Deployment api-deploy, which sets 0: its "
                                            "ECS service takes the Rollout's count")


def test_an_autoscaler_of_a_workload_ref_rollout_scales_the_deployments_service() -> None:
    """Argo asks the HPA to name the Rollout; its ECS service is the referenced Deployment's."""
    result = translate_text(WORKLOAD_REF + """\
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: api}
  minReplicas: 2
  maxReplicas: 6
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
""")
    [scaler] = result.app.autoscalers
    assert (scaler.target_kind, scaler.target_name) == ("Deployment", "api-deploy")
    codes = [f.code for f in result.findings if f.code.startswith("K2E40")]
    assert codes == ["K2E400", "K2E401"]
    assert "MinCapacity: 2" in result.templates["default.yaml"]


def test_a_second_rollout_of_one_workload_is_reported_not_dropped_silently() -> None:
    result = translate_text(WORKLOAD_REF + """\
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: api-canary}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api-deploy}
  service: {port: 80}
  analysis: {interval: 1m, stepWeight: 10, maxWeight: 50}
""")
    found = [(f.code, f.severity.label, f.resource, f.message) for f in result.findings if f.code in ("K2E380", "K2E779")]
    assert found == [
        ("K2E779", "warning", "Rollout/default/api", "Rollout api also rolls out Deployment api-deploy, which Canary "
         "api-canary already rolls out: its ECS service follows Canary api-canary only"),
        ("K2E380", "info", "Canary/default/api-canary", "Canary api-canary deploys Deployment api-deploy with the ECS "
         "LINEAR strategy: 10% more every 1 min up to 100%; previous revision kept 0 min")]
    # the Canary is followed: the Deployment runs its own count, not the Rollout's
    assert [w.replicas for w in result.app.workloads] == [0]
    assert not any(f.code == "K2E777" for f in result.findings)

def test_flagger_weights_follow_its_scheduler() -> None:
    [delivery] = _deliveries("""\
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis:
    interval: 30s
    stepWeight: 30
    maxWeight: 50
    metrics: [{name: request-success-rate, thresholdRange: {min: 99}, interval: 1m}]
    webhooks: [{name: gate, type: confirm-promotion, url: "http://gate/"}]
""")
    assert (delivery.source, delivery.target, delivery.strategy) == ("Canary", ("Deployment", "podinfo"), "canary")
    # 30, then 60 >= maxWeight 50: promoted, as Flagger adds whole steps
    assert _steps(delivery) == [("setWeight", Decimal(30), None), ("pause", None, Decimal(30)),
                                ("setWeight", Decimal(60), None), ("pause", None, Decimal(30))]
    assert delivery.analyses == ("request-success-rate", "webhook gate (confirm-promotion)")
    assert (delivery.auto_promotion, delivery.active_service, delivery.preview_service) == (False, "podinfo", "podinfo-canary")


def test_flagger_iterations_without_weights_are_blue_green() -> None:
    [delivery] = _deliveries("""\
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {name: front, port: 80}
  analysis: {interval: 5s, iterations: 10}
""")
    assert (delivery.strategy, delivery.steps, delivery.active_service) == ("blueGreen", (), "front")
    assert delivery.auto_promotion_seconds == 100  # 10 iterations of at least 10 s each


def test_a_step_keeps_its_line() -> None:
    [delivery] = _deliveries(ROLLOUT + "    canary:\n      steps:\n        - setWeight: 5\n")
    [step] = delivery.steps
    assert (step.action, step.weight) == ("setWeight", Decimal(5))
    assert (step.origin.location.line, step.origin.location.pointer) == (14, "/spec/strategy/canary/steps/0/setWeight")


def test_a_step_that_is_not_a_mapping_is_reported_once() -> None:
    result = translate_text(ROLLOUT + "    canary:\n      steps:\n        - setWeight: 20\n        - just-a-string\n")
    assert [(f.code, f.location.line) for f in result.findings if f.code == "K2E003"] == [("K2E003", 15)]
    assert [s.action for s in result.app.deliveries[0].steps] == ["setWeight"]


def test_steps_argo_refuses_are_wrong_type_errors_not_silent_shapes() -> None:
    """A weight out of range was 'ECS has no setWeight step', 33.33 a CanaryPercent cfn-lint refuses, and a
    duration Go cannot parse ('1d') a pause without end, all without a word about the value."""
    result = translate_text(ROLLOUT + """\
    canary:
      steps:
        - setWeight: 150
        - setWeight: "33.33"
        - setWeight: 20
        - pause: {duration: 1d}
""")
    [delivery] = result.app.deliveries
    assert _steps(delivery) == [("setWeight", None, None), ("setWeight", None, None),
                                ("setWeight", Decimal(20), None), ("pause", None, None)]
    found = [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E003", "K2E381")]
    assert found == [
        ("K2E381", 12, "steps of Rollout web (setWeight (left out), setWeight (left out), setWeight 20, pause) cannot "
                       "be written as ECS writes them: ECS runs PRE_PRODUCTION_TRAFFIC_SHIFT before every traffic shift "
                       "of a CANARY deployment, so it waits for a person before each step, where the manifest waits once"),
        ("K2E003", 14, "spec.strategy.canary.steps.0.setWeight must be a whole percentage from 0 to 100, got 150"),
        ("K2E003", 15, "spec.strategy.canary.steps.1.setWeight must be a whole percentage from 0 to 100, got '33.33'"),
        ("K2E003", 17, "spec.strategy.canary.steps.3.pause.duration must be a duration such as 30s, 10m or 1h (or "
                       "whole seconds), got '1d'")]


@pytest.mark.parametrize("annotations", [
    "{kubernetes.io/ingress.class: alb}",
    # as read back from a cluster: the forward Argo wrote, which ECS's own traffic shifting replaces
    "{kubernetes.io/ingress.class: alb, alb.ingress.kubernetes.io/actions.web-root: '{\"type\": \"forward\", "
    "\"forwardConfig\": {\"targetGroups\": [{\"serviceName\": \"web\", \"servicePort\": 80, \"weight\": 80}, "
    "{\"serviceName\": \"web-canary\", \"servicePort\": 80, \"weight\": 20}]}}'}",
])
def test_argos_alb_root_service_action_becomes_the_rule_ecs_shifts(annotations: str) -> None:
    """Argo's ALB routing: the Ingress backend `rootService: use-annotation` is an action Argo writes at run time.
    It was 'not a port of the Service' (an error) and the Ingress made no ALB at all."""
    result = translate_text(ROLLOUT.replace(
        "containers: [{name: web, image: \"nginx:1.27\"}]",
        "containers: [{name: web, image: \"nginx:1.27\", ports: [{containerPort: 8080}]}]") + """\
    canary:
      stableService: web
      canaryService: web-canary
      trafficRouting: {alb: {ingress: web, rootService: web-root, servicePort: 80}}
      steps: [{setWeight: 20}, {pause: {duration: 60}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop, annotations: """ + annotations + """}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web-root, port: {name: use-annotation}}}}
""" + "".join(f"""---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: shop}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80, targetPort: 8080}}]
""" for name in ("web", "web-canary", "web-root")))
    [ingress] = result.app.ingresses
    assert (ingress.paths[0].backend.service, ingress.paths[0].backend.port) == ("web-root", 80)
    found = [(f.code, f.severity.label) for f in result.findings if f.code in ("K2E378", "K2E433", "K2E447", "K2E781", "K2E861")]
    assert found == [("K2E378", "info"), ("K2E781", "info")]
    assert "AWS::ElasticLoadBalancingV2::LoadBalancer" in result.templates["shop.yaml"]
