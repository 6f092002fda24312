"""kube2ecs: Kubernetes manifests to Amazon ECS CloudFormation, with every gap reported.

The public API is imported lazily so that `kube2ecs --help` does not pay for Jinja or YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["Decision", "Finding", "InputError", "Options", "Severity", "TranslationResult", "translate", "translate_stream",
           "translate_text"]

if TYPE_CHECKING:
    from translator.api import TranslationResult, translate, translate_stream, translate_text
    from translator.findings.model import Finding, Severity
    from translator.mapping.decisions import Decision
    from translator.options import Options
    from translator.source.loader import InputError

_LAZY = {
    "Decision": "translator.mapping.decisions",
    "translate": "translator.api", "translate_text": "translator.api", "translate_stream": "translator.api",
    "TranslationResult": "translator.api",
    "Finding": "translator.findings.model", "Severity": "translator.findings.model",
    "Options": "translator.options", "InputError": "translator.source.loader",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
