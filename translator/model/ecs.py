"""The ECS-shaped model: the Jinja context of the CloudFormation templates.

Property types (a task definition's container definitions and volumes) are frozen dataclasses whose
fields are in the order of the keys they become; `render/encode.py` writes them in CloudFormation
casing for the templates and in ECS API casing for the task-definition JSON. A `Linked` value
(model/intrinsics.py) is an intrinsic function in CloudFormation and plain text (with
${AWS_REGION}-style placeholders) in the JSON.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from translator.model import intrinsics
from translator.model.intrinsics import GetAtt, ImportValue, Linked, Value

# --- shared ---


@dataclass(frozen=True)
class KeyValues:
    """A free-form map (log driver options, docker labels, attributes by name): keys are data, kept as given."""

    items: tuple[tuple[str, str | Linked], ...] = ()


# --- task definition: container definitions and volumes (mapping/task/) ---

FILES_WRITER = "kube2ecs-files"  # the container that writes configMap and secret volumes (mapping/task/files.py)


@dataclass(frozen=True)
class PortMapping:
    container_port: int
    protocol: str
    name: str


@dataclass(frozen=True)
class KeyValuePair:
    """A literal environment variable."""

    name: str
    value: str


@dataclass(frozen=True)
class Secret:
    """An environment variable read from Secrets Manager or SSM Parameter Store when the task starts."""

    name: str
    value_from: Linked


@dataclass(frozen=True)
class HealthCheck:
    command: tuple[str, ...]
    interval: int
    timeout: int
    retries: int
    start_period: int | None = None


@dataclass(frozen=True)
class KernelCapabilities:
    drop: tuple[str, ...] | None = None
    add: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LinuxParameters:
    capabilities: KernelCapabilities


@dataclass(frozen=True)
class RestartPolicy:
    enabled: bool


@dataclass(frozen=True)
class LogConfiguration:
    log_driver: str
    options: KeyValues


@dataclass(frozen=True)
class RepositoryCredentials:
    credentials_parameter: Linked


@dataclass(frozen=True)
class ContainerDependency:
    container_name: str
    condition: str  # START | COMPLETE | SUCCESS | HEALTHY


@dataclass(frozen=True)
class MountPoint:
    source_volume: str
    container_path: str
    read_only: bool


@dataclass(frozen=True)
class ContainerDefinition:
    """One container of a task; None fields are absent. The key order of the file writer and of a
    container that waits for it alone differs from the field order (see `encode.ORDERS`)."""

    name: str
    image: str
    essential: bool
    entry_point: tuple[str, ...] | None = None
    command: tuple[str, ...] | None = None
    port_mappings: tuple[PortMapping, ...] | None = None
    environment: tuple[KeyValuePair, ...] | None = None
    secrets: tuple[Secret, ...] | None = None
    cpu: int | None = None
    memory: int | None = None
    memory_reservation: int | None = None
    health_check: HealthCheck | None = None
    working_directory: str | None = None
    user: str | None = None
    readonly_root_filesystem: bool | None = None
    pseudo_terminal: bool | None = None
    interactive: bool | None = None
    linux_parameters: LinuxParameters | None = None
    restart_policy: RestartPolicy | None = None
    log_configuration: LogConfiguration | None = None
    stop_timeout: int | None = None
    repository_credentials: RepositoryCredentials | None = None
    depends_on: tuple[ContainerDependency, ...] | None = None
    mount_points: tuple[MountPoint, ...] | None = None
    privileged: bool | None = None


@dataclass(frozen=True)
class HostVolumeProperties:
    source_path: str


@dataclass(frozen=True)
class AuthorizationConfig:
    access_point_id: Linked
    iam: str


@dataclass(frozen=True)
class EfsVolumeConfiguration:
    file_system_id: Linked
    transit_encryption: str
    authorization_config: AuthorizationConfig


@dataclass(frozen=True)
class TaskVolume:
    """A volume of the task: on the task's own storage when neither `host` nor EFS is set."""

    name: str
    host: HostVolumeProperties | None = None
    efs_volume_configuration: EfsVolumeConfiguration | None = None




# --- shared: tags, provenance and the base of every resource ---


@dataclass(frozen=True)
class Tag:
    key: str
    value: str


@dataclass(frozen=True)
class CapacityProviderStrategyItem:
    """One capacity provider of a strategy (a cluster's default, a service's, a schedule's)."""

    capacity_provider: str
    weight: int
    base: int


@dataclass(frozen=True)
class SourceObject:
    """A Kubernetes object a resource comes from: its file relative to the input root and document
    index in it (no file for objects read from a cluster), kind, namespace (none for a Namespace) and name."""

    source: str = ""
    document: int = 0
    kind: str = ""
    namespace: str = ""
    name: str = ""


@dataclass(frozen=True)
class Metadata:
    """A resource's Metadata: the Kubernetes objects it comes from, the first its owner
    (`model/provenance.py` makes it, `render/provenance.py` completes and writes it)."""

    objects: tuple[SourceObject, ...] = ()


@dataclass(frozen=True)
class Resource:
    """A CloudFormation resource of the model. Frozen: built once from everything that decides it,
    and a step that completes it later puts a new resource in its place (`Stack.replace`)."""

    TYPE: ClassVar[str] = ""
    logical_id: str
    depends_on: tuple[str, ...] = ()
    metadata: Metadata = Metadata()
    condition: str = ""  # a stack condition that decides whether the resource is created

    @property
    def template(self) -> str:
        """`AWS::ECS::TaskDefinition` -> `aws_ecs_taskdefinition.yaml.j2` (one template per type)."""
        return self.TYPE.lower().replace("::", "_") + ".yaml.j2"


@dataclass(frozen=True)
class TaskDefinition(Resource):
    TYPE = "AWS::ECS::TaskDefinition"
    family: str = ""
    cpu: int = 256
    memory: int = 512
    containers: tuple[ContainerDefinition, ...] = ()
    execution_role: Linked | None = None
    task_role: Linked | None = None
    volumes: tuple[TaskVolume, ...] = ()
    pid_mode: str = ""
    cpu_architecture: str = ""
    ephemeral_gib: int = 0
    compatibility: str = "FARGATE"  # or EC2
    tags: tuple[Tag, ...] = ()
    namespace: str = ""
    name: str = ""

    def port_mapping(self, number: int) -> tuple[str, str]:
        """(container name, port-mapping name) of the container port `number`, or ('', ''). A port is
        mapped for one protocol only (ECS rejects two), and a load balancer registers it either way."""
        for container in self.containers:
            for mapping in container.port_mappings or ():
                if mapping.container_port == number:
                    return container.name, mapping.name
        return "", ""


# --- cluster, namespace, logs, IAM, secrets and parameters, security groups, EFS, scaling, schedules ---


@dataclass(frozen=True)
class Cluster(Resource):
    TYPE = "AWS::ECS::Cluster"
    capacity_providers: tuple[str, ...] = ()
    default_strategy: tuple[CapacityProviderStrategyItem, ...] | None = None
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class HttpNamespace(Resource):
    TYPE = "AWS::ServiceDiscovery::HttpNamespace"
    name: str = ""
    description: str = ""


@dataclass(frozen=True)
class LogGroup(Resource):
    TYPE = "AWS::Logs::LogGroup"
    name: str = ""
    retention_days: int = 30


@dataclass(frozen=True)
class Condition:
    """One condition of an IAM statement: `{operator: {key: value}}`."""

    operator: str  # StringEquals, ArnEquals, ...
    key: str
    value: Value


@dataclass(frozen=True)
class Conditions:
    """The conditions of an IAM statement, grouped by operator in the policy document."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Statement:
    """One statement of an IAM policy; `resources` is "*" or a list of ARNs."""

    effect: str  # Allow | Deny
    actions: tuple[str, ...]
    resources: tuple[Value, ...] | str
    conditions: Conditions | None = None


@dataclass(frozen=True)
class Role(Resource):
    TYPE = "AWS::IAM::Role"
    description: str = ""  # at most 1000 characters
    principal: str = "ecs-tasks.amazonaws.com"
    statements: tuple[Statement, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class SecretsManagerSecret(Resource):
    TYPE = "AWS::SecretsManager::Secret"
    name: str = ""
    description: str = ""
    keys: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class SsmParameter(Resource):
    TYPE = "AWS::SSM::Parameter"
    name: str = ""
    value: str = ""
    description: str = ""  # at most 1024 characters


@dataclass(frozen=True)
class SecurityGroupRule:
    """An ingress rule inside a security group, from a CIDR block (IPv4 or IPv6)."""

    ip_protocol: str
    from_port: int
    to_port: int
    cidr_ip: str | None = None
    cidr_ipv6: str | None = None
    description: str = ""  # at most 255 characters


@dataclass(frozen=True)
class SecurityGroup(Resource):
    TYPE = "AWS::EC2::SecurityGroup"
    description: str = ""  # at most 255 characters
    ingress: tuple[SecurityGroupRule, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class SecurityGroupIngress(Resource):
    """From another security group, or from a CIDR block (IPv4 or IPv6); ports only for tcp and udp."""

    TYPE = "AWS::EC2::SecurityGroupIngress"
    group_id: GetAtt = field(kw_only=True)
    cidr_ip: str | None = None
    cidr_ipv6: str | None = None
    source_security_group_id: GetAtt | None = None
    ip_protocol: str = "tcp"
    from_port: int | None = None
    to_port: int | None = None
    description: str = ""  # at most 255 characters


@dataclass(frozen=True)
class EfsFileSystem(Resource):
    TYPE = "AWS::EFS::FileSystem"
    tags: tuple[Tag, ...] = ()  # the Name tag first


@dataclass(frozen=True)
class EfsMountTarget(Resource):
    TYPE = "AWS::EFS::MountTarget"
    file_system_id: intrinsics.Ref = field(kw_only=True)
    subnet_id: Value = ""
    security_groups: tuple[GetAtt, ...] = ()


@dataclass(frozen=True)
class PosixUser:
    uid: str
    gid: str


@dataclass(frozen=True)
class CreationInfo:
    owner_uid: str
    owner_gid: str
    permissions: str


@dataclass(frozen=True)
class EfsAccessPoint(Resource):
    TYPE = "AWS::EFS::AccessPoint"
    file_system_id: intrinsics.Ref = field(kw_only=True)
    posix_user: PosixUser | None = None
    path: str = "/"
    creation_info: CreationInfo = CreationInfo("0", "0", "0755")
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class ScalableTarget(Resource):
    TYPE = "AWS::ApplicationAutoScaling::ScalableTarget"
    resource_id: Value = ""  # service/<cluster name>/<service name>
    min_capacity: int = 1
    max_capacity: int = 1


@dataclass(frozen=True)
class ScalingPolicy(Resource):
    TYPE = "AWS::ApplicationAutoScaling::ScalingPolicy"
    policy_name: str = ""
    scaling_target_id: intrinsics.Ref = field(kw_only=True)
    metric_type: str = ""  # ECSServiceAverageCPUUtilization | ECSServiceAverageMemoryUtilization
    target_value: float = 0.0
    scale_in_cooldown: int = 300
    scale_out_cooldown: int = 0
    disable_scale_in: bool = False


@dataclass(frozen=True)
class Schedule(Resource):
    TYPE = "AWS::Scheduler::Schedule"
    description: str = ""  # at most 512 characters
    expression: str = ""
    timezone: str = ""
    state: str = "ENABLED"  # or DISABLED
    cluster_arn: Value = ""
    role_arn: GetAtt = field(kw_only=True)
    task_definition_arn: intrinsics.Ref = field(kw_only=True)
    task_count: int = 1
    launch_type: str = "FARGATE"  # empty: the capacity strategy
    platform_version: str = ""
    capacity_strategy: tuple[CapacityProviderStrategyItem, ...] | None = None
    subnets: Value = ""
    security_groups: tuple[GetAtt, ...] = ()
    assign_public_ip: str = "DISABLED"
    max_event_age: int | None = None  # seconds the Scheduler keeps retrying a start that failed


@dataclass(frozen=True)
class Output:
    """An output of a stack; exported under `export` when it is set, for other stacks to import."""

    value: Value
    export: str = ""
    description: str = ""  # what the value is, for whoever reads the stack's outputs


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
class TargetHealthCheck:
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
class TargetGroup(Resource):
    TYPE = "AWS::ElasticLoadBalancingV2::TargetGroup"
    port: int = 80
    protocol: str = "HTTP"
    protocol_version: str = ""
    health_check: TargetHealthCheck = field(default_factory=lambda: TargetHealthCheck("HTTP", 15, 5, 2, 2))
    attributes: tuple[Attribute, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class LoadBalancer(Resource):
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
class Listener(Resource):
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
class ListenerRule(Resource):
    TYPE = "AWS::ElasticLoadBalancingV2::ListenerRule"
    listener_arn: intrinsics.Ref = UNSET
    priority: int = 1
    conditions: tuple[RuleCondition, ...] = ()
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class ListenerCertificate(Resource):
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
class PlacementConstraint:
    type: str
    expression: str | None = None


@dataclass(frozen=True)
class EcsService(Resource):
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
    circuit_breaker: bool = True  # rolling deployments only; meaningless for DAEMON services, which have no desired count
    deployment: DeploymentStrategy | None = None  # a native BLUE_GREEN, CANARY or LINEAR deployment; None: ROLLING
    enable_execute_command: bool = False  # ECS Exec
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    default: str | None = None


StackCondition = intrinsics.Not | intrinsics.Equals


@dataclass(frozen=True)
class Stack:
    """One CloudFormation template; `name` is the namespace (plus a part number when split).

    Built by `mapping/stackbuilder.py` (mapping adds to a namespace's stack as it goes) and frozen
    before checks and rendering. Parameters, outputs and conditions are (name, value) pairs in
    the order they were declared; `parameter_map` and the others look them up by name.
    """

    name: str
    namespace: str
    parameters: tuple[Parameter, ...] = ()
    resources: tuple[Resource, ...] = ()
    outputs: tuple[tuple[str, Output], ...] = ()
    conditions: tuple[tuple[str, StackCondition], ...] = ()

    def parameter_map(self) -> dict[str, Parameter]:
        return {p.name: p for p in self.parameters}

    def output_map(self) -> dict[str, Output]:
        return dict(self.outputs)

    def condition_map(self) -> dict[str, StackCondition]:
        return dict(self.conditions)

    @functools.cached_property
    def _ids(self) -> frozenset[str]:
        return frozenset(r.logical_id for r in self.resources)

    def ids(self) -> set[str]:
        return set(self._ids)

    def has(self, logical_id: str) -> bool:
        return logical_id in self._ids


# --- deployment strategy (ECS native blue/green, canary, linear) -------------------------------------


@dataclass(frozen=True)
class CanaryConfiguration:
    canary_percent: Decimal  # 0.1 to 100, multiples of 0.1
    canary_bake_time_in_minutes: int  # 0 to 1440


@dataclass(frozen=True)
class LinearConfiguration:
    step_percent: Decimal  # 3 to 100, multiples of 0.1
    step_bake_time_in_minutes: int  # 0 to 1440


@dataclass(frozen=True)
class HookTimeout:
    timeout_in_minutes: int  # 1 to 20160
    action: str  # CONTINUE | ROLLBACK


@dataclass(frozen=True)
class LifecycleHook:
    """A PAUSE hook holds the deployment at its stages until ContinueServiceDeployment, or its timeout."""

    lifecycle_stages: tuple[str, ...]
    target_type: str = "PAUSE"
    timeout_configuration: HookTimeout | None = None


@dataclass(frozen=True)
class DeploymentStrategy:
    """`DeploymentConfiguration` fields of a native ECS deployment other than ROLLING."""

    strategy: str  # BLUE_GREEN | CANARY | LINEAR
    bake_time_in_minutes: int
    canary_configuration: CanaryConfiguration | None = None
    linear_configuration: LinearConfiguration | None = None
    lifecycle_hooks: tuple[LifecycleHook, ...] = ()
