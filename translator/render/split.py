"""Split a stack over CloudFormation's template limits into parts that each deploy, in order.

Limits (CloudFormation quotas, [CFN-QUOTA] in the mapping reference): 500 resources, 200 outputs,
200 parameters per template, and a template body of 1 MB from S3, counted in bytes of the text
as uploaded. 1,000,000 bytes is kept to: it is what cfn-lint enforces, and it is under 1 MiB.

Parts are separate stacks joined by exports (`Fn::ImportValue`), not nested stacks: a nested stack
needs its template in an S3 bucket before the parent deploys, and a parent would pass each value
as a parameter, under the same 200 limit. Exports only need each part deployed after the ones
before it, which the part number says.

How the resources are cut:
1. Each resource belongs to the workload its provenance names (a service's security group and
   its rules, which a NetworkPolicy made, belong to the service); resources of another object
   (a Service's load balancer, a claim's file system) join the one workload that uses them.
2. Groups that use each other are ordered so every reference points backwards; groups that use
   each other both ways are one unit. A security-group rule, which nothing uses, goes with the
   last of the groups it names, so rules between services do not tie the services together.
3. Units are packed into parts in that order, whole when they fit, resource by resource when a
   unit is larger than a part. A part closes when the next unit would pass a limit; the exports it
   needs are known then (every resource placed later is in a later part), so they are counted.
Everything is ordered by the stack's own order, so the same stack gives the same parts.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from translator.model import intrinsics
from translator.model.ecs import Output, Resource, SecurityGroupIngress, Stack
from translator.render.crossrefs import Importer, Value, conditions, export_name, output_key, references
from translator.render.provenance import stamped

MAX_RESOURCES = 500
MAX_BYTES = 1_000_000
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200
_WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod",
                        "Job", "CronJob"})
_OUTPUT_BYTES = 64  # an output's lines around its key, value and export name


@dataclass
class Part:
    """One template of a split stack; `rewrite` turns a resource's text in the whole stack into its text in this part."""

    stack: Stack
    rewrite: Callable[[Resource, str], str]


@dataclass
class _Node:
    resource: Resource
    index: int
    group: str
    refs: set[Value]  # values of other resources of the stack it uses (its outputs' included)
    needs: set[str]  # logical ids that must exist first: refs and DependsOn
    parameters: set[str]
    conditions: set[str]
    size: int  # bytes of its text with every reference imported, the most it can take
    outputs: list[str] = field(default_factory=list)  # the stack's outputs that go with it


def split_stack(stack: Stack, text_of: Callable[[Resource], str]) -> list[Part]:
    """The parts of `stack`, each within every limit when its units allow it (`api` checks the result)."""
    nodes = _nodes(stack, text_of)
    order = _ordered_units(nodes)
    _attach_outputs(stack, nodes, [n for unit in order for n in unit])
    packed = _Packer(stack, nodes).pack(order)
    return _materialise(stack, nodes, packed)


def _nodes(stack: Stack, text_of: Callable[[Resource], str]) -> dict[str, _Node]:
    resources = stamped(stack)  # provenance from the whole stack, which a part alone could not give
    ids = {r.logical_id for r in resources}
    condition_names = set(stack.condition_map())
    parameter_names = set(stack.parameter_map())
    every = ids | condition_names
    importer = Importer(ids, functools.partial(export_name, stack.name))
    nodes: dict[str, _Node] = {}
    for index, resource in enumerate(resources):
        text = text_of(resource)
        # the text with every reference imported (it never names itself); without one, the text itself
        every_ref, all_imported = importer.references_and_imported(text)
        found = {v for v in every_ref if v[0] in every or v[0] in parameter_names}
        refs = {v for v in found if v[0] in ids and v[0] != resource.logical_id}
        needs = {v[0] for v in refs} | (set(resource.depends_on) & ids)
        named = conditions(text) | ({resource.condition} if resource.condition else set())
        size = len(all_imported.encode()) if refs else 0
        nodes[resource.logical_id] = _Node(resource, index, _group(resource), refs, needs,
                                           {v[0] for v in found if v[0] in parameter_names},
                                           named & condition_names, max(size, len(text.encode())))
    _join_private(nodes)
    return nodes


def _group(resource: Resource) -> str:
    """The first workload the resource's provenance names, else its first object, else ''."""
    objects = resource.metadata.objects
    chosen = next((o for o in objects if o.kind in _WORKLOADS), objects[0] if objects else None)
    return "" if chosen is None else f"{chosen.kind}/{chosen.namespace}/{chosen.name}"


def _join_private(nodes: dict[str, _Node]) -> None:
    """A group of another object (a Service's load balancer) that one workload alone uses joins it."""
    users: dict[str, set[str]] = {}
    for node in nodes.values():
        for target in node.needs:
            if nodes[target].group != node.group:
                users.setdefault(nodes[target].group, set()).add(node.group)
    moved = {group: next(iter(found)) for group, found in users.items()
             if group and len(found) == 1 and group.split("/")[0] not in _WORKLOADS
             and next(iter(found)).split("/")[0] in _WORKLOADS}
    for node in nodes.values():
        node.group = moved.get(node.group, node.group)


def _is_connector(node: _Node, nodes: dict[str, _Node]) -> bool:
    """A security-group rule between groups: placed after all it names instead of tying them together."""
    return isinstance(node.resource, SecurityGroupIngress) and any(nodes[t].group != node.group for t in node.needs)


def _ordered_units(nodes: dict[str, _Node]) -> list[list[_Node]]:
    """Units (groups, or groups that use each other) in an order where every use points backwards."""
    connectors = {k for k, n in nodes.items() if _is_connector(n, nodes)}
    first: dict[str, int] = {}
    for node in nodes.values():
        first.setdefault(node.group, node.index)
    edges: dict[str, set[str]] = {g: set() for g in first}
    for key, node in nodes.items():
        if key not in connectors:
            edges[node.group].update(nodes[t].group for t in node.needs if nodes[t].group != node.group)
    components = _components(sorted(first, key=first.__getitem__), edges)
    unit_of = {g: i for i, members in enumerate(components) for g in members}
    unit_edges = {i: {unit_of[t] for g in members for t in edges[g]} - {i} for i, members in enumerate(components)}
    rank = {u: min(first[g] for g in components[u]) for u in unit_edges}
    sequence = _topological(list(unit_edges), unit_edges, rank.__getitem__)
    position = {u: i for i, u in enumerate(sequence)}
    members: dict[int, list[_Node]] = {u: [] for u in sequence}
    for key, node in nodes.items():
        home = unit_of[node.group]
        if key in connectors:
            home = max((unit_of[nodes[t].group] for t in node.needs), key=position.__getitem__, default=home)
            home = max(home, unit_of[node.group], key=position.__getitem__)
        members[home].append(node)
    return [_within(members[u]) for u in sequence]


def _within(unit: list[_Node]) -> list[_Node]:
    """A unit's resources with each after what it needs from the same unit, else in stack order."""
    by_id = {n.resource.logical_id: n for n in unit}
    edges = {k: {t for t in n.needs if t in by_id} for k, n in by_id.items()}
    return [by_id[k] for k in _topological(list(by_id), edges, lambda k: by_id[k].index)]


def _topological(keys: list[Any], needs: dict[Any, set[Any]], rank: Callable[[Any], int]) -> list[Any]:
    """Kahn's order, lowest rank first among the ready; a cycle (never in a valid stack) keeps rank order."""
    waiting = {k: len(needs[k]) for k in keys}
    users: dict[Any, list[Any]] = {k: [] for k in keys}
    for k in keys:
        for target in needs[k]:
            users[target].append(k)
    ready = [(rank(k), k) for k in keys if waiting[k] == 0]
    heapq.heapify(ready)
    out: list[Any] = []
    while ready:
        _, key = heapq.heappop(ready)
        out.append(key)
        for user in users[key]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, (rank(user), user))
    done = set(out)
    return out + sorted((k for k in keys if k not in done), key=rank)


def _components(groups: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups (Tarjan, iterative), each listed in the order `groups` gives."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in groups:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            group, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[group])
                if low[group] == index[group]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == group:
                            break
                    found.append(component)
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(edges[target]))))
            elif target in on_stack:
                low[group] = min(low[group], index[target])
    order = {g: i for i, g in enumerate(groups)}
    return [sorted(c, key=order.__getitem__) for c in found]


def _attach_outputs(stack: Stack, nodes: dict[str, _Node], placed: list[_Node]) -> None:
    """Each output of the stack goes with the last-placed resource it names (the first part when none)."""
    position = {n.resource.logical_id: i for i, n in enumerate(placed)}
    for name, output in sorted(stack.outputs):
        named = {v for v in references(_text(output.value)) if v[0] in nodes}
        holder = max((v[0] for v in named), key=position.__getitem__, default=placed[0].resource.logical_id)
        nodes[holder].outputs.append(name)
        nodes[holder].size += _OUTPUT_BYTES + len(name) + len(_text(output.value))
        nodes[holder].refs |= {v for v in named if v[0] != holder}


def _text(value: Any) -> str:
    from translator.render.values import to_yaml

    return to_yaml(value, 0)


@dataclass
class _Open:
    """The part being filled."""

    ids: set[str] = field(default_factory=set)
    nodes: list[_Node] = field(default_factory=list)
    size: int = 0
    outputs: int = 0
    parameters: set[str] = field(default_factory=set)
    exports: set[Value] = field(default_factory=set)  # its values that resources not yet placed use


class _Packer:
    def __init__(self, stack: Stack, nodes: dict[str, _Node]) -> None:
        self.stack = stack
        self.pending: dict[Value, int] = {}  # value -> resources not yet placed that use it
        self.values: dict[str, set[Value]] = {}  # logical id -> its values that anything uses
        for node in nodes.values():
            for value in node.refs:
                self.pending[value] = self.pending.get(value, 0) + 1
                self.values.setdefault(value[0], set()).add(value)
        self.overhead = 2_000 + sum(len(k) + len(_text(v)) for k, v in stack.conditions)
        self.overhead += sum(len(p.name) + len(p.type) + len(p.description) + 60 for p in stack.parameters)
        self.parts: list[tuple[list[_Node], set[Value]]] = []
        self.open = _Open()

    def pack(self, units: list[list[_Node]]) -> list[tuple[list[_Node], set[Value]]]:
        for unit in units:
            if not self._add(unit):
                self._close()
                if not self._add(unit):  # larger than a part: its resources one by one, in its order
                    for node in unit:
                        if not self._add([node]):
                            self._close()
                            self._add([node], force=True)
        self._close()
        return self.parts

    def _add(self, unit: list[_Node], force: bool = False) -> bool:
        part = self.open
        used: dict[Value, int] = {}
        for node in unit:
            for value in node.refs:
                used[value] = used.get(value, 0) + 1
        ids = {n.resource.logical_id for n in unit}
        exports = {v for v in part.exports if self.pending[v] - used.get(v, 0) > 0}
        exports |= {v for i in ids for v in self.values.get(i, ()) if self.pending[v] - used.get(v, 0) > 0}
        size = part.size + sum(n.size for n in unit)
        outputs = part.outputs + sum(len(n.outputs) for n in unit)
        parameters = part.parameters.union(*(n.parameters for n in unit))
        export_bytes = sum(_OUTPUT_BYTES + 3 * len(export_name(self.stack.name, v)) for v in exports)
        fits = (len(part.nodes) + len(unit) <= MAX_RESOURCES and outputs + len(exports) <= MAX_OUTPUTS
                and len(parameters) <= MAX_PARAMETERS
                and size + export_bytes + self.overhead <= MAX_BYTES)
        if not (fits or force or (not part.nodes and len(unit) == 1)):
            return False
        for value, count in used.items():
            self.pending[value] -= count
        part.ids |= ids
        part.nodes.extend(unit)
        part.size, part.outputs, part.parameters, part.exports = size, outputs, parameters, exports
        return True

    def _close(self) -> None:
        if self.open.nodes:
            self.parts.append((self.open.nodes, self.open.exports))
        self.open = _Open()


def _materialise(stack: Stack, nodes: dict[str, _Node], packed: list[tuple[list[_Node], set[Value]]]) -> list[Part]:
    names = [stack.name] + [f"{stack.name}-{n}" for n in range(2, len(packed) + 1)]
    result = []
    for name, (members, exports) in zip(names, packed, strict=True):
        own = {n.resource.logical_id for n in members}
        foreign = set(nodes) - own
        used_conditions = _closure(stack, set().union(*(n.conditions for n in members)))
        parameters = set().union(*(n.parameters for n in members))
        every_condition, every_output = stack.condition_map(), stack.output_map()
        parameters |= {v[0] for c in used_conditions for v in references(_text(every_condition[c]))}
        outputs = {o: _imported_output(every_output[o], foreign, stack.name)
                   for o in sorted(o for n in members for o in n.outputs)}
        # an export the stack already declares (the Service Connect namespace shared across namespaces) is
        # not declared twice: CloudFormation refuses a template that exports one name twice
        declared = {o.export for o in outputs.values()}
        for value in sorted(exports):
            if export_name(stack.name, value) not in declared:
                outputs[output_key(value, outputs)] = Output(_intrinsic(value), export_name(stack.name, value))
        part = Stack(name, stack.namespace, tuple(p for p in stack.parameters if p.name in parameters),
                     tuple(_kept(n.resource, own) for n in sorted(members, key=lambda n: n.index)),
                     tuple(outputs.items()), tuple((k, v) for k, v in stack.conditions if k in used_conditions))
        importing = {n.resource.logical_id for n in members if any(v[0] in foreign for v in n.refs)}
        result.append(Part(part, _rewriter(foreign, importing, stack.name)))
    return result


def _closure(stack: Stack, named: set[str]) -> set[str]:
    """The conditions named and those they use in turn (`{"Condition": X}`)."""
    todo, seen = sorted(named), set(named)
    every = stack.condition_map()
    while todo:
        for other in conditions(_text(every[todo.pop()])) & set(every) - seen:
            seen.add(other)
            todo.append(other)
    return seen


def _kept(resource: Resource, own: set[str]) -> Resource:
    """DependsOn only names resources of the same template; the others exist already (earlier parts)."""
    kept = tuple(d for d in resource.depends_on if d in own)
    return resource if kept == resource.depends_on else dataclasses.replace(resource, depends_on=kept)


def _intrinsic(value: Value) -> intrinsics.Ref | intrinsics.GetAtt:
    return intrinsics.Ref(value[0]) if not value[1] else intrinsics.GetAtt(value[0], value[1])


def _rewriter(foreign: set[str], importing: set[str], stack: str) -> Callable[[Resource, str], str]:
    """Rewrites the texts of the `importing` resources (those whose references name a `foreign` one):
    every other text stays as it is, without a scan."""
    importer = Importer(frozenset(foreign), functools.partial(export_name, stack))

    def rewrite(resource: Resource, text: str) -> str:
        return importer.imported(text) if resource.logical_id in importing else text

    return rewrite


def _imported_output(output: Output, foreign: set[str], stack: str) -> Output:
    """An output whose value names a resource of an earlier part imports it (outputs are a Ref, a GetAtt or text)."""
    value = output.value
    if isinstance(value, intrinsics.Ref) and value.name in foreign:
        return dataclasses.replace(output, value=intrinsics.ImportValue(export_name(stack, (value.name, ""))))
    if isinstance(value, intrinsics.GetAtt) and value.logical_id in foreign:
        return dataclasses.replace(output, value=intrinsics.ImportValue(export_name(stack, (value.logical_id, value.attribute))))
    return output
