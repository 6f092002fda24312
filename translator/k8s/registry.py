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
    destinationrule,
    gateway,
    grpcroute,
    horizontalpodautoscaler,
    httproute,
    iamauthpolicy,
    ingress,
    istiogateway,
    job,
    loadbalancerconfiguration,
    namespace,
    networkpolicy,
    nodepool,
    peerauthentication,
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
    serviceentry,
    statefulset,
    targetgrouppolicy,
    tcproute,
    tlsroute,
    unsupported,
    verticalpodautoscaler,
    virtualservice,
    vpcassociationpolicy,
)
from translator.model.app import Application
from translator.source.reader import Reader

Parser = Callable[[Reader, Application], None]

MODULES: tuple[ModuleType, ...] = (deployment, service, configmap, secret, serviceaccount, namespace, role, ingress,
                                   horizontalpodautoscaler, poddisruptionbudget, job, cronjob, pod, replicationcontroller,
                                   statefulset, daemonset, persistentvolumeclaim, networkpolicy, rollout, canary,
                                   scaledobject, analysistemplate, verticalpodautoscaler, gateway, httproute,
                                   grpcroute, tcproute, tlsroute, referencegrant, nodepool, virtualservice,
                                   destinationrule, peerauthentication, istiogateway, serviceentry, targetgrouppolicy,
                                   loadbalancerconfiguration, vpcassociationpolicy,
                                   iamauthpolicy)


def _build() -> dict[str, dict[str, Parser]]:
    """Each kind module declares its kinds and their API groups, so adding a kind touches only MODULES.

    Keyed by kind, then API group: two APIs may name a kind alike (the Gateway of the Gateway API and
    Istio's Gateway), and the group says which module reads it."""
    table: dict[str, dict[str, Parser]] = {}
    for module in MODULES:
        for kind, groups in module.KINDS.items():
            parsers = table.setdefault(kind, {})
            for group in groups:
                if group in parsers:  # pragma: no cover - guarded by a meta test
                    raise ValueError(f"kind {kind} of group {group or 'core'} registered twice")
                parsers[group] = module.parse
    return table


PARSERS = _build()
# Kinds that two APIs name alike and different modules read (Gateway): their API group is part of their identity.
SHARED_KINDS = frozenset(kind for kind, parsers in PARSERS.items() if len(set(parsers.values())) > 1)

# Each kind module declares its served versions and where its pod spec sits; these collect them.
def _served() -> dict[str, dict[str, tuple[str, ...]]]:
    """Kind -> API group -> the versions it was served in, over every module that reads the kind."""
    served: dict[str, dict[str, tuple[str, ...]]] = {}
    for module in MODULES:
        for kind, groups in module.KINDS.items():
            served.setdefault(kind, {}).update({g: module.SERVED_VERSIONS[g] for g in groups})
    return served


SERVED = _served()
POD_SPECS: dict[str, str] = {k: v for module in MODULES for k, v in getattr(module, "POD_SPECS", {}).items()}
EMBEDDED: dict[str, tuple[str, str, str]] = {k: v for module in MODULES for k, v in getattr(module, "EMBEDDED", {}).items()}


def unserved_version(api_version: str, kind: str) -> str:
    """Why `api_version` cannot be right for a kind kube2ecs translates, or ''."""
    entry = PARSERS.get(kind, {})
    group = unsupported.group_of(api_version)
    if group not in entry:
        return ""
    version = api_version.rsplit("/", 1)[-1]
    if version in SERVED[kind][group]:
        return ""
    same = [g for g in SERVED[kind] if entry[g] is entry[group]]  # the groups of the module that reads it
    served = ", ".join(f"{g + '/' if g else ''}{v}" for g in same for v in SERVED[kind][g])
    return f"apiVersion {api_version} was never served for {kind} (served: {served})"


def parser_for(api_version: str, kind: str) -> Parser:
    return PARSERS.get(kind, {}).get(unsupported.group_of(api_version), unsupported.parse)
