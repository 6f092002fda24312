"""Translation options from `kube2ecs.yaml`; every default that is used is reported as a decision."""

from __future__ import annotations

import re
from dataclasses import field, fields
from pathlib import Path
from typing import Any

from translator.model.record import record

LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                      2557, 2922, 3288, 3653)


class OptionsError(ValueError):
    """A bad kube2ecs.yaml: a one-line message, exit status 2."""


@record
class CapacityProvider:
    provider: str = "FARGATE"
    weight: int = 1
    base: int = 0


@record
class Options:
    cluster: str = ""
    capacity_providers: tuple[CapacityProvider, ...] = (CapacityProvider(),)
    secrets_backend: str = "secretsmanager"
    config_backend: str = "env"
    log_retention_days: int = 30
    load_balancer_scheme: str = "internet-facing"
    certificate_arn: str = ""
    assign_public_ip: bool = False
    service_connect: bool = True
    # ARN of an AWS Private CA: Service Connect TLS where Istio required mutual TLS (PeerAuthentication STRICT,
    # DestinationRule ISTIO_MUTUAL); empty: a finding says what is lost
    service_connect_tls_ca: str = ""
    launch_type: str = "FARGATE"  # or EC2: container instances the user runs (placement, privileged, DAEMON);
    # or MANAGED_INSTANCES: instances ECS launches from a capacity provider per Karpenter NodePool (daemons, privileged)
    enable_execute_command: bool = False  # ECS Exec on every service: the answer to `kubectl exec`
    deployment_strategy: str = "ROLLING"  # or BLUE_GREEN, CANARY, LINEAR for services no Rollout or Canary rolls out
    log_router: str = "awslogs"  # or firelens: a Fluent Bit log router (FireLens) in every task
    log_destination: str = "cloudwatch"  # with firelens: cloudwatch, firehose (log_delivery_stream) or s3 (log_bucket)
    log_delivery_stream: str = ""  # the Firehose delivery stream of log_destination firehose
    log_bucket: str = ""  # the S3 bucket of log_destination s3
    gateway_target: str = "load-balancer"  # or vpc-lattice: Gateways become VPC Lattice service networks and services
    spot_weight: int = 3  # FARGATE_SPOT's weight beside FARGATE (weight 1, base 1) where a Karpenter NodePool allows spot
    region: str = "${AWS_REGION}"
    account_id: str = "${AWS_ACCOUNT_ID}"
    explicit: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def on_instances(self) -> bool:
        """Tasks run on EC2 instances (the user's, or Managed Instances): host paths, privileged, no Fargate sizes."""
        return self.launch_type in ("EC2", "MANAGED_INSTANCES")


_CHOICES = {
    "secrets_backend": ("secretsmanager", "ssm"),
    "config_backend": ("env", "ssm"),
    "load_balancer_scheme": ("internet-facing", "internal"),
    "launch_type": ("FARGATE", "EC2", "MANAGED_INSTANCES"),
    "deployment_strategy": ("ROLLING", "BLUE_GREEN", "CANARY", "LINEAR"),
    "log_router": ("awslogs", "firelens"),
    "log_destination": ("cloudwatch", "firehose", "s3"),
    "gateway_target": ("load-balancer", "vpc-lattice"),
}
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
MANAGED_INSTANCES = "MANAGED_INSTANCES"
# Options whose default is reported as a decision (region/account only matter for the JSON files).
DECISIONS = ("cluster", "capacity_providers", "secrets_backend", "config_backend", "log_retention_days",
             "load_balancer_scheme", "certificate_arn", "assign_public_ip", "launch_type", "enable_execute_command",
             "deployment_strategy")
# Options reported as decisions only when log_router is firelens: left at awslogs, the output is as before.
LOG_DECISIONS = ("log_router", "log_destination")
# Reported as a decision only when Gateways go to VPC Lattice: left at load-balancer, the output is as before.
GATEWAY_DECISIONS = ("gateway_target",)
# What a Firehose delivery stream name and an S3 bucket name may be (the Firehose CreateDeliveryStream and
# S3 bucket naming rules); both stand in ARNs and in the router's options.
# Pattern texts, compiled (and cached by `re`) only when a destination is validated.
_STREAM_NAME = r"[a-zA-Z0-9_.-]{1,64}"
_BUCKET_NAME = r"(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
# An AWS Private CA's ARN (acm-pca), in any partition.
_PCA_ARN = r"arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority/[0-9a-fA-F-]{36}"


def load_options(path: str | None) -> Options:
    if not path:
        return Options()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise OptionsError(f"{path}: cannot read ({err.strerror or err})") from err
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        raw = YAML(typ="safe").load(text) or {}
    except YAMLError as err:
        raise OptionsError(f"{path}: not valid YAML ({' '.join(str(err).split())[:200]})") from err
    if not isinstance(raw, dict):
        raise OptionsError(f"{path}: expected a mapping of options")
    return options_from_dict(raw, path)


def options_from_dict(raw: dict[str, Any], where: str = "options") -> Options:
    known = {f.name: f for f in fields(Options) if f.name != "explicit"}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key).replace("-", "_")
        if name not in known:
            raise OptionsError(f"{where}: unknown option {key!r} (known: {', '.join(sorted(known))})")
        values[name] = _convert(name, value, where)
    options = Options(**values, explicit=frozenset(values))
    _check_providers(options, where)
    _check_log_router(options, where)
    _check_tls_ca(options, where)
    if options.launch_type != "FARGATE" and options.assign_public_ip:
        raise OptionsError(f"{where}: assign_public_ip works only on Fargate; {options.launch_type} tasks reach the "
                           "internet through a NAT")
    return options


def _check_providers(options: Options, where: str) -> None:
    """Fargate services use the Fargate providers; EC2 services the Auto Scaling group providers the user made."""
    fargate = [p.provider in FARGATE_PROVIDERS for p in options.capacity_providers]
    if options.launch_type == "FARGATE" and not all(fargate):
        raise OptionsError(f"{where}: each capacity provider needs provider FARGATE or FARGATE_SPOT "
                           "(Auto Scaling group providers need launch_type: EC2)")
    if options.launch_type == MANAGED_INSTANCES and "capacity_providers" in options.explicit:
        raise OptionsError(f"{where}: with launch_type MANAGED_INSTANCES, the stacks make their capacity providers "
                           "(one per Karpenter NodePool, else one default): leave out capacity_providers")
    if options.launch_type == "EC2" and "capacity_providers" in options.explicit and any(fargate):
        raise OptionsError(f"{where}: with launch_type EC2, capacity_providers name Auto Scaling group capacity "
                           "providers, not FARGATE or FARGATE_SPOT")


def _check_tls_ca(options: Options, where: str) -> None:
    """Service Connect TLS needs Service Connect and the ARN of an AWS Private CA (ECS takes no other issuer)."""
    ca = options.service_connect_tls_ca
    if not ca:
        return
    if not options.service_connect:
        raise OptionsError(f"{where}: service_connect_tls_ca needs service_connect: true")
    if not re.fullmatch(_PCA_ARN, ca):
        raise OptionsError(f"{where}: service_connect_tls_ca {ca!r} is not the ARN of an AWS Private CA "
                           "(arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority/ID)")


def _check_log_router(options: Options, where: str) -> None:
    """A destination only with the FireLens router, and each destination with the one name it needs."""
    given = [n for n in ("log_destination", "log_delivery_stream", "log_bucket") if n in options.explicit]
    if options.log_router != "firelens":
        if given:
            raise OptionsError(f"{where}: {' and '.join(given)} {'needs' if len(given) == 1 else 'need'} log_router: firelens")
        return
    needs = {"firehose": ("log_delivery_stream", "the Firehose delivery stream name", _STREAM_NAME),
             "s3": ("log_bucket", "the S3 bucket name", _BUCKET_NAME)}
    for destination, (name, what, pattern) in needs.items():
        value = getattr(options, name)
        if options.log_destination != destination:
            if value:
                raise OptionsError(f"{where}: {name} is only read with log_destination: {destination}")
            continue
        if not value:
            raise OptionsError(f"{where}: log_destination {destination} needs {name} ({what})")
        if not re.fullmatch(pattern, value):
            raise OptionsError(f"{where}: {name} {value!r} is not a valid {what[4:]}")


def _convert(name: str, value: Any, where: str) -> Any:
    if name == "capacity_providers":
        return _providers(value, where)
    default = getattr(Options(), name)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise OptionsError(f"{where}: {name} must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise OptionsError(f"{where}: {name} must be an integer")
        if name == "spot_weight" and not 1 <= value <= 1000:
            raise OptionsError(f"{where}: spot_weight must be between 1 and 1000")
        if name == "log_retention_days" and value not in LOG_RETENTION_DAYS:
            raise OptionsError(f"{where}: log_retention_days must be one of {', '.join(map(str, LOG_RETENTION_DAYS))}")
        return value
    if not isinstance(value, str):
        raise OptionsError(f"{where}: {name} must be a string")
    if name in _CHOICES and value not in _CHOICES[name]:
        raise OptionsError(f"{where}: {name} must be one of {', '.join(_CHOICES[name])}")
    return value


def _providers(value: Any, where: str) -> tuple[CapacityProvider, ...]:
    if not isinstance(value, list) or not value:
        raise OptionsError(f"{where}: capacity_providers must be a non-empty list")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("provider"), str) or not item["provider"]:
            raise OptionsError(f"{where}: each capacity provider needs a provider name")
        weight, base = item.get("weight", 1), item.get("base", 0)
        if not isinstance(weight, int) or not isinstance(base, int) or weight < 0 or base < 0:
            raise OptionsError(f"{where}: capacity provider weight and base must be non-negative integers")
        out.append(CapacityProvider(item["provider"], weight, base))
    return tuple(out)
