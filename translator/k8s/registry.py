"""Dispatch a document to the module of its kind; anything else is reported, never dropped."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from translator.k8s import (
    configmap,
    cronjob,
    daemonset,
    deployment,
    horizontalpodautoscaler,
    ingress,
    job,
    namespace,
    networkpolicy,
    persistentvolumeclaim,
    pod,
    poddisruptionbudget,
    replicationcontroller,
    role,
    secret,
    service,
    serviceaccount,
    statefulset,
    unsupported,
)
from translator.model.app import Application
from translator.source.reader import Reader

Parser = Callable[[Reader, Application], None]

MODULES: tuple[ModuleType, ...] = (deployment, service, configmap, secret, serviceaccount, namespace, role, ingress,
                                   horizontalpodautoscaler, poddisruptionbudget, job, cronjob, pod, replicationcontroller,
                                   statefulset, daemonset, persistentvolumeclaim, networkpolicy)


def _build() -> dict[str, tuple[Parser, tuple[str, ...]]]:
    """Each kind module declares its kinds and their API groups, so adding a kind touches only MODULES."""
    table: dict[str, tuple[Parser, tuple[str, ...]]] = {}
    for module in MODULES:
        for kind, groups in module.KINDS.items():
            if kind in table:  # pragma: no cover - guarded by a meta test
                raise ValueError(f"kind {kind} registered twice")
            table[kind] = (module.parse, groups)
    return table


PARSERS = _build()

# Every version Kubernetes ever served in the groups of the kinds kube2ecs translates. Old beta
# versions still translate (manifests outlive clusters); a version never served is a typo.
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {
    "": ("v1",), "apps": ("v1", "v1beta1", "v1beta2"), "extensions": ("v1beta1",),
    "batch": ("v1", "v1beta1", "v2alpha1"), "autoscaling": ("v1", "v2", "v2beta1", "v2beta2"),
    "policy": ("v1", "v1beta1"), "networking.k8s.io": ("v1", "v1beta1"),
    "rbac.authorization.k8s.io": ("v1", "v1beta1", "v1alpha1"), "storage.k8s.io": ("v1", "v1beta1"),
}


def unserved_version(api_version: str, kind: str) -> str:
    """Why `api_version` cannot be right for a kind kube2ecs translates, or ''."""
    entry = PARSERS.get(kind)
    group = unsupported.group_of(api_version)
    if entry is None or group not in entry[1]:
        return ""
    version = api_version.rsplit("/", 1)[-1]
    if version in SERVED_VERSIONS.get(group, (version,)):
        return ""
    served = ", ".join(f"{g + '/' if g else ''}{v}" for g in entry[1] for v in SERVED_VERSIONS.get(g, ()))
    return f"apiVersion {api_version} was never served for {kind} (served: {served})"


def parser_for(api_version: str, kind: str) -> Parser:
    entry = PARSERS.get(kind)
    if entry is None or unsupported.group_of(api_version) not in entry[1]:
        return unsupported.parse
    return entry[0]
