"""`-n NS` for files and stdin: the namespace of objects that name none, as `kubectl apply -n NS` does.

Manifests written for `kubectl -n shop apply -f .` carry no namespace; without this they would all
land in `default`. Cluster-scoped kinds never take one. An object that names another namespace keeps
it, with a warning: kubectl would refuse to apply it with `-n`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from translator.findings.model import FindingSink
from translator.source.document import Document
from translator.source.reader import make_finding

# Kinds the API server keeps outside namespaces (kubectl api-resources --namespaced=false), among
# those manifests hold.
CLUSTER_SCOPED = frozenset({
    "APIService", "CertificateSigningRequest", "ClusterIssuer", "ClusterRole", "ClusterRoleBinding", "CSIDriver",
    "CSINode", "CustomResourceDefinition", "FlowSchema", "GatewayClass", "IngressClass",
    "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "MutatingWebhookConfiguration", "Namespace", "Node",
    "PersistentVolume", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "StorageClass",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
    "VolumeAttachment",
})


def place(documents: Iterable[Document], namespace: str, sink: FindingSink) -> Iterator[Document]:
    """Each document, with `namespace` set where a namespaced object names none."""
    for doc in documents:
        meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
        if isinstance(meta, dict) and doc.kind not in CLUSTER_SCOPED:
            given = meta.get("namespace")
            if not given:
                meta["namespace"] = namespace
            elif given != namespace:
                sink.add(make_finding("K2E032", doc.location("/metadata/namespace"), f"{doc.kind}/{given}/{doc.name}",
                                      kind=doc.kind, name=doc.name, given=given, namespace=namespace))
        yield doc
