"""The ECS-shaped model: the Jinja context of the CloudFormation templates.

Property types (a task definition's container definitions and volumes) are frozen dataclasses whose
fields are in the order of the keys they become; `render/encode.py` writes them in CloudFormation
casing for the templates and in ECS API casing for the task-definition JSON. A `Linked` value
(model/intrinsics.py) is an intrinsic function in CloudFormation and plain text (with
${AWS_REGION}-style placeholders) in the JSON.
"""

from __future__ import annotations

import functools
from dataclasses import field
from decimal import Decimal
from typing import ClassVar

from translator.model import intrinsics
from translator.model.intrinsics import GetAtt, ImportValue, Join, Linked, Value
from translator.model.record import record

# --- shared ---


@record
class KeyValues:
    """A free-form map (log driver options, docker labels, attributes by name): keys are data, kept as given."""

    items: tuple[tuple[str, str | Linked], ...] = ()


# --- task definition: container definitions and volumes (mapping/task/) ---

FILES_WRITER = "kube2ecs-files"  # the container that writes configMap and secret volumes (mapping/task/files.py)


@record
class PortMapping:
    container_port: int
    protocol: str
    name: str
    app_protocol: str | None = None  # http where a VirtualService timeout needs it (Service Connect reads it)


@record
class KeyValuePair:
    """A literal environment variable."""

    name: str
    value: str


@record
class Secret:
    """An environment variable read from Secrets Manager or SSM Parameter Store when the task starts."""

    name: str
    value_from: Linked


@record
class HealthCheck:
    command: tuple[str, ...]
    interval: int
    timeout: int
    retries: int
    start_period: int | None = None


@record
class KernelCapabilities:
    drop: tuple[str, ...] | None = None
    add: tuple[str, ...] | None = None


@record
class LinuxParameters:
    capabilities: KernelCapabilities


@record
class RestartPolicy:
    enabled: bool


@record
class LogConfiguration:
    log_driver: str
    options: KeyValues


# --- task definition: log routing (FireLens, mapping/task/firelens.py) ---


@record
class FirelensConfiguration:
    """The log router of a task: `fluentbit` (or `fluentd`); options such as config-file-type/-value."""

    type: str
    options: KeyValues | None = None


@record
class RepositoryCredentials:
    credentials_parameter: Linked


@record
class ContainerDependency:
    container_name: str
    condition: str  # START | COMPLETE | SUCCESS | HEALTHY


@record
class MountPoint:
    source_volume: str
    container_path: str
    read_only: bool


# --- accelerators and host namespaces on Managed Instances (mapping/task/devices.py) ---


@record
class ResourceRequirement:
    """A device ECS assigns to the container: `GPU` with a count, or `NeuronDevice` with `ALL`."""

    type: str
    value: str


@record
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
    firelens_configuration: FirelensConfiguration | None = None
    log_configuration: LogConfiguration | None = None
    stop_timeout: int | None = None
    repository_credentials: RepositoryCredentials | None = None
    depends_on: tuple[ContainerDependency, ...] | None = None
    mount_points: tuple[MountPoint, ...] | None = None
    privileged: bool | None = None
    resource_requirements: tuple[ResourceRequirement, ...] | None = None


@record
class HostVolumeProperties:
    source_path: str


@record
class AuthorizationConfig:
    access_point_id: Linked
    iam: str


@record
class EfsVolumeConfiguration:
    file_system_id: Linked
    transit_encryption: str
    authorization_config: AuthorizationConfig


@record
class TaskVolume:
    """A volume of the task: on the task's own storage when neither `host` nor EFS is set."""

    name: str
    host: HostVolumeProperties | None = None
    efs_volume_configuration: EfsVolumeConfiguration | None = None




# --- shared: tags, provenance and the base of every resource ---


@record
class Tag:
    key: str
    value: str


@record
class CapacityProviderStrategyItem:
    """One capacity provider of a strategy (a cluster's default, a service's, a schedule's)."""

    capacity_provider: Value  # FARGATE, FARGATE_SPOT, an Auto Scaling group provider's name, or a Ref of one the stack makes
    weight: int
    base: int


@record
class SourceObject:
    """A Kubernetes object a resource comes from: its file relative to the input root and document
    index in it (no file for objects read from a cluster), kind, namespace (none for a Namespace) and name."""

    source: str = ""
    document: int = 0
    kind: str = ""
    namespace: str = ""
    name: str = ""


@record
class Metadata:
    """A resource's Metadata: the Kubernetes objects it comes from, the first its owner
    (`model/provenance.py` makes it, `render/provenance.py` completes and writes it)."""

    objects: tuple[SourceObject, ...] = ()


@record
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


@record
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
    ipc_mode: str = ""  # host: the instance's IPC namespace (Managed Instances)

    def port_mapping(self, number: int) -> tuple[str, str]:
        """(container name, port-mapping name) of the container port `number`, or ('', ''). A port is
        mapped for one protocol only (ECS rejects two), and a load balancer registers it either way."""
        for container in self.containers:
            for mapping in container.port_mappings or ():
                if mapping.container_port == number:
                    return container.name, mapping.name
        return "", ""


# --- cluster, namespace, logs, IAM, secrets and parameters, security groups, EFS, scaling, schedules ---


@record
class Cluster(Resource):
    TYPE = "AWS::ECS::Cluster"
    capacity_providers: tuple[str, ...] = ()
    default_strategy: tuple[CapacityProviderStrategyItem, ...] | None = None
    tags: tuple[Tag, ...] = ()


@record
class HttpNamespace(Resource):
    TYPE = "AWS::ServiceDiscovery::HttpNamespace"
    name: str = ""
    description: str = ""


# --- Cloud Map DNS discovery (callers that are no Service Connect client, per-pod names) ---------------


UNSET_NAMESPACE = GetAtt("", "Id")  # the default of a Cloud Map service's namespace, which every one sets


@record
class PrivateDnsNamespace(Resource):
    """A Route 53 private zone run by Cloud Map: `<namespace>.svc.cluster.local`, resolvable from any task of the VPC."""

    TYPE = "AWS::ServiceDiscovery::PrivateDnsNamespace"
    name: str = ""
    vpc: Value = ""
    description: str = ""


@record
class DnsRecord:
    type: str
    ttl: int


@record
class DiscoveryService(Resource):
    """A Cloud Map service: the A records of the tasks of the one ECS service that registers in it."""

    TYPE = "AWS::ServiceDiscovery::Service"
    name: str = ""
    namespace_id: GetAtt | ImportValue = UNSET_NAMESPACE
    description: str = ""
    dns_records: tuple[DnsRecord, ...] = ()
    routing_policy: str = "MULTIVALUE"  # WEIGHTED for a CNAME record
    custom_health_check: bool = True  # ECS reports its tasks' health; none for a CNAME


@record
class DiscoveryInstance(Resource):
    """A Cloud Map instance registered by the stack itself: a CNAME to an address the user supplies."""

    TYPE = "AWS::ServiceDiscovery::Instance"
    service_id: GetAtt = UNSET_NAMESPACE
    cname: Value = ""


@record
class ServiceRegistry:
    registry_arn: GetAtt


@record
class LogGroup(Resource):
    TYPE = "AWS::Logs::LogGroup"
    name: str = ""
    retention_days: int = 30


@record
class Condition:
    """One condition of an IAM statement: `{operator: {key: value}}`."""

    operator: str  # StringEquals, ArnEquals, ...
    key: str
    value: Value


@record
class Conditions:
    """The conditions of an IAM statement, grouped by operator in the policy document."""

    items: tuple[Condition, ...]


@record
class Statement:
    """One statement of an IAM policy; `resources` is "*" or a list of ARNs."""

    effect: str  # Allow | Deny
    actions: tuple[str, ...]
    resources: tuple[Value, ...] | str
    conditions: Conditions | None = None


@record
class Role(Resource):
    TYPE = "AWS::IAM::Role"
    description: str = ""  # at most 1000 characters
    principal: str = "ecs-tasks.amazonaws.com"
    statements: tuple[Statement, ...] = ()
    tags: tuple[Tag, ...] = ()
    source_account: bool = True  # the trust policy requires aws:SourceAccount (not for roles ECS assumes itself)
    managed_policy_arns: tuple[Value, ...] = ()  # AWS managed policies (the least-privilege test lists which)
    role_name: Value | None = None  # only where a managed policy names the role by a prefix (Managed Instances)


@record
class SecretsManagerSecret(Resource):
    TYPE = "AWS::SecretsManager::Secret"
    name: str = ""
    description: str = ""
    keys: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()


@record
class SsmParameter(Resource):
    TYPE = "AWS::SSM::Parameter"
    name: str = ""
    value: str = ""
    description: str = ""  # at most 1024 characters


@record
class SecurityGroupRule:
    """An ingress rule inside a security group, from a CIDR block (IPv4 or IPv6)."""

    ip_protocol: str
    from_port: int
    to_port: int
    cidr_ip: str | None = None
    cidr_ipv6: str | None = None
    description: str = ""  # at most 255 characters


@record
class SecurityGroup(Resource):
    TYPE = "AWS::EC2::SecurityGroup"
    description: str = ""  # at most 255 characters
    ingress: tuple[SecurityGroupRule, ...] = ()
    tags: tuple[Tag, ...] = ()


@record
class SecurityGroupIngress(Resource):
    """From another security group, or from a CIDR block (IPv4 or IPv6); ports only for tcp and udp."""

    TYPE = "AWS::EC2::SecurityGroupIngress"
    group_id: GetAtt = field(kw_only=True)
    cidr_ip: str | None = None
    cidr_ipv6: str | None = None
    source_security_group_id: GetAtt | None = None
    source_prefix_list_id: intrinsics.Ref | None = None  # a managed prefix list (VPC Lattice's) by a parameter
    ip_protocol: str = "tcp"
    from_port: int | None = None
    to_port: int | None = None
    description: str = ""  # at most 255 characters


@record
class EfsFileSystem(Resource):
    TYPE = "AWS::EFS::FileSystem"
    tags: tuple[Tag, ...] = ()  # the Name tag first


@record
class EfsMountTarget(Resource):
    TYPE = "AWS::EFS::MountTarget"
    file_system_id: intrinsics.Ref = field(kw_only=True)
    subnet_id: Value = ""
    security_groups: tuple[GetAtt, ...] = ()


@record
class PosixUser:
    uid: str
    gid: str


@record
class CreationInfo:
    owner_uid: str
    owner_gid: str
    permissions: str


@record
class EfsAccessPoint(Resource):
    TYPE = "AWS::EFS::AccessPoint"
    file_system_id: intrinsics.Ref = field(kw_only=True)
    posix_user: PosixUser | None = None
    path: str = "/"
    creation_info: CreationInfo = CreationInfo("0", "0", "0755")
    tags: tuple[Tag, ...] = ()


@record
class ScalableTarget(Resource):
    TYPE = "AWS::ApplicationAutoScaling::ScalableTarget"
    resource_id: Value = ""  # service/<cluster name>/<service name>
    min_capacity: int = 1
    max_capacity: int = 1
    scheduled_actions: tuple[ScheduledAction, ...] = ()  # KEDA cron triggers


@record
class ScalingPolicy(Resource):
    TYPE = "AWS::ApplicationAutoScaling::ScalingPolicy"
    policy_name: str = ""
    scaling_target_id: intrinsics.Ref = field(kw_only=True)
    metric_type: str = ""  # ECSServiceAverageCPUUtilization | ECSServiceAverageMemoryUtilization
    target_value: float = 0.0
    scale_in_cooldown: int = 300
    scale_out_cooldown: int = 0
    disable_scale_in: bool = False
    resource_label: Join | None = None  # ALBRequestCountPerTarget: app/<lb>/<id>/targetgroup/<tg>/<id>
    customized: CustomizedMetricSpecification | None = None  # in place of the predefined metric


@record
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


@record
class Output:
    """An output of a stack; exported under `export` when it is set, for other stacks to import."""

    value: Value
    export: str = ""
    description: str = ""  # what the value is, for whoever reads the stack's outputs


# --- ECS service, load balancing and Service Connect

# The default of a reference every resource sets (fields of a resource after its defaulted base
# fields need one); a frozen value, so one serves them all.
UNSET = intrinsics.Ref("")


@record
class Attribute:
    """A load balancer's or target group's attribute (`stickiness.enabled` = `true`)."""

    key: str
    value: str


@record
class Matcher:
    """The codes a healthy target answers: HTTP status codes, or gRPC codes for a GRPC target group."""

    http_code: str | None = None
    grpc_code: str | None = None


@record
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


@record
class TargetGroup(Resource):
    TYPE = "AWS::ElasticLoadBalancingV2::TargetGroup"
    port: int = 80
    protocol: str = "HTTP"
    protocol_version: str = ""
    health_check: TargetHealthCheck = field(default_factory=lambda: TargetHealthCheck("HTTP", 15, 5, 2, 2))
    attributes: tuple[Attribute, ...] = ()
    tags: tuple[Tag, ...] = ()


@record
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


@record
class Forward:
    type: str = field(default="forward", init=False)  # first: the action's key order in templates
    target_group_arn: intrinsics.Ref  # of the target group


@record
class RedirectConfig:
    protocol: str
    port: str
    status_code: str
    host: str | None = None  # None keeps the request's (`#{host}`); a Gateway API RequestRedirect may set these
    path: str | None = None
    query: str | None = None


@record
class Redirect:
    type: str = field(default="redirect", init=False)
    redirect_config: RedirectConfig


@record
class FixedResponseConfig:
    status_code: str
    content_type: str | None = None  # None: the ALB's default, text/plain
    message_body: str | None = None  # an annotation action's fixed-response body (at most 1024 characters)


@record
class FixedResponse:
    type: str = field(default="fixed-response", init=False)
    fixed_response_config: FixedResponseConfig


@record
class TargetGroupTuple:
    """One target group of a weighted forward action and the share of requests it gets."""

    target_group_arn: intrinsics.Ref | str  # a target group of the stack, or the ARN an annotation action names
    weight: int  # 0 to 999


@record
class QueryStringKeyValue:
    key: str | None  # None matches the value under any key
    value: str


@record
class QueryStringConfig:
    values: tuple[QueryStringKeyValue, ...]


@record
class TargetGroupStickinessConfig:
    """Whether a weighted forward keeps a client on the target group it first reached, and for how long."""

    enabled: bool
    duration_seconds: int | None = None  # 1 to 604800


@record
class ForwardConfig:
    target_groups: tuple[TargetGroupTuple, ...]
    target_group_stickiness_config: TargetGroupStickinessConfig | None = None


@record
class WeightedForward:
    """A forward to several target groups by weight: a Gateway API route's weighted backendRefs
    (mapping/network/gateway.py), and the rule ECS shifts traffic on in a blue/green, canary or linear
    deployment (mapping/service/traffic.py)."""

    type: str = field(default="forward", init=False)
    forward_config: ForwardConfig


Action = Forward | Redirect | FixedResponse | WeightedForward


def forwarded_groups(action: Action) -> tuple[str, ...]:
    """Logical ids of the target groups an action forwards to (none for a redirect or fixed response)."""
    if isinstance(action, Forward):
        return (action.target_group_arn.name,)
    if isinstance(action, WeightedForward):
        return tuple(t.target_group_arn.name for t in action.forward_config.target_groups
                     if isinstance(t.target_group_arn, intrinsics.Ref))
    return ()


@record
class Certificate:
    certificate_arn: Value  # an ARN, or the Ref of a parameter that holds one


@record
class Listener(Resource):
    TYPE = "AWS::ElasticLoadBalancingV2::Listener"
    load_balancer_arn: intrinsics.Ref = UNSET
    port: int = 80
    protocol: str = "HTTP"
    default_actions: tuple[Action, ...] = ()
    certificates: tuple[Certificate, ...] = ()  # at most one: the listener's default certificate
    ssl_policy: str = ""


@record
class ConditionValues:
    values: tuple[str, ...]


@record
class HttpHeaderConfig:
    http_header_name: str
    values: tuple[str, ...]


@record
class RuleCondition:
    """A condition of a listener rule: host-header, path-pattern, and for Gateway API routes and the
    conditions.<name> annotation of an Ingress http-header, query-string, http-request-method and source-ip."""

    field: str
    host_header_config: ConditionValues | None = None
    path_pattern_config: ConditionValues | None = None
    http_header_config: HttpHeaderConfig | None = None
    query_string_config: QueryStringConfig | None = None
    http_request_method_config: ConditionValues | None = None
    source_ip_config: ConditionValues | None = None

    @property
    def values(self) -> tuple[str, ...]:
        """The condition's values as ALB counts them (a query-string key/value pair is one value)."""
        if self.query_string_config is not None:
            return tuple(f"{kv.key or ''}={kv.value}" for kv in self.query_string_config.values)
        config = (self.host_header_config or self.path_pattern_config or self.http_header_config
                  or self.http_request_method_config or self.source_ip_config)
        return config.values if config is not None else ()


@record
class ListenerRule(Resource):
    TYPE = "AWS::ElasticLoadBalancingV2::ListenerRule"
    listener_arn: intrinsics.Ref = UNSET
    priority: int = 1
    conditions: tuple[RuleCondition, ...] = ()
    actions: tuple[Action, ...] = ()


@record
class ListenerCertificate(Resource):
    """Certificates beyond a listener's default one (served by SNI)."""

    TYPE = "AWS::ElasticLoadBalancingV2::ListenerCertificate"
    listener_arn: intrinsics.Ref = UNSET
    certificates: tuple[Certificate, ...] = ()


@record
class AdvancedConfiguration:
    """What ECS shifts traffic with in a blue/green, canary or linear deployment behind a load balancer:
    the alternate target group, the production (and test) listener rule of an ALB, and the role it uses."""

    alternate_target_group_arn: intrinsics.Ref
    production_listener_rule: intrinsics.Ref
    test_listener_rule: intrinsics.Ref | None = None
    role_arn: GetAtt | None = None


@record
class LoadBalancerBinding:
    """One target group an ECS service registers a container port of its tasks in."""

    container_name: str
    container_port: int
    target_group_arn: intrinsics.Ref  # of the target group
    advanced_configuration: AdvancedConfiguration | None = None  # a deployment other than ROLLING


@record
class ExactValue:
    exact: str


@record
class ConnectTestHeader:
    name: str
    value: ExactValue


@record
class ConnectTestTraffic:
    """Requests to the alias that carry this header reach the new revision during a blue/green deployment."""

    header: ConnectTestHeader


@record
class ClientAlias:
    port: int
    dns_name: str
    test_traffic_rules: ConnectTestTraffic | None = None


# --- Istio: Service Connect timeouts (VirtualService timeout) and TLS (mutual TLS) ---


@record
class ConnectTimeout:
    """`ServiceConnectService.Timeout`: how long a caller's proxy waits for a whole response (HTTP only)."""

    per_request_timeout_seconds: int


@record
class ConnectCertificateAuthority:
    aws_pca_authority_arn: str


@record
class ConnectTls:
    """`ServiceConnectService.Tls`: the Private CA that signs the endpoint's certificates, and the ECS
    infrastructure role that lets ECS issue and rotate them."""

    issuer_certificate_authority: ConnectCertificateAuthority
    role_arn: GetAtt


@record
class ConnectService:
    """One Service Connect endpoint an ECS service publishes: a port mapping under a discovery name."""

    port_name: str
    discovery_name: str
    client_aliases: tuple[ClientAlias, ...]
    timeout: ConnectTimeout | None = None
    tls: ConnectTls | None = None


@record
class PlacementConstraint:
    type: str
    expression: str | None = None


@record
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
    service_registries: tuple[ServiceRegistry, ...] = ()  # Cloud Map DNS names of its tasks (one registry at most)
    load_balancers: tuple[LoadBalancerBinding, ...] = ()
    grace_period: int | None = None  # only with load balancers
    scheduling_strategy: str = ""  # DAEMON; REPLICA when empty
    placement_constraints: tuple[PlacementConstraint, ...] = ()
    circuit_breaker: bool = True  # rolling deployments only; meaningless for DAEMON services, which have no desired count
    deployment: DeploymentStrategy | None = None  # a native BLUE_GREEN, CANARY or LINEAR deployment; None: ROLLING
    deployment_controller: str = ""  # ECS, said explicitly when the strategy is not ROLLING (ECS requires it)
    enable_execute_command: bool = False  # ECS Exec
    tags: tuple[Tag, ...] = ()
    vpc_lattice_configurations: tuple[VpcLatticeConfiguration, ...] = ()  # gateway_target vpc-lattice


@record
class Parameter:
    name: str
    type: str
    description: str
    default: str | None = None


StackCondition = intrinsics.Not | intrinsics.Equals


@record
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


@record
class CanaryConfiguration:
    canary_percent: Decimal  # 0.1 to 100, multiples of 0.1
    canary_bake_time_in_minutes: int  # 0 to 1440


@record
class LinearConfiguration:
    step_percent: Decimal  # 3 to 100, multiples of 0.1
    step_bake_time_in_minutes: int  # 0 to 1440


@record
class HookTimeout:
    timeout_in_minutes: int  # 1 to 20160
    action: str  # CONTINUE | ROLLBACK


@record
class LifecycleHook:
    """A PAUSE hook holds the deployment at its stages until ContinueServiceDeployment, or its timeout."""

    lifecycle_stages: tuple[str, ...]
    target_type: str = "PAUSE"
    timeout_configuration: HookTimeout | None = None


@record
class DeploymentStrategy:
    """`DeploymentConfiguration` fields of a native ECS deployment other than ROLLING."""

    strategy: str  # BLUE_GREEN | CANARY | LINEAR
    bake_time_in_minutes: int
    canary_configuration: CanaryConfiguration | None = None
    linear_configuration: LinearConfiguration | None = None
    lifecycle_hooks: tuple[LifecycleHook, ...] = ()
    alarms: DeploymentAlarms | None = None


@record
class DeploymentAlarms:
    """CloudWatch alarms that fail the deployment (and roll it back) while it runs; ECS controller only."""

    alarm_names: tuple[Value, ...]
    enable: bool = True
    rollback: bool = True


# --- event-driven scaling (KEDA, request rates): scheduled actions and customized metrics --------------


@record
class ScalableTargetAction:
    min_capacity: int | None = None
    max_capacity: int | None = None


@record
class ScheduledAction:
    """A scheduled action of a scalable target: `cron(...)` in `timezone`, setting the capacity bounds."""

    scheduled_action_name: str
    schedule: str
    timezone: str | None
    scalable_target_action: ScalableTargetAction


@record
class MetricDimension:
    name: str
    value: Value


@record
class CloudWatchMetric:
    """A CloudWatch metric by namespace, name and dimensions: what a scaling policy's customized metric and
    an alarm's metric math both read."""

    namespace: str
    metric_name: str
    dimensions: tuple[MetricDimension, ...] = ()


@record
class TargetTrackingMetricStat:
    metric: CloudWatchMetric
    stat: str  # Sum | Average | ...


@record
class TargetTrackingMetricDataQuery:
    """One metric (`metric_stat`) or expression over the others of a customized metric; only the one that
    `return_data` is tracked."""

    id: str
    metric_stat: TargetTrackingMetricStat | None = None
    expression: str | None = None
    label: str | None = None
    return_data: bool = False


@record
class CustomizedMetricSpecification:
    metrics: tuple[TargetTrackingMetricDataQuery, ...]


# --- CloudWatch alarms that fail a deployment (mapping/service/alarms.py) ---------------------------------


@record
class AlarmMetricStat:
    metric: CloudWatchMetric
    period: int  # seconds
    stat: str  # Sum, Average, p99, ...
    unit: str | None = None


@record
class MetricDataQuery:
    """A metric or an expression of an alarm's metric math; exactly one query of an alarm returns data."""

    id: str
    expression: str | None = None
    label: str | None = None
    metric_stat: AlarmMetricStat | None = None
    return_data: bool | None = None


@record
class CloudWatchAlarm(Resource):
    TYPE = "AWS::CloudWatch::Alarm"
    alarm_description: str = ""  # at most 1024 characters
    metrics: tuple[MetricDataQuery, ...] = ()
    comparison_operator: str = ""
    threshold: float = 0.0
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1
    treat_missing_data: str = "notBreaching"  # no data: the analysis would have passed


# --- VPC Lattice: Gateways under gateway_target vpc-lattice (mapping/network/lattice*.py) --------------
# Property names and limits as in the CloudFormation schemas of AWS::VpcLattice::* (docs/vpc-lattice.md).


@record
class LatticeServiceNetwork(Resource):
    """What a Gateway becomes: the network its routes' services join and its VPC reaches them through."""

    TYPE = "AWS::VpcLattice::ServiceNetwork"
    name: str = ""  # 3-63 of a-z 0-9 -
    auth_type: str = "NONE"


@record
class LatticeVpcAssociation(Resource):
    """The VPC of the stack in a service network: its clients resolve and reach the network's services."""

    TYPE = "AWS::VpcLattice::ServiceNetworkVpcAssociation"
    service_network_identifier: intrinsics.Ref = UNSET
    vpc_identifier: intrinsics.Ref = UNSET


@record
class LatticeServiceAssociation(Resource):
    """A route's service in the service network of the Gateway it attaches to."""

    TYPE = "AWS::VpcLattice::ServiceNetworkServiceAssociation"
    service_network_identifier: intrinsics.Ref = UNSET
    service_identifier: intrinsics.Ref = UNSET


@record
class LatticeService(Resource):
    """What a route becomes: one service with a listener per Gateway listener it attaches to."""

    TYPE = "AWS::VpcLattice::Service"
    name: str = ""  # 3-40 of a-z 0-9 -
    auth_type: str = "NONE"
    custom_domain_name: str | None = None
    certificate_arn: Value | None = None  # with a custom domain name on an HTTPS listener


@record
class LatticeAuthPolicy(Resource):
    """An IAMAuthPolicy's document on a service network or service (whose AuthType is then AWS_IAM)."""

    TYPE = "AWS::VpcLattice::AuthPolicy"
    resource_identifier: intrinsics.Ref = UNSET
    policy: str = "{}"  # the document as JSON text, written as a mapping (render: `document` filter)


@record
class LatticeAccessLogSubscription(Resource):
    """An AccessLogPolicy's destination (S3 bucket, CloudWatch Logs group, Firehose stream) for a network or service."""

    TYPE = "AWS::VpcLattice::AccessLogSubscription"
    resource_identifier: intrinsics.Ref = UNSET
    destination_arn: str = ""


@record
class LatticeWeightedTargetGroup:
    target_group_identifier: intrinsics.Ref
    weight: int  # 0 to 999


@record
class LatticeForward:
    target_groups: tuple[LatticeWeightedTargetGroup, ...]  # 1 to 10


@record
class LatticeFixedResponse:
    status_code: int


@record
class LatticeAction:
    """A listener's default action or a rule's action: exactly one of the two is set."""

    fixed_response: LatticeFixedResponse | None = None
    forward: LatticeForward | None = None


@record
class LatticeListener(Resource):
    TYPE = "AWS::VpcLattice::Listener"
    service_identifier: intrinsics.Ref = UNSET
    port: int = 80
    protocol: str = "HTTP"  # HTTP | HTTPS | TLS_PASSTHROUGH
    default_action: LatticeAction = LatticeAction()


@record
class LatticeMatchValue:
    """A path match (exact or prefix) or a header match (exact, prefix or contains): one field set."""

    exact: str | None = None
    prefix: str | None = None


@record
class LatticePathMatch:
    match: LatticeMatchValue
    case_sensitive: bool = True  # Gateway API paths are case-sensitive


@record
class LatticeHeaderMatch:
    name: str  # at most 40 characters
    match: LatticeMatchValue
    case_sensitive: bool = True


@record
class LatticeHttpMatch:
    path_match: LatticePathMatch | None = None
    header_matches: tuple[LatticeHeaderMatch, ...] | None = None  # at most 5
    method: str | None = None


@record
class LatticeRuleMatch:
    http_match: LatticeHttpMatch


@record
class LatticeRule(Resource):
    TYPE = "AWS::VpcLattice::Rule"
    service_identifier: intrinsics.Ref = UNSET
    listener_identifier: intrinsics.Ref = UNSET
    priority: int = 1  # 1 to 2000; lowest first
    match: LatticeRuleMatch = LatticeRuleMatch(LatticeHttpMatch())
    action: LatticeAction = LatticeAction()


@record
class LatticeMatcher:
    http_code: str


@record
class LatticeHealthCheck:
    """A target group's health check; `enabled` False leaves every other field out."""

    enabled: bool
    protocol: str | None = None  # HTTP | HTTPS
    protocol_version: str | None = None  # HTTP1 | HTTP2
    path: str | None = None
    port: int | None = None
    health_check_interval_seconds: int | None = None  # 5 to 300
    health_check_timeout_seconds: int | None = None  # 1 to 120
    healthy_threshold_count: int | None = None  # 2 to 10
    unhealthy_threshold_count: int | None = None  # 2 to 10
    matcher: LatticeMatcher | None = None


@record
class LatticeTargetGroupConfig:
    port: int
    protocol: str  # HTTP | HTTPS | TCP
    protocol_version: str | None  # HTTP1 | HTTP2 | GRPC; none for TCP
    vpc_identifier: intrinsics.Ref
    health_check: LatticeHealthCheck


@record
class LatticeTargetGroup(Resource):
    """An IP target group the ECS service registers its tasks in (its VpcLatticeConfigurations)."""

    TYPE = "AWS::VpcLattice::TargetGroup"
    type: str = "IP"
    config: LatticeTargetGroupConfig | None = None


@record
class VpcLatticeConfiguration:
    """One Lattice target group an ECS service registers a named port mapping of its tasks in."""

    role_arn: GetAtt  # the ECS infrastructure role with AmazonECSInfrastructureRolePolicyForVpcLattice
    target_group_arn: intrinsics.Ref
    port_name: str


# --- ECS Managed Instances: capacity providers from NodePools, managed daemons (mapping/service/managed.py) ---


@record
class RangeRequest:
    """A minimum and optional maximum of an instance requirement (VCpuCount, MemoryMiB)."""

    min: int
    max: int | None = None


@record
class InstanceRequirements:
    """The EC2 attribute-based instance selection of a Managed Instances provider; None fields are absent."""

    v_cpu_count: RangeRequest
    memory_mib: RangeRequest
    cpu_manufacturers: tuple[str, ...] | None = None
    instance_generations: tuple[str, ...] | None = None
    allowed_instance_types: tuple[str, ...] | None = None
    excluded_instance_types: tuple[str, ...] | None = None
    burstable_performance: str | None = None
    bare_metal: str | None = None
    accelerator_types: tuple[str, ...] | None = None
    accelerator_manufacturers: tuple[str, ...] | None = None
    accelerator_count: RangeRequest | None = None


@record
class ManagedInstancesNetworkConfiguration:
    subnets: Value
    security_groups: tuple[Value, ...]


@record
class InstanceLaunchTemplate:
    ec2_instance_profile_arn: Value
    network_configuration: ManagedInstancesNetworkConfiguration
    capacity_option_type: str  # ON_DEMAND | SPOT
    instance_requirements: InstanceRequirements | None = None


@record
class ManagedInstancesProvider:
    infrastructure_role_arn: Value
    instance_launch_template: InstanceLaunchTemplate
    propagate_tags: str = "CAPACITY_PROVIDER"


@record
class ManagedCapacityProvider(Resource):
    """A Managed Instances capacity provider; it exists only in the cluster it names (CreateCapacityProvider `cluster`)."""

    TYPE = "AWS::ECS::CapacityProvider"
    cluster_name: Value = UNSET
    managed_instances_provider: ManagedInstancesProvider | None = None
    tags: tuple[Tag, ...] = ()


@record
class ClusterCapacityProviderAssociations(Resource):
    TYPE = "AWS::ECS::ClusterCapacityProviderAssociations"
    cluster: Value = UNSET
    capacity_providers: tuple[Value, ...] = ()
    default_strategy: tuple[CapacityProviderStrategyItem, ...] = ()


@record
class InstanceProfile(Resource):
    TYPE = "AWS::IAM::InstanceProfile"
    roles: tuple[Value, ...] = ()


@record
class DaemonTaskDefinition(Resource):
    """A task definition of a managed daemon: no network mode and no port mappings (it runs on the instance)."""

    TYPE = "AWS::ECS::DaemonTaskDefinition"
    family: str = ""
    cpu: int = 128
    memory: int = 128
    containers: tuple[ContainerDefinition, ...] = ()
    execution_role: Linked | None = None
    task_role: Linked | None = None
    volumes: tuple[TaskVolume, ...] = ()
    pid_mode: str = ""  # shared: the instance's PID namespace
    ipc_mode: str = ""  # shared: the instance's IPC namespace
    tags: tuple[Tag, ...] = ()


@record
class Daemon(Resource):
    """One daemon task on every instance of its Managed Instances capacity providers."""

    TYPE = "AWS::ECS::Daemon"
    daemon_name: str = ""
    cluster_arn: Value = UNSET
    daemon_task_definition_arn: Value = UNSET
    capacity_provider_arns: tuple[Value, ...] = ()
    drain_percent: int | None = None
    enable_execute_command: bool = False
    tags: tuple[Tag, ...] = ()
