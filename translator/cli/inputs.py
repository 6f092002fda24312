"""Where `convert` reads manifests from: paths and stdin, `kubectl kustomize`, or a live cluster.

Every way ends in the same `Source` list, so the translation cannot tell them apart and the
same objects give the same output whichever way they came in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:  # the CLI imports this module for its options, so `--help` must not load the loader
    from translator.findings.model import Finding
    from translator.source.clusterquery import ClusterQuery
    from translator.source.loader import Source


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The input options `convert` shares with any command that reads manifests."""
    options = [
        click.option("--kustomize", "kustomize", multiple=True, metavar="DIR",
                     help="Render DIR with `kubectl kustomize` and convert the result (repeatable)."),
        click.option("--from-cluster", is_flag=True, help="Read the translatable kinds from a live cluster."),
        click.option("--kubeconfig", type=click.Path(dir_okay=False), help="kubeconfig file (default: $KUBECONFIG or ~/.kube/config)."),
        click.option("--context", help="kubeconfig context to read from (default: the current context)."),
        click.option("-n", "--namespace", help="Namespace of objects that name none, as kubectl apply -n; "
                                               "with --from-cluster, the namespace to read (default: the context's)."),
        click.option("-A", "--all-namespaces", is_flag=True, help="Read every namespace except kube-*."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def cluster_query(from_cluster: bool, **options: Any) -> ClusterQuery | None:
    """The `--from-cluster` query, or None; cluster options without it are a usage error."""
    from translator.source.loader import InputError

    if not from_cluster:
        if any(options.values()):
            raise InputError("--kubeconfig, --context and --all-namespaces need --from-cluster")
        return None
    if options.get("namespace") and options.get("all_namespaces"):
        raise InputError("--namespace and --all-namespaces exclude each other")
    from translator.source.clusterquery import ClusterQuery

    return ClusterQuery(**options)


def gather(paths: tuple[str, ...], stdin: TextIO, kustomize: tuple[str, ...] = (),
           cluster: ClusterQuery | None = None) -> tuple[list[Source], list[Finding]]:
    """Sources from every input given, and findings made while reading a cluster."""
    from translator.source.loader import InputError, collect

    if not paths and not kustomize and cluster is None:
        raise InputError("nothing to convert: give PATH..., - for stdin, --kustomize DIR or --from-cluster")
    sources = collect(paths, stdin.read() if "-" in paths else None)
    sources.extend(kustomized(directory) for directory in kustomize)
    notes: list[Finding] = []
    if cluster is not None:
        from translator.source.cluster import read_cluster

        found, notes = read_cluster(cluster)
        sources.extend(found)
    return sources, notes


def kustomized(directory: str) -> Source:
    """`kubectl kustomize DIR` output as one source named `kustomize:DIR`, its objects traced back to
    their files where kustomize can say (source/kustomize.py)."""
    from translator.source.kustomize import KustomizeError, render
    from translator.source.loader import InputError, Source

    try:
        text, origins = render(directory)
    except KustomizeError as err:
        raise InputError(str(err)) from err
    return Source(f"kustomize:{directory}", text, origins=origins)
