"""VerticalPodAutoscaler: the recommendation sizes the task, exact findings for each case."""

from __future__ import annotations

import json

from tests.support.manifests import deployment
from translator.api import TranslationResult, translate_text
from translator.options import Options

CONTAINERS = """\
      containers:
        - name: api
          image: example/api:1.0
          resources:
            requests: {cpu: "1", memory: 2Gi}
            limits: {memory: 2Gi}
        - name: log
          image: example/log:1.0
          resources:
            requests: {cpu: 100m, memory: 128Mi}
"""
VPA = """\
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  updatePolicy: {updateMode: Recreate}
  resourcePolicy:
    containerPolicies:
      - containerName: log
        mode: "Off"
      - containerName: "*"
        minAllowed: {cpu: 300m}
        maxAllowed: {memory: 1Gi}
"""
STATUS = """\
status:
  conditions:
    - {type: RecommendationProvided, status: "True"}
  recommendation:
    containerRecommendations:
      - containerName: api
        target: {cpu: 250m, memory: 600Mi}
        lowerBound: {cpu: 100m, memory: 400Mi}
        upperBound: {cpu: "1", memory: 1500Mi}
        uncappedTarget: {cpu: 250m, memory: 600Mi}
"""


def _found(result: TranslationResult, *codes: str) -> list[tuple[str, str, str, int, str]]:
    return [(f.code, f.severity.label, f.resource, f.location.line, f.message) for f in result.findings
            if f.code in codes]


def _task(result: TranslationResult) -> dict[str, object]:
    return dict(json.loads(result.task_definitions["shop.api.json"]))


def test_the_recommendation_sizes_the_task_within_the_policy() -> None:
    result = translate_text(deployment(replicas=3, containers=CONTAINERS) + VPA + STATUS, name="api.yaml")
    assert _found(result, "K2E790", "K2E791", "K2E792", "K2E793", "K2E794", "K2E795") == [
        ("K2E792", "warning", "VerticalPodAutoscaler/shop/api", 26,
         "updateMode Recreate of VerticalPodAutoscaler api: Kubernetes evicts pods to resize them as the recommendation "
         "moves; ECS does not resize running tasks, a size is fixed per task-definition revision"),
        ("K2E790", "info", "Deployment/shop/api", 39,
         "VerticalPodAutoscaler api sizes Deployment api from its recommendation: task 1024 CPU units / 2048 MiB "
         "instead of 2048 / 4096 MiB from the requests, -108.12 USD a month for 3 task(s) at us-east-1 on-demand "
         "Fargate prices (216.24 -> 108.12); api: cpu 1024 CPU units -> 308 CPU units (raised to minAllowed), "
         "memory 2048 MiB -> 600 MiB, limit 600 MiB [lowerBound 103 CPU units / 400 MiB, upperBound 1024 CPU units "
         "/ 1500 MiB]; log: requests kept (container policy mode Off)"),
    ]
    task = _task(result)
    assert (task["cpu"], task["memory"]) == ("1024", "2048")
    api, log = task["containerDefinitions"]  # type: ignore[misc]
    assert (api["cpu"], api["memory"], api.get("memoryReservation")) == (308, 600, None)
    assert (log["cpu"], log.get("memory"), log["memoryReservation"]) == (103, None, 128)
    basis = next(f.message for f in result.findings if f.code == "K2E300")
    assert "sum of the VerticalPodAutoscaler's targets, else limits, else requests" in basis
    assert not [f for f in result.findings if f.code in ("K2E101", "K2E200", "K2E202")]


def test_requests_only_and_uncontrolled_resources() -> None:
    vpa = VPA.replace('        mode: "Off"\n', "        controlledResources: [cpu]\n").replace(
        "        maxAllowed: {memory: 1Gi}\n", "        controlledValues: RequestsOnly\n")
    status = STATUS.replace("      - containerName: api\n", "      - containerName: log\n        target: {cpu: 50m, "
                            "memory: 1Gi}\n      - containerName: api\n")
    result = translate_text(deployment(containers=CONTAINERS) + vpa + status, name="api.yaml")
    (sized,) = _found(result, "K2E790")
    assert sized[4] == (
        "VerticalPodAutoscaler api sizes Deployment api from its recommendation: task 1024 CPU units / 3072 MiB instead "
        "of 2048 / 4096 MiB from the requests, -32.80 USD a month for 1 task(s) at us-east-1 on-demand Fargate prices "
        "(72.08 -> 39.28); api: cpu 1024 CPU units -> 308 CPU units (raised to minAllowed), memory 2048 MiB -> 600 MiB, "
        "limit 2048 MiB [lowerBound 103 CPU units / 400 MiB, upperBound 1024 CPU units / 1500 MiB]; log: cpu 103 CPU "
        "units -> 52 CPU units, memory not controlled (requests kept)")


def test_without_a_status_the_requests_size_the_task() -> None:
    result = translate_text(deployment(containers=CONTAINERS) + VPA.replace("Recreate", '"Off"'), name="api.yaml")
    assert _found(result, "K2E790", "K2E791", "K2E792") == [
        ("K2E791", "warning", "Deployment/shop/api", 20,
         "VerticalPodAutoscaler api carries no status.recommendation: the task of Deployment api is sized from its "
         "requests"),
        ("K2E792", "info", "VerticalPodAutoscaler/shop/api", 25,
         "updateMode Off of VerticalPodAutoscaler api: recommendations only, which is all ECS can follow: the task "
         "keeps the size it is given here"),
    ]
    assert "kube2ecs convert --from-cluster --namespace shop" in next(
        f.remediation for f in result.findings if f.code == "K2E791")
    assert (_task(result)["cpu"], _task(result)["memory"]) == ("2048", "4096")


def test_targets_that_are_not_sized() -> None:
    cron = VPA.replace("kind: Deployment, name: api", "kind: CronJob, name: nightly")
    missing = VPA.replace("name: api}", "name: gone}").replace("name: api, namespace", "name: other, namespace")
    second = VPA.replace("name: api, namespace", "name: zz, namespace")
    result = translate_text(deployment(containers=CONTAINERS) + VPA + second + cron.replace(
        "name: api, namespace", "name: cron, namespace") + missing, name="api.yaml")
    assert [(c, s, line, m) for c, s, _, line, m in _found(result, "K2E793", "K2E794", "K2E795")] == [
        ("K2E795", "warning", 34, "VerticalPodAutoscaler zz targets Deployment api as api does; only api sizes the task"),
        ("K2E793", "warning", 48, "VerticalPodAutoscaler cron targets CronJob nightly; only Deployments, StatefulSets, "
                                  "DaemonSets and Rollouts are sized from a recommendation"),
        ("K2E794", "warning", 62, "VerticalPodAutoscaler other targets Deployment gone, but it is not in the input; "
                                  "nothing is sized from it"),
    ]


def test_a_checkpoint_is_accounted_for() -> None:
    checkpoint = ("apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscalerCheckpoint\n"
                  "metadata: {name: api-api, namespace: shop}\nspec: {containerName: api, vpaObjectName: api}\n"
                  "status: {version: v3, totalSamplesCount: 10}\n")
    result = translate_text(checkpoint, name="cp.yaml")
    assert [(f.code, f.severity.label) for f in result.findings if f.code != "K2E370"] == [("K2E102", "info")]


BAD_POLICY = """\
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  updatePolicy: {updateMode: Sometimes}
  resourcePolicy:
    containerPolicies:
      - containerName: apii
        mode: Maybe
        controlledValues: LimitsOnly
        controlledResources:
          - {name: cpu}
          - ephemeral-storage
"""


def test_values_the_api_refuses_and_policies_that_apply_to_nothing_are_reported() -> None:
    result = translate_text(deployment(replicas=1, containers=CONTAINERS) + BAD_POLICY, name="api.yaml")
    assert _found(result, "K2E003", "K2E885", "K2E886") == [
        ("K2E003", "error", "VerticalPodAutoscaler/shop/api", 26,
         "spec.updatePolicy.updateMode must be one of Off, Initial, Recreate, Auto, InPlaceOrRecreate, got Sometimes"),
        ("K2E886", "warning", "VerticalPodAutoscaler/shop/api", 29,
         "the container policy of VerticalPodAutoscaler api names container apii, which Deployment api does not have "
         "(it has api, log): the policy applies to nothing"),
        ("K2E003", "error", "VerticalPodAutoscaler/shop/api", 30,
         "spec.resourcePolicy.containerPolicies.0.mode must be one of Auto, Off, got Maybe"),
        ("K2E003", "error", "VerticalPodAutoscaler/shop/api", 31,
         "spec.resourcePolicy.containerPolicies.0.controlledValues must be one of RequestsAndLimits, RequestsOnly, "
         "got LimitsOnly"),
        ("K2E003", "error", "VerticalPodAutoscaler/shop/api", 32,
         "spec.resourcePolicy.containerPolicies.0.controlledResources[0] must be a string, got a mapping"),
        ("K2E885", "info", "VerticalPodAutoscaler/shop/api", 34,
         "controlledResources ephemeral-storage of the container policy for apii: the VerticalPodAutoscaler "
         "recommends and sets only cpu and memory, so ephemeral-storage keeps the size the manifest gives it, on ECS "
         "as in the cluster"),
    ]


def test_the_cost_under_managed_instances_is_said_to_be_a_fargate_comparison() -> None:
    result = translate_text(deployment(replicas=3, containers=CONTAINERS) + VPA + STATUS,
                            Options(launch_type="MANAGED_INSTANCES"), name="api.yaml")
    assert _found(result, "K2E790") == [
        ("K2E790", "info", "Deployment/shop/api", 39,
         "VerticalPodAutoscaler api sizes Deployment api from its recommendation: task 667 CPU units / 792 MiB "
         "instead of 1383 / 2240 MiB from the requests, -75.75 USD a month for 3 task(s) at us-east-1 on-demand "
         "Fargate prices (141.03 -> 65.27, a comparison only: on Managed Instances the instances are billed, not the "
         "task sizes); api: cpu 1024 CPU units -> 308 CPU units (raised to minAllowed), memory 2048 MiB -> 600 MiB, "
         "limit 600 MiB [lowerBound 103 CPU units / 400 MiB, upperBound 1024 CPU units / 1500 MiB]; log: requests "
         "kept (container policy mode Off)"),
    ]
