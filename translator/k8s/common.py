"""Parsing shared by every kind: object metadata and origins."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Protocol, TypeVar

from translator.model.app import Meta, Origin
from translator.source.reader import Reader, make_finding

PORT_MAX = 65535  # a port of a container or a Service is 1-65535; Kubernetes rejects any other
INT32_MAX = 2**31 - 1  # replicas and most counts are int32 in the API: a larger one is refused

# Written by the API server, not by the user: nothing to translate and nothing lost.
SERVER_FIELDS = ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                 "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds")


def origin(r: Reader) -> Origin:
    return Origin(r.ctx.location(r.pointer), r.ctx.resource)


def parse_meta(root: Reader, labels: bool = True, annotations: bool = True) -> Meta:
    """Name, namespace and, where the kind maps them, labels and annotations.

    A kind that has nowhere to put its labels or annotations passes False, so they stay unread
    and the sweep reports them from the kind's row of the equivalence table.
    """
    meta = root.child("metadata")
    if meta is None:
        return Meta(name="", namespace="default")
    meta.ignore(*SERVER_FIELDS)
    meta.ignore("generateName")  # read before parsing: the object was named from it (K2E033), or its name wins
    name = meta.str("name") or ""
    namespace = meta.str("namespace") or "default"
    label_map = meta.str_map("labels") if labels else {}
    annotation_map = meta.str_map("annotations") if annotations else {}
    return Meta(name=name, namespace=namespace, labels=tuple(sorted(label_map.items())),
                annotations=tuple(sorted(annotation_map.items())))


def origin_at(r: Reader, key: str) -> Origin:
    """The origin of one field of `r`, so a finding about that field points at its line."""
    return Origin(r.ctx.location(r.at(key)), r.ctx.resource)


class _Located(Protocol):
    @property
    def origin(self) -> Origin: ...


_T = TypeVar("_T", bound=_Located)


def first_of_each(r: Reader, items: Iterable[_T], key: Callable[[_T], Hashable], what: str,
                  name: Callable[[_T], str]) -> list[_T]:
    """The first item of each key; each later one is reported (K2E005) and left out.

    Kubernetes rejects a pod with two containers of one name, two volumes of one name or two mounts
    on one path, and so do ECS and CloudFormation; unchecked, the copy would fail the deploy.
    """
    first: dict[Hashable, Origin] = {}
    kept: list[_T] = []
    for item in items:
        seen = first.get(key(item))
        if seen is None:
            first[key(item)] = item.origin
            kept.append(item)
            continue
        where = f"{seen.location.file}:{seen.location.line}"
        r.ctx.sink.add(make_finding("K2E005", item.origin.location, item.origin.resource, kind=what,
                                    name=name(item), first=where))
    return kept


def unquoted(r: Reader, key: str, value: object) -> tuple[str, str, str]:
    """For a number or boolean where Kubernetes wants a string: how it was written (`1e3`), what YAML
    read (`the number 1000.0`) and the quoted fix (`"1e3"`). The field is marked read: a finding follows."""
    r.ignore(key)
    written = r.ctx.doc.text(r.at(key)) or (str(value).lower() if isinstance(value, bool) else str(value))
    read = f"the boolean {str(value).lower()}" if isinstance(value, bool) else f"the number {value!r}"
    return written, read, '"' + written.replace("\\", "\\\\").replace('"', '\\"') + '"'
