"""Cloud Map DNS names for the callers Service Connect cannot serve (docs/service-connect.md).

Only the tasks of ECS services are Service Connect clients; a task started on its own (a Job, a
CronJob's scheduled task, a Helm hook) resolves names through the VPC's DNS only. So an ECS service
that such a task calls also registers its tasks in a Cloud Map private DNS namespace named as
Kubernetes names the namespace's Services, `<namespace>.svc.cluster.local`: the Service's full name
then resolves (A records, one per task) from any task of the VPC, Service Connect client or not.
A service keeps its Service Connect entries; one ECS service registers in one Cloud Map service.

The stack gets the namespace and the Cloud Map services only when a caller needs them, so outputs
without such a caller do not change.
"""

from __future__ import annotations

from dataclasses import replace

from translator.mapping.stackbuilder import StackBuilder
from translator.model.ecs import (
    DiscoveryInstance,
    DiscoveryService,
    DnsRecord,
    EcsService,
    Metadata,
    Parameter,
    PrivateDnsNamespace,
    ServiceRegistry,
)
from translator.model.intrinsics import GetAtt, Ref

DNS_NAMESPACE_ID = "ServiceDiscoveryDnsNamespace"
CLUSTER_DOMAIN = "svc.cluster.local"
TTL = 10  # seconds: a replaced task's address leaves callers' caches soon


def domain(namespace: str) -> str:
    """The private DNS namespace of a Kubernetes namespace: the suffix its Services' full names have."""
    return f"{namespace}.{CLUSTER_DOMAIN}"


def registry_id(service_logical_id: str) -> str:
    return f"{service_logical_id}Discovery"


def registry(stack: StackBuilder, service_logical_id: str, name: str, what: str, metadata: Metadata,
             namespace_metadata: Metadata) -> ServiceRegistry:
    """The Cloud Map service (A records) `name.<domain>` for the stack's ECS service `service_logical_id`,
    and the stack's private DNS namespace the first time."""
    _namespace(stack, namespace_metadata)
    logical = registry_id(service_logical_id)
    stack.add(DiscoveryService(logical, metadata=metadata, name=name, namespace_id=GetAtt(DNS_NAMESPACE_ID, "Id"),
                               description=what[:1024], dns_records=(DnsRecord("A", TTL),)))
    return ServiceRegistry(GetAtt(logical, "Arn"))


def external(stack: StackBuilder, name: str, logical: str, parameter: Parameter, metadata: Metadata,
             namespace_metadata: Metadata) -> None:
    """`name.<domain>` as a CNAME to the address the stack parameter `parameter` holds (WEIGHTED routing, no health
    check: Cloud Map's rules for a CNAME record), registered by the stack itself."""
    _namespace(stack, namespace_metadata)
    stack.parameters[parameter.name] = parameter
    stack.add(DiscoveryService(logical, metadata=metadata, name=name, namespace_id=GetAtt(DNS_NAMESPACE_ID, "Id"),
                               description=parameter.description[:1024], dns_records=(DnsRecord("CNAME", TTL),),
                               routing_policy="WEIGHTED", custom_health_check=False))
    stack.add(DiscoveryInstance(f"{logical}Instance", metadata=metadata, service_id=GetAtt(logical, "Id"),
                                cname=Ref(parameter.name)))


def _namespace(stack: StackBuilder, namespace_metadata: Metadata) -> None:
    if not stack.has(DNS_NAMESPACE_ID):
        stack.add(PrivateDnsNamespace(DNS_NAMESPACE_ID, metadata=namespace_metadata, name=domain(stack.namespace),
                                      vpc=Ref("VpcId"),
                                      description=f"DNS names of the tasks of Kubernetes namespace {stack.namespace}"))


def register(stack: StackBuilder, service_logical_id: str, name: str, what: str, metadata: Metadata,
             namespace_metadata: Metadata) -> None:
    """Register the tasks of the stack's ECS service `service_logical_id` as `name.<domain>` (A records)."""
    entry = registry(stack, service_logical_id, name, what, metadata, namespace_metadata)
    service = stack.get(service_logical_id)
    assert isinstance(service, EcsService)
    stack.replace(replace(service, service_registries=(entry,)))
