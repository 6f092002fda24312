"""State of one translation run that the mapping functions share: input, options, sink, stacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.findings.model import FindingSink
from translator.mapping.names import LogicalIds
from translator.mapping.stackbuilder import StackBuilder
from translator.model.app import Application, Origin
from translator.model.ecs import ConnectService, Statement
from translator.model.record import record
from translator.options import Options
from translator.source.reader import make_finding


@dataclass
class NamespaceBuild:
    """What is being built for one Kubernetes namespace (one stack before any split)."""

    namespace: str
    stack: StackBuilder
    ids: LogicalIds = field(default_factory=LogicalIds)
    secrets: dict[str, str] = field(default_factory=dict)  # Kubernetes Secret name -> logical id
    parameters: dict[str, str] = field(default_factory=dict)  # SSM parameter name -> logical id
    task_roles: dict[str, str] = field(default_factory=dict)  # ServiceAccount name -> logical id
    discovery: dict[str, str] = field(default_factory=dict)  # Service Connect discovery name -> workload
    file_systems: dict[str, str] = field(default_factory=dict)  # claim name -> EFS file system logical id
    access_points: dict[tuple[str, ...], str] = field(default_factory=dict)  # (claim, subPath, uid, gid) -> id
    # What later steps contribute to a resource already in the stack, by its logical id; the resource
    # is completed once, at the end of the namespace (`stacks.complete`).
    statements: dict[str, list[Statement]] = field(default_factory=dict)  # a role's further statements
    secret_keys: dict[str, list[str]] = field(default_factory=dict)  # a secret's further keys


@record
class Endpoint:
    """One Service Connect entry a Service published: the ECS service that serves it (logical id) and the
    entry, as its `connect_services` holds it."""

    workload: str
    port: int
    service: str
    entry: ConnectService


@dataclass
class MapContext:
    app: Application
    options: Options
    sink: FindingSink
    used: set[tuple[str, str, str]] = field(default_factory=set)  # (kind, namespace, name) read by a workload
    # (resource, Secret) -> (origin, reference, key) of every reference to a Secret the input lacks; said once each
    missing_secrets: dict[tuple[str, str, str], list[tuple[Origin, str, str]]] = field(default_factory=dict)
    # (namespace, Service) -> its Service Connect entries, for the reachability analysis that runs once all stacks are built
    endpoints: dict[tuple[str, str], list[Endpoint]] = field(default_factory=dict)
    mesh: object = None  # the Istio objects indexed on first use (mapping/network/meshindex.py)
    policies: object = None  # the AWS controllers' target-group policies, indexed on first use (network/targetpolicies.py)
    lattice_policies: object = None  # IAMAuthPolicy and AccessLogPolicy, indexed on first use (network/latticepolicies.py)

    def report(self, origin: Origin, code: str, **params: Any) -> None:
        self.sink.add(make_finding(code, origin.location, origin.resource, **params))
