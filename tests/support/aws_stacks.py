"""Create a generated template as a CloudFormation stack in moto, for the resource types moto models.

moto's CloudFormation skips a type it does not model and then fails every Fn::GetAtt to it (tooling
notes, section 2). So the resources of such types are created through the SDK replay instead:
those that need nothing from the stack before it (a Cloud Map namespace, a secret), with their
references in the template replaced by the real values; those that need the stack's resources (a
scalable target of a service) after it, from stack outputs added for exactly the values they use.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable
from typing import Any

from tests.support.aws_replay import Created, Replay, references, replay_template


@functools.cache
def moto_types() -> frozenset[str]:
    """The resource types moto's CloudFormation creates (read from moto, not listed by hand)."""
    from moto.cloudformation.parsing import get_model_map

    return frozenset(get_model_map())


# Types moto's CloudFormation creates, but not as the template says: these resources are replayed.
MOTO_CFN_MISREADS: dict[str, tuple[Callable[[dict[str, Any]], bool], str]] = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": (
        lambda props: props.get("Type", "application") != "application",
        "moto's CloudFormation ignores Type and creates every load balancer as an ALB"),
    "AWS::EC2::SecurityGroupIngress": (lambda props: "SourcePrefixListId" in props,
                                       "moto's CloudFormation ingress rule takes no prefix-list source (VPC Lattice's)"),
    "AWS::EFS::FileSystem": (lambda props: True, "moto's CloudFormation file system answers no Fn::GetAtt"),
    "AWS::EFS::AccessPoint": (lambda props: True, "moto's CloudFormation access point answers no Fn::GetAtt"),
}


# Attributes moto's CloudFormation does not answer (Fn::GetAtt fails and the stack loses its outputs), worked out
# from the resource's Ref, its ARN, as AWS documents them: LoadBalancerFullName `app/<name>/<id>` and
# TargetGroupFullName `targetgroup/<name>/<id>`, the ends of the ARNs.
MOTO_UNANSWERED: dict[str, Callable[[str], str]] = {
    "LoadBalancerFullName": lambda arn: arn.split(":loadbalancer/", 1)[1],
    "TargetGroupFullName": lambda arn: arn.rsplit(":", 1)[1],
}


def _native(body: dict[str, Any]) -> bool:
    misread = MOTO_CFN_MISREADS.get(body["Type"])
    return body["Type"] in moto_types() and not (misread and misread[0](body.get("Properties", {})))


def split_by_support(template: dict[str, Any]) -> tuple[set[str], set[str], set[str]]:
    """(moto-created, replayed before the stack, replayed after the stack) logical ids.

    A resource moto does not create is replayed before the stack when everything it refers to is
    too, else after it; a moto resource that refers to one replayed after the stack moves there too.
    """
    resources = template["Resources"]
    needs = {k: references(v.get("Properties", {})) & set(resources) for k, v in resources.items()}
    native = {k for k, v in resources.items() if _native(v)}
    before: set[str] = set()
    changed = True
    while changed:
        changed = False
        for logical in sorted(set(resources) - native - before):
            if needs[logical] <= before:
                before.add(logical)
                changed = True
    after = set(resources) - native - before
    changed = True
    while changed:
        moved = {k for k in native if needs[k] & after}
        native -= moved
        after |= moved
        changed = bool(moved)
    return native, before, after


def _substitute(value: Any, known: dict[str, Created]) -> Any:
    """Ref / GetAtt / Sub variables of already created resources -> their literal values."""
    if isinstance(value, list):
        return [_substitute(v, known) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in known:
        return known[value["Ref"]].ref
    if set(value) == {"Fn::GetAtt"}:
        logical, attribute = value["Fn::GetAtt"]
        if logical in known:
            return known[logical].attributes[attribute]
    if set(value) == {"Fn::Sub"}:
        text, names = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]

        def literal(match: re.Match[str]) -> str:
            logical, _, attribute = match.group(1).partition(".")
            if logical in names or logical not in known:
                return match.group(0)
            return str(known[logical].attributes[attribute] if attribute else known[logical].ref)

        text = re.sub(r"\$\{([^}!][^}]*)\}", literal, text)
        return {"Fn::Sub": text if not names else [text, _substitute(names, known)]}
    return {k: _substitute(v, known) for k, v in value.items()}


def _wanted_outputs(resources: dict[str, Any], later: set[str], native: set[str]) -> dict[tuple[str, str], str]:
    """(logical id, attribute or '' for Ref) -> output name, for every value of a native resource
    that a later resource uses (Fn::Sub variables included)."""
    wanted: set[tuple[str, str]] = set()
    for logical in later:
        wanted |= {(name, "") for name in references(resources[logical].get("Properties", {})) & native}
        text = json.dumps(resources[logical].get("Properties", {}))
        wanted |= {(a, b) for a, b in re.findall(r'"Fn::GetAtt": \["([^"]+)", "([^"]+)"\]', text) if a in native}
        wanted |= {(a, b) for a, b in re.findall(r"\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}", text) if a in native}
    return {key: f"Replay{i}" for i, key in enumerate(sorted(wanted))}


def _stack_parameters(template: dict[str, Any], values: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for name in template.get("Parameters", {}):
        if name in values:
            value = values[name]
            out.append({"ParameterKey": name, "ParameterValue": ",".join(value) if isinstance(value, list) else str(value)})
    return out


def create_stack(replay: Replay, template: dict[str, Any], name: str,
                 handlers: dict[str, Callable[[Replay, str, dict[str, Any]], Created]]) -> dict[str, Any]:
    """Create the stack (moto types natively, the rest replayed); returns a summary for assertions."""
    resources = template["Resources"]
    replay.created = {}  # logical ids are per stack; other stacks are reached through exports only
    native, before, after = split_by_support(template)
    early = {"Resources": {k: resources[k] for k in before}, "Parameters": template.get("Parameters", {}),
             "Conditions": template.get("Conditions", {})}
    replay_template(replay, early, handlers)
    body = copy.deepcopy(template)
    body["Resources"] = _substitute({k: resources[k] for k in native}, replay.created)
    for resource in body["Resources"].values():
        if "DependsOn" in resource:
            depends = [resource["DependsOn"]] if isinstance(resource["DependsOn"], str) else resource["DependsOn"]
            kept = [d for d in depends if d in native]
            resource.pop("DependsOn")
            if kept:
                resource["DependsOn"] = kept
    wanted = _wanted_outputs(resources, after, native)
    derived = {key: wanted.pop(key) for key in [k for k in wanted if k[1] in MOTO_UNANSWERED]}
    wanted.update({(k, ""): f"Replay{k}" for k, _ in derived if (k, "") not in wanted})
    outputs = _substitute(template.get("Outputs", {}), replay.created)
    # an output of a resource replayed after the moto stack (an ECS service's name) is the replay's to give
    late = {k: o for k, o in outputs.items() if references(o.get("Value")) & after}
    body["Outputs"] = {**{k: o for k, o in outputs.items() if k not in late},
                       **{name: {"Value": {"Fn::GetAtt": [k, a]} if a else {"Ref": k}} for (k, a), name in wanted.items()}}
    if not body["Outputs"]:
        body.pop("Outputs")
    cfn = replay.clients("cloudformation")
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(body), Parameters=_stack_parameters(template, replay.parameters),
                     Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    rows = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
    stack_outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    for page in cfn.get_paginator("list_exports").paginate():
        replay.exports.update({e["Name"]: e["Value"] for e in page["Exports"]})
    values = {key: stack_outputs[name] for key, name in wanted.items()}
    values.update({(k, a): MOTO_UNANSWERED[a](values[(k, "")]) for k, a in derived})
    _replay_after(replay, template, after, values, rows, handlers)
    for output in late.values():
        if "Export" in output:
            replay.exports[replay.resolve(output["Export"]["Name"])] = replay.resolve(output["Value"])
    return {"status": stack["StackStatus"], "rows": rows, "native": native, "before": before, "after": after,
            "body": body, "conditions": dict(replay.conditions)}


def _replay_after(replay: Replay, template: dict[str, Any], after: set[str], values: dict[tuple[str, str], str],
                  rows: list[dict[str, Any]], handlers: dict[str, Callable[[Replay, str, dict[str, Any]], Created]]) -> None:
    """Give the replay the stack's values the later resources use, then create those resources."""
    if not after:
        return
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in rows}
    for (logical, attribute), value in values.items():
        created = replay.created.setdefault(logical, Created(physical.get(logical), logical_id=logical))
        if attribute:
            created.attributes[attribute] = value
        else:
            created.ref = value
    later = {"Resources": {k: template["Resources"][k] for k in after}, "Conditions": template.get("Conditions", {})}
    replay_template(replay, later, handlers)
