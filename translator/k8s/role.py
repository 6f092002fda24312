"""RBAC roles and bindings: nothing on ECS, but their rules tell an assessment which roles are too broad.

Kubernetes API permissions have no ECS meaning, so each document is still reported as not translated
(K2E100, the same finding and advice as before). Its rules and subjects are kept in the model because a
wildcard role, or a binding to cluster-admin, is a migration smell: the task role written for ECS should
not copy that breadth into IAM.
"""

from __future__ import annotations

from translator.k8s import unsupported
from translator.k8s.common import origin, parse_meta
from translator.model.app import AccessBinding, AccessRole, AccessRule, Application
from translator.source.reader import Reader

_RBAC = ("rbac.authorization.k8s.io",)
# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Role": _RBAC, "ClusterRole": _RBAC, "RoleBinding": _RBAC, "ClusterRoleBinding": _RBAC}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"rbac.authorization.k8s.io": ("v1", "v1beta1", "v1alpha1")}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = ("nothing (reported, K2E100): grant AWS permissions on the task role instead; rules and "
           "bindings are kept for the assessment's over-broad-role check")


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root)
    kind = root.ctx.doc.kind
    shown = root.for_report  # kept for the assessment's findings; the document is not translated
    if kind.endswith("Binding"):
        ref = shown.child("roleRef")
        subjects = tuple((s.str("kind") or "", s.str("namespace") or meta.namespace, s.str("name") or "")
                         for s in shown.items("subjects"))
        app.bindings.append(AccessBinding(kind, meta, (ref.str("kind") or "") if ref else "",
                                          (ref.str("name") or "") if ref else "", subjects, origin(root)))
    else:
        rules = tuple(AccessRule(tuple(r.str_list("apiGroups")), tuple(r.str_list("resources")),
                                 tuple(r.str_list("verbs")), origin(r)) for r in shown.items("rules"))
        app.roles.append(AccessRole(kind, meta, rules, origin(root)))
    unsupported.parse(root, app)
