"""Dispatch a document to the module of its kind; anything else is reported, never dropped."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from translator.k8s import (
    analysistemplate,
    canary,
    configmap,
    cronjob,
    daemonset,
    deployment,
    gateway,
    grpcroute,
    horizontalpodautoscaler,
    httproute,
    ingress,
    job,
    namespace,
    networkpolicy,
    nodepool,
    persistentvolumeclaim,
    pod,
    poddisruptionbudget,
    referencegrant,
    replicationcontroller,
    role,
    rollout,
    scaledobject,
    secret,
    service,
    serviceaccount,
    statefulset,
    tcproute,
    tlsroute,
    unsupported,
    verticalpodautoscaler,
)
from translator.model.app import Application
from translator.source.reader import Reader

Parser = Callable[[Reader, Application], None]

MODULES: tuple[ModuleType, ...] = (deployment, service, configmap, secret, serviceaccount, namespace, role, ingress,
                                   horizontalpodautoscaler, poddisruptionbudget, job, cronjob, pod, replicationcontroller,
                                   statefulset, daemonset, persistentvolumeclaim, networkpolicy, rollout, canary,
                                   scaledobject, analysistemplate, verticalpodautoscaler, gateway, httproute,
                                   grpcroute, tcproute, tlsroute, referencegrant, nodepool)


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

# Each kind module declares its served versions and where its pod spec sits; these collect them.
SERVED: dict[str, dict[str, tuple[str, ...]]] = {kind: {g: module.SERVED_VERSIONS[g] for g in groups}
                                                 for module in MODULES for kind, groups in module.KINDS.items()}
POD_SPECS: dict[str, str] = {k: v for module in MODULES for k, v in getattr(module, "POD_SPECS", {}).items()}
EMBEDDED: dict[str, tuple[str, str]] = {k: v for module in MODULES for k, v in getattr(module, "EMBEDDED", {}).items()}


def unserved_version(api_version: str, kind: str) -> str:
    """Why `api_version` cannot be right for a kind kube2ecs translates, or ''."""
    entry = PARSERS.get(kind)
    group = unsupported.group_of(api_version)
    if entry is None or group not in entry[1]:
        return ""
    version = api_version.rsplit("/", 1)[-1]
    if version in SERVED[kind][group]:
        return ""
    served = ", ".join(f"{g + '/' if g else ''}{v}" for g in entry[1] for v in SERVED[kind][g])
    return f"apiVersion {api_version} was never served for {kind} (served: {served})"


def parser_for(api_version: str, kind: str) -> Parser:
    entry = PARSERS.get(kind)
    if entry is None or unsupported.group_of(api_version) not in entry[1]:
        return unsupported.parse
    return entry[0]
