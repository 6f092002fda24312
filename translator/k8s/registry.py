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


def parser_for(api_version: str, kind: str) -> Parser:
    entry = PARSERS.get(kind)
    if entry is None or unsupported.group_of(api_version) not in entry[1]:
        return unsupported.parse
    return entry[0]
