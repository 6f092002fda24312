"""ReferenceGrant (gateway.networking.k8s.io): lets routes of another namespace refer to objects of this one.

Without a grant, a route's backendRef to a Service of another namespace, or a Gateway's
certificateRef to a Secret of another namespace, is refused (the Gateway API's RefNotPermitted).
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.httproute import GROUP
from translator.model.app import Application, ReferenceGrant
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"ReferenceGrant": (GROUP,)}
# API group -> every version the Gateway API CRDs served it in (v1alpha2 from v0.5, v1beta1 from v0.6, v1 from v1.5).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {GROUP: ("v1", "v1beta1", "v1alpha2")}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = "nothing of its own: it decides which cross-namespace backendRefs and certificateRefs are followed"


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    sources = tuple((f.str("group") or "", f.str("kind") or "", f.str("namespace") or "") for f in spec.items("from"))
    targets = tuple((t.str("group") or "", t.str("kind") or "", t.str("name") or "") for t in spec.items("to"))
    app.reference_grants.append(ReferenceGrant(meta, sources, targets, origin(root)))
    root.report("K2E102", kind="ReferenceGrant", name=meta.name,
                detail="it decides which references from other namespaces the Gateway API translation follows")
