"""Dispatch a document to the module of its kind; anything else is reported, never dropped."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from translator.k8s import configmap, deployment, namespace, secret, service, serviceaccount, unsupported
from translator.model.app import Application
from translator.source.reader import Reader

Parser = Callable[[Reader, Application], None]

MODULES: tuple[ModuleType, ...] = (deployment, service, configmap, secret, serviceaccount, namespace)

# Groups whose kinds share names with core kinds but mean something else (e.g. a CRD named Service).
_GROUPS = {
    "Deployment": ("apps", "extensions"), "ReplicaSet": ("apps", "extensions"),
    "Service": ("",), "ConfigMap": ("",), "Secret": ("",), "ServiceAccount": ("",), "Namespace": ("",),
}


def _build() -> dict[str, Parser]:
    table: dict[str, Parser] = {}
    for module in MODULES:
        for kind in module.KINDS:
            if kind in table:  # pragma: no cover - guarded by a meta test
                raise ValueError(f"kind {kind} registered twice")
            table[kind] = module.parse
    return table


PARSERS = _build()


def parser_for(api_version: str, kind: str) -> Parser:
    parse = PARSERS.get(kind)
    if parse is None or unsupported.group_of(api_version) not in _GROUPS.get(kind, ()):
        return unsupported.parse
    return parse
