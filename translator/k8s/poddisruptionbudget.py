"""PodDisruptionBudget: how many selected pods must stay up, folded into the ECS service's deployments."""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.model.app import Application, DisruptionBudget, LabelRequirement
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"PodDisruptionBudget": ("policy",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"policy": ("v1", "v1beta1")}
NOTHING = LabelRequirement("", "Nothing")  # a selector that matches no pod
BECOMES = (
    "minAvailable / maxUnavailable folded into the selected ECS service's minimum healthy percent, the stricter of "
    "the budget and the rolling update winning"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    selector = spec.child("selector")
    labels = selector.str_map("matchLabels") if selector else {}
    expressions = tuple(_requirement(e) for e in selector.items("matchExpressions")) if selector else ()
    if not (labels or expressions):
        # No selector selects no pod; an empty one selects every pod of the namespace in policy/v1, none before.
        spec.ignore("selector")
        if selector is None or root.ctx.doc.api_version != "policy/v1":
            expressions = (NOTHING,)
    app.disruption_budgets.append(DisruptionBudget(
        meta=meta, min_available=spec.int_or_str("minAvailable"), max_unavailable=spec.int_or_str("maxUnavailable"),
        match_labels=tuple(sorted(labels.items())), match_expressions=expressions, origin=origin(spec)))


def _requirement(e: Reader) -> LabelRequirement:
    return LabelRequirement(e.str("key") or "", e.str("operator") or "", tuple(e.str_list("values")))
