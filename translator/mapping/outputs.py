"""The outputs every stack gives whoever deploys it: where to look once it is up.

The cluster's name, each load balancer's URL (https:// when it has an HTTPS listener) and DNS
name, each ECS service's name and the tasks' security group (what `aws ecs run-task` needs). They
are added to a namespace's stack once mapping and the reachability analysis have finished with it,
so they name the resources it ends with. Outputs that other steps declared (file systems, the
exports of the shared Service Connect namespace, a Job's run-task values) come first and keep their
names; a stack that would pass CloudFormation's 200 outputs keeps the most useful ones (cluster, URLs,
services, then DNS names, then the security group) and says what it left out (K2E378). A split
stack's parts export what other parts import themselves (`render/split.py`).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from translator.findings.model import Location
from translator.mapping.context import MapContext
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.stackbuilder import StackBuilder
from translator.model.ecs import EcsService, Listener, LoadBalancer, Output
from translator.model.intrinsics import GetAtt, Ref, Sub
from translator.source.reader import make_finding

OUTPUT_LIMIT = 200  # CloudFormation's outputs per template
MAX_KEY = 255  # an output's logical id: alphanumeric, at most this long
_CLUSTER, _URL, _SERVICE, _DNS, _GROUP = range(5)  # importance: what is kept first when over the limit
_WHAT = {_CLUSTER: "cluster name", _URL: "load-balancer URLs", _SERVICE: "service names", _DNS: "load-balancer DNS names",
         _GROUP: "task security group"}


def add_outputs(mc: MapContext, stack: StackBuilder) -> None:
    """Add the stack's outputs, as many as CloudFormation's limit leaves room for."""
    wanted = sorted(_wanted(stack), key=lambda item: item[0])  # stable: the stack's order within each kind
    room = max(OUTPUT_LIMIT - len(stack.outputs), 0)
    for _, name, output in wanted[:room]:
        stack.outputs[name] = output
    left = wanted[room:]
    if left:
        kinds = ", ".join(_WHAT[k] for k in sorted({k for k, _, _ in left}))
        mc.sink.add(make_finding("K2E378", Location(), f"stack/{stack.name}", stack=stack.name,
                                 count=len(stack.outputs) + len(left), left=len(left), kinds=kinds))


def _wanted(stack: StackBuilder) -> list[tuple[int, str, Output]]:
    taken = set(stack.outputs)
    found: list[tuple[int, str, Output]] = []

    def want(kind: int, key: str, output: Output) -> None:
        key = _key(key)
        known = stack.outputs.get(key)
        if known is not None and known.value == output.value and not known.description:
            stack.outputs[key] = replace(known, description=output.description)  # a Job's, described
        elif key not in taken:
            taken.add(key)
            found.append((kind, key, output))

    if stack.has("Cluster"):
        want(_CLUSTER, "ClusterName", Output(Ref("Cluster"), description="Name of the ECS cluster"))
    listeners = [r for r in stack.resources if isinstance(r, Listener)]
    for lb in (r for r in stack.resources if isinstance(r, LoadBalancer)):
        url = _url(lb, [listener for listener in listeners if listener.load_balancer_arn == Ref(lb.logical_id)])
        if url is not None:
            want(_URL, f"{lb.logical_id}Url", Output(url, description=f"URL of load balancer {lb.logical_id}"))
        want(_DNS, f"{lb.logical_id}DNSName", Output(GetAtt(lb.logical_id, "DNSName"),
                                                     description=f"DNS name of load balancer {lb.logical_id}"))
    for service in (r for r in stack.resources if isinstance(r, EcsService)):
        want(_SERVICE, f"{service.logical_id}Name", Output(GetAtt(service.logical_id, "Name"),
                                                           description=f"Name of ECS service {service.service_name}"))
    if stack.has(SERVICES_SG):
        want(_GROUP, "TaskSecurityGroup", Output(GetAtt(SERVICES_SG, "GroupId"),
                                                 description="Security group of the tasks (for aws ecs run-task)"))
    return found


def _url(lb: LoadBalancer, listeners: list[Listener]) -> Sub | None:
    """`https://DNS` from the first HTTPS listener, else `http://DNS` from the first HTTP one, with
    the port when it is not the scheme's own; None for a load balancer without either (an NLB)."""
    for protocol, scheme, default in (("HTTPS", "https", 443), ("HTTP", "http", 80)):
        ports = sorted(listener.port for listener in listeners if listener.protocol == protocol)
        if ports:
            port = default if default in ports else ports[0]
            suffix = "" if port == default else f":{port}"
            return Sub(f"{scheme}://${{{lb.logical_id}.DNSName}}{suffix}")
    return None


def _key(key: str) -> str:
    return key if len(key) <= MAX_KEY else key[:MAX_KEY - 12] + hashlib.sha256(key.encode()).hexdigest()[:12]
