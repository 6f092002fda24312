"""The pod template shared by Deployment, ReplicaSet and every later controller kind."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from translator.k8s.common import PORT_MAX, first_of_each, origin, unquoted
from translator.k8s.podplacement import parse_placement
from translator.k8s.podvolumes import parse_mounts, parse_volumes
from translator.model.app import (
    Container,
    EnvFrom,
    EnvVar,
    ExtendedResource,
    KeyRef,
    Origin,
    PodSpec,
    Port,
    Probe,
    Resources,
)
from translator.model.record import record
from translator.source.credentials import is_credential
from translator.source.quantity import is_milli_bytes, parse_quantity
from translator.source.reader import Reader


@record
class Template:
    """A controller's pod template: the pod spec to parse and the labels its pods carry."""

    spec: Reader
    labels: dict[str, str]


def controller_template(root: Reader) -> tuple[Reader, Template] | None:
    """The spec and pod template of a controller kind, each missing part reported (Kubernetes rejects
    the object too); None when there is nothing to translate."""
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return None
    template = pod_template(spec)
    return (spec, template) if template is not None else None


def pod_template(spec: Reader) -> Template | None:
    """`spec.template` of a controller or Job spec. The selector only binds pods to their controller,
    and an ECS service or task owns its tasks, so it is read and needs nothing."""
    spec.ignore("selector")
    template = spec.child("template")
    pod_spec = template.child("spec") if template else None
    if template is None or pod_spec is None:
        spec.report("K2E004", "template", field=f"{spec.field()}.template.spec")
        return None
    template_meta = template.child("metadata")
    labels = template_meta.str_map("labels") if template_meta else {}
    if template_meta is not None:
        template_meta.ignore("creationTimestamp")
    return Template(pod_spec, labels)


def parse_pod(spec: Reader, labels: dict[str, str] | None = None, claim_templates: bool = False) -> PodSpec:
    """The pod spec; `claim_templates` says a StatefulSet adds volumes the spec does not list."""
    security = spec.child("securityContext")
    pod_user = _user(security) if security else ""
    volumes = tuple(parse_volumes(spec))
    owned = claim_templates or any(v.kind in ("persistentVolumeClaim", "configMap", "secret") for v in volumes)
    # fsGroup is kept where kube2ecs sets file ownership (EFS access points, written files); elsewhere the sweep reports it.
    fs_group = security.int("fsGroup") if security is not None and owned else None
    architecture, placement = parse_placement(spec, labels or {})
    containers = tuple(parse_container(c, pod_user, False) for c in spec.items("containers"))
    inits = tuple(parse_container(c, pod_user, True) for c in spec.items("initContainers"))
    inits, containers = _unique_names(spec, inits, containers)
    if not containers:
        spec.report("K2E004", "containers", field=spec.field("containers"))
    if security is not None and not security.data:
        spec.ignore("securityContext")
    if spec.data.get("serviceAccountName") or spec.data.get("serviceAccount") == spec.data.get("serviceAccountName"):
        # The deprecated alias the API server fills in; when both are given, serviceAccountName wins there and the
        # alias is overwritten with it (core/v1 conversion), so the pod never runs as the alias's account.
        spec.ignore("serviceAccount")
    return PodSpec(
        containers=containers,
        init_containers=inits,
        service_account=spec.str("serviceAccountName") or spec.str("serviceAccount") or "",
        image_pull_secrets=tuple(s.str("name") or "" for s in spec.items("imagePullSecrets")),
        termination_grace=spec.int("terminationGracePeriodSeconds"),
        volumes=volumes,
        share_process_namespace=bool(spec.bool("shareProcessNamespace")),
        # raw: the field stays untranslated (K2E200), it only decides whether $(SVC_SERVICE_HOST) expands
        service_links=spec.data.get("enableServiceLinks") is not False,
        cpu_architecture=architecture,
        placement=placement,
        run_as_user=security.int("runAsUser") if security is not None else None,
        run_as_group=security.int("runAsGroup") if security is not None else None,
        fs_group=fs_group,
        origin=origin(spec),
        host_pid=_host(spec, "hostPID"),
        host_ipc=_host(spec, "hostIPC"),
    )


def _host(spec: Reader, key: str) -> Origin | None:
    """Where `hostPID: true` (or hostIPC) is set, read only for instances (source/reader.Context): on
    Fargate the sweep reports the field."""
    if not spec.ctx.instances or key not in spec.data:
        return None
    return _origin_at(spec, key) if spec.bool(key) else None


def _unique_names(spec: Reader, inits: tuple[Container, ...],
                  containers: tuple[Container, ...]) -> tuple[tuple[Container, ...], tuple[Container, ...]]:
    """Container names are unique across a pod's init and app containers. A container without a
    name, already reported as missing it, is left out as well."""
    kept = first_of_each(spec, (c for c in (*inits, *containers) if c.name), lambda c: c.name, "container",
                         lambda c: c.name)
    ids = {id(c) for c in kept}
    return tuple(c for c in inits if id(c) in ids), tuple(c for c in containers if id(c) in ids)


def _user(security: Reader) -> str:
    uid = security.int("runAsUser")
    gid = security.int("runAsGroup")
    if uid is None:
        return ""
    return f"{uid}:{gid}" if gid is not None else str(uid)


def parse_container(c: Reader, pod_user: str, init: bool) -> Container:
    name = c.str("name") or ""
    if not name:
        c.report("K2E004", "name", field=c.field("name"))
    image = c.str("image") or ""
    if not image:
        c.report("K2E004", "image", field=c.field("image"))
    security = c.child("securityContext")
    privileged = security is not None and bool(security.bool("privileged"))
    restart = c.str("restartPolicy") if init else None
    return Container(
        name=name,
        image=image,
        command=tuple(c.str_list("command")),
        args=tuple(c.str_list("args")),
        ports=tuple(_ports(c)),
        env=tuple(_env(c)),
        env_from=tuple(_env_from(c)),
        resources=_resources(c),
        liveness=_probe(c, "livenessProbe"),
        readiness=_probe(c, "readinessProbe"),
        startup=_probe(c, "startupProbe"),
        working_dir=c.str("workingDir") or "",
        user=(_user(security) if security else "") or pod_user,
        read_only_root=security.bool("readOnlyRootFilesystem") if security else None,
        capabilities_add=_capabilities(security, "add"),
        capabilities_drop=_capabilities(security, "drop"),
        tty=bool(c.bool("tty")),
        stdin=bool(c.bool("stdin")),
        mounts=tuple(parse_mounts(c)),
        init=init and restart != "Always",
        sidecar=init and restart == "Always",
        pre_stop=_peek(c.data, "lifecycle", "preStop") is not None,
        privileged=_origin_at(security, "privileged") if security is not None and privileged else None,
        origin=origin(c),
        devices=_extended(c) if c.ctx.instances else (),
    )


def _peek(data: dict, *path: str) -> object:
    """Look at a value without recording a read, so the sweep still reports it as not translated."""
    node: object = data
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _origin_at(r: Reader, key: str) -> Origin:
    return Origin(r.ctx.location(r.at(key)), r.ctx.resource)


def _capabilities(security: Reader | None, which: str) -> tuple[str, ...]:
    if security is None:
        return ()
    caps = security.child("capabilities")
    if caps is None:
        return ()
    if which == "drop":
        return tuple(str(x).upper().removeprefix("CAP_") for x in caps.str_list("drop"))
    if "add" not in caps.data:
        return ()
    return tuple(str(x).upper().removeprefix("CAP_") for x in caps.str_list("add"))


def _ports(c: Reader) -> list[Port]:
    out: list = []
    for p in c.items("ports"):
        number = p.int_in("containerPort", 1, PORT_MAX)
        if number is None:
            if "containerPort" not in p.data:
                p.report("K2E004", "containerPort", field=p.field("containerPort"))
            p.ignore(*p.fields())  # the entry is left out whole, as its finding says: its other fields are no news
            continue
        if p.data.get("hostPort") == number:
            p.ignore("hostPort")
        out.append(Port(number, (p.str("protocol") or "TCP").upper(), p.str("name") or "", origin(p)))
    return out


def _env(c: Reader) -> list[EnvVar]:
    out: list = []
    for e in c.items("env"):
        name = e.str("name") or ""
        source = e.child("valueFrom")
        if source is None:
            value = e.data.get("value")
            if isinstance(value, int | float):  # bool is an int
                _not_a_string(c, e, name, value)
            elif value is None or isinstance(value, str):
                out.append(EnvVar(name, value=e.str("value") or "", origin=origin(e)))
            else:
                e.str("value")  # a list or a mapping: reported as the wrong type, and left out
            continue
        out.append(_env_source(name, source, e))
    return out


def _not_a_string(c: Reader, e: Reader, name: str, value: object) -> None:
    """`value: 1e3` is the number 1000.0 to YAML and an error to the API server (env values are strings).
    Guessing which text was meant (`1e3`? `1000`?) could change the program's input, so the variable is
    left out and the finding shows the quoted form of what was written. A secret-looking value is not shown."""
    written, read, fix = unquoted(e, "value", value)
    if is_credential(name, written):
        written, read, fix = "<the value>", "a number or a boolean", '"<the value>"'
    container = c.data.get("name") if isinstance(c.data.get("name"), str) else "?"
    e.report("K2E011", "value", env=name, container=container, text=written, read=read, fix=fix)


def _env_source(name: str, source: Reader, e: Reader) -> EnvVar:
    for key, kind in (("configMapKeyRef", "configmap"), ("secretKeyRef", "secret")):
        ref = source.child(key)
        if ref is not None:
            key_ref = KeyRef(kind, ref.str("name") or "", ref.str("key") or "", bool(ref.bool("optional")))
            return EnvVar(name, key_ref=key_ref, origin=origin(source))
    field_ref = source.child("fieldRef")
    if field_ref is not None:
        field_ref.ignore("apiVersion")
        return EnvVar(name, field_path=field_ref.str("fieldPath") or "", origin=origin(field_ref))
    res = source.child("resourceFieldRef")
    if res is not None:
        divisor = str(res.scalar("divisor") or "1")
        spec = (res.str("containerName") or "", res.str("resource") or "", divisor)
        return EnvVar(name, resource_field=spec, origin=origin(res))
    return EnvVar(name, origin=origin(e))  # unknown source: left unread, the sweep names it


def _env_from(c: Reader) -> list[EnvFrom]:
    out: list = []
    for item in c.items("envFrom"):
        prefix = item.str("prefix") or ""
        for key, kind in (("configMapRef", "configmap"), ("secretRef", "secret")):
            ref = item.child(key)
            if ref is not None:
                out.append(EnvFrom(kind, ref.str("name") or "", prefix, bool(ref.bool("optional")), origin(ref)))
    return out


def _resources(c: Reader) -> Resources:
    res = c.child("resources")
    if res is None:
        return Resources()
    values: dict[str, Decimal | None] = {}
    for side in ("requests", "limits"):
        block = res.child(side)
        for resource in ("cpu", "memory", "ephemeral-storage"):
            values[f"{side}.{resource}"] = _quantity(block, resource) if block else None
    return Resources(
        cpu_request=values["requests.cpu"], cpu_limit=values["limits.cpu"],
        memory_request=values["requests.memory"], memory_limit=values["limits.memory"],
        storage_request=values["requests.ephemeral-storage"], storage_limit=values["limits.ephemeral-storage"],
    )


def _extended(c: Reader) -> tuple[ExtendedResource, ...]:
    """Extended resources (a domain-prefixed name: `nvidia.com/gpu`), read for instances only
    (source/reader.Context). Kubernetes needs a limit for each and takes the request equal to it, so the
    limit is the amount (a request alone, which the API server refuses, stands for it)."""
    found: dict[str, ExtendedResource] = {}
    res = c.child("resources")
    blocks = [res.child(side) for side in ("limits", "requests")] if res is not None else []
    for block in (b for b in blocks if b is not None):
        for key in (k for k in block.fields() if "/" in k):
            amount = str(block.scalar(key))  # a request beside its limit is read as well: Kubernetes makes them equal
            if key not in found:
                found[key] = ExtendedResource(key, amount, _origin_at(block, key))
    return tuple(found.values())


def _quantity(block: Reader, key: str) -> Decimal | None:
    raw = block.scalar(key)
    if raw is None:
        return None
    try:
        value = parse_quantity(raw)
    except ValueError:
        block.report("K2E304", key, value=str(raw)[:40])
        return None
    if key == "memory" and is_milli_bytes(raw):
        block.report("K2E303", key, value=str(raw))
    return value


def _request_path(path: str) -> str:
    """The path an httpGet probe requests, as the kubelet sends it: it builds the URL from scheme, host,
    port and this path (pkg/probe/http formatURL), and Go's URL puts a `/` between the host and a path
    without one: `healthz` is requested as `/healthz`, an empty path as `/`."""
    return path if path.startswith("/") else "/" + path


def _probe(c: Reader, key: str) -> Probe | None:
    p = c.child(key)
    if p is None:
        return None
    timing = Probe("exec", initial_delay=p.int("initialDelaySeconds", 0) or 0, period=p.int("periodSeconds", 10) or 10,
                   timeout=p.int("timeoutSeconds", 1) or 1, success=p.int("successThreshold", 1) or 1,
                   failure=p.int("failureThreshold", 3) or 3, origin=origin(p))
    http = p.child("httpGet")
    if http is not None:
        headers = tuple((h.str("name") or "", h.str("value") or "") for h in http.items("httpHeaders"))
        return replace(timing, kind="http", port=http.int_or_str("port"), path=_request_path(http.str("path") or ""),
                       scheme=(http.str("scheme") or "HTTP").upper(), host=http.str("host") or "", headers=headers)
    tcp = p.child("tcpSocket")
    if tcp is not None:
        return replace(timing, kind="tcp", port=tcp.int_or_str("port"), host=tcp.str("host") or "")
    exec_ = p.child("exec")
    if exec_ is not None:
        return replace(timing, command=tuple(exec_.str_list("command")))
    grpc = p.child("grpc")
    if grpc is not None:
        return replace(timing, kind="grpc", port=grpc.int("port"), grpc_service=grpc.str("service") or "")
    p.report("K2E004", field=f"{p.field()} handler (httpGet, tcpSocket, exec or grpc)")
    return None
