"""Every input the proofs run over (each sample, each corpus source, and the samples under other
options), translated once per test session and shared by the deploy, secrets and IAM proofs."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from tests.support.repo import CORPUS, ROOT
from translator.api import TranslationResult, translate
from translator.options import Options, options_from_dict

SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if p.is_dir())
CORPUS_SOURCES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []

# Options that change which resources and references are generated: SSM instead of Secrets Manager
# and environment literals, a spot capacity provider strategy, ECS Exec (its task-role statement), and the
# FireLens log router in every task (its container, awsfirelens log configurations and task-role statements),
# and Service Connect TLS where Istio requires mutual TLS (its infrastructure role).
VARIANTS = {
    "ssm": {"config_backend": "ssm", "secrets_backend": "ssm", "capacity_providers": [
        {"provider": "FARGATE_SPOT", "weight": 3}, {"provider": "FARGATE", "weight": 1, "base": 1}],
        "enable_execute_command": True, "log_router": "firelens",
        "service_connect_tls_ca": "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/"
                                  "11111111-2222-3333-4444-555555555555"},
    "lattice": {"gateway_target": "vpc-lattice"},  # Gateways to VPC Lattice
    # ECS Managed Instances: capacity providers, their roles and instance profile, managed daemons
    "managed": {"launch_type": "MANAGED_INSTANCES"},
}
# Variants that change the output of some samples only: converted for those alone (Managed Instances on
# the samples with NodePools, DaemonSets, privileged containers and host paths).
ONLY = {"lattice": ("gateway-api", "gateway-api-aws-controllers"), "managed": ("karpenter-managed-instances", "stateful-storage")}

SOURCES = ([f"samples/{s}" for s in SAMPLES] + [f"corpus/{s}" for s in CORPUS_SOURCES]
           + [f"samples/{s}+{v}" for v in sorted(VARIANTS) for s in ONLY.get(v, SAMPLES)])


def path_of(source: str) -> Path:
    """`samples/web-app+ssm` -> the web-app sample folder."""
    kind, name = source.split("+", 1)[0].split("/", 1)
    return (ROOT / "samples" / name) if kind == "samples" else (CORPUS / name)


def options_of(source: str) -> Options:
    variant = source.split("+", 1)[1] if "+" in source else ""
    return options_from_dict(VARIANTS[variant]) if variant else Options()


@functools.cache
def translated(source: str) -> TranslationResult:
    return translate([str(path_of(source))], options_of(source))


@functools.cache
def _parsed(source: str, name: str) -> str:
    import yaml

    # Long-form intrinsics only: any YAML loader reads the templates; kept as JSON text so that
    # every caller gets its own copy.
    return json.dumps(yaml.load(translated(source).templates[name], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def templates(source: str) -> list[tuple[str, dict[str, Any]]]:
    """(file name, parsed template) in deploy order: `ns.yaml` before its parts `ns-2.yaml`, `ns-3.yaml`..."""
    def order(name: str) -> tuple[str, int]:
        match = re.fullmatch(r"(.*)-(\d+)\.yaml", name)
        return (match.group(1), int(match.group(2))) if match else (name[:-5], 1)
    names = sorted(translated(source).templates, key=order)
    return [(name, json.loads(_parsed(source, name))) for name in names]
