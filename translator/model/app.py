"""The neutral application model that Kubernetes parsers produce and the mapping consumes.

Frozen dataclasses with tuples: a stage cannot change what an earlier stage decided. Each node
keeps an `Origin` so later stages can still emit a finding at file:line. A Secret keeps its key
names only; its values never enter the model, so no later stage can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from translator.findings.model import Location
from translator.model.record import record


@record
class Origin:
    location: Location = field(default_factory=Location)
    resource: str = ""


@record
class Meta:
    name: str
    namespace: str
    labels: tuple[tuple[str, str], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return self.namespace, self.name


@record
class KeyRef:
    """configMapKeyRef / secretKeyRef."""

    kind: str  # "configmap" | "secret"
    name: str
    key: str
    optional: bool = False


@record
class EnvVar:
    name: str
    value: str | None = None
    key_ref: KeyRef | None = None
    field_path: str | None = None
    resource_field: tuple[str, str, str] | None = None  # (container, resource, divisor)
    origin: Origin = field(default_factory=Origin)


@record
class EnvFrom:
    kind: str  # "configmap" | "secret"
    name: str
    prefix: str = ""
    optional: bool = False
    origin: Origin = field(default_factory=Origin)


@record
class Probe:
    kind: str  # "http" | "tcp" | "exec" | "grpc"
    port: int | str | None = None
    path: str = "/"
    scheme: str = "HTTP"
    host: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    command: tuple[str, ...] = ()
    grpc_service: str = ""
    initial_delay: int = 0
    period: int = 10
    timeout: int = 1
    success: int = 1
    failure: int = 3
    origin: Origin = field(default_factory=Origin)


@record
class Port:
    container_port: int
    protocol: str = "TCP"
    name: str = ""
    origin: Origin | None = field(default=None, compare=False)  # the ports[] item; None for a port a Service adds


@record
class ExtendedResource:
    """A device a container asks for by name (`nvidia.com/gpu`), with the amount as written."""

    name: str
    amount: str
    origin: Origin = field(default_factory=Origin)


@record
class Resources:
    cpu_request: Decimal | None = None
    cpu_limit: Decimal | None = None
    memory_request: Decimal | None = None
    memory_limit: Decimal | None = None
    storage_request: Decimal | None = None
    storage_limit: Decimal | None = None


@record
class Mount:
    volume: str
    path: str
    read_only: bool = False
    sub_path: str = ""
    propagation: str = ""  # mountPropagation other than None
    origin: Origin = field(default_factory=Origin)


@record
class Container:
    name: str
    image: str
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    ports: tuple[Port, ...] = ()
    env: tuple[EnvVar, ...] = ()
    env_from: tuple[EnvFrom, ...] = ()
    resources: Resources = field(default_factory=Resources)
    liveness: Probe | None = None
    readiness: Probe | None = None
    startup: Probe | None = None
    working_dir: str = ""
    user: str = ""
    read_only_root: bool | None = None
    capabilities_add: tuple[str, ...] = ()
    capabilities_drop: tuple[str, ...] = ()
    tty: bool = False
    stdin: bool = False
    mounts: tuple[Mount, ...] = ()
    init: bool = False
    sidecar: bool = False  # restartPolicy: Always init container, or a second regular container
    # Facts the translation drops (the sweep reports them) but the assessment lint still judges.
    pre_stop: bool = False
    privileged: Origin | None = None  # where securityContext.privileged: true is set
    origin: Origin = field(default_factory=Origin)
    # Extended resources (`nvidia.com/gpu`: 1), read under launch_type MANAGED_INSTANCES only: each with its
    # limit (else its request) as written, and where it is set.
    devices: tuple[ExtendedResource, ...] = ()


@record
class KeyToPath:
    """An `items` entry of a configMap or secret volume: which key lands in which file."""

    key: str
    path: str
    mode: int | None = None


@record
class Volume:
    """A pod volume. `source` is the claim, ConfigMap, Secret or host path it names."""

    name: str
    kind: str  # "emptyDir", "persistentVolumeClaim", "configMap", "secret", "hostPath" or another type
    source: str = ""
    read_only: bool = False
    optional: bool = False
    size_limit: Decimal | None = None
    host_type: str = ""
    items: tuple[KeyToPath, ...] = ()
    default_mode: int | None = None
    origin: Origin = field(default_factory=Origin)


@record
class Claim:
    """A PersistentVolumeClaim, or a StatefulSet volumeClaimTemplate (`template_of` = the StatefulSet)."""

    meta: Meta
    storage_class: str | None = None
    access_modes: tuple[str, ...] = ()
    size: Decimal | None = None
    block: bool = False
    volume_name: str = ""
    template_of: str = ""
    origin: Origin = field(default_factory=Origin)


@record
class NodeTerm:
    """One required node-selector term: (key, operator, values) expressions that must all hold."""

    expressions: tuple[tuple[str, str, tuple[str, ...]], ...]
    origin: Origin = field(default_factory=Origin)


@record
class Placement:
    """Where pods may run: node labels and required node affinity (EC2 placement constraints)."""

    node_selector: tuple[tuple[str, str], ...] = ()
    selector_origin: Origin | None = None
    node_terms: tuple[NodeTerm, ...] = ()  # ORed
    one_per_node: Origin | None = None  # required pod anti-affinity against itself on kubernetes.io/hostname

    def __bool__(self) -> bool:
        return bool(self.node_selector or self.node_terms or self.one_per_node)


@record
class PodSpec:
    containers: tuple[Container, ...]
    init_containers: tuple[Container, ...] = ()
    service_account: str = ""
    image_pull_secrets: tuple[str, ...] = ()
    termination_grace: int | None = None
    volumes: tuple[Volume, ...] = ()
    share_process_namespace: bool = False
    cpu_architecture: str = ""
    service_links: bool = True  # enableServiceLinks: the kubelet sets each Service's variables (read, not translated)
    placement: Placement = field(default_factory=Placement)
    run_as_user: int | None = None
    run_as_group: int | None = None
    fs_group: int | None = None
    origin: Origin = field(default_factory=Origin)
    # hostPID / hostIPC: true, read under launch_type MANAGED_INSTANCES only (where each is set).
    host_pid: Origin | None = None
    host_ipc: Origin | None = None


@record
class Rollout:
    type: str = "RollingUpdate"
    max_surge: int | str = "25%"
    max_unavailable: int | str = "25%"


@record
class AlbRouting:
    """Argo's `trafficRouting.alb`: the Ingresses whose `rootService` backend (port `use-annotation`) Argo fills
    with an action forwarding to the canary and stable Services at `servicePort` by weight."""

    ingresses: tuple[str, ...]
    root_service: str
    service_port: int


@record
class DeliveryStep:
    """One step of a canary: `setWeight` (traffic to the new version, percent), `pause` (seconds; None
    until someone promotes by hand), or another step kind kept by name so it can be reported."""

    action: str
    weight: Decimal | None = None
    pause: Decimal | None = None
    origin: Origin = field(default_factory=Origin)


@record
class MetricCheck:
    """A Flagger metric check: a builtin (request-success-rate, request-duration) or a custom one, and its range."""

    name: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    custom: bool = False  # a templateRef or query: not the builtin of that name
    origin: Origin = field(default_factory=Origin)


@record
class Delivery:
    """Progressive delivery of one workload: an Argo Rollouts `Rollout` or a Flagger `Canary`.

    `target` is the (kind, name) of the workload it rolls out: the Rollout itself when it has a
    pod template, else what its `workloadRef` or the Canary's `targetRef` names.
    """

    meta: Meta
    source: str  # Rollout | Canary
    target: tuple[str, str]
    strategy: str  # blueGreen | canary
    active_service: str = ""  # blueGreen activeService; canary stableService (Argo) or the service Flagger makes
    preview_service: str = ""  # blueGreen previewService; canary canaryService
    auto_promotion: bool = True
    auto_promotion_seconds: int | None = None
    scale_down_delay: int | None = None  # seconds the old version keeps running after promotion
    steps: tuple[DeliveryStep, ...] = ()
    analyses: tuple[str, ...] = ()  # analysis templates (Argo) or metric checks (Flagger), by name
    traffic_router: str = ""  # alb, nginx, istio, smi, ...; '' when weights come from replica counts
    checks: tuple[MetricCheck, ...] = ()  # Flagger's metric checks with their ranges
    replicas: int | None = None  # a Rollout's own count of the pods its workloadRef's template runs
    alb: AlbRouting | None = None  # a canary's ALB traffic routing
    origin: Origin = field(default_factory=Origin)


@record
class AnalysisQuery:
    """One `metricDataQueries` entry of a CloudWatch analysis metric: a metric or an expression over others."""

    id: str
    expression: str = ""
    label: str = ""
    return_data: bool | None = None
    namespace: str = ""
    metric_name: str = ""
    dimensions: tuple[tuple[str, str], ...] = ()
    period: int = 300
    stat: str = ""
    unit: str = ""


@record
class AnalysisMetric:
    """One metric of an AnalysisTemplate: its provider (cloudWatch, prometheus, datadog, web, ...) and conditions."""

    name: str
    provider: str
    success_condition: str = ""
    failure_condition: str = ""
    failure_limit: int | None = None
    queries: tuple[AnalysisQuery, ...] = ()  # cloudWatch
    query: str = ""  # another provider's query or URL, quoted in its finding
    origin: Origin = field(default_factory=Origin)


@record
class AnalysisTemplate:
    """An Argo Rollouts AnalysisTemplate, or a ClusterAnalysisTemplate (`cluster`) any namespace's Rollout may name."""

    meta: Meta
    cluster: bool
    metrics: tuple[AnalysisMetric, ...]
    origin: Origin = field(default_factory=Origin)


@record
class Batch:
    """What a Job (or a run-once Pod) asks of its runs; ECS counts none of it, so each is reported."""

    completions: int | None = None
    parallelism: int | None = None
    backoff_limit: int | None = 6  # None: a bare Pod, which has no retry budget
    restart_policy: str = "Never"
    origin: Origin = field(default_factory=Origin)


@record
class CronSchedule:
    schedule: str
    time_zone: str = ""
    suspend: bool = False
    starting_deadline: int | None = None  # seconds a late start may still happen
    origin: Origin = field(default_factory=Origin)
    deadline_origin: Origin = field(default_factory=Origin)


@record
class Stateful:
    """What a StatefulSet adds to a pod template: its governing Service and per-replica claims."""

    service_name: str = ""
    claim_templates: tuple[Claim, ...] = ()


@record
class Workload:
    kind: str
    meta: Meta
    replicas: int
    pod: PodSpec
    pod_labels: tuple[tuple[str, str], ...] = ()
    rollout: Rollout = field(default_factory=Rollout)
    stateful: Stateful | None = None
    daemon: bool = False  # a DaemonSet: one task per container instance
    origin: Origin = field(default_factory=Origin)
    run: str = "service"  # "service": an ECS service; "task": a task definition started on demand or on a schedule
    batch: Batch | None = None
    cron: CronSchedule | None = None


@record
class MetricTarget:
    """One HorizontalPodAutoscaler metric, in the shape shared by autoscaling/v1, v2beta1, v2beta2 and v2."""

    type: str  # Resource | ContainerResource | Pods | Object | External
    name: str  # cpu / memory for resource metrics, else the metric name
    target_type: str  # Utilization | AverageValue | Value
    target: Decimal | None
    container: str = ""
    origin: Origin = field(default_factory=Origin)


@record
class ScalingRules:
    direction: str  # scaleUp | scaleDown
    window: int | None = None  # stabilizationWindowSeconds
    select_policy: str = "Max"
    origin: Origin = field(default_factory=Origin)


@record
class CronTrigger:
    """A KEDA `cron` trigger: at least `desired` replicas from each `start` to the next `end`."""

    start: str
    end: str
    timezone: str
    desired: int
    origin: Origin = field(default_factory=Origin)


@record
class QueueTrigger:
    """A KEDA `aws-sqs-queue` trigger: `queue_length` messages per replica."""

    queue_url: str
    queue_length: Decimal
    region: str = ""
    in_flight: bool = True  # scaleOnInFlight: count the messages received and not yet deleted
    delayed: bool = False  # scaleOnDelayed: count the delayed messages
    origin: Origin = field(default_factory=Origin)


@record
class OtherTrigger:
    """A KEDA trigger with no CloudWatch metric kube2ecs knows: its type, metric name and target, reported."""

    type: str
    target: str = ""
    origin: Origin = field(default_factory=Origin)


@record
class Autoscaler:
    """A HorizontalPodAutoscaler, or a KEDA ScaledObject (`source`), whose cpu and memory triggers are
    `metrics` and whose cron, aws-sqs-queue and other triggers are kept apart."""

    meta: Meta
    target_kind: str
    target_name: str
    min_replicas: int
    max_replicas: int
    metrics: tuple[MetricTarget, ...]
    rules: tuple[ScalingRules, ...] = ()
    origin: Origin = field(default_factory=Origin)
    source: str = "HorizontalPodAutoscaler"  # or ScaledObject
    cooldown: int | None = None  # ScaledObject cooldownPeriod (seconds)
    crons: tuple[CronTrigger, ...] = ()
    queues: tuple[QueueTrigger, ...] = ()
    others: tuple[OtherTrigger, ...] = ()
    paused: str = ""  # a ScaledObject's pause annotations as written ('' when KEDA scales it)


@record
class Amounts:
    """CPU (cores) and memory (bytes) of a VerticalPodAutoscaler recommendation or policy; None: not given."""

    cpu: Decimal | None = None
    memory: Decimal | None = None

    def __bool__(self) -> bool:
        return self.cpu is not None or self.memory is not None


@record
class ContainerRecommendation:
    """One container's entry of a VPA's status.recommendation.containerRecommendations."""

    container: str
    target: Amounts
    lower: Amounts = field(default_factory=Amounts)
    upper: Amounts = field(default_factory=Amounts)
    origin: Origin = field(default_factory=Origin)


@record
class ContainerPolicy:
    """One resourcePolicy.containerPolicies entry; container `*` applies to every container not named."""

    container: str
    mode: str = "Auto"  # Auto | Off
    min_allowed: Amounts = field(default_factory=Amounts)
    max_allowed: Amounts = field(default_factory=Amounts)
    controlled_resources: tuple[str, ...] = ("cpu", "memory")
    controlled_values: str = "RequestsAndLimits"  # or RequestsOnly
    origin: Origin = field(default_factory=Origin)


@record
class VerticalAutoscaler:
    """A VerticalPodAutoscaler; `recommendations` is None when the object carries no status.recommendation."""

    meta: Meta
    target_kind: str
    target_name: str
    update_mode: str = "Auto"
    policies: tuple[ContainerPolicy, ...] = ()
    recommendations: tuple[ContainerRecommendation, ...] | None = None
    update_origin: Origin | None = None  # where updatePolicy.updateMode is written
    origin: Origin = field(default_factory=Origin)


@record
class NodePool:
    """A Karpenter NodePool: which nodes it may launch (requirements), how they are marked (labels, taints),
    and what on Fargate is only reported (limits, disruption, node class)."""

    meta: Meta
    requirements: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (key, operator, values)
    labels: tuple[tuple[str, str], ...] = ()
    taints: tuple[str, ...] = ()  # key[=value]:effect of NoSchedule / NoExecute taints
    limits: tuple[tuple[str, str], ...] = ()
    disruption: tuple[str, ...] = ()  # consolidation, expireAfter, budgets: said as written
    origin: Origin = field(default_factory=Origin)
    requirements_origin: Origin | None = None
    limits_origin: Origin | None = None
    disruption_origin: Origin | None = None


@record
class LabelRequirement:
    key: str
    operator: str  # In | NotIn | Exists | DoesNotExist
    values: tuple[str, ...] = ()


@record
class DisruptionBudget:
    meta: Meta
    min_available: int | str | None
    max_unavailable: int | str | None
    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[LabelRequirement, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class ServicePort:
    port: int
    target_port: int | str
    protocol: str = "TCP"
    name: str = ""


@record
class Service:
    meta: Meta
    type: str
    selector: tuple[tuple[str, str], ...]
    ports: tuple[ServicePort, ...]
    headless: bool = False
    external_name: str = ""
    source_ranges: tuple[str, ...] = ()
    session_affinity: bool = False
    origin: Origin = field(default_factory=Origin)


@record
class ConfigMap:
    meta: Meta
    data: tuple[tuple[str, str], ...]
    origin: Origin = field(default_factory=Origin)


@record
class Secret:
    meta: Meta
    type: str
    keys: tuple[str, ...]  # never the values
    origin: Origin = field(default_factory=Origin)


@record
class ServiceAccount:
    meta: Meta
    role_arn: str = ""
    image_pull_secrets: tuple[str, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class AccessRule:
    """One rule of an RBAC Role or ClusterRole: not translated, kept for the over-broad-role lint."""

    api_groups: tuple[str, ...]
    resources: tuple[str, ...]
    verbs: tuple[str, ...]
    origin: Origin = field(default_factory=Origin)


@record
class AccessRole:
    kind: str  # "Role" | "ClusterRole"
    meta: Meta
    rules: tuple[AccessRule, ...]
    origin: Origin = field(default_factory=Origin)


@record
class AccessBinding:
    kind: str  # "RoleBinding" | "ClusterRoleBinding"
    meta: Meta
    role_kind: str
    role_name: str
    subjects: tuple[tuple[str, str, str], ...]  # (kind, namespace, name)
    origin: Origin = field(default_factory=Origin)


@record
class Selector:
    """A label selector: matchLabels plus matchExpressions as (key, operator, values)."""

    labels: tuple[tuple[str, str], ...] = ()
    expressions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def everything(self) -> bool:
        """An empty selector selects every object, as in Kubernetes."""
        return not self.labels and not self.expressions

    def matches(self, labels: tuple[tuple[str, str], ...]) -> bool:
        """Whether objects labelled `labels` (unique keys, as a mapping's items) are selected."""
        if not self.expressions:  # most selectors: each (key, value) pair among the labels, no dict built
            return all(pair in labels for pair in self.labels)
        have = dict(labels)
        if any(have.get(k) != v for k, v in self.labels):
            return False
        return all(_expression(have, key, op, values) for key, op, values in self.expressions)


def _expression(have: dict[str, str], key: str, op: str, values: tuple[str, ...]) -> bool:
    if op == "In":
        return key in have and have[key] in values
    if op == "NotIn":
        return key not in have or have[key] not in values
    if op == "Exists":
        return key in have
    return key not in have  # DoesNotExist; the parser keeps only the four operators


@record
class IngressBackend:
    """A Service and port (number or name); `resource` names a resource backend, which has no ECS meaning."""

    service: str = ""
    port: int | str = 0
    resource: str = ""
    origin: Origin = field(default_factory=Origin)
    subset: MeshSubset | None = None  # an Istio DestinationRule subset: the Service's pods with these labels


@record
class IngressPath:
    host: str
    path: str
    path_type: str  # Exact | Prefix | ImplementationSpecific
    backend: IngressBackend
    index: int = 0  # position in the Ingress: ImplementationSpecific paths keep their order
    origin: Origin = field(default_factory=Origin)


@record
class IngressTls:
    hosts: tuple[str, ...]
    secret: str = ""
    origin: Origin = field(default_factory=Origin)


@record
class Ingress:
    meta: Meta
    class_name: str = ""
    default_backend: IngressBackend | None = None
    paths: tuple[IngressPath, ...] = ()
    tls: tuple[IngressTls, ...] = ()
    annotation_origins: tuple[tuple[str, Origin], ...] = ()  # where each annotation is, for its findings
    origin: Origin = field(default_factory=Origin)


@record
class IngressClass:
    meta: Meta
    controller: str = ""
    default: bool = False
    origin: Origin = field(default_factory=Origin)


# --- Gateway API (gateway.networking.k8s.io): Gateway, GatewayClass, routes, ReferenceGrant ---


@record
class ObjectRef:
    """A reference to another object: group, kind, namespace (resolved) and name; `port` for a backend."""

    group: str
    kind: str
    name: str
    namespace: str
    port: int | None = None
    section: str = ""  # a parentRef's sectionName
    weight: int = 1  # a backendRef's weight
    origin: Origin = field(default_factory=Origin)
    subset: MeshSubset | None = None  # an Istio destination's DestinationRule subset


@record
class GatewayListener:
    name: str
    protocol: str  # HTTP | HTTPS | TLS | TCP | UDP, or another a controller defines
    port: int
    hostname: str = ""
    certificates: tuple[ObjectRef, ...] = ()  # tls.certificateRefs
    tls_mode: str = "Terminate"
    routes_from: str = "Same"  # allowedRoutes.namespaces.from: Same | All | Selector
    routes_selector: Selector | None = None
    route_kinds: tuple[str, ...] = ()  # allowedRoutes.kinds; empty: the kinds of the protocol
    origin: Origin = field(default_factory=Origin)


@record
class Gateway:
    meta: Meta
    class_name: str
    listeners: tuple[GatewayListener, ...] = ()
    origin: Origin = field(default_factory=Origin)
    parameters: ObjectRef | None = None  # spec.infrastructure.parametersRef (a LoadBalancerConfiguration)
    standalone: bool | None = None  # application-networking.k8s.aws/standalone: its routes join no service network


# --- AWS controllers' Gateway API configuration (TargetGroupPolicy, TargetGroupConfiguration,
# LoadBalancerConfiguration) ---------------------------------------------------------------------------


@record
class PolicySetting:
    """One field of an AWS controller's configuration object, as written: its path under `spec` (within the
    block it belongs to), its value (a list as a tuple, a map or key/value list as pairs) and where it is."""

    path: str
    value: str | int | bool | tuple[str, ...] | tuple[tuple[str, str], ...]
    origin: Origin = field(default_factory=Origin)


@record
class RouteSettings:
    """A TargetGroupConfiguration's routeConfigurations entry: the routes it is for ('' matches any) and settings."""

    kind: str
    namespace: str
    name: str
    settings: tuple[PolicySetting, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class TargetPolicy:
    """A TargetGroupPolicy (VPC Lattice controller) or TargetGroupConfiguration (AWS Load Balancer Controller):
    target-group settings for the backends of one Service."""

    meta: Meta
    kind: str
    target: ObjectRef
    settings: tuple[PolicySetting, ...] = ()  # TargetGroupPolicy: spec; TargetGroupConfiguration: defaultConfiguration
    routes: tuple[RouteSettings, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class ListenerSettings:
    """A LoadBalancerConfiguration's listenerConfigurations entry (`HTTPS:443`) and its settings."""

    protocol_port: str
    settings: tuple[PolicySetting, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class BalancerConfiguration:
    """A LoadBalancerConfiguration: settings of the load balancer of the Gateways that reference it."""

    meta: Meta
    settings: tuple[PolicySetting, ...] = ()
    listeners: tuple[ListenerSettings, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class LatticePolicy:
    """An IAMAuthPolicy (`value`: its policy document, JSON text) or AccessLogPolicy (`value`: its destinationArn)
    of the VPC Lattice controller, attached to a Gateway, HTTPRoute or GRPCRoute."""

    meta: Meta
    kind: str
    target: ObjectRef
    value: str
    value_origin: Origin = field(default_factory=Origin)
    origin: Origin = field(default_factory=Origin)


@record
class GatewayClass:
    meta: Meta
    controller: str = ""
    origin: Origin = field(default_factory=Origin)
    parameters: ObjectRef | None = None  # spec.parametersRef (a LoadBalancerConfiguration for every Gateway of the class)


@record
class ValueMatch:
    """A header or query-parameter match: name, value and type (Exact | RegularExpression)."""

    name: str
    value: str
    type: str = "Exact"


@record
class RouteMatch:
    """One match of a route rule: HTTPRoute path, method, headers, query parameters; GRPCRoute service/method."""

    path_type: str = "PathPrefix"  # Exact | PathPrefix | RegularExpression
    path: str = "/"
    method: str = ""
    headers: tuple[ValueMatch, ...] = ()
    queries: tuple[ValueMatch, ...] = ()
    grpc_type: str = ""  # set for a GRPCRoute method match: Exact | RegularExpression
    service: str = ""
    grpc_method: str = ""
    origin: Origin = field(default_factory=Origin)


@record
class RouteRedirect:
    """A RequestRedirect filter; empty fields keep the request's value."""

    scheme: str = ""
    hostname: str = ""
    path_type: str = ""  # ReplaceFullPath | ReplacePrefixMatch
    path: str = ""
    port: int | None = None
    status_code: int = 302


@record
class RouteFilter:
    type: str  # RequestRedirect | URLRewrite | RequestHeaderModifier | ResponseHeaderModifier | RequestMirror | ...
    redirect: RouteRedirect | None = None
    detail: str = ""  # what the filter asks for, for its finding
    origin: Origin = field(default_factory=Origin)


@record
class RouteRule:
    index: int
    matches: tuple[RouteMatch, ...] = ()
    filters: tuple[RouteFilter, ...] = ()
    backends: tuple[ObjectRef, ...] = ()
    backend_filters: tuple[RouteFilter, ...] = ()  # backendRefs[].filters
    origin: Origin = field(default_factory=Origin)


@record
class Route:
    """An HTTPRoute, GRPCRoute, TCPRoute, TLSRoute or UDPRoute."""

    kind: str
    meta: Meta
    parents: tuple[ObjectRef, ...] = ()
    hostnames: tuple[str, ...] = ()
    rules: tuple[RouteRule, ...] = ()
    created: str = ""  # metadata.creationTimestamp when read from a cluster: the oldest route wins ties
    origin: Origin = field(default_factory=Origin)
    standalone: bool | None = None  # application-networking.k8s.aws/standalone; None: as its Gateway says


@record
class ReferenceGrant:
    """Who (group, kind, namespace) may refer to what (group, kind, name or '' for every name) in its namespace."""

    meta: Meta
    sources: tuple[tuple[str, str, str], ...] = ()
    targets: tuple[tuple[str, str, str], ...] = ()
    origin: Origin = field(default_factory=Origin)

    def permits(self, group: str, kind: str, namespace: str, to_group: str, to_kind: str, to_name: str) -> bool:
        return (group, kind, namespace) in self.sources and any(
            (g, k) == (to_group, to_kind) and n in ("", to_name) for g, k, n in self.targets)


# --- Istio (networking.istio.io, security.istio.io): VirtualService, DestinationRule, Gateway, PeerAuthentication ---


@record
class MeshFeature:
    """A setting of an Istio object that ECS does not carry as such (retries, fault, mirror, connectionPool...):
    read for its finding, which names it and says what it asked for."""

    name: str  # the field: retries, fault.delay, corsPolicy, trafficPolicy.outlierDetection, ...
    detail: str = ""
    origin: Origin = field(default_factory=Origin)


@record
class MeshDestination:
    """Where an Istio route sends requests: a host (a Service name, short or fully qualified), a subset of its
    pods (a DestinationRule subset), a port, and a share of the requests."""

    host: str
    subset: str = ""
    port: int | None = None
    weight: int | None = None  # None: the route's only destination, or a share left to Istio's default
    origin: Origin = field(default_factory=Origin)


@record
class MeshMatch:
    """One match of a VirtualService HTTP route; `uri_type` exact | prefix | regex, '' for every path."""

    uri_type: str = ""
    uri: str = ""
    headers: tuple[ValueMatch, ...] = ()  # exact values; other kinds of match are in `unmatched`
    method: str = ""
    gateways: tuple[str, ...] = ()
    unmatched: tuple[MeshFeature, ...] = ()  # match parts no ALB condition carries (regex, queryParams, port...)
    origin: Origin = field(default_factory=Origin)


@record
class MeshRoute:
    """One `http` route of a VirtualService: matches, destinations, timeout and what else it asks for."""

    index: int
    name: str = ""
    matches: tuple[MeshMatch, ...] = ()  # empty: every request
    destinations: tuple[MeshDestination, ...] = ()
    timeout: Decimal | None = None  # seconds
    timeout_text: str = ""
    redirect: RouteRedirect | None = None
    features: tuple[MeshFeature, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class VirtualService:
    meta: Meta
    hosts: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()  # empty: `mesh` (the sidecars of every workload)
    http: tuple[MeshRoute, ...] = ()
    others: tuple[MeshFeature, ...] = ()  # tcp and tls routes, exportTo: reported
    origin: Origin = field(default_factory=Origin)


@record
class MeshSubset:
    name: str
    labels: tuple[tuple[str, str], ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class DestinationRule:
    meta: Meta
    host: str
    subsets: tuple[MeshSubset, ...] = ()
    tls_mode: str = ""  # trafficPolicy.tls.mode: ISTIO_MUTUAL | MUTUAL | SIMPLE | DISABLE
    policies: tuple[MeshFeature, ...] = ()  # connectionPool, outlierDetection, loadBalancer, ...
    origin: Origin = field(default_factory=Origin)


@record
class PeerAuthentication:
    meta: Meta
    mode: str = ""  # STRICT | PERMISSIVE | DISABLE | UNSET ('' when not set)
    selector: Selector | None = None
    port_modes: tuple[tuple[str, str], ...] = ()  # portLevelMtls: (port, mode)
    origin: Origin = field(default_factory=Origin)


@record
class MeshServer:
    """One server of an Istio Gateway: a port, its protocol, the hosts it serves and its TLS."""

    port: int
    protocol: str
    name: str = ""
    hosts: tuple[str, ...] = ()
    tls_mode: str = ""  # SIMPLE | MUTUAL | PASSTHROUGH | ISTIO_MUTUAL | AUTO_PASSTHROUGH | OPTIONAL_MUTUAL
    credential: str = ""  # tls.credentialName: a Secret with the certificate
    https_redirect: bool = False
    origin: Origin = field(default_factory=Origin)


@record
class MeshGateway:
    """An Istio Gateway (networking.istio.io): the servers of an ingress gateway's proxies."""

    meta: Meta
    selector: tuple[tuple[str, str], ...] = ()
    servers: tuple[MeshServer, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class PolicyPort:
    protocol: str = "TCP"
    port: int | str | None = None  # None: every port
    end_port: int | None = None
    origin: Origin = field(default_factory=Origin)


@record
class PolicyPeer:
    pods: Selector | None = None
    namespaces: Selector | None = None
    cidr: str = ""
    excepted: tuple[str, ...] = ()
    origin: Origin = field(default_factory=Origin)


@record
class PolicyRule:
    peers: tuple[PolicyPeer, ...] = ()  # empty: every source
    ports: tuple[PolicyPort, ...] = ()  # empty: every port
    origin: Origin = field(default_factory=Origin)


@record
class NetworkPolicy:
    """`ingress` / `egress` None: that direction is not isolated by this policy; () isolates with no rule."""

    meta: Meta
    pods: Selector
    ingress: tuple[PolicyRule, ...] | None = None
    egress: tuple[PolicyRule, ...] | None = None
    origin: Origin = field(default_factory=Origin)


@dataclass
class Application:
    """Everything parsed from the input, indexed by (namespace, name) per kind."""

    workloads: list[Workload] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    config_maps: dict[tuple[str, str], ConfigMap] = field(default_factory=dict)
    secrets: dict[tuple[str, str], Secret] = field(default_factory=dict)
    service_accounts: dict[tuple[str, str], ServiceAccount] = field(default_factory=dict)
    autoscalers: list[Autoscaler] = field(default_factory=list)
    disruption_budgets: list[DisruptionBudget] = field(default_factory=list)
    namespaces: set[str] = field(default_factory=set)
    namespace_origins: dict[str, Origin] = field(default_factory=dict)
    # The labels of each Namespace object of the input, which Gateway listeners select routes' namespaces by.
    namespace_labels: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    roles: list[AccessRole] = field(default_factory=list)
    bindings: list[AccessBinding] = field(default_factory=list)
    # Origin resource (`Kind/namespace/name`) -> the equivalence-table fields its document uses.
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ingresses: list[Ingress] = field(default_factory=list)
    ingress_classes: dict[str, IngressClass] = field(default_factory=dict)
    network_policies: list[NetworkPolicy] = field(default_factory=list)
    claims: dict[tuple[str, str], Claim] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    analysis_templates: list[AnalysisTemplate] = field(default_factory=list)
    vertical_autoscalers: list[VerticalAutoscaler] = field(default_factory=list)
    gateways: list[Gateway] = field(default_factory=list)
    gateway_classes: dict[str, GatewayClass] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    reference_grants: list[ReferenceGrant] = field(default_factory=list)
    node_pools: list[NodePool] = field(default_factory=list)
    virtual_services: list[VirtualService] = field(default_factory=list)
    destination_rules: list[DestinationRule] = field(default_factory=list)
    peer_authentications: list[PeerAuthentication] = field(default_factory=list)
    mesh_gateways: list[MeshGateway] = field(default_factory=list)
    target_policies: list[TargetPolicy] = field(default_factory=list)
    balancer_configurations: dict[tuple[str, str], BalancerConfiguration] = field(default_factory=dict)
    lattice_policies: list[LatticePolicy] = field(default_factory=list)
