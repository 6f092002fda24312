"""The ECS-shaped model: the Jinja context of the CloudFormation templates.

Container definitions are kept in the shape of the ECS API (camelCase), because that is what
`register-task-definition` takes and what botocore validates; the CloudFormation form is derived
from it mechanically (`render/casing.py`). A `Ref` is a value that is an intrinsic function in
CloudFormation and plain text (with ${AWS_REGION}-style placeholders) in the JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from translator.model import intrinsics
from translator.model.intrinsics import GetAtt, ImportValue, Value


@dataclass(frozen=True)
class KeyValues:
    """A free-form map (log driver options, docker labels, attributes by name): keys are data, kept as given."""

    items: tuple[tuple[str, str], ...] = ()


# --- shared


@dataclass(frozen=True)
class Tag:
    key: str
    value: str


@dataclass(frozen=True)
class Ref:
    cfn: Any
    text: str

    def __hash__(self) -> int:
        return hash(self.text)


def sub_literal(text: str) -> str:
    """`text` to stand for itself inside an Fn::Sub string: CloudFormation reads `${!` as `${`.

    Input text (a Secret key, a variable name) may hold `${AWS::AccountId}` or `${Nope}`, which
    Fn::Sub would otherwise substitute or reject.
    """
    return text.replace("${", "${!")


def ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


def get_att(logical_id: str, attribute: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, attribute]}


class BaseResource:
    """What every resource of a stack has, mutable (`Resource`) or frozen (`FrozenResource`) alike."""

    logical_id: str
    depends_on: Sequence[str]
    metadata: dict[str, Any]
    condition: str  # a stack condition that decides whether the resource is created

    TYPE: ClassVar[str] = ""

    @property
    def template(self) -> str:
        """`AWS::ECS::TaskDefinition` -> `aws_ecs_taskdefinition.yaml.j2` (one template per type)."""
        return self.TYPE.lower().replace("::", "_") + ".yaml.j2"


@dataclass
class Resource(BaseResource):
    logical_id: str
    depends_on: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    condition: str = ""


@dataclass(frozen=True)
class FrozenResource(BaseResource):
    """A resource built once from everything that decides it; `metadata` is its provenance."""

    logical_id: str
    depends_on: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)
    condition: str = ""


@dataclass
class Cluster(Resource):
    TYPE = "AWS::ECS::Cluster"
    capacity_providers: list[str] = field(default_factory=list)
    default_strategy: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class HttpNamespace(Resource):
    TYPE = "AWS::ServiceDiscovery::HttpNamespace"
    name: str = ""


@dataclass
class LogGroup(Resource):
    TYPE = "AWS::Logs::LogGroup"
    name: str = ""
    retention_days: int = 30


@dataclass
class Role(Resource):
    TYPE = "AWS::IAM::Role"
    description: str = ""
    principal: str = "ecs-tasks.amazonaws.com"
    statements: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SecretsManagerSecret(Resource):
    TYPE = "AWS::SecretsManager::Secret"
    name: str = ""
    description: str = ""
    keys: list[str] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SsmParameter(Resource):
    TYPE = "AWS::SSM::Parameter"
    name: str = ""
    value: str = ""
    description: str = ""


@dataclass
class TaskDefinition(Resource):
    TYPE = "AWS::ECS::TaskDefinition"
    family: str = ""
    cpu: int = 256
    memory: int = 512
    containers: list[dict[str, Any]] = field(default_factory=list)
    execution_role: Ref | None = None
    task_role: Ref | None = None
    volumes: list[dict[str, Any]] = field(default_factory=list)
    pid_mode: str = ""
    cpu_architecture: str = ""
    ephemeral_gib: int = 0
    compatibility: str = "FARGATE"  # or EC2
    tags: list[dict[str, str]] = field(default_factory=list)
    namespace: str = ""
    name: str = ""

    def port_mapping(self, number: int) -> tuple[str, str]:
        """(container name, port-mapping name) of the container port `number`, or ('', ''). A port is
        mapped for one protocol only (ECS rejects two), and a load balancer registers it either way."""
        for container in self.containers:
            for mapping in container.get("portMappings", []):
                if mapping["containerPort"] == number:
                    return container["name"], mapping["name"]
        return "", ""


@dataclass
class SecurityGroup(Resource):
    TYPE = "AWS::EC2::SecurityGroup"
    description: str = ""
    ingress: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SecurityGroupIngress(Resource):
    """From another security group, or from a CIDR block when `cidr` is set."""

    TYPE = "AWS::EC2::SecurityGroupIngress"
    group: str = ""
    source_group: str = ""
    cidr: str = ""
    protocol: str = "tcp"
    from_port: int = 0
    to_port: int = 65535
    description: str = ""








@dataclass
class EfsFileSystem(Resource):
    TYPE = "AWS::EFS::FileSystem"
    name: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class EfsMountTarget(Resource):
    TYPE = "AWS::EFS::MountTarget"
    file_system: str = ""
    subnet: Any = None
    security_group: str = ""


@dataclass
class EfsAccessPoint(Resource):
    TYPE = "AWS::EFS::AccessPoint"
    file_system: str = ""
    path: str = "/"
    uid: int | None = None
    gid: int | None = None
    owner_uid: int = 0
    owner_gid: int = 0
    permissions: str = "0755"
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ScalableTarget(Resource):
    TYPE = "AWS::ApplicationAutoScaling::ScalableTarget"
    cluster_name: Any = None  # Ref of the stack's cluster, or the configured cluster's name
    service: str = ""  # logical id of the ECS service
    min_capacity: int = 1
    max_capacity: int = 1


@dataclass
class ScalingPolicy(Resource):
    TYPE = "AWS::ApplicationAutoScaling::ScalingPolicy"
    policy_name: str = ""
    target: str = ""  # logical id of the scalable target
    metric_type: str = ""  # ECSServiceAverageCPUUtilization | ECSServiceAverageMemoryUtilization
    target_value: float = 0.0
    scale_in_cooldown: int = 300
    scale_out_cooldown: int = 0
    disable_scale_in: bool = False


@dataclass
class Schedule(Resource):
    TYPE = "AWS::Scheduler::Schedule"
    description: str = ""
    expression: str = ""
    timezone: str = ""
    enabled: bool = True
    cluster_arn: Any = None
    role: str = ""  # logical id of the role the scheduler assumes
    task_definition: str = ""  # logical id
    task_count: int = 1
    launch_type: str = "FARGATE"
    capacity_strategy: list[dict[str, Any]] = field(default_factory=list)
    subnets: Any = None
    security_groups: list[Any] = field(default_factory=list)
    assign_public_ip: str = "DISABLED"
    max_event_age: int | None = None  # seconds the Scheduler keeps retrying a start that failed


# --- ECS service, load balancing and Service Connect

# The default of a reference every resource sets (fields of a resource after its defaulted base
# fields need one); a frozen value, so one serves them all.
UNSET = intrinsics.Ref("")


@dataclass(frozen=True)
class Attribute:
    """A load balancer's or target group's attribute (`stickiness.enabled` = `true`)."""

    key: str
    value: str


@dataclass(frozen=True)
class Matcher:
    """The codes a healthy target answers: HTTP status codes, or gRPC codes for a GRPC target group."""

    http_code: str | None = None
    grpc_code: str | None = None


@dataclass(frozen=True)
class HealthCheck:
    """A target group's health check; `port` None checks the traffic port, `path` None checks TCP."""

    protocol: str
    interval: int
    timeout: int
    healthy: int
    unhealthy: int
    port: str | None = None
    path: str | None = None
    matcher: Matcher | None = None


@dataclass(frozen=True)
class TargetGroup(FrozenResource):
    TYPE = "AWS::ElasticLoadBalancingV2::TargetGroup"
    port: int = 80
    protocol: str = "HTTP"
    protocol_version: str = ""
    health_check: HealthCheck = field(default_factory=lambda: HealthCheck("HTTP", 15, 5, 2, 2))
    attributes: tuple[Attribute, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class LoadBalancer(FrozenResource):
    """An ALB or NLB; load-balanced Services and Ingresses both build this one model."""

    TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"
    lb_type: str = "application"
    scheme: str = "internet-facing"
    security_groups: tuple[GetAtt, ...] = ()  # its own group's GroupId
    name: str = ""  # empty: CloudFormation names it, so a replacement never collides
    ip_address_type: str = ""
    attributes: tuple[Attribute, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class Forward:
    type: str = field(default="forward", init=False)  # first: the action's key order in templates
    target_group_arn: intrinsics.Ref  # of the target group


@dataclass(frozen=True)
class RedirectConfig:
    protocol: str
    port: str
    status_code: str


@dataclass(frozen=True)
class Redirect:
    type: str = field(default="redirect", init=False)
    redirect_config: RedirectConfig


@dataclass(frozen=True)
class FixedResponseConfig:
    status_code: str
    content_type: str


@dataclass(frozen=True)
class FixedResponse:
    type: str = field(default="fixed-response", init=False)
    fixed_response_config: FixedResponseConfig


Action = Forward | Redirect | FixedResponse


@dataclass(frozen=True)
class Certificate:
    certificate_arn: Value  # an ARN, or the Ref of a parameter that holds one


@dataclass(frozen=True)
class Listener(FrozenResource):
    TYPE = "AWS::ElasticLoadBalancingV2::Listener"
    load_balancer_arn: intrinsics.Ref = UNSET
    port: int = 80
    protocol: str = "HTTP"
    default_actions: tuple[Action, ...] = ()
    certificates: tuple[Certificate, ...] = ()  # at most one: the listener's default certificate
    ssl_policy: str = ""


@dataclass(frozen=True)
class ConditionValues:
    values: tuple[str, ...]


@dataclass(frozen=True)
class RuleCondition:
    """A host-header or path-pattern condition of a listener rule."""

    field: str
    host_header_config: ConditionValues | None = None
    path_pattern_config: ConditionValues | None = None

    @property
    def values(self) -> tuple[str, ...]:
        config = self.host_header_config or self.path_pattern_config
        return config.values if config is not None else ()


@dataclass(frozen=True)
class ListenerRule(FrozenResource):
    TYPE = "AWS::ElasticLoadBalancingV2::ListenerRule"
    listener_arn: intrinsics.Ref = UNSET
    priority: int = 1
    conditions: tuple[RuleCondition, ...] = ()
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class ListenerCertificate(FrozenResource):
    """Certificates beyond a listener's default one (served by SNI)."""

    TYPE = "AWS::ElasticLoadBalancingV2::ListenerCertificate"
    listener_arn: intrinsics.Ref = UNSET
    certificates: tuple[Certificate, ...] = ()


@dataclass(frozen=True)
class LoadBalancerBinding:
    """One target group an ECS service registers a container port of its tasks in."""

    container_name: str
    container_port: int
    target_group_arn: intrinsics.Ref  # of the target group


@dataclass(frozen=True)
class ClientAlias:
    port: int
    dns_name: str


@dataclass(frozen=True)
class ConnectService:
    """One Service Connect endpoint an ECS service publishes: a port mapping under a discovery name."""

    port_name: str
    discovery_name: str
    client_aliases: tuple[ClientAlias, ...]


@dataclass(frozen=True)
class CapacityProviderStrategyItem:
    capacity_provider: str
    weight: int
    base: int


@dataclass(frozen=True)
class PlacementConstraint:
    type: str
    expression: str | None = None


@dataclass(frozen=True)
class EcsService(FrozenResource):
    TYPE = "AWS::ECS::Service"
    service_name: str = ""
    cluster: Value = ""  # the stack's cluster (Ref) or a configured cluster's name or ARN
    task_definition: intrinsics.Ref = UNSET
    desired_count: int | None = 1
    maximum_percent: int = 200
    minimum_healthy_percent: int = 100
    launch_type: str | None = "FARGATE"  # None: `capacity_strategy` says where tasks run
    platform_version: str | None = None  # LATEST on Fargate
    capacity_strategy: tuple[CapacityProviderStrategyItem, ...] | None = None
    subnets: Value = ""  # the Subnets parameter (Ref)
    security_groups: tuple[GetAtt | ImportValue, ...] = ()
    assign_public_ip: str = "DISABLED"
    namespace: GetAtt | ImportValue | None = None  # the Service Connect namespace; None: no Service Connect
    connect_services: tuple[ConnectService, ...] = ()
    load_balancers: tuple[LoadBalancerBinding, ...] = ()
    grace_period: int | None = None  # only with load balancers
    scheduling_strategy: str = ""  # DAEMON; REPLICA when empty
    placement_constraints: tuple[PlacementConstraint, ...] = ()
    circuit_breaker: bool = True  # meaningless for DAEMON services, which have no desired count
    tags: tuple[Tag, ...] = ()


@dataclass
class Parameter:
    name: str
    type: str
    description: str
    default: str | None = None


R = TypeVar("R", bound=BaseResource)


@dataclass
class Stack:
    """One CloudFormation template; `name` is the namespace (plus a part number when split)."""

    name: str
    namespace: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    resources: list[BaseResource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    _index: set[str] = field(default_factory=set, init=False, repr=False, compare=False)  # see `has`

    def add(self, resource: R) -> R:
        self.resources.append(resource)
        self._index.add(resource.logical_id)
        return resource

    def ids(self) -> set[str]:
        return {r.logical_id for r in self.resources}

    def has(self, logical_id: str) -> bool:
        """Whether a resource of the stack has this logical id.

        Mapping asks before it adds each shared resource (per port, rule and service), so the ids
        are kept as resources are added rather than collected from the whole stack every time; they
        are collected again whenever the resources changed in number other than through `add`.
        """
        if len(self._index) != len(self.resources):
            self._index = self.ids()
        return logical_id in self._index
