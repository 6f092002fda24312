"""VerticalPodAutoscaler (autoscaling.k8s.io): the recommendation that sizes its workload's task.

The VPA recommender writes `status.recommendation` in the cluster; an object read with
`--from-cluster` (or exported with `kubectl get vpa -o yaml`) carries it, and the task is then sized
from each container's `target` (mapping/task/vertical.py). ECS fixes a task's size per task-definition
revision, so the update mode and the bounds are reported, never followed at run time.
"""

from __future__ import annotations

from decimal import Decimal

from translator.k8s.common import origin, origin_at, parse_meta
from translator.model.app import Amounts, Application, ContainerPolicy, ContainerRecommendation, VerticalAutoscaler
from translator.source.document import join
from translator.source.quantity import parse_quantity
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"VerticalPodAutoscaler": ("autoscaling.k8s.io",),
                                     "VerticalPodAutoscalerCheckpoint": ("autoscaling.k8s.io",)}
# API group -> every version the VPA CRD served (kubernetes/autoscaler vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"autoscaling.k8s.io": ("v1", "v1beta2", "v1beta1")}
CHECKPOINT = ("the recommender's saved history of use, which it reads back after a restart; the recommendation it "
              "leads to is read from the VerticalPodAutoscaler's status")
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "no resource of its own: with a `status.recommendation` (read `--from-cluster`), the task of the workload its "
    "`targetRef` names is sized from each container's target instead of its requests (minAllowed / maxAllowed, "
    "controlledResources, controlledValues and mode Off honoured), both sizes and the monthly cost difference "
    "reported; the update mode reported, as ECS fixes a task's size per task-definition revision. "
    "A VerticalPodAutoscalerCheckpoint: nothing (the recommender's own state)"
)
DEFAULT_MODE = "Auto"  # updatePolicy.updateMode when unset (vertical-pod-autoscaler pkg/apis types.go)
# The enums of autoscaling.k8s.io/v1 (vertical-pod-autoscaler docs/api.md): the API server refuses other values.
UPDATE_MODES = ("Off", "Initial", "Recreate", "Auto", "InPlaceOrRecreate")
CONTAINER_MODES = ("Auto", "Off")
CONTROLLED_VALUES = ("RequestsAndLimits", "RequestsOnly")
SIZED_RESOURCES = ("cpu", "memory")  # the only resources the recommender recommends and the updater sets


def parse(root: Reader, app: Application) -> None:
    if root.ctx.doc.kind == "VerticalPodAutoscalerCheckpoint":
        root.report_all("K2E102", kind=root.ctx.doc.kind, name=root.ctx.doc.name or "(unnamed)", detail=CHECKPOINT)
        return
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    ref = spec.child("targetRef")
    kind = (ref.str("kind") or "") if ref else ""
    name = (ref.str("name") or "") if ref else ""
    if ref is not None:
        ref.ignore("apiVersion")  # the kind and name identify the workload within the namespace
    if not name:
        spec.report("K2E004", field="spec.targetRef.name")
        return
    update = spec.child("updatePolicy")
    mode = (_choice(update, "updateMode", UPDATE_MODES) if update else None) or DEFAULT_MODE
    resource_policy = spec.child("resourcePolicy")
    policies = tuple(_policy(p) for p in resource_policy.items("containerPolicies")) if resource_policy else ()
    app.vertical_autoscalers.append(VerticalAutoscaler(
        meta=meta, target_kind=kind, target_name=name, update_mode=mode, policies=policies,
        recommendations=_recommendations(root), origin=origin(root),
        update_origin=origin_at(update, "updateMode") if update is not None and "updateMode" in update.data else None))


def _policy(p: Reader) -> ContainerPolicy:
    controlled = tuple(p.str_list("controlledResources")) if "controlledResources" in p.data else SIZED_RESOURCES
    name = p.str("containerName") or "*"
    raw = p.data.get("controlledResources")
    for i, resource in enumerate(raw if isinstance(raw, list) else ()):  # the source's indices, for the lines
        if isinstance(resource, str) and resource not in SIZED_RESOURCES:  # accepted by the API, sized by nothing
            p.ctx.report("K2E885", join(p.at("controlledResources"), i), what=resource, container=name)
    return ContainerPolicy(
        container=name, mode=_choice(p, "mode", CONTAINER_MODES) or "Auto",
        min_allowed=_amounts(p, "minAllowed"), max_allowed=_amounts(p, "maxAllowed"),
        controlled_resources=controlled,
        controlled_values=_choice(p, "controlledValues", CONTROLLED_VALUES) or "RequestsAndLimits",
        origin=origin(p))


def _choice(r: Reader, key: str, allowed: tuple[str, ...]) -> str | None:
    """The value when it is one of the API's enum, else None after K2E003: the API server refuses any other
    value, and reading it as the default would size the task as an object Kubernetes never had."""
    value = r.str(key)
    if value is not None and value not in allowed:
        r.report("K2E003", key, field=r.field(key), expected="one of " + ", ".join(allowed), got=value[:40])
        return None
    return value


def _recommendations(root: Reader) -> tuple[ContainerRecommendation, ...] | None:
    status = root.child("status")
    if status is None:
        return None
    status.ignore("conditions")  # written by the recommender about itself: nothing to size
    recommendation = status.child("recommendation")
    if recommendation is None:
        return None
    out = []
    for item in recommendation.items("containerRecommendations"):
        item.ignore("uncappedTarget")  # the target is the capped one, within the policy's bounds
        out.append(ContainerRecommendation(
            container=item.str("containerName") or "", target=_amounts(item, "target"),
            lower=_amounts(item.for_report, "lowerBound"), upper=_amounts(item.for_report, "upperBound"),
            origin=origin(item)))
    return tuple(out)


def _amounts(r: Reader, key: str) -> Amounts:
    block = r.child(key)
    if block is None:
        return Amounts()
    return Amounts(cpu=_quantity(block, "cpu"), memory=_quantity(block, "memory"))


def _quantity(block: Reader, key: str) -> Decimal | None:
    raw = block.scalar(key)
    if raw is None:
        return None
    try:
        return parse_quantity(raw)
    except ValueError:
        block.report("K2E304", key, value=str(raw)[:40])
        return None
