"""What changes on ECS between two translations, grouped by resource, in words a reviewer reads.

Templates are compared, not manifests: a reordered file or a renamed manifest changes nothing on
ECS and shows nothing, while an edit that changes a task definition shows exactly that. Lists of
named things (containers, env, tags, ports) are compared by name, so inserting one does not show
as every later item changing. Provenance metadata is left out: it says where a resource came
from, not what ECS runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, field
from typing import Any

from translator.api import TranslationResult
from translator.model.provenance import KEY
from translator.model.record import record

# List properties whose items are identified by a key: compared by that key, shown as "<word> <key>".
_NAMED = ("Name", "Key", "DiscoveryName", "ContainerName", "SourceVolume", "ContainerPath", "Field")
_WORDS = {
    "ContainerDefinitions": "container", "Environment": "env", "Secrets": "secret", "PortMappings": "port",
    "Tags": "tag", "MountPoints": "mount", "Volumes": "volume", "DependsOn": "depends on",
    "ClientAliases": "client alias", "Services": "service connect entry", "Ulimits": "ulimit",
}
_TYPE_WORDS = {"AWS::ECS::Service": "service", "AWS::IAM::Role": "IAM role", "AWS::SSM::Parameter": "SSM parameter",
               "AWS::ElasticLoadBalancingV2::LoadBalancer": "load balancer"}
# Listener-rule conditions by their field: `Conditions.path-pattern.PathPatternConfig.Values` reads "path".
_CONDITIONS = {"host-header": "host", "path-pattern": "path", "http-header": "header", "query-string": "query",
               "http-request-method": "method", "source-ip": "source IP"}
_MAX_SHOWN = 100
_MISSING = object()


@record
class Change:
    """One difference inside a resource."""

    what: str  # reviewer words: "container web image"
    path: str  # template path below the resource: "Properties.ContainerDefinitions.web.Image"
    kind: str  # "changed" | "added" | "removed"
    old: Any = None
    new: Any = None
    restated: tuple[Change, ...] = ()  # values that only follow this one (rollout percentages of a count)

    def words(self) -> str:
        if self.kind == "changed":
            text = f"{self.what} {_shown(self.old)} -> {_shown(self.new)}"
            if self.restated:
                text += " (" + ", ".join(c.words() for c in self.restated) + ": the same rollout in tasks)"
            return text
        value = self.new if self.kind == "added" else self.old
        return f"{self.what} {self.kind}" + (f" ({_shown(value)})" if _scalar(value) else "")


@record
class ResourceChange:
    """A resource (or a whole stack) that was added, removed or changed."""

    stack: str
    logical_id: str  # "" for the stack itself
    type: str
    label: str  # "task definition shop.web"
    status: str  # "added" | "removed" | "changed" | "replaced" (a new logical id: CloudFormation replaces it)
    changes: tuple[Change, ...] = field(default_factory=tuple)
    old_logical_id: str = ""  # of a replaced resource

    def line(self) -> str:
        label = f"{self.label} (replaced, was {self.old_logical_id})" if self.status == "replaced" else self.label
        if not self.changes:
            return f"{label} {self.status}" if self.status != "replaced" else label
        return f"{label}: " + "; ".join(c.words() for c in self.changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def diff_results(old: TranslationResult, new: TranslationResult) -> list[ResourceChange]:
    """Every ECS-level difference from `old` to `new`, ordered by stack and logical id."""
    before, after = _parsed(old), _parsed(new)
    out: list[ResourceChange] = []
    for stack in sorted(set(before) | set(after)):
        if stack not in after or stack not in before:
            status = "removed" if stack not in after else "added"
            count = len((before.get(stack) or after[stack]).get("Resources", {}))
            out.append(ResourceChange(stack, "", "stack", f"stack {stack} ({count} resources)", status))
            continue
        out.extend(_diff_stack(stack, before[stack], after[stack]))
    return out


def _parsed(result: TranslationResult) -> dict[str, dict[str, Any]]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    return {name.removesuffix(".yaml"): yaml.load(text) for name, text in sorted(result.templates.items())}


def _diff_stack(stack: str, old: dict[str, Any], new: dict[str, Any]) -> list[ResourceChange]:
    out: list[ResourceChange] = []
    header = _changes({k: old.get(k, {}) for k in ("Parameters", "Outputs")},
                      {k: new.get(k, {}) for k in ("Parameters", "Outputs")})
    if header:
        out.append(ResourceChange(stack, "", "stack", f"stack {stack}", "changed", header))
    renamed = _renamed(old.get("Resources", {}), new.get("Resources", {}))
    before = _renaming(old.get("Resources", {}), renamed)
    after = new.get("Resources", {})
    was = {new_id: old_id for old_id, new_id in renamed.items()}
    for logical in sorted(set(before) | set(after)):
        resource = after.get(logical) or before[logical]
        label = _label(logical, resource)
        if logical not in before or logical not in after:
            status = "added" if logical not in before else "removed"
            out.append(ResourceChange(stack, logical, resource["Type"], label, status))
            continue
        changes = _changes(_comparable(before[logical]), _comparable(after[logical]))
        if resource["Type"] == "AWS::ECS::Service":
            changes = _fold_rollout(changes)
        if logical in was:
            out.append(ResourceChange(stack, logical, resource["Type"], label, "replaced", changes, was[logical]))
        elif changes:
            out.append(ResourceChange(stack, logical, resource["Type"], label, "changed", changes))
    return out


def _renamed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, str]:
    """Old -> new logical id of a resource whose id changed with its content (a rule sent to another backend).

    A removed and an added resource are one resource replaced when they are the only pair of their
    type that comes from the same Kubernetes objects; otherwise they stay removed and added.
    """
    groups: dict[tuple[Any, ...], tuple[list[str], list[str]]] = {}
    for side, resources in ((0, {k: v for k, v in before.items() if k not in after}),
                            (1, {k: v for k, v in after.items() if k not in before})):
        for logical, resource in sorted(resources.items()):
            groups.setdefault(_identity(resource), ([], []))[side].append(logical)
    return {gone[0]: came[0] for gone, came in groups.values() if len(gone) == len(came) == 1}


def _identity(resource: dict[str, Any]) -> tuple[Any, ...]:
    objects = resource.get("Metadata", {}).get(KEY, {}).get("objects", [])
    return (resource.get("Type"), *sorted((o.get("kind"), o.get("namespace"), o.get("name")) for o in objects))


def _renaming(resources: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """The old template as if replaced resources had had their new ids (so references to them match)."""
    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, str):
            if value in renamed:
                return renamed[value]
            return re.sub(r"\$\{([A-Za-z0-9]+)", lambda m: "${" + renamed.get(m.group(1), m.group(1)), value)
        return value

    return {renamed.get(k, k): rename(v) for k, v in resources.items()} if renamed else resources


def _comparable(resource: dict[str, Any]) -> dict[str, Any]:
    metadata = {k: v for k, v in resource.get("Metadata", {}).items() if k != KEY}
    body = {k: v for k, v in resource.items() if k != "Metadata"}
    return {**body, **({"Metadata": metadata} if metadata else {})}


def _changes(old: Any, new: Any) -> tuple[Change, ...]:
    from deepdiff import DeepDiff

    old, new = _keyed(old), _keyed(new)
    found: dict[str, Change] = {}
    for levels in DeepDiff(old, new, view="tree").values():
        for level in levels:
            path = _whole_scalar_list(level.path(output_format="list"), old, new)
            before, after = _get(old, path), _get(new, path)
            kind = "added" if before is _MISSING else "removed" if after is _MISSING else "changed"
            key = ".".join(map(str, path))
            found.setdefault(key, Change(_words(path), key, kind, _value(before), _value(after)))
    return tuple(found[k] for k in sorted(found))


_DESIRED = "Properties.DesiredCount"
_BOUNDS = {"Properties.DeploymentConfiguration.MaximumPercent": "extra",
           "Properties.DeploymentConfiguration.MinimumHealthyPercent": "missing"}


def _fold_rollout(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    """ECS gives rollout bounds as percentages of the desired count, Kubernetes as tasks (maxSurge: 1),
    so a new replica count restates the percentages. When the bounds in tasks stay the same, the
    percentages are shown with the count, not as changes of their own."""
    desired = next((c for c in changes if c.path == _DESIRED and c.kind == "changed"), None)
    if desired is None or not all(isinstance(v, int) for v in (desired.old, desired.new)):
        return changes
    restated = tuple(c for c in changes if c.path in _BOUNDS and c.kind == "changed"
                     and _tasks(_BOUNDS[c.path], desired.old, c.old) == _tasks(_BOUNDS[c.path], desired.new, c.new))
    if not restated:
        return changes
    folded = Change(desired.what, desired.path, desired.kind, desired.old, desired.new, restated)
    return tuple(folded if c is desired else c for c in changes if c not in restated)


def _tasks(bound: str, count: int, percent: Any) -> int | None:
    """Tasks above the count a rollout may start (ECS rounds the maximum down), or below it that it may
    stop (ECS rounds the minimum up)."""
    if not isinstance(percent, int):
        return None
    if bound == "extra":
        return count * percent // 100 - count
    return count - -(-count * percent // 100)


def _keyed(value: Any) -> Any:
    """Lists of named dicts -> dicts by name (`{Name, Value}` pairs straight to their value)."""
    if isinstance(value, dict):
        return {k: _keyed(v) for k, v in value.items()}
    if not isinstance(value, list):
        return value
    items = [_keyed(v) for v in value]
    name = _name_key(items)
    if name is None:
        return items
    pairs = all(set(i) in ({name, "Value"}, {name, "ValueFrom"}) for i in items)
    return {str(i[name]): (next(v for k, v in i.items() if k != name) if pairs else i) for i in items}


def _name_key(items: list[Any]) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in _NAMED:
        names = [i.get(key) for i in items]
        if all(isinstance(n, str | int) for n in names) and len(set(map(str, names))) == len(names):
            return key
    return None


def _whole_scalar_list(path: list[Any], old: Any, new: Any) -> list[Any]:
    """A change inside a list of plain values (a command, a subnet list) is shown as the whole list."""
    for depth in range(len(path)):
        if isinstance(path[depth], int):
            parent = path[:depth]
            lists = [_value(_get(old, parent)), _value(_get(new, parent))]
            if all(not isinstance(v, dict | list) for lst in lists if isinstance(lst, list) for v in lst):
                return parent
    return path


def _get(value: Any, path: list[Any]) -> Any:
    """The value at `path`, or `_MISSING` (a null in a template is a value)."""
    for step in path:
        present = step in value if isinstance(value, dict) else isinstance(value, list) and isinstance(step, int) and step < len(value)
        if not present:
            return _MISSING
        value = value[step]
    return value


def _value(value: Any) -> Any:
    return None if value is _MISSING else value


def _words(path: list[Any]) -> str:
    words: list[str] = []
    steps = [p for p in path if p != "Properties"]
    if steps[:1] == ["Conditions"] and len(steps) > 1 and steps[1] in _CONDITIONS and steps[-1] == "Values":
        return _CONDITIONS[steps[1]]
    i = 0
    while i < len(steps):
        step = steps[i]
        if isinstance(step, int):
            words.append(f"#{step + 1}")
        elif step in _WORDS and i + 1 < len(steps) and not isinstance(steps[i + 1], int):
            words.append(f"{_WORDS[step]} {steps[i + 1]}")
            i += 1
        else:
            words.append(_camel_words(str(step)))
        i += 1
    return " ".join(words) or "properties"


def _camel_words(name: str) -> str:
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
        return name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).lower()


def _label(logical: str, resource: dict[str, Any]) -> str:
    kind = resource.get("Type", "")
    words = _TYPE_WORDS.get(kind) or _camel_words(kind.rsplit("::", 1)[-1])
    objects = resource.get("Metadata", {}).get(KEY, {}).get("objects", [])
    owner = objects[0] if objects else {}
    if kind in ("AWS::ECS::TaskDefinition", "AWS::ECS::Service") and owner:
        return f"{words} {owner.get('namespace', '')}.{owner['name']}"
    if kind == "AWS::ElasticLoadBalancingV2::ListenerRule":
        return f"{words} {_rule_match(resource.get('Properties', {})) or logical}"
    return f"{words} {logical}"


def _rule_match(properties: dict[str, Any]) -> str:
    """`shop.example.com/api/*` from a listener rule's host and path conditions."""
    hosts: list[str] = []
    paths: list[str] = []
    for condition in properties.get("Conditions", []):
        field_name = condition.get("Field")
        if field_name == "host-header":
            hosts += condition.get("HostHeaderConfig", {}).get("Values", condition.get("Values", []))
        elif field_name == "path-pattern":
            paths += condition.get("PathPatternConfig", {}).get("Values", condition.get("Values", []))
    return " ".join(part for part in (", ".join(hosts), ", ".join(paths)) if part)


def _scalar(value: Any) -> bool:
    return not isinstance(value, dict | list) and value is not None


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def as_json(changes: list[ResourceChange]) -> str:
    return json.dumps({"version": 1, "changed": bool(changes), "resources": [c.as_dict() for c in changes]},
                      indent=2, ensure_ascii=False, default=str) + "\n"


def as_text(changes: list[ResourceChange]) -> str:
    if not changes:
        return "no ECS changes\n"
    count = sum(max(len(c.changes), 1) for c in changes)
    lines = [c.line() for c in changes]
    return "\n".join(lines) + f"\n{count} change(s) in {len(changes)} resource(s)\n"
