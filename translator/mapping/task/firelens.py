"""FireLens (`log_router: firelens`): a Fluent Bit log router in every task, and the log agents it replaces.

Every task definition gets the AWS for Fluent Bit container with `firelensConfiguration` type
`fluentbit`; every other container logs to it with the `awsfirelens` driver, whose options name the
Fluent Bit output: `cloudwatch_logs` into the task's own log group (created by the stack, so
`auto_create_group` is false), `firehose` into a delivery stream, or `s3` into a bucket
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html). The router's own
logs go to the task's log group with awslogs, its memory reservation is the 50 MiB of AWS's example
task definitions, and the task role gets the one action on the one resource the output writes to
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html: the task role makes
the calls, e.g. firehose:PutRecordBatch).

A Fluent Bit or Fluentd DaemonSet in the input ships the logs of a node's pods; ECS has no node to
run it on for Fargate tasks. It is recognised by its image or its labels and reported with the lines
that turn this option on; with the option on it is replaced by the routers and not translated. The
outputs of its configuration (a ConfigMap it mounts) say which destination fits.
"""

from __future__ import annotations

import re
from dataclasses import replace

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.task.containers import MAX_CONTAINERS, log_configuration
from translator.model.app import ConfigMap, Workload
from translator.model.ecs import (
    ContainerDefinition,
    ContainerDependency,
    FirelensConfiguration,
    KeyValues,
    LogConfiguration,
    LogGroup,
    Statement,
)
from translator.model.intrinsics import GetAtt, Linked, Ref, Sub
from translator.model.record import record

ROUTER = "log_router"  # the container name AWS's examples use; no Kubernetes container name has an underscore
# The AWS for Fluent Bit release AWS designates stable, pinned as AWS asks ("we recommend locking to a specific
# version tag"): https://github.com/aws/aws-for-fluent-bit/blob/02c04aa8437dff3e3db2f9bcc735bdc1a77bd59f/
# AWS_FOR_FLUENT_BIT_STABLE_VERSION (2.34.3.20260623).
IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.3.20260623"
MEMORY = 50  # MiB: the router's memoryReservation in AWS's FireLens example task definitions
S3_FILE_SIZE, S3_UPLOAD_TIMEOUT = "1M", "1m"  # small objects, uploaded each minute (AWS's S3 example)


@record
class Destination:
    """Where the router writes: the Fluent Bit output's options, and the one grant it needs."""

    text: str  # for findings: "CloudWatch Logs log group /ecs/ns-web"
    options: tuple[tuple[str, str | Linked], ...]
    statement: Statement
    resource: str  # the statement's resource, for findings


def on(mc: MapContext) -> bool:
    return mc.options.log_router == "firelens"


def destination(mc: MapContext, group: LogGroup, family: str) -> Destination:
    options = mc.options
    region = Linked(Ref("AWS::Region"), options.region)
    if options.log_destination == "firehose":
        stream = options.log_delivery_stream
        arn = f"arn:${{AWS::Partition}}:firehose:${{AWS::Region}}:${{AWS::AccountId}}:deliverystream/{stream}"
        return Destination(f"Firehose delivery stream {stream}",
                           (("Name", "firehose"), ("region", region), ("delivery_stream", stream)),
                           Statement("Allow", ("firehose:PutRecordBatch",), (Sub(arn),)),
                           f"arn:aws:firehose:{options.region}:{options.account_id}:deliverystream/{stream}")
    if options.log_destination == "s3":
        bucket = options.log_bucket
        return Destination(f"S3 bucket {bucket}",
                           (("Name", "s3"), ("region", region), ("bucket", bucket),
                            ("total_file_size", S3_FILE_SIZE), ("upload_timeout", S3_UPLOAD_TIMEOUT),
                            ("s3_key_format", f"/fluent-bit-logs/{family}/$TAG/%Y/%m/%d/%H/%M/%S")),
                           Statement("Allow", ("s3:PutObject",), (Sub(f"arn:${{AWS::Partition}}:s3:::{bucket}/*"),)),
                           f"arn:aws:s3:::{bucket}/*")
    return Destination(f"CloudWatch Logs log group {group.name}",
                       (("Name", "cloudwatch_logs"), ("region", region),
                        ("log_group_name", Linked(Ref(group.logical_id), group.name)),
                        ("auto_create_group", "false")),
                       Statement("Allow", ("logs:CreateLogStream", "logs:PutLogEvents"), (GetAtt(group.logical_id, "Arn"),)),
                       f"log group {group.name}")


def fits(mc: MapContext, wl: Workload, definitions: tuple[ContainerDefinition, ...]) -> bool:
    """Whether the task gets a router: the option is on and the task has room for one more container."""
    if not on(mc):
        return False
    if len(definitions) >= MAX_CONTAINERS:
        mc.report(wl.pod.origin, "K2E722", workload=f"{wl.kind} {wl.meta.name}", count=len(definitions),
                  limit=MAX_CONTAINERS)
        return False
    return True


def route(mc: MapContext, nb: NamespaceBuild, wl: Workload, definitions: tuple[ContainerDefinition, ...],
          log: KeyValues, group: LogGroup, family: str) -> tuple[ContainerDefinition, ...]:
    """The router first, then every container logging to it once it has started (call when `fits`)."""
    target = destination(mc, group, family)
    start = ContainerDependency(ROUTER, "START")
    routed = tuple(replace(d, log_configuration=LogConfiguration("awsfirelens", KeyValues(_options(target, d.name))),
                           depends_on=(start, *(d.depends_on or ()))) for d in definitions)
    router = ContainerDefinition(ROUTER, IMAGE, essential=True, memory_reservation=MEMORY,
                                 firelens_configuration=FirelensConfiguration("fluentbit"),
                                 log_configuration=log_configuration(log, "firelens"))
    actions = ", ".join(target.statement.actions)
    if _grant(mc, nb, wl, target, actions):
        first = "Nothing to do" if mc.options.log_destination == "cloudwatch" else (
            f"Create {target.text} in the stack's account and Region before the tasks start (the stack does not)")
        mc.report(wl.origin, "K2E720", family=family, containers=", ".join(d.name for d in definitions), image=IMAGE,
                  destination=target.text, group=group.name, actions=actions, arn=target.resource, first=first)
    return (router, *routed)


def _options(target: Destination, container: str) -> tuple[tuple[str, str | Linked], ...]:
    """The output's options; CloudWatch streams are named after the container, as awslogs names them."""
    if target.options[0][1] == "cloudwatch_logs":
        return (*target.options[:3], ("log_stream_prefix", f"{container}/"), *target.options[3:])
    return target.options


def _grant(mc: MapContext, nb: NamespaceBuild, wl: Workload, target: Destination, actions: str) -> bool:
    """The destination's statement on the task role the stack creates; False (and K2E721) for another role."""
    account = wl.pod.service_account or "default"
    role = nb.task_roles.get(account)
    if role is None:  # the ServiceAccount names a role of its own (IRSA), which the stack does not create
        known = mc.app.service_accounts.get((nb.namespace, account))
        mc.report(known.origin if known is not None else wl.pod.origin, "K2E721", workload=wl.meta.name,
                  destination=target.text, role=known.role_arn if known is not None else account, actions=actions,
                  arn=target.resource)
        return False
    granted = nb.statements.setdefault(role, [])
    if target.statement not in granted:
        granted.append(target.statement)
    return True


# --- log agents: a Fluent Bit or Fluentd DaemonSet ---

# Image name parts -> agent; labels whose value names the agent.
AGENT_IMAGES = (("fluent/fluent-bit", "Fluent Bit"), ("cr.fluentbit.io/", "Fluent Bit"), ("aws-for-fluent-bit", "Fluent Bit"),
                ("bitnami/fluent-bit", "Fluent Bit"), ("fluent/fluentd", "Fluentd"), ("bitnami/fluentd", "Fluentd"))
AGENT_LABELS = {"fluent-bit": "Fluent Bit", "fluentbit": "Fluent Bit", "aws-for-fluent-bit": "Fluent Bit", "fluentd": "Fluentd"}
LABEL_KEYS = ("app.kubernetes.io/name", "k8s-app", "app")
# Fluent Bit and Fluentd output plugins -> the FireLens destination that does their job.
DESTINATIONS = {"cloudwatch_logs": "cloudwatch", "cloudwatch": "cloudwatch", "kinesis_firehose": "firehose",
                "firehose": "firehose", "s3": "s3"}
# The sweep's findings about single fields (coverage/sweep.py), withdrawn for an agent the routers replace.
SWEPT = ("K2E200", "K2E202")
NOT_DESTINATIONS = frozenset({"stdout", "null", "counter", "copy", "relabel", "rewrite_tag", "flowcounter"})
# The option that names each destination, and the plugin parameters that hold that name.
NAMES = {"firehose": ("log_delivery_stream", ("delivery_stream", "delivery_stream_name"), "<delivery stream name>"),
         "s3": ("log_bucket", ("bucket", "s3_bucket"), "<bucket name>")}


def log_agent(wl: Workload) -> str:
    """'Fluent Bit' or 'Fluentd' for a DaemonSet that runs one, by image or by label; '' otherwise."""
    if not wl.daemon:
        return ""
    for c in (*wl.pod.containers, *wl.pod.init_containers):
        image = c.image.lower()
        for part, agent in AGENT_IMAGES:
            if part in image:
                return agent
    labels = {**dict(wl.pod_labels), **dict(wl.meta.labels)}
    for key in LABEL_KEYS:
        agent = AGENT_LABELS.get(labels.get(key, "").lower(), "")
        if agent:
            return agent
    return ""


def replaces(mc: MapContext, wl: Workload) -> bool:
    """Report a log agent DaemonSet; True when the routers replace it (the option is on): not translated."""
    agent = log_agent(wl)
    if not agent:
        return False
    configs = _configs(mc, wl)
    outputs = [(plugin, params) for _, found in configs for plugin, params in found]
    for config, _ in configs:  # `${VAR}` is the agents' own environment syntax, not a template left unrendered
        mc.sink.withdraw(("K2E006",), config.origin.resource, "'${")
    if on(mc):
        chosen = mc.options.log_destination
        for config, _ in configs:
            mc.used.add(("ConfigMap", config.meta.namespace, config.meta.name))
        mc.report(wl.origin, "K2E724", name=wl.meta.name, agent=agent, destination=_described(mc))
        # nothing of the DaemonSet is translated, so what its fields would have given on ECS no longer matters:
        # K2E724 covers the whole object (a hostNetwork error on a replaced agent is untrue)
        mc.sink.withdraw(SWEPT, wl.origin.resource)
    else:
        chosen, lines = _suggested(outputs)
        mc.report(wl.origin, "K2E723", name=wl.meta.name, agent=agent, lines=lines)
    for config, found in configs:
        others = sorted({p for p, _ in found if p not in NOT_DESTINATIONS and DESTINATIONS.get(p) != chosen})
        if others:
            mc.report(config.origin, "K2E725", configmap=config.meta.name, name=wl.meta.name, outputs=", ".join(others),
                      destination=chosen, advice=_advice(others))
    return on(mc)


def _described(mc: MapContext) -> str:
    options = mc.options
    if options.log_destination == "firehose":
        return f"Firehose delivery stream {options.log_delivery_stream}"
    if options.log_destination == "s3":
        return f"S3 bucket {options.log_bucket}"
    return "each task's CloudWatch Logs log group"


def _suggested(outputs: list[tuple[str, dict[str, str]]]) -> tuple[str, str]:
    """The destination of the first AWS output of the agent's configuration (else cloudwatch), and the
    kube2ecs.yaml lines that choose it."""
    chosen, name = "cloudwatch", ""
    for plugin, params in outputs:
        if plugin in DESTINATIONS:
            chosen = DESTINATIONS[plugin]
            if chosen in NAMES:
                keys, placeholder = NAMES[chosen][1], NAMES[chosen][2]
                name = next((params[k] for k in keys if params.get(k) and "$" not in params[k]), placeholder)
            break
    lines = ["log_router: firelens", f"log_destination: {chosen}"]
    if chosen in NAMES:
        lines.append(f"{NAMES[chosen][0]}: {name}")
    return chosen, "; ".join(lines)


def _advice(others: list[str]) -> str:
    aws = [p for p in others if p in DESTINATIONS]
    custom = [p for p in others if p not in DESTINATIONS]
    parts = [f"choose log_destination {' or '.join(sorted({DESTINATIONS[p] for p in aws}))} for {', '.join(aws)}"
             if aws else ""]
    if custom:
        parts.append(f"for {', '.join(custom)}, build a Fluent Bit image that holds this configuration and set the "
                     "router's firelensConfiguration options config-file-type: file and config-file-value: <its path> "
                     "(or config-file-type: s3 with the file's S3 ARN)")
    text = "; ".join(p for p in parts if p)
    return text[:1].upper() + text[1:]


def _configs(mc: MapContext, wl: Workload) -> list[tuple[ConfigMap, list[tuple[str, dict[str, str]]]]]:
    """The ConfigMaps the agent mounts, each with the outputs its configuration files declare."""
    out = []
    for volume in wl.pod.volumes:
        config = mc.app.config_maps.get((wl.meta.namespace, volume.source)) if volume.kind == "configMap" else None
        if config is not None:
            out.append((config, [o for _, text in config.data for o in outputs(text)]))
    return out


# Pattern texts: `re` compiles and caches them on first use, so an input without a log agent pays nothing.
_SECTION = r"^\s*\[([A-Za-z_]+)\]\s*$"
_FLUENTD_MATCH = r"<match\b[^>]*>(.*?)</match>"
_YAML_ITEM = r"^(\s*)-\s*name:\s*(\S+)\s*$"
_YAML_KEY = r"^(\s*)([A-Za-z_.-]+):\s*(.*?)\s*$"


def outputs(text: str) -> list[tuple[str, dict[str, str]]]:
    """(plugin, parameters) of every output of a Fluent Bit (classic or YAML) or Fluentd configuration."""
    return [*_classic(text), *_yaml(text), *_fluentd(text)]


def _classic(text: str) -> list[tuple[str, dict[str, str]]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        section = re.match(_SECTION, line)
        if section:
            current = {} if section.group(1).upper() == "OUTPUT" else None
            if current is not None:
                found.append(current)
            continue
        parts = line.strip().split(None, 1)
        if current is not None and len(parts) == 2 and not parts[0].startswith("#"):
            current[parts[0].lower()] = parts[1].strip()
    return [(params.pop("name").lower(), params) for params in found if params.get("name")]


def _yaml(text: str) -> list[tuple[str, dict[str, str]]]:
    """The `pipeline.outputs` list of a YAML Fluent Bit configuration."""
    found: list[tuple[str, dict[str, str]]] = []
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "outputs:"), None)
    if start is None:
        return found
    indent = len(lines[start]) - len(lines[start].lstrip())
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent and not line.lstrip().startswith("-"):
            break
        item = re.match(_YAML_ITEM, line)
        if item:
            found.append((item.group(2).strip("'\"").lower(), {}))
            continue
        key = re.match(_YAML_KEY, line)
        if key and found:
            found[-1][1][key.group(2).lower()] = key.group(3).strip("'\"")
    return found


def _fluentd(text: str) -> list[tuple[str, dict[str, str]]]:
    """Every output `@type` of a Fluentd `<match>` block (or of its `<store>`s), with the parameters that
    follow it; the `@type` of a `<buffer>` or `<format>` section is not an output."""
    found: list[tuple[str, dict[str, str]]] = []
    for block in re.finditer(_FLUENTD_MATCH, text, re.S):
        sections: list[str] = []
        for line in block.group(1).splitlines():
            stripped = line.strip()
            if stripped.startswith("</"):
                sections = sections[:-1]
                continue
            if stripped.startswith("<"):
                sections.append(stripped[1:].split(None, 1)[0].rstrip(">").lower())
                continue
            parts = stripped.split(None, 1)
            if len(parts) != 2 or parts[0].startswith("#") or (sections and sections[-1] != "store"):
                continue
            if parts[0] == "@type":
                found.append((parts[1].strip().lower(), {}))
            elif found:
                found[-1][1][parts[0].lower()] = parts[1].strip()
    return found
