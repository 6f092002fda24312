"""Where pods may run: nodeSelector, required node affinity, and one pod per node.

These become placement constraints with the EC2 launch type. The parser reads them whatever the
launch type (parsing does not know the options); the mapping reports them on Fargate, where
placement constraints are invalid. Preferred affinities and pod affinity stay unread, so the
sweep reports them from the `pod:affinity` row.
"""

from __future__ import annotations

from translator.k8s.common import origin
from translator.model.app import NodeTerm, Origin, Placement
from translator.source.reader import Reader

_ARCH = {"amd64": "X86_64", "arm64": "ARM64"}
RUNTIME_KEYS = ("kubernetes.io/arch", "kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/os")
HOSTNAME = "kubernetes.io/hostname"


def parse_placement(spec: Reader, labels: dict[str, str]) -> tuple[str, Placement]:
    """(cpu architecture for RuntimePlatform, placement)."""
    selector = spec.str_map("nodeSelector")
    arch = selector.get("kubernetes.io/arch") or selector.get("beta.kubernetes.io/arch") or ""
    others = tuple(sorted((k, v) for k, v in selector.items() if k not in RUNTIME_KEYS))
    affinity = spec.child("affinity")
    terms = _node_terms(affinity) if affinity is not None else ()
    one_per_node = _anti_affinity(affinity, labels) if affinity is not None else None
    if affinity is not None and not affinity.data:
        spec.ignore("affinity")
    placement = Placement(node_selector=others, selector_origin=origin(spec) if others else None,
                          node_terms=terms, one_per_node=one_per_node)
    return _ARCH.get(arch, ""), placement


def _node_terms(affinity: Reader) -> tuple[NodeTerm, ...]:
    node = affinity.child("nodeAffinity")
    required = node.child("requiredDuringSchedulingIgnoredDuringExecution") if node is not None else None
    if required is None:
        return ()
    terms = []
    for term in required.items("nodeSelectorTerms"):
        expressions = tuple((e.str("key") or "", e.str("operator") or "", tuple(e.str_list("values")))
                            for e in term.items("matchExpressions"))
        if expressions:
            terms.append(NodeTerm(expressions, origin(term)))
    return tuple(terms)


def _anti_affinity(affinity: Reader, labels: dict[str, str]) -> Origin | None:
    """The common 'at most one replica per node' term: required, on the hostname, selecting the pod itself."""
    anti = affinity.data.get("podAntiAffinity")
    terms = anti.get("requiredDuringSchedulingIgnoredDuringExecution") if isinstance(anti, dict) else None
    if not isinstance(terms, list) or len(terms) != 1 or not isinstance(terms[0], dict):
        return None
    term = terms[0]
    selector = term.get("labelSelector")
    if not isinstance(selector, dict) or set(selector) != {"matchLabels"}:
        return None
    match = selector["matchLabels"]
    if (set(term) != {"labelSelector", "topologyKey"} or term["topologyKey"] != HOSTNAME
            or not isinstance(match, dict) or not match
            or not set(match.items()) <= set(labels.items())):
        return None
    reader = affinity.child("podAntiAffinity")
    assert reader is not None
    item = next(reader.items("requiredDuringSchedulingIgnoredDuringExecution"))
    item.ignore("labelSelector", "topologyKey")
    return origin(item)
