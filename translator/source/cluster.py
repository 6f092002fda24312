"""`--from-cluster`: the translatable kinds of a live cluster, as if they had been exported to files.

Objects are listed with the kubernetes client and read as raw JSON (`_preload_content=False`), so a
field newer than the client still reaches the translator and is reported, instead of being dropped
by the client's typed models. What the API server writes (status, managedFields, uid,
resourceVersion, ...) is removed first: it is not part of the application, but for the status of a
VerticalPodAutoscaler, whose recommendation sizes the task. Objects the cluster
makes on its own (a ReplicaSet of a Deployment, the root CA ConfigMap of every namespace) are not
read, and a finding says how many. Each object is its own source without a file name, so its
findings name the object.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from translator.findings.model import Finding, Location
from translator.source.clusterquery import ClusterQuery
from translator.source.loader import InputError, Source
from translator.source.reader import make_finding

# Kind -> (client API class, method stem, apiVersion it is read in). The kinds read are those of this
# table that a kind module translates (`k8s/registry.py`), so a kind module landing later is read too.
APIS: dict[str, tuple[str, str, str]] = {
    "Deployment": ("AppsV1Api", "deployment", "apps/v1"),
    "ReplicaSet": ("AppsV1Api", "replica_set", "apps/v1"),
    "StatefulSet": ("AppsV1Api", "stateful_set", "apps/v1"),
    "DaemonSet": ("AppsV1Api", "daemon_set", "apps/v1"),
    "Service": ("CoreV1Api", "service", "v1"),
    "ConfigMap": ("CoreV1Api", "config_map", "v1"),
    "Secret": ("CoreV1Api", "secret", "v1"),
    "ServiceAccount": ("CoreV1Api", "service_account", "v1"),
    "Pod": ("CoreV1Api", "pod", "v1"),
    "ReplicationController": ("CoreV1Api", "replication_controller", "v1"),
    "PersistentVolumeClaim": ("CoreV1Api", "persistent_volume_claim", "v1"),
    "HorizontalPodAutoscaler": ("AutoscalingV2Api", "horizontal_pod_autoscaler", "autoscaling/v2"),
    "PodDisruptionBudget": ("PolicyV1Api", "pod_disruption_budget", "policy/v1"),
    "Ingress": ("NetworkingV1Api", "ingress", "networking.k8s.io/v1"),
    "NetworkPolicy": ("NetworkingV1Api", "network_policy", "networking.k8s.io/v1"),
    "Job": ("BatchV1Api", "job", "batch/v1"),
    "CronJob": ("BatchV1Api", "cron_job", "batch/v1"),
}
# Custom resources a kind module translates: kind -> (group, version, plural), listed with CustomObjectsApi.
# A 404 is a cluster without the CRD, which has none of them to read. Their status is kept where it is what
# the translation reads (the VPA recommender's recommendation).
CUSTOM: dict[str, tuple[str, str, str]] = {
    "VerticalPodAutoscaler": ("autoscaling.k8s.io", "v1", "verticalpodautoscalers"),
}
KEEP_STATUS = ("VerticalPodAutoscaler",)
SERVER_METADATA = ("managedFields", "uid", "resourceVersion", "generation", "creationTimestamp", "selfLink")
SERVER_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
                      "deprecated.daemonset.template.generation")
PAGE = 500


def translatable_kinds() -> list[str]:
    from translator.k8s.registry import PARSERS

    return sorted(kind for kind in (*APIS, *CUSTOM) if kind in PARSERS)


def read_cluster(query: ClusterQuery) -> tuple[list[Source], list[Finding]]:
    """One source per object of every translatable kind in the namespace (or all of them)."""
    api_client, namespace = _connect(query)
    kinds = translatable_kinds()
    notes: list[Finding] = []
    objects: list[dict[str, Any]] = []
    with api_client:
        for kind in kinds:
            try:
                objects.extend(_list(api_client, kind, namespace))
            except _Denied as denied:
                notes.append(make_finding("K2E600", Location(), f"{kind}/{namespace or '*'}", kind=kind,
                                          scope=f"namespace {namespace}" if namespace else "any namespace",
                                          reason=str(denied), api_resource=_resource(kind)))
    kept = _keep(objects, set(kinds), notes, skip_system=namespace is None)
    return [Source("", json.dumps(strip(obj))) for obj in kept], notes


class _Denied(Exception):
    """The API refused to list one kind (403, 404): a finding, the other kinds are still read."""


def _kubernetes_client() -> None:
    """The kubernetes client (126 MB with its dependencies) is the `cluster` extra: only this reader needs it."""
    try:
        import kubernetes  # noqa: F401
    except ImportError as err:
        raise InputError("--from-cluster needs the kubernetes client: pip install 'kube2ecs[cluster]'") from err


def _connect(query: ClusterQuery) -> tuple[Any, str | None]:
    _kubernetes_client()
    from kubernetes import config

    try:
        contexts, active = config.list_kube_config_contexts(config_file=query.kubeconfig)
        chosen = next((c for c in contexts if c["name"] == query.context), None) if query.context else active
        if chosen is None:
            raise InputError(f"--from-cluster: context {query.context!r} is not in the kubeconfig")
        api_client = config.new_client_from_config(config_file=query.kubeconfig, context=chosen["name"],
                                                   persist_config=False)
    except config.ConfigException as err:
        raise InputError(f"--from-cluster: {_one_line(err)}") from err
    api_client.configuration.retries = 1
    if query.all_namespaces:
        return api_client, None
    return api_client, query.namespace or chosen.get("context", {}).get("namespace") or "default"


def _list(api_client: Any, kind: str, namespace: str | None) -> Iterator[dict[str, Any]]:
    """Every object of `kind`, page by page, with apiVersion and kind set (list items carry neither)."""
    from kubernetes import client

    if kind in CUSTOM:
        group, version, _ = CUSTOM[kind]
        api, stem, api_version = client.CustomObjectsApi(api_client), "", f"{group}/{version}"
    else:
        api_class, stem, api_version = APIS[kind]
        api = getattr(client, api_class)(api_client)
    token: str | None = None
    while True:
        try:
            page = _page(api, stem, namespace, token, CUSTOM.get(kind))
        except _Denied as denied:
            if kind in CUSTOM and str(denied).startswith("404"):
                return  # the CRD is not installed: no object of the kind to read
            raise
        for item in page.get("items") or []:
            yield {"apiVersion": api_version, "kind": kind, **item}
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            return


def _page(api: Any, stem: str, namespace: str | None, token: str | None,
          custom: tuple[str, str, str] | None = None) -> dict[str, Any]:
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    arguments: dict[str, Any] = {"limit": PAGE, "_preload_content": False, "_request_timeout": 60}
    if token:
        arguments["_continue"] = token
    try:
        if custom is not None and namespace is None:
            response = api.list_cluster_custom_object(*custom, **arguments)
        elif custom is not None:
            response = api.list_namespaced_custom_object(custom[0], custom[1], namespace, custom[2], **arguments)
        elif namespace is None:
            response = getattr(api, f"list_{stem}_for_all_namespaces")(**arguments)
        else:
            response = getattr(api, f"list_namespaced_{stem}")(namespace, **arguments)
    except ApiException as err:
        if err.status in (403, 404):
            raise _Denied(f"{err.status} {err.reason}") from err
        raise InputError(f"--from-cluster: the API server answered {err.status} {err.reason}") from err
    except HTTPError as err:
        raise InputError(f"--from-cluster: cannot reach the API server ({_one_line(err)})") from err
    try:
        return dict(json.loads(response.data))
    except (ValueError, TypeError) as err:
        raise InputError("--from-cluster: the API server sent a list that is not JSON") from err


def strip(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without what the API server wrote (status, managedFields, ids, timestamps)."""
    out = {k: v for k, v in obj.items() if k != "status" or obj.get("kind") in KEEP_STATUS}
    meta = dict(out.get("metadata") or {})
    for key in SERVER_METADATA:
        meta.pop(key, None)
    notes = {k: v for k, v in (meta.get("annotations") or {}).items() if k not in SERVER_ANNOTATIONS}
    meta.pop("annotations", None)
    if notes:
        meta["annotations"] = notes
    out["metadata"] = meta
    return _without_null_timestamps(out)


def _without_null_timestamps(value: Any) -> Any:
    """Pod templates come back with `creationTimestamp: null` in their metadata."""
    if isinstance(value, dict):
        return {k: _without_null_timestamps(v) for k, v in value.items() if not (k == "creationTimestamp" and v is None)}
    if isinstance(value, list):
        return [_without_null_timestamps(v) for v in value]
    return value


def _keep(objects: list[dict[str, Any]], kinds: set[str], notes: list[Finding], skip_system: bool) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    skipped: Counter[tuple[str, str, str]] = Counter()
    system: set[str] = set()
    for obj in objects:
        namespace = (obj.get("metadata") or {}).get("namespace") or "default"
        if skip_system and namespace.startswith("kube-"):
            system.add(namespace)
            continue
        reason = _made_by_cluster(obj, kinds)
        if reason:
            skipped[(namespace, obj["kind"], reason)] += 1
        else:
            kept.append(obj)
    for namespace in sorted(system):
        notes.append(make_finding("K2E601", Location(), f"namespace/{namespace}", namespace=namespace))
    for (namespace, kind, reason), count in sorted(skipped.items()):
        notes.append(make_finding("K2E602", Location(), f"namespace/{namespace}", count=count, kind=kind,
                                  namespace=namespace, reason=reason, why=_WHY[reason]))
    return kept


# Kinds a controller makes as a step of its own work (a Deployment's ReplicaSets, their Pods, a CronJob's
# Jobs): left out even when their controller's kind is not read, as translating them would copy it.
_MADE_BY_CONTROLLERS = ("Pod", "ReplicaSet", "Job")
_WHY = {
    "a controller owns them": "they follow from their controller, which is what to translate",
    "the cluster creates them in every namespace": "ECS needs no equivalent",
    "they are bookkeeping of the cluster or of Helm": "they hold no application configuration",
}


def _made_by_cluster(obj: dict[str, Any], kinds: set[str]) -> str:
    meta = obj.get("metadata") or {}
    kind, name = obj.get("kind"), meta.get("name")
    owners = [o.get("kind") for o in meta.get("ownerReferences") or [] if o.get("controller")]
    if owners and (kind in _MADE_BY_CONTROLLERS or any(o in kinds for o in owners)):
        return "a controller owns them"
    if (kind, name) == ("ConfigMap", "kube-root-ca.crt"):
        return "the cluster creates them in every namespace"
    if (kind, name) == ("ServiceAccount", "default") and not meta.get("annotations") and not obj.get("imagePullSecrets"):
        return "the cluster creates them in every namespace"
    if kind == "Secret" and obj.get("type") in ("kubernetes.io/service-account-token", "helm.sh/release.v1"):
        return "they are bookkeeping of the cluster or of Helm"
    return ""


def _resource(kind: str) -> str:
    """The API resource name for `kubectl auth can-i` (deployments.apps, configmaps)."""
    if kind in CUSTOM:
        group, _, plural = CUSTOM[kind]
        return f"{plural}.{group}"
    _, stem, api_version = APIS[kind]
    word = stem.replace("_", "")
    plural = word[:-1] + "ies" if word.endswith("y") else word + ("es" if word.endswith("s") else "s")
    group = api_version.rpartition("/")[0]
    return f"{plural}.{group}" if group else plural


def _one_line(err: object) -> str:
    return " ".join(str(err).split())[:300]
