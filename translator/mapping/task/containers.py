"""Container definitions (ECS API shape) from the pod's containers, init containers and sidecars."""

from __future__ import annotations

from typing import Any

from translator.findings.model import Severity
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import port_name
from translator.mapping.task.environment import Environment, build_environment
from translator.mapping.task.probes import container_health_check
from translator.mapping.task.secrets import secret_arn
from translator.model.app import Container, Port, Workload
from translator.model.intrinsics import Linked
from translator.source.credentials import credential_args
from translator.source.quantity import cpu_units, mebibytes

MAX_CONTAINERS = 10
FARGATE_CAPABILITIES = ("SYS_PTRACE",)


def container_definitions(mc: MapContext, nb: NamespaceBuild, wl: Workload, log: dict[str, Any],
                          extra_ports: dict[str, list[Port]]) -> list[dict[str, Any]]:
    """Definitions in task order (init containers first)."""
    pod = wl.pod
    ordered = [*pod.init_containers, *pod.containers]
    if len(ordered) > MAX_CONTAINERS:
        mc.report(pod.origin, "K2E306", count=len(ordered))
        ordered = ordered[:MAX_CONTAINERS]
    inits = [c.name for c in ordered if c.init]
    sidecars = [c.name for c in ordered if c.sidecar]
    used_ports: set[str] = set()
    definitions: list[dict[str, Any]] = []
    stop = _stop_timeout(mc, wl)
    pull = _pull_credentials(mc, nb, wl)
    for c in ordered:
        env = build_environment(mc, nb, wl, c)
        definition = _definition(mc, wl, c, env, log, used_ports, extra_ports.get(c.name, []))
        if stop is not None:
            definition["stopTimeout"] = stop
        if pull is not None:
            definition["repositoryCredentials"] = {"credentialsParameter": pull}
        _dependencies(mc, c, definition, inits, sidecars)
        definitions.append(definition)
    return definitions


def _argument_name(c: Container, index: int) -> str:
    """`args[1]` or `command[2]`: where the credential sits, never the credential itself."""
    return f"command[{index}]" if index < len(c.command) else f"args[{index - len(c.command)}]"


def _definition(mc: MapContext, wl: Workload, c: Container, env: Environment, log: dict[str, Any],
                used_ports: set[str], extra_ports: list[Port]) -> dict[str, Any]:
    d: dict[str, Any] = {"name": c.name, "image": c.image, "essential": not (c.init or c.sidecar)}
    if c.command:
        d["entryPoint"] = [env.expand(x) for x in c.command]
    if c.args:
        d["command"] = [env.expand(x) for x in c.args]
    for index in credential_args([*c.command, *c.args]):
        mc.report(c.origin, "K2E339", where=_argument_name(c, index), container=c.name, what="arguments")
    ports = _port_mappings(mc, c, used_ports, extra_ports)
    if ports:
        d["portMappings"] = ports
    if env.literals:
        d["environment"] = [{"name": k, "value": v} for k, v in env.literals.items()]
    if env.secrets:
        d["secrets"] = [{"name": k, "valueFrom": v} for k, v in env.secrets.items()]
    if not c.init:
        d.update(_resources(c))
    check = container_health_check(mc, c) if not c.init else None
    if check:
        d["healthCheck"] = check
    d.update(_simple_fields(c))
    caps = _capabilities(mc, c)
    if caps:
        d["linuxParameters"] = {"capabilities": caps}
    if c.sidecar:
        d["restartPolicy"] = {"enabled": True}
    d["logConfiguration"] = {"logDriver": "awslogs", "options": {**log, "awslogs-stream-prefix": c.name}}
    return d


def _simple_fields(c: Container) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if c.working_dir:
        out["workingDirectory"] = c.working_dir
    if c.user:
        out["user"] = c.user
    if c.read_only_root is not None:
        out["readonlyRootFilesystem"] = c.read_only_root
    if c.tty:
        out["pseudoTerminal"] = True
    if c.stdin:
        out["interactive"] = True
    return out


def _port_mappings(mc: MapContext, c: Container, used: set[str], extra: list[Port]) -> list[dict[str, Any]]:
    """One mapping per container port. ECS rejects a container port exposed for two protocols
    (API PortMapping), so of 53/TCP and 53/UDP the first declared is mapped and the other reported;
    in awsvpc mode the mapping does not filter traffic, it names the port for load balancers."""
    out: list[dict[str, Any]] = []
    mapped: dict[int, str] = {}  # container port -> the protocol it is mapped for
    for p in [*c.ports, *extra]:
        if p.protocol not in ("TCP", "UDP"):
            mc.report(p.origin or c.origin, "K2E315", port=p.container_port, protocol=p.protocol, container=c.name)
            continue
        kept = mapped.get(p.container_port)
        if kept is not None:
            if kept != p.protocol:
                mc.report(p.origin or c.origin, "K2E318", port=p.container_port, protocol=p.protocol, kept=kept,
                          container=c.name)
            continue  # a port mapped already (for this protocol: a repeated declaration)
        mapped[p.container_port] = p.protocol
        name = port_name(p.name) if p.name and port_name(p.name) not in used else ""
        name = name or port_name(f"{c.name}-{p.container_port}")
        used.add(name)
        out.append({"containerPort": p.container_port, "protocol": p.protocol.lower(), "name": name})
    return out


def _resources(c: Container) -> dict[str, Any]:
    res = c.resources
    out: dict[str, Any] = {}
    cpu = res.cpu_request or res.cpu_limit
    if cpu:
        out["cpu"] = cpu_units(cpu)
    limit = mebibytes(res.memory_limit) if res.memory_limit else None
    request = mebibytes(res.memory_request) if res.memory_request else None
    if limit:
        out["memory"] = max(limit, 6)
    if request and (limit is None or request < limit):
        out["memoryReservation"] = max(request, 6)
    return out


def _capabilities(mc: MapContext, c: Container) -> dict[str, list[str]]:
    caps: dict[str, list[str]] = {}
    if c.capabilities_drop:
        caps["drop"] = list(c.capabilities_drop)
    allowed = [x for x in c.capabilities_add if x in FARGATE_CAPABILITIES]
    lost = [x for x in c.capabilities_add if x not in FARGATE_CAPABILITIES]
    if allowed:
        caps["add"] = allowed
    if lost:
        mc.report(c.origin, "K2E200", field=f"securityContext.capabilities.add {', '.join(lost)}",
                  verdict="none", note="Fargate can only add SYS_PTRACE",
                  remediation="Remove the need for these capabilities, or use the EC2 launch type.")
    return caps


def _stop_timeout(mc: MapContext, wl: Workload) -> int | None:
    grace = wl.pod.termination_grace
    if grace is None or grace == 30:  # Kubernetes' default and ECS's: a live object spells it out, a file rarely
        return None
    clamped = min(max(grace, 2), 120)
    if clamped != grace:  # a longer grace period than asked cuts nothing off: info
        mc.report(wl.pod.origin, "K2E320", value=grace, clamped=clamped,
                  severity=Severity.INFO if clamped > grace else Severity.WARNING)
    return clamped


def _dependencies(mc: MapContext, c: Container, d: dict[str, Any], inits: list[str], sidecars: list[str]) -> None:
    """Init containers run one after another; sidecars start before the app containers."""
    depends: list[dict[str, str]] = []
    if c.init:
        position = inits.index(c.name)
        if position:
            depends.append({"containerName": inits[position - 1], "condition": "SUCCESS"})
        mc.report(c.origin, "K2E321", container=c.name)
    else:
        if inits:
            depends.append({"containerName": inits[-1], "condition": "SUCCESS"})
        if c.sidecar:
            mc.report(c.origin, "K2E322", container=c.name)
        else:
            depends.extend({"containerName": s, "condition": "START"} for s in sidecars)
    if depends:
        d["dependsOn"] = depends


def _pull_credentials(mc: MapContext, nb: NamespaceBuild, wl: Workload) -> Linked | None:
    names = list(wl.pod.image_pull_secrets)
    account = mc.app.service_accounts.get((nb.namespace, wl.pod.service_account or "default"))
    if not names and account is not None:
        names = list(account.image_pull_secrets)
    names = [n for n in names if n]
    if not names:
        return None
    name = names[0]
    arn = secret_arn(mc, nb, name, wl.pod.origin, f"imagePullSecret {name}")
    if (nb.namespace, name) in mc.app.secrets:  # a missing one is K2E331, which already asks for username and password
        mc.report(wl.pod.origin, "K2E352", name=name, secret_name=f"k8s/{nb.namespace}/{name}")
    return arn
