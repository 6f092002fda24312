"""Ingress (networking.k8s.io/v1 and the v1beta1 shapes) and IngressClass: HTTP routing to Services.

The v1beta1 shapes (extensions and networking.k8s.io) name a backend `serviceName` /
`servicePort` and call the default backend `backend`; v1 says `service.name` /
`service.port.number|name` and `defaultBackend`. Both parse into the same model, so the
mapping (`mapping/network/ingress.py`) sees one Ingress whatever the API version.
"""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.model.app import (
    Application,
    Ingress,
    IngressBackend,
    IngressClass,
    IngressPath,
    IngressTls,
    Origin,
)
from translator.source.document import join
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Ingress": ("networking.k8s.io", "extensions"),
                                     "IngressClass": ("networking.k8s.io",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"networking.k8s.io": ("v1", "v1beta1"), "extensions": ("v1beta1",)}

# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "one ALB per ingress class or `alb.ingress.kubernetes.io/group.name` in the namespace, built like a "
    "LoadBalancer Service's; a listener rule per host and path (Prefix `/foo` matches `/foo` and `/foo/*`, "
    "Exact, ImplementationSpecific as the AWS Load Balancer Controller reads it), priorities 10, 20, ... "
    "(group order, host, Exact, longest prefix); default backend to the default action, else 404; TLS to "
    "an HTTPS listener with a certificate parameter per Secret and an HTTP-to-HTTPS redirect; the "
    "controller's annotations with a direct ALB meaning. IngressClass: which Ingresses the ALB controller's "
    "defaults apply to"
)
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
_DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"
PATH_TYPES = ("Exact", "Prefix", "ImplementationSpecific")


def parse(root: Reader, app: Application) -> None:
    if root.ctx.doc.kind == "IngressClass":
        _parse_class(root, app)
        return
    meta = parse_meta(root, labels=False)
    spec = root.child("spec")
    if spec is None:
        root.report("K2E004", "spec", field="spec")
        return
    class_name = spec.str("ingressClassName") or dict(meta.annotations).get(CLASS_ANNOTATION, "")
    default = _backend_at(spec, "defaultBackend") or _backend_at(spec, "backend")
    places = tuple((key, Origin(root.ctx.location(join("/metadata/annotations", key)), root.ctx.resource))
                   for key, _ in meta.annotations)
    app.ingresses.append(Ingress(meta=meta, class_name=class_name, default_backend=default,
                                 paths=tuple(_paths(spec)), tls=tuple(_tls(spec)), annotation_origins=places,
                                 origin=origin(root)))


def _backend_at(parent: Reader, key: str) -> IngressBackend | None:
    reader = parent.child(key)
    return _backend(reader) if reader is not None else None


def _backend(b: Reader) -> IngressBackend | None:
    service = b.child("service")
    if service is not None:
        port = service.child("port")
        number = port.int("number") if port is not None else None
        name = port.str("name") if port is not None else None
        if number is None and not name:
            service.report("K2E004", "port", field=service.field("port.number"))
        return IngressBackend(service.str("name") or "", number if number is not None else name or 0, origin=origin(b))
    if b.has("serviceName"):
        return IngressBackend(b.str("serviceName") or "", b.int_or_str("servicePort", 0) or 0, origin=origin(b))
    resource = b.for_report.child("resource")  # an ALB cannot serve it: named in a finding
    if resource is not None:
        resource.ignore("apiGroup")
        return IngressBackend(resource=f"{resource.str('kind') or '?'}/{resource.str('name') or '?'}", origin=origin(b))
    b.report("K2E004", field=b.field("service"))
    return None


def _paths(spec: Reader) -> list[IngressPath]:
    out: list[IngressPath] = []
    for rule in spec.items("rules"):
        host = rule.str("host") or ""
        http = rule.child("http")
        if http is None:
            continue  # a host without paths is served by the default backend, as on the ALB
        for p in http.items("paths"):
            backend = _backend_at(p, "backend")
            if backend is None:
                if not p.has("backend"):
                    p.report("K2E004", "backend", field=p.field("backend"))
                continue
            path_type = p.str("pathType") or "ImplementationSpecific"  # v1beta1's default
            if path_type not in PATH_TYPES:
                p.report("K2E003", "pathType", field=p.field("pathType"), expected="Exact, Prefix or ImplementationSpecific",
                         got="another value")
                continue
            out.append(IngressPath(host, p.str("path") or "", path_type, backend, len(out), origin(p)))
    return out


def _tls(spec: Reader) -> list[IngressTls]:
    return [IngressTls(tuple(t.str_list("hosts")), t.str("secretName") or "", origin(t)) for t in spec.items("tls")]


def _parse_class(root: Reader, app: Application) -> None:
    """Only the controller and the default-class marker matter: they say which Ingresses the class covers."""
    meta = parse_meta(root, labels=False, annotations=False)
    metadata = root.child("metadata")
    annotations = metadata.child("annotations") if metadata is not None else None
    default = annotations is not None and (annotations.str(_DEFAULT_CLASS) or "").lower() == "true"
    spec = root.child("spec")
    controller = (spec.str("controller") if spec is not None else None) or ""
    app.ingress_classes[meta.name] = IngressClass(meta, controller, default, origin(root))
    root.report("K2E102", kind="IngressClass", name=meta.name,
                detail=f"its Ingresses become ALB listener rules (controller {controller or 'not set'})")
