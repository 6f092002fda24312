"""Service-to-service reachability: every call to a Service of the input resolves on ECS, or is reported.

A pod reaches a Service as `svc`, `svc.ns`, `svc.ns.svc` or `svc.ns.svc.cluster.local`. On ECS a name
resolves only if it is a Service Connect client alias of the caller's Cloud Map namespace, and a
Service Connect entry carries one alias (docs/service-connect.md). So each Service publishes one alias
per port, its own name, and a caller that writes another form has that host rewritten to the alias in
its task definition (an info finding at the caller's line says so). Service Connect clients see one
namespace, so Kubernetes namespaces that call each other share one: the first of them (by name)
creates it and a security group, and exports both to the others. A call that still cannot resolve (a
task run on its own, a Service with no endpoint, a port the Service lacks) is an error at the caller.

Runs once every stack is built and before any is rendered or split: it needs all namespaces at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from translator.findings.model import Location
from translator.mapping.context import Endpoint, MapContext
from translator.mapping.names import camel, port_name
from translator.mapping.network import discovery, ordinals
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.network.groups import DESCRIPTION_LIMIT, ingress
from translator.mapping.network.hosts import Host, hosts, service_of
from translator.mapping.stackbuilder import StackBuilder
from translator.mapping.task.files import WRITER
from translator.model.app import Container, Origin, Service, Workload
from translator.model.ecs import (
    ConnectService,
    EcsService,
    HttpNamespace,
    Metadata,
    Output,
    Parameter,
    SecurityGroup,
    SsmParameter,
    TaskDefinition,
)
from translator.model.intrinsics import GetAtt, ImportValue, Linked
from translator.model.provenance import provenance
from translator.model.record import record
from translator.source.credentials import words

NAMESPACE_ID = "ServiceConnectNamespace"
SHARED_SG = "ServiceConnectSharedSecurityGroup"


@record
class Call:
    """One call from a workload's value to a Service of the input, and what became of it on ECS."""

    caller_namespace: str
    caller: str
    caller_kind: str
    container: str
    where: str  # env NAME, command[i], args[i]
    written: str  # the host as the manifest writes it
    port: int | None
    namespace: str  # of the Service
    service: str
    targets: tuple[str, ...]  # workloads that serve it
    status: str  # resolved | rewritten | broken
    alias: str = ""  # the name the caller uses on ECS
    reason: str = ""  # why a broken call cannot resolve
    file: str = ""
    line: int = 0

    @property
    def broken(self) -> bool:
        return self.status == "broken"


@record
class _Slot:
    """One value that may name hosts: an SSM parameter the task reads, or an environment value,
    entry point or command argument of a container definition (`place`: container, field, index)."""

    value: str
    holder: SsmParameter | TaskDefinition
    place: tuple[int, str, int] | None
    where: str
    container: str
    origin: Origin
    hidden: bool = False  # a literal kept in a secret the deployer fills (K2E337): read, never rewritten

    @property
    def key(self) -> tuple[int, tuple[int, str, int] | None]:
        """The value itself: an SSM parameter is one value that several callers read."""
        return id(self.holder), self.place


@dataclass
class _Caller:
    workload: Workload
    service: EcsService | None  # None for a task started on its own
    slots: list[_Slot] = field(default_factory=list)


def analyse(mc: MapContext, stacks: list[StackBuilder]) -> list[Call]:
    """Decide every call, change the stacks so that each one that can resolve does, and report the rest."""
    services = {s.meta.key: s for s in mc.app.services}
    callers = list(_callers(mc, stacks))
    names = {name for _, name in services}
    # One C scan per value for any Service name; values are read host by host only when one appears.
    mention = re.compile("|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))) if names else None
    found = [(caller, slot, host, key, form) for caller in callers for slot in caller.slots
             if mention is not None and mention.search(slot.value)
             for host, key, form in _targets(slot.value, caller.workload.meta.namespace, services, names)
             if not _names_a_name(slot, host, form)]
    _report_missing(mc, callers, services)
    built = {s.namespace for s in stacks}
    groups = _groups(mc, [(c, key) for c, _, _, key, form in found if key[0] in built and form != "pod"])
    _share(mc, stacks, groups)
    by_namespace: dict[str, list[tuple[tuple[str, str], Endpoint]]] = {}
    for key, endpoints in sorted(mc.endpoints.items()):
        by_namespace.setdefault(key[0], []).extend((key, e) for e in endpoints)
    for members in groups.values():
        _qualify(mc, stacks, [pair for ns in members for pair in by_namespace.get(ns, [])])
    _report_endpoints(mc)
    calls: list[Call] = []
    rewrites: dict[tuple[int, tuple[int, str, int] | None], dict[int, _Edit]] = {}
    dns = _Dns(stacks)
    dns.members = _members(mc, callers, [(c, host, services[key]) for c, _, host, key, form in found if form == "pod"])
    for caller, slot, host, key, form in found:
        if slot.hidden:
            _report_hidden(mc, caller, slot, host, services[key], form)
            continue
        resolved = _resolve(mc, caller, slot, host, services[key], form, dns)
        if resolved is None:
            continue
        call, edit = resolved
        calls.append(call)
        if edit is not None:
            rewrites.setdefault(slot.key, {})[host.start] = edit
    dns.register(mc, stacks)
    _apply(stacks, [_rewrite(list(changes.values())) for changes in rewrites.values()])
    dns.split(mc, stacks)  # after the rewrites: a member's task definition is a copy of the edited one
    unique = dict.fromkeys(calls)  # in the order found, which is the stacks' order: no hash decides a tie
    return sorted(unique, key=lambda c: (c.caller_namespace, c.caller, c.container, c.where, c.written, c.port or 0))


def _callers(mc: MapContext, stacks: list[StackBuilder]) -> Iterator[_Caller]:
    workloads: dict[tuple[str, str], Workload] = {}
    for each in mc.app.workloads:
        workloads.setdefault(each.meta.key, each)
    for stack in stacks:
        by_definition = {r.task_definition.name: r for r in stack.resources if isinstance(r, EcsService)}
        parameters = {r.name: r for r in stack.resources if isinstance(r, SsmParameter)}
        for td in (r for r in stack.resources if isinstance(r, TaskDefinition)):
            wl = workloads.get((td.namespace, td.name))
            if wl is not None:
                slots = [*_slots(wl, td, parameters), *_hidden_slots(mc, wl, td, parameters)]
                yield _Caller(wl, by_definition.get(td.logical_id), slots)


def _slots(wl: Workload, td: TaskDefinition, parameters: dict[str, SsmParameter]) -> Iterator[_Slot]:
    containers = {c.name: c for c in (*wl.pod.init_containers, *wl.pod.containers)}
    for position, definition in enumerate(td.containers):
        c = containers.get(definition.name)
        fallback = c.origin if c is not None else wl.pod.origin
        for index, entry in enumerate(definition.environment or ()):
            origin = _env_origin(c, entry.name) if c is not None else wl.pod.origin
            where = f"ConfigMap file in {entry.name}" if definition.name == WRITER else f"env {entry.name}"
            yield _Slot(entry.value, td, (position, "environment", index), where, definition.name, _at(wl, origin))
        for secret in definition.secrets or ():  # ConfigMap values kept in SSM (config_backend: ssm)
            parameter = _parameter(secret.value_from, parameters)
            if parameter is not None:
                origin = _env_origin(c, secret.name) if c is not None else wl.pod.origin
                where = f"ConfigMap file in {secret.name}" if definition.name == WRITER else f"env {secret.name}"
                yield _Slot(parameter.value, parameter, None, f"{where} (SSM parameter {parameter.name})",
                            definition.name, _at(wl, origin))
        for key, label in (("entry_point", "command"), ("command", "args")):
            values: tuple[str, ...] = getattr(definition, key) or ()
            for index, value in enumerate(values):
                yield _Slot(value, td, (position, key, index), f"{label}[{index}]", definition.name, _at(wl, fallback))


def _hidden_slots(mc: MapContext, wl: Workload, td: TaskDefinition, parameters: dict[str, SsmParameter]) -> Iterator[_Slot]:
    """The credential-like literals (an env value, or a ConfigMap value read as env) that the task reads from a secret
    the deployer fills: a call inside one (`postgres://app:pw@db.shop.svc:5432/app`) reaches what they store."""
    containers = {c.name: c for c in (*wl.pod.init_containers, *wl.pod.containers)}
    for definition in td.containers:
        c = containers.get(definition.name)
        if c is None:
            continue
        literals = _literals(mc, wl.meta.namespace, c)
        for secret in definition.secrets or ():
            value = literals.get(secret.name)
            if value is not None and _parameter(secret.value_from, parameters) is None:
                yield _Slot(value, td, None, f"env {secret.name}", definition.name,
                            _at(wl, _env_origin(c, secret.name)), hidden=True)


def _literals(mc: MapContext, namespace: str, c: Container) -> dict[str, str]:
    """Each variable's written value, as Kubernetes gives it: a ConfigMap's through envFrom, then through
    configMapKeyRef, then a literal (the later wins)."""
    def data(name: str) -> dict[str, str]:
        cm = mc.app.config_maps.get((namespace, name))
        return dict(cm.data) if cm is not None else {}
    out: dict[str, str] = {}
    for source in c.env_from:
        if source.kind == "configmap":
            out.update({source.prefix + k: v for k, v in data(source.name).items()})
    for var in c.env:
        if var.key_ref is not None and var.key_ref.kind == "configmap" and var.key_ref.key in data(var.key_ref.name):
            out[var.name] = data(var.key_ref.name)[var.key_ref.key]
        elif var.value is not None and var.key_ref is None and var.field_path is None and var.resource_field is None:
            out[var.name] = var.value
    return out


def _report_hidden(mc: MapContext, caller: _Caller, slot: _Slot, host: Host, svc: Service, form: str) -> None:
    """A call inside a value the output does not hold cannot be rewritten: when the tasks resolve the Service under
    another name, the deployer must store the value with that name (K2E367)."""
    endpoints = mc.endpoints.get(svc.meta.key, [])
    if form == "pod" or _standalone(caller) or _problem(mc, caller, svc, endpoints, host.port) is not None:
        return  # a per-pod name, a task started on its own, a call that cannot resolve: no alias to give
    alias = _alias(next((e for e in endpoints if host.port is None or e.port == host.port), endpoints[0]))
    written = slot.value[host.start:host.end]
    if written != alias:
        mc.report(slot.origin, "K2E367", where=slot.where, container=slot.container, written=written, alias=alias,
                  name=svc.meta.name, namespace=svc.meta.namespace)


def _parameter(value: object, parameters: dict[str, SsmParameter]) -> SsmParameter | None:
    """The stack's SSM parameter a `valueFrom` reads (a ConfigMap value's own), or None for a secret."""
    if not isinstance(value, Linked) or ":parameter/" not in value.text:
        return None
    return parameters.get(value.text.split(":parameter", 1)[1])


def _env_origin(c: Container, name: str) -> Origin:
    """The line of the env entry, else of the envFrom that brought the variable, else the container's."""
    for var in c.env:
        if var.name == name:
            return var.origin
    for source in reversed(c.env_from):
        if source.kind == "configmap" and name.startswith(source.prefix):
            return source.origin
    return c.origin


def _at(wl: Workload, origin: Origin) -> Origin:
    """Findings about a call belong to the calling workload (the assessment counts them there)."""
    return Origin(origin.location, wl.origin.resource)


_POD_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-(?:0|[1-9][0-9]*)")
# `minio-{0...3}.minio.ns.svc.cluster.local`: MinIO (and shells) expand the ellipsis to one name per pod
_ELLIPSIS = re.compile(r"(?<![A-Za-z0-9_.\-])(?P<stem>[a-z0-9][a-z0-9-]*-)\{(?P<low>\d{1,3})\.\.\.(?P<high>\d{1,3})\}"
                       r"(?P<rest>(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)\.?(?::(?P<port>\d{1,5}))?")
_MAX_EXPANDED = 64


def _targets(value: str, namespace: str, services: dict[tuple[str, str], Service],
             names: set[str]) -> Iterator[tuple[Host, tuple[str, str], str]]:
    """The Services (or pods of one) the value names; `names`: every Service name, any namespace."""
    for host in [*hosts(value, names), *_expanded(value)]:
        pod = _short_pod(host.name, namespace, services)
        named = service_of(host.name, namespace)
        if pod is not None and (named is None or (named[0], named[1]) not in services):
            yield host, pod, "pod"
            continue
        if named is None:
            continue
        key, form = (named[0], named[1]), named[2]
        if key in services and (host.placed or form != "svc"):
            yield host, key, form


# `zipkin.tracing.svc.cluster.local`, `kafka-0.kafka.data.svc`: a name only the cluster's DNS answers, wherever it stands
_CLUSTER_NAME = re.compile(r"(?<![A-Za-z0-9_.\-])(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,3}svc(?:\.cluster\.local)?)"
                           r"\.?(?![A-Za-z0-9_\-]|\.[A-Za-z0-9])")


# The last word of a variable whose whole value is a name of something else than a host: `PGDATABASE: orders`,
# `QUEUE_NAME: orders`, `POSTGRES_DB: orders` beside a Service `orders` name a database, a queue: rewritten to the
# Service's alias or DNS name, the database would be wrong.
_NOT_A_HOST = frozenset({
    "name", "names", "database", "databases", "dbname", "table", "queue", "topic", "bucket", "index", "collection",
    "schema", "user", "username", "keyspace", "channel", "exchange", "stream", "group", "realm", "tenant", "label",
    "tag", "profile", "namespace", "id", "title", "prefix", "role",
})
_DATABASE_PRODUCTS = frozenset({"postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb", "influx",
                                "influxdb", "couch", "couchdb", "initdb"})


def _names_a_name(slot: _Slot, host: Host, form: str) -> bool:
    """A bare Service name that is the whole value of a variable whose name says it holds another kind of name."""
    if form != "svc" or host.port is not None or slot.value.strip() != host.name or not slot.where.startswith("env "):
        return False
    parts = words(slot.where.split()[1])
    if not parts:
        return False
    last = parts[-1]
    return (last in _NOT_A_HOST or last.endswith("database")
            or (last == "db" and len(parts) > 1 and parts[-2] in _DATABASE_PRODUCTS))


def _report_missing(mc: MapContext, callers: list[_Caller], services: dict[tuple[str, str], Service]) -> None:
    """A warning at each call, by its cluster DNS name, to a Service the input lacks (`zipkin.tracing.svc.cluster.local`):
    on ECS no name answers it, and the value was copied as it is, so the caller would fail only once it runs."""
    for caller in callers:
        namespace = caller.workload.meta.namespace
        for slot in caller.slots:
            if ".svc" not in slot.value:
                continue
            missing: dict[tuple[str, str], list[str]] = {}  # one finding per Service: its pods' names together
            for written in dict.fromkeys(m.group("host") for m in _CLUSTER_NAME.finditer(slot.value)):
                named = service_of(written, namespace)
                if named is not None and (named[0], named[1]) not in services:
                    missing.setdefault((named[0], named[1]), []).append(written)
            for (ns, name), written_names in missing.items():
                mc.report(slot.origin, "K2E366", where=slot.where, container=slot.container,
                          written=", ".join(written_names), name=name, namespace=ns)


def _short_pod(name: str, namespace: str, services: dict[tuple[str, str], Service]) -> tuple[str, str] | None:
    """`pod.svc` or `pod.svc.ns`, which a pod's search domains complete: one pod of a Service, by its shape."""
    labels = name.split(".")
    if not _POD_LABEL.fullmatch(labels[0]):
        return None
    if len(labels) == 2 and (namespace, labels[1]) in services:
        return namespace, labels[1]
    if len(labels) == 3 and labels[2] != "svc" and (labels[2], labels[1]) in services:
        return labels[2], labels[1]
    return None


def _expanded(value: str) -> list[Host]:
    """One host per pod of each `stem-{a...b}.rest`, spanning the whole written pattern (rewritten as one)."""
    out = []
    for match in _ELLIPSIS.finditer(value):
        low, high = int(match.group("low")), int(match.group("high"))
        port = int(match.group("port")) if match.group("port") else None
        end = match.end("rest") + (1 if value[match.end("rest"):match.end("rest") + 1] == "." else 0)
        for ordinal in range(low, min(high, low + _MAX_EXPANDED - 1) + 1):
            out.append(Host(match.start(), end, f"{match.group('stem')}{ordinal}{match.group('rest')}", port, True))
    return out


def _groups(mc: MapContext, calls: list[tuple[_Caller, tuple[str, str]]]) -> dict[str, list[str]]:
    """Kubernetes namespaces joined by calls from a Service Connect client to a published Service."""
    parent: dict[str, str] = {}

    def root(ns: str) -> str:
        while parent.setdefault(ns, ns) != ns:
            ns = parent[ns]
        return ns

    for caller, key in calls:
        source = caller.workload.meta.namespace
        if caller.service is not None and caller.service.namespace and key[0] != source and key in mc.endpoints:
            a, b = sorted((root(source), root(key[0])))
            parent[b] = a
    groups: dict[str, list[str]] = {}
    for ns in sorted(parent):
        groups.setdefault(root(ns), []).append(ns)
    return {owner: members for owner, members in groups.items() if len(members) > 1}


def _export(owner: str, logical: str, attribute: str) -> str:
    """The export name stack splitting would give the same value, so both agree."""
    return f"kube2ecs-{owner}-{logical}-{attribute}"


def _share(mc: MapContext, stacks: list[StackBuilder], groups: dict[str, list[str]]) -> None:
    by_namespace = {s.namespace: s for s in stacks}
    for owner, members in groups.items():
        first = by_namespace[owner]
        description = f"ECS tasks of namespaces {', '.join(members)}, which call each other"
        first.add(SecurityGroup(SHARED_SG, description=description[:DESCRIPTION_LIMIT],
                                metadata=_namespace_meta(mc, owner)))
        first.add(ingress(f"{SHARED_SG}SelfIngress", SHARED_SG, SHARED_SG, "calls between the namespaces",
                          metadata=_namespace_meta(mc, owner)))
        namespace_export, group_export = _export(owner, NAMESPACE_ID, "Arn"), _export(owner, SHARED_SG, "GroupId")
        first.outputs[f"{NAMESPACE_ID}Arn"] = Output(GetAtt(NAMESPACE_ID, "Arn"), namespace_export)
        first.outputs[f"{SHARED_SG}GroupId"] = Output(GetAtt(SHARED_SG, "GroupId"), group_export)
        for ns in members:
            stack = by_namespace[ns]
            if ns != owner:
                stack.resources = [r for r in stack.resources if not isinstance(r, HttpNamespace)]
            shared: GetAtt | ImportValue = GetAtt(SHARED_SG, "GroupId") if ns == owner else ImportValue(group_export)
            namespace = ImportValue(namespace_export) if ns != owner else None
            stack.resources = [replace(r, namespace=namespace or r.namespace, security_groups=(*r.security_groups, shared))
                               if isinstance(r, EcsService) and r.namespace else r for r in stack.resources]
            others = ", ".join(m for m in members if m != ns)
            mc.report(_namespace_origin(mc, ns), "K2E358", namespace=ns, others=others, owner=owner)


def _namespace_origin(mc: MapContext, namespace: str) -> Origin:
    known = mc.app.namespace_origins.get(namespace)
    return Origin(known.location if known else Location(), f"Namespace//{namespace}")


def _namespace_meta(mc: MapContext, namespace: str) -> Metadata:
    return provenance(_namespace_origin(mc, namespace))


def _qualify(mc: MapContext, stacks: list[StackBuilder], endpoints: list[tuple[tuple[str, str], Endpoint]]) -> None:
    """In a shared namespace, names and (alias, port) pairs of different Kubernetes namespaces may collide:
    the colliding ones take their namespace (`api.shop`, discovery `api-shop`), which stays unique."""
    aliases: dict[tuple[str, int], set[str]] = {}
    discoveries: dict[str, set[str]] = {}
    for (ns, _), e in endpoints:
        aliases.setdefault((_alias(e), e.entry.client_aliases[0].port), set()).add(ns)
        discoveries.setdefault(e.entry.discovery_name, set()).add(ns)
    renamed: dict[tuple[str, str, ConnectService], ConnectService] = {}  # (namespace, ECS service, entry) -> new
    for (ns, name), e in endpoints:
        alias = e.entry.client_aliases[0]
        entry = e.entry
        if len(aliases[(alias.dns_name, alias.port)]) > 1:
            entry = replace(entry, client_aliases=(replace(alias, dns_name=f"{name}.{ns}"), *entry.client_aliases[1:]))
        if len(discoveries[e.entry.discovery_name]) > 1:
            entry = replace(entry, discovery_name=port_name(f"{e.entry.discovery_name}-{ns}"))
        if entry != e.entry:
            renamed[(ns, e.service, e.entry)] = entry
            mc.endpoints[(ns, name)] = [replace(o, entry=entry) if o == e else o for o in mc.endpoints[(ns, name)]]
    if not renamed:
        return
    for stack in stacks:
        stack.resources = [
            replace(r, connect_services=tuple(renamed.get((stack.namespace, r.logical_id, c), c) for c in r.connect_services))
            if isinstance(r, EcsService) and any((stack.namespace, r.logical_id, c) in renamed for c in r.connect_services)
            else r for r in stack.resources]


def _alias(e: Endpoint) -> str:
    return e.entry.client_aliases[0].dns_name


def _report_endpoints(mc: MapContext) -> None:
    services = {s.meta.key: s for s in mc.app.services}
    for key, endpoints in sorted(mc.endpoints.items()):
        svc = services[key]
        for e in endpoints:
            mc.report(svc.origin, "K2E345", name=svc.meta.name, port=e.port, aliases=f"{_alias(e)}:{e.port}")


@record
class _Edit:
    """Text of a slot's value from `start` to `end` to replace by `text`."""

    slot: _Slot
    start: int
    end: int
    text: str


@dataclass
class _Registration:
    name: str  # of the Cloud Map service: the first Service called through it
    service: Service
    callers: set[str] = field(default_factory=set)


class _Dns:
    """The Cloud Map DNS names callers that are no Service Connect client need (mapping/network/discovery.py)."""

    def __init__(self, stacks: list[StackBuilder]) -> None:
        self.ports: dict[tuple[str, str, str], int] = {}  # (namespace, ECS service, port name) -> container port
        for stack in stacks:
            definitions = {r.logical_id: r for r in stack.resources if isinstance(r, TaskDefinition)}
            for service in (r for r in stack.resources if isinstance(r, EcsService)):
                td = definitions.get(service.task_definition.name)
                for definition in td.containers if td is not None else ():
                    for mapping in definition.port_mappings or ():
                        self.ports.setdefault((stack.namespace, service.logical_id, mapping.name), mapping.container_port)
        self.registrations: dict[tuple[str, str], _Registration] = {}
        self.namespaces = {s.namespace for s in stacks}
        self.externals: dict[tuple[str, str], tuple[str, str]] = {}  # (namespace, Service) -> (parameter, owner)
        self._owners: dict[tuple[str, str], str] | None = None
        self.members: dict[tuple[str, str], ordinals.Members] = {}  # (namespace, Service) -> its pods, each an ECS service
        self.pod_callers: dict[tuple[str, str], set[str]] = {}

    def member_of(self, namespace: str, logical: str) -> ordinals.Members | None:
        """The StatefulSet split per pod whose ECS service (member 0's) is `logical`."""
        return next((m for (ns, _), m in self.members.items() if ns == namespace and m.logical_id == logical), None)

    def split(self, mc: MapContext, stacks: list[StackBuilder]) -> None:
        by_namespace = {s.namespace: s for s in stacks}
        for key, members in sorted(self.members.items()):
            if key in self.pod_callers:
                ordinals.split(mc, by_namespace[key[0]], members, sorted(self.pod_callers[key]), _namespace_meta(mc, key[0]))

    def name(self, svc: Service, endpoint: Endpoint, caller: str) -> str:
        """The DNS name the tasks of the endpoint's ECS service answer to, registered for `caller`."""
        key = (svc.meta.namespace, endpoint.service)
        registration = self.registrations.setdefault(key, _Registration(svc.meta.name, svc))
        registration.callers.add(caller)
        return f"{registration.name}.{discovery.domain(svc.meta.namespace)}"

    def owner(self, mc: MapContext, svc: Service) -> str:
        """The untranslated custom resource (`Kind name`) whose pods the Service selects: one of its namespace whose
        name is a value of the selector, as operators label the pods they run (`prometheus: k8s`,
        `strimzi.io/cluster: my-cluster`); empty when there is none."""
        if self._owners is None:
            self._owners = {}
            for finding in mc.sink.sorted():
                parts = finding.resource.split("/")
                if finding.code == "K2E101" and len(parts) == 3:
                    self._owners.setdefault((parts[1], parts[2]), f"{parts[0]} {parts[2]}")
        values = sorted({value for _, value in svc.selector})
        return next((self._owners[(svc.meta.namespace, v)] for v in values if (svc.meta.namespace, v) in self._owners), "")

    def register(self, mc: MapContext, stacks: list[StackBuilder]) -> None:
        by_namespace = {s.namespace: s for s in stacks}
        for (namespace, name), (parameter, owner) in sorted(self.externals.items()):
            svc = next(s for s in mc.app.services if s.meta.key == (namespace, name))
            ports = ", ".join(str(p.port) for p in svc.ports) or "its own"
            description = (f"DNS name of what serves Kubernetes Service {name}: its pods come from {owner}, which kube2ecs "
                           f"does not translate. {name}.{discovery.domain(namespace)} is a CNAME to it; callers use "
                           f"port(s) {ports}.")
            discovery.external(by_namespace[namespace], name, f"{camel(name)}External",
                               Parameter(parameter, "String", description), provenance(svc.origin),
                               _namespace_meta(mc, namespace))
        for (namespace, logical), registration in sorted(self.registrations.items()):
            svc = registration.service
            dns = f"{registration.name}.{discovery.domain(namespace)}"
            callers = ", ".join(sorted(registration.callers))
            discovery.register(by_namespace[namespace], logical, registration.name,
                               f"Tasks of Kubernetes Service {svc.meta.name}, for callers that are no Service Connect client",
                               provenance(svc.origin), _namespace_meta(mc, namespace))
            mc.report(svc.origin, "K2E361", name=svc.meta.name, dns=dns, callers=callers)


def _standalone(caller: _Caller) -> bool:
    """A task started on its own, or a service without the Service Connect proxy: it resolves through DNS only."""
    return caller.service is None or not caller.service.namespace


def _by_dns(mc: MapContext, dns: _Dns, caller: _Caller, slot: _Slot, host: Host, svc: Service,
            endpoints: list[Endpoint], base: Call) -> tuple[Call, _Edit | None]:
    """A caller that is no Service Connect client calls the Service's Cloud Map DNS name, on the container's port:
    DNS gives the tasks' own addresses, so the Service's port mapping (port -> targetPort) is not applied."""
    chosen = next((e for e in endpoints if host.port is None or e.port == host.port), endpoints[0])
    members = dns.member_of(svc.meta.namespace, chosen.service)
    # a StatefulSet split per pod registers each pod's name and no other: its first pod answers for the Service
    name = members.dns(0) if members is not None else dns.name(svc, chosen, caller.workload.meta.name)
    target = dns.ports.get((svc.meta.namespace, chosen.service, chosen.entry.port_name), chosen.port)
    value = slot.value
    end = host.end
    written_port = re.match(r"[ \t]+(\d{1,5})" if host.spaced else r":(\d{1,5})", value[end:])
    if written_port:
        end += written_port.end()
    # a written port is replaced; a URL's implied one is kept when the container listens on it
    joined = f"{name} {target}" if host.spaced else f"{name}:{target}"
    text = name if host.port is None or (host.port == target and not written_port) else joined
    if value[host.start:end] == text:
        return _with(base, status="resolved", alias=name), None
    wl = caller.workload
    mc.report(slot.origin, "K2E360", where=slot.where, container=slot.container, written=value[host.start:end],
              kind=wl.kind, caller=wl.meta.name, text=text, name=svc.meta.name, namespace=svc.meta.namespace,
              why="it runs as a task started on its own" if caller.service is None else "its ECS service has no Service Connect")
    return _with(base, status="rewritten", alias=name), _Edit(slot, host.start, end, text)


def _resolve(mc: MapContext, caller: _Caller, slot: _Slot, host: Host, svc: Service, form: str,
             dns: _Dns) -> tuple[Call, _Edit | None] | None:
    wl = caller.workload
    endpoints = mc.endpoints.get(svc.meta.key, [])
    own = svc.meta.namespace == wl.meta.namespace and any(e.workload == wl.meta.name for e in endpoints)
    if own and "." not in host.name and host.port is None:
        return None  # a bare name of its own Service with no port (OTEL_SERVICE_NAME=frontend) names, it does not call
    loc = slot.origin.location
    base = Call(wl.meta.namespace, wl.meta.name, wl.kind, slot.container, slot.where, host.name, host.port,
                svc.meta.namespace, svc.meta.name, tuple(sorted({e.workload for e in endpoints})), "broken",
                file=loc.file, line=loc.line)
    if form == "pod":
        return _pod_call(mc, dns, caller, slot, host, svc, base)
    owner = dns.owner(mc, svc) if not endpoints and svc.selector and svc.meta.namespace in dns.namespaces else ""
    if owner and (host.port is None or host.port in {p.port for p in svc.ports}):
        return _by_parameter(mc, dns, caller, slot, host, svc, owner, base)
    problem = _problem(mc, caller, svc, endpoints, host.port)
    if problem is not None:
        reason, remedy = problem
        mc.report(slot.origin, "K2E357", where=slot.where, container=slot.container, written=host.name,
                  name=svc.meta.name, namespace=svc.meta.namespace, reason=reason, remediation=remedy)
        return _with(base, reason=reason), None
    if _standalone(caller):
        return _by_dns(mc, dns, caller, slot, host, svc, endpoints, base)
    chosen = next((e for e in endpoints if host.port is None or e.port == host.port), endpoints[0])
    alias = _alias(chosen)
    if alias == host.name and host.name == slot.value[host.start:host.end]:
        return _with(base, status="resolved", alias=alias), None
    mc.report(slot.origin, "K2E356", where=slot.where, container=slot.container, written=slot.value[host.start:host.end],
              alias=alias, name=svc.meta.name, namespace=svc.meta.namespace)
    return _with(base, status="rewritten", alias=alias), _Edit(slot, host.start, host.end, alias)


def _with(call: Call, **changes: Any) -> Call:
    return replace(call, **changes)


def _problem(mc: MapContext, caller: _Caller, svc: Service, endpoints: list[Endpoint],
             port: int | None) -> tuple[str, str] | None:
    """(reason, remediation) when the call cannot resolve on ECS, else None."""
    wl = caller.workload
    if not mc.options.service_connect:  # no ECS service publishes a name, and none registers one
        if caller.service is None:
            return ("it runs as a task started on its own, and only the tasks of ECS services are Service Connect clients",
                    f"Give Service {svc.meta.name} an internal load balancer (type LoadBalancer with the internal scheme "
                    "annotation) and pass its DNS name to the task, or run the caller as a long-running service.")
        return ("Service Connect is turned off (service_connect: false)",
                "Turn Service Connect on, or give the callee a load balancer and pass its DNS name.")
    if _standalone(caller) and svc.meta.namespace != wl.meta.namespace:
        return (f"it is no Service Connect client, and the tasks of namespace {svc.meta.namespace} admit only the "
                f"tasks of their own namespace (security group {SERVICES_SG})",
                f"Run the caller in namespace {svc.meta.namespace}, or add an ingress rule to {SERVICES_SG} of stack "
                f"{svc.meta.namespace} from the caller's security group and call "
                f"{svc.meta.name}.{discovery.domain(svc.meta.namespace)} on the container's port.")
    if not endpoints:
        return _no_endpoint(svc)
    ports = {p.port for p in svc.ports}
    if port is not None and port not in ports:
        listed = ", ".join(str(p) for p in sorted(ports))
        return (f"Service {svc.meta.name} has no port {port} (it has {listed})",
                "Call one of the Service's ports; Kubernetes would refuse this connection as well.")
    if port is not None and all(e.port != port for e in endpoints):
        return (f"port {port} of Service {svc.meta.name} has no Service Connect endpoint (see the Service's findings)",
                "Fix the Service port (a TCP port whose target a container declares) so that it is published.")
    return None


def _by_parameter(mc: MapContext, dns: _Dns, caller: _Caller, slot: _Slot, host: Host, svc: Service, owner: str,
                  base: Call) -> tuple[Call, _Edit | None]:
    """A Service whose pods an untranslated custom resource runs: nothing of the output serves it, so its full name
    becomes a CNAME to an address the user gives as a stack parameter, and the caller calls that name."""
    namespace = svc.meta.namespace
    parameter = f"{camel(svc.meta.name)}Address"
    dns.externals.setdefault(svc.meta.key, (parameter, owner))
    name = f"{svc.meta.name}.{discovery.domain(namespace)}"
    written = slot.value[host.start:host.end]
    ports = ", ".join(str(p.port) for p in svc.ports) or "its own"
    mc.report(slot.origin, "K2E365", where=slot.where, container=slot.container, written=written, name=svc.meta.name,
              namespace=namespace, owner=owner, text=name, parameter=parameter, stack=namespace, ports=ports)
    if written == name:
        return _with(base, status="resolved", alias=name), None
    return _with(base, status="rewritten", alias=name), _Edit(slot, host.start, host.end, name)


def _members(mc: MapContext, callers: list[_Caller],
             pod_calls: list[tuple[_Caller, Host, Service]]) -> dict[tuple[str, str], ordinals.Members]:
    """The StatefulSets whose pods are called by name from their own namespace, each with its governing Service."""
    ecs = {c.workload.meta.key: c.service for c in callers if c.service is not None}
    out: dict[tuple[str, str], ordinals.Members] = {}
    for caller, host, svc in pod_calls:
        if svc.meta.key in out or caller.workload.meta.namespace != svc.meta.namespace:
            continue
        for wl in mc.app.workloads:
            service = ecs.get(wl.meta.key)
            if (service is not None and wl.meta.namespace == svc.meta.namespace and ordinals.candidate(wl, svc)
                    and set(svc.selector) <= set(wl.pod_labels)):
                members = ordinals.Members(wl, svc, service.logical_id)
                if members.ordinal(host.name.split(".")[0]) is not None:
                    out[svc.meta.key] = members
                    break
    return out


def _pod_call(mc: MapContext, dns: _Dns, caller: _Caller, slot: _Slot, host: Host, svc: Service,
              base: Call) -> tuple[Call, _Edit | None]:
    """A per-pod name: the pod's own DNS name when its StatefulSet was split per pod (mapping/network/ordinals.py).
    The port stays: a per-pod name reaches the pod's own port on Kubernetes too."""
    members = dns.members.get(svc.meta.key)
    pod = host.name.split(".")[0]
    ordinal = members.ordinal(pod) if members is not None else None
    if members is None or ordinal is None or caller.workload.meta.namespace != svc.meta.namespace:
        reason, remedy = _pod_name(svc, caller.workload.meta.namespace)
        mc.report(slot.origin, "K2E357", where=slot.where, container=slot.container, written=host.name,
                  name=svc.meta.name, namespace=svc.meta.namespace, reason=reason, remediation=remedy)
        return _with(base, reason=reason), None
    dns.pod_callers.setdefault(svc.meta.key, set()).add(caller.workload.meta.name)
    written = slot.value[host.start:host.end]
    # the first label as written (`minio-{0...3}` stays a pattern), the rest the full DNS form
    first = written.find(".", written.find("}") + 1)  # the end of the first label, past an ellipsis' dots
    name = written[:first] + "." + members.dns(ordinal).split(".", 1)[1]
    if written == name:
        return _with(base, status="resolved", alias=name), None
    mc.report(slot.origin, "K2E364", where=slot.where, container=slot.container, written=written, text=name, pod=pod,
              statefulset=members.workload.meta.name)
    return _with(base, status="rewritten", alias=name), _Edit(slot, host.start, host.end, name)


def _pod_name(svc: Service, namespace: str = "") -> tuple[str, str]:
    if namespace and namespace != svc.meta.namespace:
        return (f"it names one pod of Service {svc.meta.name} of another namespace, whose tasks admit only their "
                f"own namespace's (security group {SERVICES_SG})",
                f"Call it from namespace {svc.meta.namespace}, or add an ingress rule to {SERVICES_SG} of stack "
                f"{svc.meta.namespace} from the caller's security group.")
    return (f"it names one pod of Service {svc.meta.name}, and only the existing pods of a StatefulSet that the "
            "Service governs (serviceName) have names of their own",
            "Call the Service's name, or make the pods a StatefulSet's whose serviceName is this Service (each pod "
            "then becomes an ECS service with its own DNS name).")


def _no_endpoint(svc: Service) -> tuple[str, str]:
    if svc.type == "ExternalName":
        return (f"it is an ExternalName Service for {svc.external_name or '(none)'}, a name ECS does not create",
                f"Write {svc.external_name or 'the external name'} in the caller's value instead.")
    if not svc.selector:
        return ("the Service has no selector, so no ECS service publishes it",
                "Point the caller at the real endpoint through its value.")
    return (f"no translated long-running workload serves Service {svc.meta.name}, so no ECS service publishes it",
            "Check the Service's selector and ports (see its findings).")


def _rewrite(changes: list[_Edit]) -> tuple[_Slot, str]:
    """The slot and its value with each host replaced by the name that resolves."""
    slot = changes[0].slot
    value = slot.value
    for edit in sorted(changes, key=lambda c: c.start, reverse=True):
        value = value[:edit.start] + edit.text + value[edit.end:]
    return slot, value


def _apply(stacks: list[StackBuilder], rewritten: list[tuple[_Slot, str]]) -> None:
    """SSM parameters take their new values; each task definition with a rewritten value is replaced,
    in its stack, by one built with the new values."""
    edits: dict[int, dict[tuple[int, str, int], str]] = {}
    values: dict[int, str] = {}
    for slot, value in rewritten:
        if isinstance(slot.holder, SsmParameter):
            values[id(slot.holder)] = value
        elif slot.place is not None:
            edits.setdefault(id(slot.holder), {})[slot.place] = value
    if not edits and not values:
        return
    for stack in stacks:
        for resource in list(stack.resources):
            if isinstance(resource, TaskDefinition) and id(resource) in edits:
                stack.replace(_edited(resource, edits[id(resource)]))
            elif isinstance(resource, SsmParameter) and id(resource) in values:
                stack.replace(replace(resource, value=values[id(resource)]))


def _changed(items: tuple[str, ...] | None, index: int, value: str) -> tuple[str, ...]:
    return tuple(value if i == index else item for i, item in enumerate(items or ()))


def _edited(td: TaskDefinition, values: dict[tuple[int, str, int], str]) -> TaskDefinition:
    containers = list(td.containers)
    for (position, key, index), value in values.items():
        definition = containers[position]
        if key == "environment":
            environment = list(definition.environment or ())
            environment[index] = replace(environment[index], value=value)
            containers[position] = replace(definition, environment=tuple(environment))
        elif key == "entry_point":
            containers[position] = replace(definition, entry_point=_changed(definition.entry_point, index, value))
        else:
            containers[position] = replace(definition, command=_changed(definition.command, index, value))
    return replace(td, containers=tuple(containers))
