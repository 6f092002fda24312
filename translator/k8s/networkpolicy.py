"""NetworkPolicy: which pods may reach the selected pods (ingress) and where they may go (egress).

Only what the policy says is kept: the selectors, peers and ports. Whether a selector reaches a
translated workload, and what becomes a security-group rule, is decided in
`mapping/network/networkpolicy.py`, where the workloads of the namespace are known.
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.model.app import Application, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Selector
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"NetworkPolicy": ("networking.k8s.io", "extensions")}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"networking.k8s.io": ("v1", "v1beta1"), "extensions": ("v1beta1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "a security group for each ECS service whose pods it isolates, with an ingress rule per allowed source "
    "(the security group of the ECS services a pod selector matches, the namespace's, or an ipBlock CIDR) "
    "and port; other namespaces, ipBlock exceptions and egress rules are reported with what to do"
)
_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    pods = selector(spec.child("podSelector"))
    types = spec.str_list("policyTypes") or ["Ingress", *(["Egress"] if spec.has("egress") else [])]
    ingress = tuple(_rule(r, "from") for r in spec.items("ingress"))
    egress = tuple(_rule(r, "to") for r in spec.for_report.items("egress"))  # only allow-all is kept; the rest reported
    app.network_policies.append(NetworkPolicy(
        meta=meta, pods=pods, ingress=ingress if "Ingress" in types else None,
        egress=egress if "Egress" in types else None, origin=origin(root)))


def selector(r: Reader | None) -> Selector:
    """A LabelSelector; an absent or empty one selects everything, as in Kubernetes."""
    if r is None:
        return Selector()
    labels = r.str_map("matchLabels")
    expressions = []
    for e in r.items("matchExpressions"):
        operator = e.str("operator") or ""
        if operator not in _OPERATORS:
            e.report("K2E003", "operator", field=e.field("operator"), expected="In, NotIn, Exists or DoesNotExist",
                     got="another value")
            continue
        expressions.append((e.str("key") or "", operator, tuple(e.str_list("values"))))
    return Selector(tuple(sorted(labels.items())), tuple(expressions))


def _rule(r: Reader, peers_key: str) -> PolicyRule:
    peers = tuple(_peer(p) for p in r.items(peers_key))
    ports = tuple(PolicyPort((p.str("protocol") or "TCP").upper(), p.int_or_str("port"), p.int("endPort"), origin(p))
                  for p in r.items("ports"))
    return PolicyRule(peers, ports, origin(r))


def _peer(p: Reader) -> PolicyPeer:
    pods = p.child("podSelector")
    namespaces = p.child("namespaceSelector")
    block = p.child("ipBlock")
    return PolicyPeer(
        pods=selector(pods) if pods is not None else None,
        namespaces=selector(namespaces) if namespaces is not None else None,
        cidr=(block.str("cidr") or "") if block is not None else "",
        excepted=tuple(block.for_report.str_list("except")) if block is not None else (),  # a group cannot deny
        origin=origin(p),
    )
