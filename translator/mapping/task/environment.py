"""Container environment: literals, ConfigMap keys, Secret references, downward-API values.

Order and precedence follow Kubernetes: envFrom first (later sources win), then env (wins over
envFrom); `$(VAR)` references to literal variables are expanded as the kubelet would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from translator.findings.model import Severity
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.task.secrets import config_parameter, plain_env_ref, secret_ref
from translator.model.app import Container, EnvFrom, EnvVar, Origin, Workload
from translator.model.intrinsics import Linked
from translator.source.credentials import is_credential
from translator.source.quantity import parse_quantity

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_VAR_REF = re.compile(r"\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")


@dataclass
class Environment:
    literals: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, Linked] = field(default_factory=dict)
    # The variables Kubernetes sets for each Service of the namespace (`REDIS_SERVICE_HOST`), which `$(VAR)` may
    # name: variable -> (value on ECS, Service); and the ones an expansion used, for its finding.
    links: dict[str, tuple[str, str]] = field(default_factory=dict)
    linked: list[tuple[str, str, str]] = field(default_factory=list)

    def set_literal(self, name: str, value: str) -> None:
        self.secrets.pop(name, None)
        self.literals[name] = value

    def set_secret(self, name: str, value: Linked) -> None:
        self.literals.pop(name, None)
        self.secrets[name] = value

    def expand(self, text: str) -> str:
        """`$(VAR)` -> value for literal variables, then for a Service's variables; `$$` -> `$`; unknown references
        stay as written."""
        def sub(match: re.Match[str]) -> str:
            if match.group(0) == "$$":
                return "$"
            name = match.group(1)
            if name in self.literals or name in self.secrets or name not in self.links:
                return self.literals.get(name, match.group(0))
            value, service = self.links[name]
            self.linked.append((name, service, value))
            return value
        return _VAR_REF.sub(sub, text)

    def secret_references(self, text: str) -> list[str]:
        """The variables from a secret that `$(VAR)` in the text names: Kubernetes expands them, ECS passes the text."""
        return list(dict.fromkeys(m.group(1) for m in _VAR_REF.finditer(text) if m.group(1) in self.secrets))

    def report_links(self, mc: MapContext, origin: Origin, where: str, container: str) -> None:
        """K2E368 for each Service variable the last expansions used."""
        for ref, service, value in dict.fromkeys(self.linked):
            mc.report(origin, "K2E368", where=where, container=container, ref=ref, name=service, value=value)
        self.linked.clear()


def service_links(mc: MapContext, namespace: str) -> dict[str, tuple[str, str]]:
    """What the kubelet sets in every container for each Service of its namespace with a cluster IP (`DB_SERVICE_HOST`,
    `DB_SERVICE_PORT`, `DB_PORT_5432_TCP_ADDR`, ...), with the Service's name where it gives the IP: the name is what
    ECS resolves (reachability then resolves or rewrites it like any other call)."""
    out: dict[str, tuple[str, str]] = {}
    for svc in mc.app.services:
        if svc.meta.namespace != namespace or svc.headless or svc.external_name or svc.type == "ExternalName" or not svc.ports:
            continue
        name, prefix = svc.meta.name, svc.meta.name.upper().replace("-", "_")
        first = svc.ports[0]
        values = {f"{prefix}_SERVICE_HOST": name, f"{prefix}_SERVICE_PORT": str(first.port),
                  f"{prefix}_PORT": f"{first.protocol.lower()}://{name}:{first.port}"}
        for p in svc.ports:
            if p.name:
                values[f"{prefix}_SERVICE_PORT_{p.name.upper().replace('-', '_')}"] = str(p.port)
            base = f"{prefix}_PORT_{p.port}_{p.protocol.upper()}"
            values |= {base: f"{p.protocol.lower()}://{name}:{p.port}", f"{base}_PROTO": p.protocol.lower(),
                       f"{base}_PORT": str(p.port), f"{base}_ADDR": name}
        out |= {var: (value, name) for var, value in values.items()}
    return out


def build_environment(mc: MapContext, nb: NamespaceBuild, wl: Workload, c: Container) -> Environment:
    referring = wl.pod.service_links and any("$(" in text for text in (*(v.value or "" for v in c.env), *c.command, *c.args))
    env = Environment(links=service_links(mc, nb.namespace) if referring else {})
    for source in c.env_from:
        _env_from(mc, nb, env, source, (wl, c))
    for var in c.env:
        _env_var(mc, nb, wl, c, env, var)
    return env


def _env_from(mc: MapContext, nb: NamespaceBuild, env: Environment, source: EnvFrom, owner: tuple[Workload, Container]) -> None:
    label = f"envFrom {source.kind} {source.name}"
    if source.kind == "configmap":
        cm = mc.app.config_maps.get((nb.namespace, source.name))
        mc.used.add(("ConfigMap", nb.namespace, source.name))
        if cm is None:
            if not source.optional:
                mc.report(source.origin, "K2E332", ref=label, name=source.name)
            return
        for key, value in cm.data:
            if _valid(mc, source, key, f"ConfigMap {source.name}"):
                _config_value(mc, nb, env, source.prefix + key, source.name, key, value, owner)
        return
    secret = mc.app.secrets.get((nb.namespace, source.name))
    if secret is None:
        if not source.optional:
            # Its keys are unknown, so no variable can refer to it: they are left out, an error.
            mc.report(source.origin, "K2E331", ref=label, name=source.name,
                      secret_name=f"k8s/{nb.namespace}/{source.name}", key="(all keys)", severity=Severity.ERROR)
        return
    for key in secret.keys:
        if _valid(mc, source, key, f"Secret {source.name}"):
            env.set_secret(source.prefix + key, secret_ref(mc, nb, source.name, key, source.origin, label))


def _valid(mc: MapContext, source: EnvFrom, key: str, where: str) -> bool:
    if _ENV_NAME.match(source.prefix + key):
        return True
    mc.report(source.origin, "K2E334", key=key, source=where)
    return False


def _config_value(mc: MapContext, nb: NamespaceBuild, env: Environment, name: str, cm: str, key: str,
                  value: str, owner: tuple[Workload, Container]) -> None:
    if is_credential(key, value) or is_credential(name, value):
        # A password kept in a ConfigMap is still a password: not copied, the same secret to fill as a literal.
        source = mc.app.config_maps.get((nb.namespace, cm))
        origin = source.origin if source is not None else Origin()
        env.set_secret(name, plain_env_ref(mc, nb, owner[0].meta.name, name, origin, owner[1].name))
        return
    parameter = config_parameter(mc, nb, cm, key, value) if mc.options.config_backend == "ssm" and value else None
    if parameter is not None:
        env.set_secret(name, parameter)
    else:
        env.set_literal(name, value)


def _env_var(mc: MapContext, nb: NamespaceBuild, wl: Workload, c: Container, env: Environment, var: EnvVar) -> None:
    if var.key_ref is not None:
        _key_ref(mc, nb, env, var, (wl, c))
    elif var.field_path is not None:
        _field_ref(mc, wl, env, var)
    elif var.resource_field is not None:
        env.set_literal(var.name, _resource_value(wl, c, *var.resource_field))
    elif var.value is not None and is_credential(var.name, var.value):
        env.set_secret(var.name, plain_env_ref(mc, nb, wl.meta.name, var.name, var.origin, c.name))
    elif var.value is not None:
        _literal(mc, env, var, c.name, var.value)


def _literal(mc: MapContext, env: Environment, var: EnvVar, container: str, value: str) -> None:
    """`$(VAR)` of a variable that comes from a secret: Kubernetes expands it, ECS cannot. A value that
    is only the reference takes the same secret; one that mixes it with text cannot arrive, an error."""
    hidden = env.secret_references(value)
    if hidden and _VAR_REF.fullmatch(value):
        env.set_secret(var.name, env.secrets[hidden[0]])
        return
    for ref in dict.fromkeys(hidden):
        mc.report(var.origin, "K2E355", env=var.name, container=container, ref=ref)
    env.set_literal(var.name, env.expand(value))
    env.report_links(mc, var.origin, f"env {var.name}", container)


def _key_ref(mc: MapContext, nb: NamespaceBuild, env: Environment, var: EnvVar, owner: tuple[Workload, Container]) -> None:
    ref = var.key_ref
    assert ref is not None
    label = f"env {var.name}"
    if ref.kind == "secret":
        secret = mc.app.secrets.get((nb.namespace, ref.name))
        if ref.optional and secret is None:
            return
        if secret is not None and ref.key not in secret.keys:
            mc.used.add(("Secret", nb.namespace, ref.name))
            missing_key(mc, var.origin, label, "Secret", ref.name, ref.key, ref.optional, "the variable")
            return
        env.set_secret(var.name, secret_ref(mc, nb, ref.name, ref.key, var.origin, label))
        return
    cm = mc.app.config_maps.get((nb.namespace, ref.name))
    mc.used.add(("ConfigMap", nb.namespace, ref.name))
    if cm is None:
        if not ref.optional:
            mc.report(var.origin, "K2E332", ref=label, name=ref.name)
        return
    data = dict(cm.data)
    if ref.key not in data:
        missing_key(mc, var.origin, label, "ConfigMap", ref.name, ref.key, ref.optional, "the variable")
        return
    _config_value(mc, nb, env, var.name, ref.name, ref.key, data[ref.key], owner)


def missing_key(mc: MapContext, origin: Origin, ref: str, kind: str, name: str, key: str, optional: bool, what: str) -> None:
    """A key reference to a ConfigMap or Secret of the input that lacks the key: the kubelet refuses to
    start the container (an error), unless the reference is optional (then the value is simply absent)."""
    code = "K2E013" if optional else "K2E336"
    mc.report(origin, code, ref=ref, key=key, kind=kind, name=name, what=what)


def _field_ref(mc: MapContext, wl: Workload, env: Environment, var: EnvVar) -> None:
    path = var.field_path or ""
    labels, annotations = dict(wl.pod_labels), dict(wl.meta.annotations)
    simple = {"metadata.name": wl.meta.name, "metadata.namespace": wl.meta.namespace,
              "spec.serviceAccountName": wl.pod.service_account or "default"}
    match = re.match(r"^metadata\.(labels|annotations)\['([^']+)'\]$", path)
    if path in simple:
        env.set_literal(var.name, simple[path])
    elif match:
        source = labels if match.group(1) == "labels" else annotations
        env.set_literal(var.name, source.get(match.group(2), ""))
    else:
        mc.report(var.origin, "K2E333", env=var.name, path=path)


def _resource_value(wl: Workload, c: Container, container: str, resource: str, divisor: str) -> str:
    """resourceFieldRef: the quantity divided by the divisor, rounded up (as the kubelet does)."""
    target = next((x for x in wl.pod.containers if x.name == container), c) if container else c
    res = target.resources
    values = {"limits.cpu": res.cpu_limit, "requests.cpu": res.cpu_request, "limits.memory": res.memory_limit,
              "requests.memory": res.memory_request, "limits.ephemeral-storage": res.storage_limit,
              "requests.ephemeral-storage": res.storage_request}
    amount = values.get(resource) or values.get(resource.replace("requests", "limits")) or Decimal(0)
    try:
        unit = parse_quantity(divisor) or Decimal(1)
    except ValueError:
        unit = Decimal(1)
    quotient = amount / unit
    whole = int(quotient) if quotient == int(quotient) else int(quotient) + 1
    return str(whole)
