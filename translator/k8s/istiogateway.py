"""Gateway (networking.istio.io): the servers of an Istio ingress gateway.

Not the Gateway API's Gateway (gateway.k8s.io; `gateway.py`): the registry tells the two apart by
API group. Each server listens on a port with a protocol for some hosts, with TLS settings; the
gateway's `selector` picks the ingress-gateway pods, which the ALB replaces on ECS. The mapping
(`mapping/network/meshgateway.py`) builds the ALB with the Gateway API machinery: a server becomes a
listener, each host of it a hostname, and the VirtualServices bound to the Gateway the routes.
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.virtualservice import NETWORKING, NETWORKING_VERSIONS
from translator.model.app import Application, MeshGateway, MeshServer
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"Gateway": (NETWORKING,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {NETWORKING: NETWORKING_VERSIONS}
BECOMES = (
    "Istio Gateway: an ALB built as for a Gateway API Gateway, where a VirtualService binds to it: one listener per "
    "HTTP or HTTPS server port (certificate parameter per credentialName), server hosts as host-header conditions "
    "of the VirtualService's rules; other protocols and TLS modes a finding"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    servers = tuple(_server(s) for s in spec.items("servers"))
    app.mesh_gateways.append(MeshGateway(meta, tuple(sorted(spec.str_map("selector").items())), servers, origin(root)))


def _server(s: Reader) -> MeshServer:
    port = s.child("port")
    number = (port.int("number") or 0) if port is not None else 0
    protocol = ((port.str("protocol") or "") if port is not None else "").upper()
    name = (port.str("name") or "") if port is not None else ""
    if port is not None:
        port.ignore("targetPort")  # the proxy's own port: the ALB's target is the Service's
    tls = s.child("tls")
    mode = credential = ""
    redirect = False
    if tls is not None:
        mode = tls.str("mode") or ""
        credential = tls.str("credentialName") or ""
        redirect = bool(tls.bool("httpsRedirect"))
        tls.for_report.ignore(*(k for k in tls.fields() if k not in ("mode", "credentialName", "httpsRedirect")))
    s.ignore("name")  # a server's name only labels it
    return MeshServer(number, protocol, name, tuple(s.str_list("hosts")), mode, credential, redirect, origin(s))
