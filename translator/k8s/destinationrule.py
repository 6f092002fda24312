"""DestinationRule (networking.istio.io): the subsets of a host and the policies of calls to it.

A subset names the pods of a host by labels (`version: v2`): a VirtualService weighs its routes over
subsets, and the mapping makes a target group of the workloads whose pod labels match. The traffic
policy's TLS mode says whether calls use Istio's mutual TLS (ISTIO_MUTUAL), which becomes Service
Connect TLS under the `service_connect_tls_ca` option; connectionPool, outlierDetection, loadBalancer
and portLevelSettings are read for their finding only (ECS Service Connect sets its own).
"""

from __future__ import annotations

from translator.k8s.common import origin, origin_at, parse_meta
from translator.k8s.virtualservice import NETWORKING, NETWORKING_VERSIONS
from translator.model.app import Application, DestinationRule, MeshFeature, MeshSubset
from translator.source.reader import Reader

KINDS: dict[str, tuple[str, ...]] = {"DestinationRule": (NETWORKING,)}
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {NETWORKING: NETWORKING_VERSIONS}
BECOMES = (
    "subsets: the pods a VirtualService weighs over (one target group per subset, of the workloads whose pod labels "
    "match); `trafficPolicy.tls.mode` ISTIO_MUTUAL: Service Connect TLS with the `service_connect_tls_ca` option, "
    "else a finding; connectionPool, outlierDetection, loadBalancer, portLevelSettings: a finding each"
)
# Traffic-policy settings ECS Service Connect manages itself: read for their finding only.
POLICIES = ("connectionPool", "outlierDetection", "loadBalancer", "portLevelSettings", "proxyProtocol", "tunnel")


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    subsets = tuple(_subset(s) for s in spec.items("subsets"))
    policy = spec.child("trafficPolicy")
    tls = policy.child("tls") if policy is not None else None
    mode = (tls.str("mode") or "") if tls is not None else ""
    policies = tuple(_policy(policy.for_report, key) for key in POLICIES if policy.has(key)) if policy else ()
    if tls is not None:
        tls.for_report.ignore(*(k for k in tls.fields() if k != "mode"))  # certificates of MUTUAL: in the finding
    report = spec.for_report
    extra = tuple(MeshFeature(key, "", origin_at(spec, key)) for key in ("exportTo", "workloadSelector") if spec.has(key))
    report.ignore("exportTo", "workloadSelector")
    app.destination_rules.append(DestinationRule(meta, spec.str("host") or "", subsets, mode, policies + extra,
                                                 origin(root)))


def _subset(s: Reader) -> MeshSubset:
    if s.has("trafficPolicy"):
        s.for_report.ignore("trafficPolicy")  # per-subset policies: reported with the rule's
    return MeshSubset(s.str("name") or "", tuple(sorted(s.str_map("labels").items())), origin(s))


def _policy(r: Reader, key: str) -> MeshFeature:
    value = r.data.get(key)
    r.ignore(key)
    detail = ""
    if isinstance(value, dict):
        detail = ", ".join(f"{k} {v}" if not isinstance(v, dict | list) else str(k) for k, v in value.items())
    elif isinstance(value, list):
        detail = f"{len(value)} port(s)"
    return MeshFeature(f"trafficPolicy.{key}", detail, origin_at(r, key))
