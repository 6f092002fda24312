"""What `--from-cluster` asks for: its own module, so the options parser and the cluster reader both
use it without importing each other (the reader loads the translation, which `--help` must not)."""

from __future__ import annotations

from translator.model.record import record


@record
class ClusterQuery:
    """What `--from-cluster` reads: a kubeconfig context and one namespace or all of them."""

    kubeconfig: str | None = None
    context: str | None = None
    namespace: str | None = None  # None: the context's namespace
    all_namespaces: bool = False
