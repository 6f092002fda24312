"""Which Ingresses share an ALB, and the settings of that ALB.

Ingresses with `alb.ingress.kubernetes.io/group.name` share the ALB of that group, the others
the ALB of their class (in the namespace), like one ingress controller serving a class.
Settings that belong to the whole ALB (scheme, name, ssl-redirect...) are taken from the first
Ingress in group order that sets them; a different value on another Ingress is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from translator.mapping.context import MapContext
from translator.mapping.network.albannotations import IngressSettings, read_settings
from translator.model.app import Ingress
from translator.model.ecs import Metadata
from translator.model.provenance import provenance

ALB_CONTROLLERS = ("ingress.k8s.aws/alb", "eks.amazonaws.com/alb")
_EXCLUSIVE = ("scheme", "name", "ssl_redirect", "ssl_policy", "cidrs", "ip_address_type", "lb_attributes")


@dataclass
class Member:
    ingress: Ingress
    settings: IngressSettings

    @property
    def name(self) -> str:
        return self.ingress.meta.name

    def ports(self) -> list[tuple[str, int]]:
        if self.settings.listen:
            return list(self.settings.listen)
        return [("HTTPS", 443)] if self.ingress.tls or self.settings.certificates else [("HTTP", 80)]


@dataclass
class Group:
    owner: str  # logical-id stem: `ingress/<class>` or `group/<name>`, never a Kubernetes object name
    label: str
    members: list[Member] = field(default_factory=list)

    def provenance(self, members: list[Member] | None = None) -> Metadata:
        return provenance(*(m.ingress.origin for m in (self.members if members is None else members)))


def controller_of(mc: MapContext, ing: Ingress) -> tuple[str, str]:
    """(class, controller) of an Ingress; without a class, the default IngressClass of the input if any."""
    classes = mc.app.ingress_classes
    name = ing.class_name or next((c.meta.name for c in sorted(classes.values(), key=lambda c: c.meta.name)
                                   if c.default), "")
    known = classes.get(name)
    if known is not None:
        return name, known.controller
    return name, ALB_CONTROLLERS[0] if name == "alb" else ""


def groups(mc: MapContext, ingresses: list[Ingress]) -> list[Group]:
    groups: dict[str, Group] = {}
    for ing in ingresses:
        settings = read_settings(mc, ing)
        class_name, controller = controller_of(mc, ing)
        if controller not in ALB_CONTROLLERS:
            mc.report(ing.origin, "K2E438", name=ing.meta.name, ingress_class=class_name or "(none)",
                      controller=controller or "controller unknown")
        if settings.group:
            owner, label = f"group/{settings.group}", f"IngressGroup {settings.group}"
        else:
            owner, label = f"ingress/{class_name or 'default'}", f"ingress class {class_name or '(none)'}"
        groups.setdefault(owner, Group(owner, label)).members.append(Member(ing, settings))
    for group in groups.values():
        group.members.sort(key=lambda m: (m.settings.order, m.name))
        _report_other_namespaces(mc, group.members[0].ingress, group.members[0].settings)
    return [groups[k] for k in sorted(groups)]


def _report_other_namespaces(mc: MapContext, ing: Ingress, settings: IngressSettings) -> None:
    if not settings.group:
        return
    namespaces = sorted({i.meta.namespace for i in mc.app.ingresses
                         if dict(i.meta.annotations).get("alb.ingress.kubernetes.io/group.name") == settings.group})
    if len(namespaces) > 1:
        mc.report(ing.origin, "K2E441", group=settings.group, namespaces=", ".join(namespaces))


def merged_settings(mc: MapContext, group: Group, lb_id: str) -> IngressSettings:
    """Settings of the whole ALB; tags merge, the exclusive ones come from the first Ingress that sets them."""
    merged, setters = IngressSettings(), dict[str, str]()
    default = IngressSettings()
    for m in group.members:
        for f in fields(IngressSettings):
            value = getattr(m.settings, f.name)
            if f.name == "tags":
                merged = _with(merged, tags=tuple(dict([*merged.tags, *value]).items()))
            elif f.name not in _EXCLUSIVE or value == getattr(default, f.name):
                continue
            elif f.name not in setters:
                setters[f.name] = m.name
                merged = _with(merged, **{f.name: value})
            elif value != getattr(merged, f.name):
                mc.report(m.ingress.origin, "K2E440", name=m.name, setting=f.name.replace("_", "-"),
                          value=_text(value), first=setters[f.name], kept=_text(getattr(merged, f.name)), lb=lb_id)
    return merged


def scheme(mc: MapContext, group: Group, settings: IngressSettings) -> str:
    """The annotation, else kube2ecs.yaml when set there, else the controller's default for its own classes."""
    if settings.scheme:
        return settings.scheme
    if "load_balancer_scheme" in mc.options.explicit:
        return mc.options.load_balancer_scheme
    controllers = {controller_of(mc, m.ingress)[1] for m in group.members}
    if controllers <= set(ALB_CONTROLLERS):
        return "internal"  # the AWS Load Balancer Controller's default
    return mc.options.load_balancer_scheme


def _with(settings: IngressSettings, **changes: Any) -> IngressSettings:
    return replace(settings, **changes)


def _text(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join("=".join(v) if isinstance(v, tuple) else str(v) for v in value) or "(none)"
    return str(value)
