"""PersistentVolumeClaim (an EFS file system once a pod mounts it), PersistentVolume and StorageClass.

A claim is only a request for storage; the file system is created where a workload mounts the
claim (mapping/task/storage.py), so an unused claim creates nothing. PersistentVolumes and
StorageClasses describe cluster storage that does not move to ECS: one finding each, with what
their data or settings mean on EFS.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from translator.k8s.common import origin, parse_meta
from translator.model.app import Application, Claim, Meta
from translator.source.quantity import parse_quantity
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"PersistentVolumeClaim": ("",), "PersistentVolume": ("",),
                                     "StorageClass": ("storage.k8s.io",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",), "storage.k8s.io": ("v1", "v1beta1")}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "claim: an EFS file system (encrypted, kept on stack deletion) with mount targets and an access point, mounted "
    "with TLS and IAM authorisation where a workload uses it; PersistentVolume and StorageClass: a finding each"
)
LEGACY_CLASS = "volume.beta.kubernetes.io/storage-class"
_PV_SOURCES = ("csi", "nfs", "hostPath", "local", "awsElasticBlockStore", "gcePersistentDisk", "azureDisk",
               "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "glusterfs", "iscsi",
               "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume")
_CSI_ADVICE = {
    "efs.csi.aws.com": "it is already EFS: point the claim's access point at file system {handle} instead of a new one",
    "ebs.csi.aws.com": "copy the data of EBS volume {handle} into the claim's EFS file system with AWS DataSync",
}


def parse(root: Reader, app: Application) -> None:
    kind = root.ctx.doc.kind
    if kind == "PersistentVolume":
        _volume(root)
    elif kind == "StorageClass":
        _storage_class(root)
    else:
        _claim_document(root, app)


def _claim_document(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    app.claims.setdefault(meta.key, parse_claim(meta, root.child("metadata"), spec, ""))


def parse_claim(meta: Meta, metadata: Reader | None, spec: Reader, template_of: str) -> Claim:
    """A claim spec (a PersistentVolumeClaim, or a StatefulSet's volumeClaimTemplate). Every claim becomes
    the same EFS file system: its class, access modes, size and bound volume are read to report them in
    the file system's finding; only volumeMode changes what is created (nothing for a block volume)."""
    raw = metadata.data.get("annotations") if metadata is not None else None
    annotations = (metadata.for_report.child("annotations")
                   if metadata is not None and isinstance(raw, dict) and LEGACY_CLASS in raw else None)
    legacy = annotations.str(LEGACY_CLASS) if annotations is not None else None
    shown = spec.for_report
    resources = shown.child("resources")
    requests = resources.child("requests") if resources is not None else None
    return Claim(meta=meta, storage_class=shown.str("storageClassName") or legacy,
                 access_modes=tuple(shown.str_list("accessModes")), size=_size(requests),
                 block=spec.str("volumeMode") == "Block", volume_name=shown.str("volumeName") or "",
                 template_of=template_of, origin=origin(spec))


def _size(requests: Reader | None) -> Decimal | None:
    raw = requests.scalar("storage") if requests is not None else None
    if raw is None:
        return None
    assert requests is not None
    try:
        return parse_quantity(raw)
    except ValueError:
        requests.report("K2E304", "storage", value=str(raw)[:40])
        return None


def _volume(root: Reader) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    raw = root.data.get("spec")
    spec: dict[str, Any] = raw if isinstance(raw, dict) else {}
    source = next((s for s in _PV_SOURCES if s in spec), "unknown source")
    detail = source
    advice = "Copy its data into the EFS file system of the claim bound to it (AWS DataSync), then retire it."
    body = spec.get(source)
    if source == "csi" and isinstance(body, dict):
        driver, handle = str(body.get("driver", "")), str(body.get("volumeHandle", ""))
        detail = f"CSI driver {driver}, volume {handle}"
        if driver in _CSI_ADVICE:
            advice = _CSI_ADVICE[driver].format(handle=handle.split("::", 1)[0]).capitalize() + "."
    root.report_all("K2E489", kind="PersistentVolume", name=meta.name, detail=detail, remediation=advice)


def _storage_class(root: Reader) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    provisioner = str(root.data.get("provisioner", ""))
    raw = root.data.get("parameters")
    parameters: dict[str, Any] = raw if isinstance(raw, dict) else {}
    advice = "Claims of this class become EFS file systems (elastic throughput, encrypted); tune those settings instead."
    if provisioner == "efs.csi.aws.com" and parameters.get("fileSystemId"):
        advice = (f"Its claims are access points on file system {parameters['fileSystemId']}; kube2ecs creates a file "
                  "system per claim instead: copy the data over, or point the access points at the existing one.")
    root.report_all("K2E489", kind="StorageClass", name=meta.name, detail=f"provisioner {provisioner or 'none'}",
                    remediation=advice)
