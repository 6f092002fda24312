"""ServiceAccount: the IAM role of the pods (IRSA annotation) and their image pull secrets."""

from __future__ import annotations

from translator.findings.annotations import ignored_annotation
from translator.k8s.common import origin, parse_meta
from translator.model.app import Application, ServiceAccount
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"ServiceAccount": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = "its `eks.amazonaws.com/role-arn` as the task role, else a task role without permissions; imagePullSecrets to repository credentials"
IRSA = "eks.amazonaws.com/role-arn"


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False)
    role = dict(meta.annotations).get(IRSA, "")
    for key, _ in meta.annotations:
        if key != IRSA and key != "kubectl.kubernetes.io/last-applied-configuration":
            found = ignored_annotation("ServiceAccount", key)
            root.report(found.code, "metadata", annotation=key, kind="ServiceAccount", name=meta.name, **found.params)
    pulls = tuple(s.str("name") or "" for s in root.items("imagePullSecrets"))
    account = ServiceAccount(meta, role, pulls, origin(root))
    app.service_accounts.setdefault(meta.key, account)
