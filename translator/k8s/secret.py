"""Secret: only key names are kept. Values never enter the model, so they cannot reach any output."""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta
from translator.k8s.naming import valid_data_keys
from translator.model.app import Application, Secret
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"Secret": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = (
    "a Secrets Manager secret created with its key names only, `valueFrom` references, and a finding that"
    " says which secret to populate (values are never read)"
)


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    keys: set[str] = set()
    for field in ("data", "stringData"):
        keys.update(valid_data_keys(root, "Secret", meta.name, field))
        root.ignore(field)  # values deliberately not read: they must never be copied
    kind = root.str("type") or "Opaque"
    root.bool("immutable")
    app.secrets.setdefault(meta.key, Secret(meta, kind, tuple(sorted(keys)), origin(root)))
