"""Container definitions from the pod's containers, init containers and sidecars."""

from __future__ import annotations

from translator.findings.catalogue import NO_EQUIVALENT
from translator.findings.model import Severity
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.names import port_name
from translator.mapping.task import devices
from translator.mapping.task.environment import Environment, build_environment
from translator.mapping.task.probes import container_health_check
from translator.mapping.task.secrets import secret_arn
from translator.model.app import Container, Port, Workload
from translator.model.ecs import (
    ContainerDefinition,
    ContainerDependency,
    KernelCapabilities,
    KeyValuePair,
    KeyValues,
    LinuxParameters,
    LogConfiguration,
    PortMapping,
    RepositoryCredentials,
    RestartPolicy,
    Secret,
)
from translator.model.intrinsics import Linked
from translator.model.record import record
from translator.options import MANAGED_INSTANCES
from translator.source.credentials import credential_args
from translator.source.quantity import cpu_units, mebibytes

MAX_CONTAINERS = 10
FARGATE_CAPABILITIES = ("SYS_PTRACE",)
# The capabilities ECS takes in LinuxParameters Capabilities Add (botocore ECS model, KernelCapabilities add):
# all of them on Managed Instances and EC2 (Fargate: SYS_PTRACE only). Newer kernel ones (BPF, PERFMON) are not listed.
ECS_CAPABILITIES = frozenset((
    "ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
    "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD",
    "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
    "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM"))


def log_configuration(log: KeyValues, prefix: str) -> LogConfiguration:
    """awslogs to the task's log group (`log`: its group and region), streams named after the container."""
    return LogConfiguration("awslogs", KeyValues((*log.items, ("awslogs-stream-prefix", prefix))))


def container_definitions(mc: MapContext, nb: NamespaceBuild, wl: Workload, log: KeyValues,
                          extra_ports: dict[str, list[Port]]) -> tuple[ContainerDefinition, ...]:
    """Definitions in task order (init containers first)."""
    pod = wl.pod
    ordered = [*pod.init_containers, *pod.containers]
    if len(ordered) > MAX_CONTAINERS:
        mc.report(pod.origin, "K2E306", count=len(ordered))
        ordered = ordered[:MAX_CONTAINERS]
    instances = mc.options.launch_type == MANAGED_INSTANCES
    task = _Task([c.name for c in ordered if c.init], [c.name for c in ordered if c.sidecar], log,
                 _stop_timeout(mc, wl), _pull_credentials(mc, nb, wl), instances, wl.daemon,
                 devices.neuron_owner(wl) if instances else "",
                 devices.task_gpus(wl) if instances else 0)
    used_ports: set[str] = set()
    definitions: list[ContainerDefinition] = []
    for c in ordered:
        env = build_environment(mc, nb, wl, c)
        definitions.append(_definition(mc, c, env, task, used_ports, extra_ports.get(c.name, [])))
    return tuple(definitions)


@record
class _Task:
    """What every container definition of the task shares."""

    inits: list[str]
    sidecars: list[str]
    log: KeyValues
    stop: int | None
    pull: Linked | None
    instances: bool = False  # Managed Instances: devices and every capability ECS takes
    daemon: bool = False
    neuron: str = ""  # the container that gets the instance's Neuron devices
    gpus: int = 0  # the task's NVIDIA GPUs


def _argument_name(c: Container, index: int) -> str:
    """`args[1]` or `command[2]`: where the credential sits, never the credential itself."""
    return f"command[{index}]" if index < len(c.command) else f"args[{index - len(c.command)}]"


def _definition(mc: MapContext, c: Container, env: Environment, task: _Task, used_ports: set[str],
                extra_ports: list[Port]) -> ContainerDefinition:
    entry_point = tuple(env.expand(x) for x in c.command) or None
    command = tuple(env.expand(x) for x in c.args) or None
    env.report_links(mc, c.origin, "command or args", c.name)
    for index, argument in enumerate((*c.command, *c.args)):
        for ref in env.secret_references(argument):
            mc.report(c.origin, "K2E369", where=_argument_name(c, index), container=c.name, ref=ref)
    for index in credential_args([*c.command, *c.args]):
        mc.report(c.origin, "K2E339", where=_argument_name(c, index), container=c.name, what="arguments")
    ports = _port_mappings(mc, c, used_ports, extra_ports)
    cpu, memory, reservation = _resources(c) if not c.init else (None, None, None)
    check = container_health_check(mc, c) if not c.init else None
    caps = _capabilities(mc, c, task.instances)
    assigned = _devices(mc, c, task) if task.instances else None
    return ContainerDefinition(
        c.name, c.image, essential=not (c.init or c.sidecar), entry_point=entry_point, command=command,
        port_mappings=tuple(ports) or None,
        environment=tuple(KeyValuePair(k, v) for k, v in env.literals.items()) or None,
        secrets=tuple(Secret(k, v) for k, v in env.secrets.items()) or None,
        cpu=cpu, memory=memory, memory_reservation=reservation, health_check=check,
        working_directory=c.working_dir or None, user=c.user or None, readonly_root_filesystem=c.read_only_root,
        pseudo_terminal=True if c.tty else None, interactive=True if c.stdin else None,
        linux_parameters=LinuxParameters(caps) if caps is not None else None,
        restart_policy=RestartPolicy(True) if c.sidecar else None,
        log_configuration=log_configuration(task.log, c.name), stop_timeout=task.stop,
        repository_credentials=RepositoryCredentials(task.pull) if task.pull is not None else None,
        depends_on=_dependencies(mc, c, task.inits, task.sidecars),
        resource_requirements=assigned.requirements or None if assigned is not None else None)


def _devices(mc: MapContext, c: Container, task: _Task) -> devices.Assigned:
    """The container's GPUs and Neuron devices (Managed Instances), each reported where it is set."""
    assigned = devices.assign(c, task.daemon, task.neuron, task.gpus)
    for resource, why in assigned.refused:
        mc.report(resource.origin, "K2E883", device=resource.name, amount=resource.amount, container=c.name, why=why)
    refused = {id(r) for r, _ in assigned.refused}
    for resource in (r for r in c.devices if id(r) not in refused):
        if resource.name == devices.GPU:
            mc.report(resource.origin, "K2E881", container=c.name, count=resource.amount, total=task.gpus)
        else:
            mc.report(resource.origin, "K2E882", container=c.name, device=resource.name, amount=resource.amount)
    return assigned


def _port_mappings(mc: MapContext, c: Container, used: set[str], extra: list[Port]) -> list[PortMapping]:
    """One mapping per container port. ECS rejects a container port exposed for two protocols
    (API PortMapping), so of 53/TCP and 53/UDP the first declared is mapped and the other reported;
    in awsvpc mode the mapping does not filter traffic, it names the port for load balancers."""
    out: list[PortMapping] = []
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
        out.append(PortMapping(p.container_port, p.protocol.lower(), name))
    return out


def _resources(c: Container) -> tuple[int | None, int | None, int | None]:
    """(cpu, memory, memoryReservation) of the container definition."""
    res = c.resources
    cpu = res.cpu_request or res.cpu_limit
    limit = mebibytes(res.memory_limit) if res.memory_limit else None
    request = mebibytes(res.memory_request) if res.memory_request else None
    reservation = max(request, 6) if request and (limit is None or request < limit) else None
    return cpu_units(cpu) if cpu else None, max(limit, 6) if limit else None, reservation


def _capabilities(mc: MapContext, c: Container, instances: bool) -> KernelCapabilities | None:
    """Fargate adds SYS_PTRACE only; Managed Instances every capability ECS takes (ECS_CAPABILITIES)."""
    allowed_set = ECS_CAPABILITIES if instances else FARGATE_CAPABILITIES
    allowed = [x for x in c.capabilities_add if x in allowed_set]
    lost = [x for x in c.capabilities_add if x not in allowed_set]
    if lost and instances:
        mc.report(c.origin, "K2E200", field=f"securityContext.capabilities.add {', '.join(lost)}",
                  what=NO_EQUIVALENT, note="ECS takes only the capabilities of its KernelCapabilities list, which "
                  "lacks these", remediation="Add SYS_ADMIN instead if the container needs what these capabilities "
                  "allow (BPF and PERFMON were split from it), or run it privileged.")
    elif lost:
        mc.report(c.origin, "K2E200", field=f"securityContext.capabilities.add {', '.join(lost)}",
                  what=NO_EQUIVALENT, note="Fargate can only add SYS_PTRACE",
                  remediation="Remove the need for these capabilities, or use the EC2 launch type.")
    if not c.capabilities_drop and not allowed:
        return None
    return KernelCapabilities(drop=tuple(c.capabilities_drop) or None, add=tuple(allowed) or None)


def _stop_timeout(mc: MapContext, wl: Workload) -> int | None:
    grace = wl.pod.termination_grace
    if grace is None or grace == 30:  # Kubernetes' default and ECS's: a live object spells it out, a file rarely
        return None
    clamped = min(max(grace, 2), 120)
    if clamped != grace:  # a longer grace period than asked cuts nothing off: info
        mc.report(wl.pod.origin, "K2E320", value=grace, clamped=clamped,
                  severity=Severity.INFO if clamped > grace else Severity.WARNING)
    return clamped


def _dependencies(mc: MapContext, c: Container, inits: list[str],
                  sidecars: list[str]) -> tuple[ContainerDependency, ...] | None:
    """Init containers run one after another; sidecars start before the app containers."""
    depends: list[ContainerDependency] = []
    if c.init:
        position = inits.index(c.name)
        if position:
            depends.append(ContainerDependency(inits[position - 1], "SUCCESS"))
        mc.report(c.origin, "K2E321", container=c.name)
    else:
        if inits:
            depends.append(ContainerDependency(inits[-1], "SUCCESS"))
        if c.sidecar:
            mc.report(c.origin, "K2E322", container=c.name)
        else:
            depends.extend(ContainerDependency(s, "START") for s in sidecars)
    return tuple(depends) or None


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
