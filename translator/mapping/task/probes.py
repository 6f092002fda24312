"""Kubernetes probes to the ECS container health check and the target-group health check.

Ranges (mapping-reference 2.2): container check Interval 5-300, Timeout 2-60, Retries 1-10,
StartPeriod 0-300; target group Interval 5-300, Timeout 2-120 (and below the interval),
thresholds 2-10. A value moved into range is reported when the manifest set it.
"""

from __future__ import annotations

import shlex
from dataclasses import replace

from translator.findings.model import Severity
from translator.mapping.context import MapContext
from translator.model.app import Container, Probe, Workload
from translator.model.ecs import HealthCheck, Matcher, TargetHealthCheck
from translator.source.credentials import is_credential


def _clamp(mc: MapContext, probe: Probe, name: str, field: str, value: int, low: int, high: int,
           default: int | None) -> int:
    """Move `value` into range; report it unless it is the Kubernetes default (None: always report).

    Raising a value (a longer period or timeout, more retries, a longer start period) only makes the
    check more tolerant: info. Lowering one makes it stricter, so it may fail where Kubernetes' passed.
    """
    clamped = min(max(value, low), high)
    if clamped != value and value != default:
        mc.report(probe.origin, "K2E310", probe=name, field=field, value=value, low=low, high=high,
                  clamped=clamped, severity=Severity.INFO if clamped > value else Severity.WARNING)
    return clamped


def resolve_port(c: Container, port: int | str | None) -> int | None:
    if isinstance(port, int):
        return port
    for p in c.ports:
        if p.name and p.name == port:
            return p.container_port
    return None


def container_health_check(mc: MapContext, c: Container) -> HealthCheck | None:
    """The livenessProbe as the container health check, or the startupProbe when it is the only one.

    A startup probe alone still restarts a container that never starts, so its check becomes the
    health check; Kubernetes stops running it once it passes, ECS keeps running it.
    """
    probe, name = (c.liveness, "livenessProbe") if c.liveness is not None else (c.startup, "startupProbe")
    if probe is None:
        return None
    command = _command(mc, c, probe, name)
    if command is None:
        return None
    mc.report(probe.origin, "K2E314", probe=name, container=c.name)
    interval = _clamp(mc, probe, name, "periodSeconds", probe.period, 5, 300, 10)
    timeout = _clamp(mc, probe, name, "timeoutSeconds", probe.timeout, 2, 60, 1)
    retries = _clamp(mc, probe, name, "failureThreshold", probe.failure, 1, 10, 3)
    return HealthCheck(tuple(command), interval, timeout, retries, _start_period(mc, c, probe) or None)


def _start_period(mc: MapContext, c: Container, check: Probe) -> int:
    """Kubernetes runs no liveness check before the startup probe passes, which may take the startup
    budget, initialDelaySeconds + failureThreshold x periodSeconds; ECS ignores failures for StartPeriod.
    `check` is the probe the health check runs (the liveness probe, else the startup probe)."""
    startup = c.startup
    if startup is None:
        return _clamp(mc, check, "livenessProbe", "start period", check.initial_delay, 0, 300, default=None)
    budget = startup.initial_delay + startup.period * startup.failure
    wanted = max(budget, c.liveness.initial_delay) if c.liveness is not None else budget
    return _clamp(mc, startup, "startupProbe", "start period", wanted, 0, 300, default=None)


def readiness_without_balancer(mc: MapContext, wl: Workload, balanced: set[str]) -> None:
    """A readiness probe acts on ECS only as the health check of a target group the container is in
    (`balanced`: the containers of the workload's ECS service that are in one)."""
    for c in (*wl.pod.init_containers, *wl.pod.containers):
        if c.readiness is not None and c.name not in balanced:
            mc.report(c.readiness.origin, "K2E313", container=c.name)


def _command(mc: MapContext, c: Container, probe: Probe, name: str) -> list[str] | None:
    if probe.kind == "exec":
        if not probe.command:
            return None
        return ["CMD", *probe.command]
    port = resolve_port(c, probe.port)
    if port is None:
        mc.report(probe.origin, "K2E312", probe=name, container=c.name,
                  detail=f"port {probe.port!r} is not a port of the container",
                  remediation="Use the port number or name a declared container port.")
        return None
    host = probe.host or "127.0.0.1"
    if probe.kind == "tcp":
        mc.report(probe.origin, "K2E311", probe=name, container=c.name, tool="nc")
        return ["CMD-SHELL", f"nc -z {shlex.quote(host)} {port} || exit 1"]
    if probe.kind == "grpc":
        mc.report(probe.origin, "K2E311", probe=name, container=c.name, tool="grpc_health_probe")
        argv = ["CMD", "/bin/grpc_health_probe", f"-addr=:{port}"]
        return argv + ([f"-service={probe.grpc_service}"] if probe.grpc_service else [])
    mc.report(probe.origin, "K2E311", probe=name, container=c.name, tool="curl")
    scheme = "https" if probe.scheme == "HTTPS" else "http"
    for header, value in probe.headers:
        if is_credential(header, value):
            mc.report(probe.origin, "K2E339", where=f"header {header} of the {name}", container=c.name, what="probe headers")
    headers = "".join(f" -H {shlex.quote(f'{k}: {v}')}" for k, v in probe.headers)
    insecure = " -k" if scheme == "https" else ""
    url = shlex.quote(f"{scheme}://{host}:{port}{probe.path or '/'}")
    return ["CMD-SHELL", f"curl -fsS -o /dev/null{insecure}{headers} {url} || exit 1"]


def target_group_timeout(timeout: int, interval: int) -> int:
    """A target group's health-check timeout: 2 s at least and below the interval, as ELB requires."""
    return max(2, min(timeout, interval - 1))


GRPC_HEALTH_PATH = "/grpc.health.v1.Health/Check"  # the standard gRPC health service a grpc probe calls


def target_group_health_check(mc: MapContext, c: Container | None, network: bool,
                              grpc: bool = False) -> TargetHealthCheck:
    """Target-group health check from the readiness probe (controller defaults otherwise); `grpc`: the
    target group speaks gRPC, so a grpc readiness probe becomes a call to the standard health service."""
    probe = c.readiness if c is not None else None
    http = TargetHealthCheck("HTTP", 15, 5, 2, 2, path="/", matcher=Matcher(http_code="200-399"))
    if probe is None:
        return TargetHealthCheck("TCP", 15, 5, 2, 2) if network else http
    name = "readinessProbe"
    interval = _clamp(mc, probe, name, "periodSeconds", probe.period, 5, 300, 10)
    timeout = target_group_timeout(_clamp(mc, probe, name, "timeoutSeconds", probe.timeout, 2, 120, 1), interval)
    healthy = _clamp(mc, probe, name, "successThreshold", probe.success, 2, 10, 1)
    unhealthy = _clamp(mc, probe, name, "failureThreshold", probe.failure, 2, 10, 3)
    port = resolve_port(c, probe.port) if c is not None else None
    check = replace(http, interval=interval, timeout=timeout, healthy=healthy, unhealthy=unhealthy,
                    port=str(port) if port is not None else None)
    if probe.kind == "http" and not network:
        check = replace(check, protocol=probe.scheme if probe.scheme in ("HTTP", "HTTPS") else "HTTP",
                        path=probe.path or "/")
        if probe.headers:
            mc.report(probe.origin, "K2E312", probe=name, container=c.name if c else "",
                      detail="target-group health checks send no custom headers",
                      remediation="Make the health endpoint answer without the headers.")
    elif network:
        check = replace(check, protocol="TCP", path=None, matcher=None)
    elif grpc and probe.kind == "grpc":
        check = replace(check, path=GRPC_HEALTH_PATH)
    else:
        mc.report(probe.origin, "K2E312", probe=name, container=c.name if c else "",
                  detail=f"the readiness check ({probe.kind}) cannot run on an Application Load Balancer",
                  remediation="Add an HTTP health endpoint; the target group checks / for now.")
    return check
