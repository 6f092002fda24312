"""PeerAuthentication (security.istio.io): whether a workload's sidecar accepts plaintext calls.

STRICT requires mutual TLS on every call; on ECS, Service Connect TLS (an AWS Private CA named by the
`service_connect_tls_ca` option) encrypts the calls between Service Connect proxies in its stead.
PERMISSIVE accepts both, as Service Connect without TLS does; DISABLE turns mutual TLS off. A
PeerAuthentication without `mtls.mode` inherits its parent's (Istio's UNSET); the mesh default is
PERMISSIVE (https://istio.io/latest/docs/reference/config/security/peer_authentication/).
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.networkpolicy import selector
from translator.k8s.virtualservice import SECURITY, SECURITY_VERSIONS
from translator.model.app import Application, PeerAuthentication
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"PeerAuthentication": (SECURITY,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {SECURITY: SECURITY_VERSIONS}
BECOMES = (
    "mode STRICT: Service Connect TLS (`Tls` with the AWS Private CA of the `service_connect_tls_ca` option and the "
    "ECS infrastructure role it needs) on the Service Connect endpoints of its namespace, else a finding that says "
    "what to set; PERMISSIVE and DISABLE: plaintext Service Connect, as before"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        app.peer_authentications.append(PeerAuthentication(meta, origin=origin(root)))
        return
    mtls = spec.child("mtls")
    mode = (mtls.str("mode") or "") if mtls is not None else ""
    chosen = spec.child("selector")
    ports = spec.child("portLevelMtls")
    port_modes: list[tuple[str, str]] = []
    for port in ports.fields() if ports is not None else ():
        body = ports.child(port) if ports is not None else None
        port_modes.append((port, (body.str("mode") or "") if body is not None else ""))
    app.peer_authentications.append(PeerAuthentication(meta, mode, selector(chosen) if chosen is not None else None,
                                                       tuple(port_modes), origin(root)))
