"""An independent reachability checker: reads the generated templates, not the translator's decisions.

For every container of every task definition in the output it finds the hosts a container would call
(a URL's host, `host:port`, or a whole value) that name a Service of the input in a Kubernetes DNS form
(or one pod of it, `web-0.web.ns.svc.cluster.local`),
and checks that the name resolves on ECS, one of two ways:
- Service Connect: the task belongs to an ECS service with Service Connect, and some ECS service of the
  same Cloud Map namespace (followed through Fn::ImportValue to the stack that creates it) publishes a
  client alias with that name (and port, when the caller names one);
- DNS, for any task of the VPC: an ECS service registers its tasks (`ServiceRegistries`) in a Cloud Map
  service with A records whose name, joined to its private DNS namespace's name, is the host as written
  (no search domain completes a shorter one). DNS gives the tasks' own addresses, so a call to a Service's
  name must use a port a container of that ECS service's task definition maps; a per-pod name reaches the
  pod's own port on Kubernetes too, so for it the name is enough;
- DNS to what the user provides: a Cloud Map service with a CNAME record in a private DNS namespace, and an
  instance the template registers in it whose `AWS_INSTANCE_CNAME` is a template parameter without a default
  (CloudFormation refuses to deploy without its value); the port is then the user's to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_TOKEN = re.compile(r"(?:(?P<scheme>[a-z]+)://)?(?P<host>[a-z0-9][a-z0-9.-]*[a-z0-9])(?::(?P<port>[0-9]+)(?![0-9.]))?")
_DEFAULT = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Unresolved:
    template: str
    task: str
    container: str
    host: str
    port: int | None


def _forms(namespace: str, name: str) -> dict[str, bool]:
    """Every DNS form of a Service and whether it is the bare one (which needs a host-like position)."""
    return {name: True, f"{name}.{namespace}": False, f"{name}.{namespace}.svc": False,
            f"{name}.{namespace}.svc.cluster.local": False}


def _one_pod(host: str, namespace: str, name: str, caller_namespace: str) -> bool:
    """`web-0.web.ns.svc` or `web-0.web.ns.svc.cluster.local`: one pod of a headless Service; also `web-0.web.ns`
    and, from its own namespace, `web-0.web`, which a pod's DNS search list completes (the pod label then has
    to look like a StatefulSet pod's, `<name>-<ordinal>`)."""
    for suffix in (f".{name}.{namespace}.svc", f".{name}.{namespace}.svc.cluster.local"):
        pod = host[:-len(suffix)] if host.endswith(suffix) else ""
        if pod and "." not in pod:
            return True
    short = [f".{name}.{namespace}"] + ([f".{name}"] if namespace == caller_namespace else [])
    for suffix in short:
        pod = host[:-len(suffix)] if host.endswith(suffix) else ""
        if pod and "." not in pod and re.fullmatch(r"[a-z0-9-]*[a-z0-9]-[0-9]+", pod):
            return True
    return False


def _expanded(value: str) -> list[str]:
    """The value once per number of each `{a...b}` in it (MinIO's ellipsis notation for its pods)."""
    match = re.search(r"\{([0-9]+)\.\.\.([0-9]+)\}", value)
    if match is None:
        return [value]
    out = []
    for number in range(int(match.group(1)), min(int(match.group(2)), int(match.group(1)) + 63) + 1):
        out += _expanded(value[:match.start()] + str(number) + value[match.end():])
    return out


def _calls(value: str, caller_namespace: str, services: set[tuple[str, str]]) -> list[tuple[str, int | None, bool]]:
    """(host, port, per-pod name) of each call the value makes."""
    out = []
    for match in _TOKEN.finditer(value):
        host = match.group("host").rstrip(".")
        port = int(match.group("port")) if match.group("port") else _DEFAULT.get(match.group("scheme") or "")
        whole = match.group(0) == value.strip()
        for ns, name in services:
            bare = _forms(ns, name).get(host)
            if bare is None and _one_pod(host, ns, name, caller_namespace):
                out.append((host, port, True))  # a per-pod name: a call no Service Connect alias answers
                continue
            if bare is None or (bare and ns != caller_namespace):
                continue
            if not bare or match.group("scheme") or match.group("port") or whole:
                out.append((host, port, False))
    return out


def _referenced(templates: dict[str, dict[str, Any]], name: str, value: Any) -> tuple[str, dict[str, Any]] | None:
    """(template, resource) a `Fn::GetAtt` names, followed through `Fn::ImportValue` to the template that exports it."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return name, templates[name]["Resources"][value["Fn::GetAtt"][0]]
    if isinstance(value, dict) and "Fn::ImportValue" in value:
        for other, template in templates.items():
            for output in (template.get("Outputs") or {}).values():
                if output.get("Export", {}).get("Name") == value["Fn::ImportValue"]:
                    return _referenced(templates, other, output["Value"])
    return None


def _namespace_name(templates: dict[str, dict[str, Any]], name: str, value: Any) -> str | None:
    found = _referenced(templates, name, value)
    if found is not None:
        return str(found[1]["Properties"]["Name"])
    if isinstance(value, dict):
        return None
    return str(value) if value else None


def _cname_names(templates: dict[str, dict[str, Any]], name: str) -> set[str]:
    """Full DNS names that the template makes CNAMEs to a value its deployer must supply."""
    template = templates[name]
    out = set()
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::ServiceDiscovery::Instance":
            continue
        target = resource["Properties"].get("InstanceAttributes", {}).get("AWS_INSTANCE_CNAME")
        parameter = (template.get("Parameters") or {}).get(target["Ref"], {}) if isinstance(target, dict) and "Ref" in target else None
        if not parameter or "Default" in parameter:
            continue
        found = _referenced(templates, name, resource["Properties"]["ServiceId"])
        if found is None or found[1]["Type"] != "AWS::ServiceDiscovery::Service":
            continue
        props = found[1]["Properties"]
        if [r["Type"] for r in props.get("DnsConfig", {}).get("DnsRecords", [])] != ["CNAME"]:
            continue
        namespace = _referenced(templates, found[0], props["NamespaceId"])
        if namespace is not None and namespace[1]["Type"] == "AWS::ServiceDiscovery::PrivateDnsNamespace":
            out.add(f"{props['Name']}.{namespace[1]['Properties']['Name']}")
    return out


def _dns_names(templates: dict[str, dict[str, Any]], name: str, service: dict[str, Any]) -> set[str]:
    """Full DNS names (A records) the tasks of an ECS service register under, in private DNS namespaces."""
    out = set()
    for registry in service["Properties"].get("ServiceRegistries", []):
        found = _referenced(templates, name, registry["RegistryArn"])
        if found is None or found[1]["Type"] != "AWS::ServiceDiscovery::Service":
            continue
        holder, props = found[0], found[1]["Properties"]
        if not any(r["Type"] == "A" for r in props.get("DnsConfig", {}).get("DnsRecords", [])):
            continue
        namespace = _referenced(templates, holder, props["NamespaceId"])
        if namespace is None or namespace[1]["Type"] != "AWS::ServiceDiscovery::PrivateDnsNamespace":
            continue
        out.add(f"{props['Name']}.{namespace[1]['Properties']['Name']}")
    return out


def _parameter_names(container: dict[str, Any]) -> list[str]:
    """SSM parameter names the container reads (`Fn::Sub` of an ARN ending in `:parameter/NAME`)."""
    names = []
    for entry in container.get("Secrets", []):
        value = entry["ValueFrom"]
        text = value.get("Fn::Sub", "") if isinstance(value, dict) else str(value)
        if isinstance(text, str) and ":parameter/" in text:
            names.append(text.split(":parameter", 1)[1])
    return names


def unresolved(template_texts: dict[str, str], services: set[tuple[str, str]]) -> list[Unresolved]:
    """Calls to `services` ((namespace, name) of the input) that the output does not resolve."""
    templates = {name: yaml.safe_load(text) for name, text in template_texts.items()}
    aliases: dict[str, set[tuple[str, int]]] = {}
    clients: dict[tuple[str, str], str] = {}  # (template, task definition id) -> Cloud Map namespace
    dns: dict[str, set[int]] = {}  # full DNS name -> container ports of the tasks that register under it
    supplied: set[str] = set()  # full DNS names that are CNAMEs to an address the deployer supplies
    for name, template in templates.items():
        supplied |= _cname_names(templates, name)
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::ECS::Service":
                task = template["Resources"].get(resource["Properties"]["TaskDefinition"]["Ref"], {})
                ports = {m["ContainerPort"] for c in task.get("Properties", {}).get("ContainerDefinitions", [])
                         for m in c.get("PortMappings", [])}
                for full in _dns_names(templates, name, resource):
                    dns.setdefault(full, set()).update(ports)
            config = resource["Properties"].get("ServiceConnectConfiguration") if resource["Type"] == "AWS::ECS::Service" else None
            if not config:
                continue
            namespace = _namespace_name(templates, name, config["Namespace"])
            if namespace is None:
                continue
            clients[(name, resource["Properties"]["TaskDefinition"]["Ref"])] = namespace
            for entry in config.get("Services", []):
                for alias in entry["ClientAliases"]:
                    aliases.setdefault(namespace, set()).add((alias["DnsName"], alias["Port"]))
    out = []
    for name, template in templates.items():
        stack_namespace = template["Metadata"]["kube2ecs"]["namespace"]
        for logical, resource in template["Resources"].items():
            if resource["Type"] != "AWS::ECS::TaskDefinition":
                continue
            namespace = clients.get((name, logical))
            published = aliases.get(namespace or "", set())
            parameters = {r["Properties"]["Name"]: r["Properties"]["Value"] for r in template["Resources"].values()
                          if r["Type"] == "AWS::SSM::Parameter"}
            for container in resource["Properties"]["ContainerDefinitions"]:
                values = [e["Value"] for e in container.get("Environment", [])]
                values += [parameters[name] for name in _parameter_names(container) if name in parameters]
                values += [*container.get("EntryPoint", []), *container.get("Command", [])]
                for value in (one for written in values for one in _expanded(str(written))):
                    for host, port, pod in _calls(value, stack_namespace, services):
                        ok = any(h == host and (port is None or p == port) for h, p in published)
                        ok = ok or (host in dns and (pod or port is None or port in dns[host])) or host in supplied
                        if not ok:
                            out.append(Unresolved(name, logical, container["Name"], host, port))
    return sorted(set(out), key=lambda u: (u.template, u.task, u.container, u.host, u.port or 0))
