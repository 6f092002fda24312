"""NetworkPolicies to security groups between the ECS services of a namespace (mapping-reference W5).

Without a policy every task of a namespace is in ServicesSecurityGroup, which admits the whole
namespace, as a flat cluster network does. An ECS service whose pods a policy isolates for
ingress leaves that group: it gets a security group of its own that admits only what its
policies allow (the union of their rules, as in Kubernetes), a rule that still lets it reach
the namespace, and copies of the load-balancer rules of its ports. A source pod selector
becomes the own security group of the ECS services it matches (created for them if needed).
Security groups cannot deny, cannot follow labels into other namespaces (other stacks), and
egress rules are not translated: each of those is a finding that says what to do.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import short_hash
from translator.mapping.network import groups
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.service.assemble import Contribution, SecurityGroups, bindings
from translator.model.app import NetworkPolicy, PolicyPeer, PolicyRule, Selector, Workload
from translator.model.ecs import LoadBalancer, SecurityGroup, SecurityGroupIngress
from translator.model.intrinsics import GetAtt
from translator.model.provenance import provenance, with_origins

NAME_LABEL = "kubernetes.io/metadata.name"  # set by the API server on every namespace
EVERYWHERE = "0.0.0.0/0"
# Every isolated ECS service is also in this group, which has no rules of its own: it is how the
# namespace recognises them as a source with one rule, not one per service (a security group
# holds at most 60 inbound rules by default).
MEMBERS_SG = "IsolatedServicesSecurityGroup"


def map_policies(mc: MapContext, nb: NamespaceBuild, workloads: list[Workload],
                 built: Mapping[tuple[str, str], object],
                 parts: dict[tuple[str, str], list[Contribution]]) -> dict[tuple[str, str], SecurityGroups]:
    """The security groups of each ECS service that the policies change (by workload key).
    `built`: the workloads that are ECS services; `parts`: what was decided of each so far (its bindings)."""
    policies = sorted((p for p in mc.app.network_policies if p.meta.namespace == nb.namespace), key=lambda p: p.meta.name)
    if not policies:
        return {}
    services = {wl.meta.name: (wl, _balanced_ports(parts.get(wl.meta.key, []))) for wl in workloads if wl.meta.key in built}
    applied = _Policies(mc, nb, services, [wl for wl in workloads if wl.meta.key not in built])
    applied.apply(policies)
    return {services[name][0].meta.key: groups for name, groups in applied.security.items()}


def _balanced_ports(own: list[Contribution]) -> frozenset[int]:
    """The container ports a load balancer or VPC Lattice target group sends to."""
    return frozenset(b.container_port for b in bindings(own)) | {n for part in own for n in part.lattice_ports}


def report_unbuilt(mc: MapContext, namespaces: set[str]) -> None:
    for policy in mc.app.network_policies:
        if policy.meta.namespace not in namespaces:
            mc.report(policy.origin, "K2E446", kind="NetworkPolicy", name=policy.meta.name,
                      namespace=policy.meta.namespace)


@dataclass
class _Policies:
    mc: MapContext
    nb: NamespaceBuild
    services: dict[str, tuple[Workload, frozenset[int]]]  # the ECS services' workloads and balanced ports, by name
    others: list[Workload]  # workloads that run as one-off tasks (Jobs, CronJobs)
    security: dict[str, SecurityGroups] = field(default_factory=dict)  # the groups of each service they change
    groups: dict[str, SecurityGroup] = field(default_factory=dict)  # workload name -> its own security group
    isolated: list[str] = field(default_factory=list)
    rules: set[tuple[str, str, str, int, int]] = field(default_factory=set)

    def apply(self, policies: list[NetworkPolicy]) -> None:
        selected = {p.meta.name: self._selected(p) for p in policies}
        for p in policies:
            if p.ingress is not None:
                self.isolated += [n for n in selected[p.meta.name] if n not in self.isolated]
        for name in self.isolated:
            self._isolate(name, [p for p in policies if p.ingress is not None and name in selected[p.meta.name]])
        for p in policies:
            if selected[p.meta.name] and p.ingress is not None:
                allowed = [self._rule(p, rule, selected[p.meta.name]) for rule in p.ingress]
                self.mc.report(p.origin, "K2E450", name=p.meta.name, workloads=", ".join(selected[p.meta.name]),
                               allowed="; ".join(allowed) or "no source (all ingress denied)")
            if selected[p.meta.name] and p.egress is not None and not _allows_all(p.egress):
                self.mc.report(p.origin, "K2E455", name=p.meta.name, workloads=", ".join(selected[p.meta.name]))
            elif selected[p.meta.name] and p.ingress is None:
                self.mc.report(p.origin, "K2E102", kind="NetworkPolicy", name=p.meta.name,
                               detail=f"it allows all egress of {', '.join(selected[p.meta.name])}, as security groups do")

    def _selected(self, p: NetworkPolicy) -> list[str]:
        names = [n for n, (wl, _) in sorted(self.services.items()) if p.pods.matches(wl.pod_labels)]
        if not names:
            batch = [wl.meta.name for wl in self.others if p.pods.matches(wl.pod_labels)]
            detail = (f"it selects only {', '.join(batch)}, which run as one-off tasks in the namespace security group"
                      if batch else f"the pod selector ({_shown(p.pods)}) matches no workload translated to an ECS service")
            self.mc.report(p.origin, "K2E451", name=p.meta.name, detail=detail)
        return names

    def _own_group(self, name: str, policy: NetworkPolicy, isolating: list[NetworkPolicy] | None = None) -> str:
        """The ECS service's own security group: its identity as a source, and the holder of its rules.

        Its provenance names the policy first, so that a stack split keeps it (and every rule that
        points at it) in the first part, which the moved ECS service imports it from; then the
        policies that isolate the service, when it is made for them.
        """
        if name not in self.groups:
            wl, _ = self.services[name]
            logical = self.nb.ids.get(name, "SecurityGroup")
            metadata = with_origins(provenance(policy.origin, wl.origin), *(p.origin for p in isolating or []))
            self.groups[name] = SecurityGroup(logical, metadata=metadata,
                                              description=f"ECS service {self.nb.namespace}/{name}"[:groups.DESCRIPTION_LIMIT])
            self.nb.stack.add(self.groups[name])
            namespace_group: SecurityGroups = (GetAtt(SERVICES_SG, "GroupId"),)
            self.security[name] = (*self.security.get(name, namespace_group), GetAtt(logical, "GroupId"))
        return self.groups[name].logical_id

    def _isolate(self, name: str, policies: list[NetworkPolicy]) -> None:
        wl, ports = self.services[name]
        assert name not in self.groups  # services are isolated before any rule names their groups
        own = self._own_group(name, policies[0], policies)
        members = self._members(policies[0])
        # Out of the group that admits the whole namespace; into the one the namespace admits.
        self.security[name] = (GetAtt(own, "GroupId"), GetAtt(members, "GroupId"))
        for rule in self._balancer_rules:
            source, low, high = rule.source_security_group_id, rule.from_port, rule.to_port
            if low in ports and source is not None and low is not None and high is not None:
                self._add(source.logical_id, own, rule.ip_protocol, low, high, rule.description, wl, policies[0])
            elif low in ports and rule.source_prefix_list_id is not None:
                self._add_prefix_list(rule, own, wl, policies[0])

    @functools.cached_property
    def _balancer_rules(self) -> list[SecurityGroupIngress]:
        """The rules by which load balancers reach the namespace group, in stack order.

        Found once per namespace, not once per isolated service (a scan of the whole stack each):
        isolating adds no load balancer and no rule into the namespace group from one.
        """
        balancers = {g.logical_id for r in self.nb.stack.resources if isinstance(r, LoadBalancer) for g in r.security_groups}
        return [r for r in self.nb.stack.resources if isinstance(r, SecurityGroupIngress)
                and r.group_id.logical_id == SERVICES_SG and (r.source_prefix_list_id is not None or (
                    r.source_security_group_id is not None and r.source_security_group_id.logical_id in balancers))]

    def _members(self, policy: NetworkPolicy) -> str:
        if not self.nb.stack.has(MEMBERS_SG):
            self.nb.stack.add(SecurityGroup(MEMBERS_SG, description=(
                f"ECS services of namespace {self.nb.namespace} that NetworkPolicies isolate (source only)"
            )[:groups.DESCRIPTION_LIMIT]))
            self.nb.stack.add(groups.ingress(
                "IsolatedServicesIngress", SERVICES_SG, MEMBERS_SG, "isolated ECS services reach the tasks of the namespace",
                metadata=provenance(policy.origin)))
        return MEMBERS_SG

    def _rule(self, p: NetworkPolicy, rule: PolicyRule, targets: list[str]) -> str:
        """Security-group rules for one ingress rule of the policy; returns what it admits, in words."""
        sources = [(EVERYWHERE, "every source")] if not rule.peers else [s for peer in rule.peers
                                                                        for s in self._sources(p, peer, targets)]
        for name in targets:
            wl, _ = self.services[name]
            for protocol, low, high in self._ports(p, rule, wl):
                for source, text in sources:
                    self._add(source, self.groups[name].logical_id, protocol, low, high,
                              f"NetworkPolicy {p.meta.name}: {text} to {name}", wl, p)
        ports = ", ".join(_port_text(port.protocol, port.port, port.end_port) for port in rule.ports) or "every port"
        return f"{', '.join(dict.fromkeys(text for _, text in sources)) or 'no translated source'} on {ports}"

    def _sources(self, p: NetworkPolicy, peer: PolicyPeer, targets: list[str]) -> list[tuple[str, str]]:
        """(source group id or CIDR, description) for one peer."""
        if peer.cidr:
            if peer.excepted:
                self.mc.report(peer.origin, "K2E454", name=p.meta.name, cidr=peer.cidr, excepted=", ".join(peer.excepted))
            return [(peer.cidr, peer.cidr)]
        if peer.namespaces is not None and not _only_own(peer.namespaces, self.nb.namespace):
            shown = (f"pods {_shown(peer.pods)}" if peer.pods else "pods") + f" in namespaces {_shown(peer.namespaces)}"
            self.mc.report(peer.origin, "K2E453", name=p.meta.name, peer=shown,
                           group=", ".join(self.groups[n].logical_id for n in targets))
            if not peer.namespaces.matches(((NAME_LABEL, self.nb.namespace),)):
                return []
        pods = peer.pods or Selector()
        if pods.everything:
            return [(SERVICES_SG, "the namespace")] + ([(MEMBERS_SG, "the namespace")] if self.isolated else [])
        names = [n for n, (wl, _) in sorted(self.services.items()) if pods.matches(wl.pod_labels)]
        if not names:
            self.mc.report(peer.origin, "K2E452", name=p.meta.name, peer=f"pods {_shown(pods)}", namespace=self.nb.namespace)
        return [(self._own_group(n, p), n) for n in names]

    def _ports(self, p: NetworkPolicy, rule: PolicyRule, wl: Workload) -> list[tuple[str, int, int]]:
        if not rule.ports:
            return [("-1", -1, -1)]
        out = []
        for port in rule.ports:
            if port.protocol not in ("TCP", "UDP"):
                self.mc.report(port.origin, "K2E457", name=p.meta.name, port=port.port, protocol=port.protocol)
                continue
            number = _number(wl, port.port) if isinstance(port.port, str) else port.port
            if isinstance(port.port, str) and number is None:
                self.mc.report(port.origin, "K2E456", name=p.meta.name, port=port.port, workload=wl.meta.name)
                continue
            low, high = (0, 65535) if number is None else (number, port.end_port or number)
            out.append((port.protocol.lower(), low, high))
        return out

    def _add(self, source: str, group: str, protocol: str, low: int, high: int, description: str, wl: Workload,
             policy: NetworkPolicy) -> None:
        """One SecurityGroupIngress (once); a separate resource, as groups that admit each other would
        otherwise depend on each other in a cycle."""
        key = (group, source, protocol, low, high)
        if key in self.rules:
            return
        self.rules.add(key)
        owner = f"{wl.meta.name}/in"
        logical = self.nb.ids.get(owner, "Ingress" + short_hash("|".join(map(str, key))))
        self.nb.stack.add(groups.ingress(logical, group, source, description, protocol, low, high,
                                         metadata=provenance(policy.origin, wl.origin)))


    def _add_prefix_list(self, rule: SecurityGroupIngress, group: str, wl: Workload, policy: NetworkPolicy) -> None:
        """The namespace group's rule from a managed prefix list (VPC Lattice's) on the isolated service's group too,
        as for a load balancer: the policy isolates the service from pods, not from what routes to it."""
        logical = self.nb.ids.get(f"{wl.meta.name}/in", "Ingress" + short_hash(f"{group}|{rule.logical_id}"))
        if self.nb.stack.has(logical):
            return
        self.nb.stack.add(replace(rule, logical_id=logical, group_id=GetAtt(group, "GroupId"),
                                  metadata=provenance(policy.origin, wl.origin)))


def _allows_all(rules: tuple[PolicyRule, ...]) -> bool:
    return any(not r.peers and not r.ports for r in rules)


def _only_own(namespaces: Selector, own: str) -> bool:
    """A namespace selector that can match no namespace but this one (by the name label)."""
    if (NAME_LABEL, own) in namespaces.labels:
        return True
    return any(key == NAME_LABEL and op == "In" and values == (own,) for key, op, values in namespaces.expressions)


def _number(wl: Workload, name: str) -> int | None:
    return next((p.container_port for c in wl.pod.containers for p in c.ports if p.name == name), None)


def _shown(sel: Selector | None) -> str:
    if sel is None or sel.everything:
        return "{} (all)"
    parts = [f"{k}={v}" for k, v in sel.labels] + [f"{k} {op} {','.join(v)}".strip() for k, op, v in sel.expressions]
    return ", ".join(parts)


def _port_text(protocol: str, port: int | str | None, end: int | None) -> str:
    if port is None:
        return f"{protocol} every port"
    return f"{protocol} {port}" + (f"-{end}" if end else "")
