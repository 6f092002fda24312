"""ConfigMap: configuration consumed as environment (files are reported by the volume sweep)."""

from __future__ import annotations

from translator.k8s.common import origin, parse_meta, unquoted
from translator.k8s.naming import valid_data_keys
from translator.model.app import Application, ConfigMap
from translator.source.reader import Reader

# Kind -> the API groups it is served from; a CRD of the same name in another group is not this kind.
KINDS: dict[str, tuple[str, ...]] = {"ConfigMap": ("",)}
# API group -> every version Kubernetes served it in (an old beta still translates; one never served is a typo).
SERVED_VERSIONS: dict[str, tuple[str, ...]] = {"": ("v1",)}
# What these kinds become on ECS: the README kinds table is generated from it.
BECOMES = "environment literals (or SSM parameters with `config_backend: ssm`)"


def parse(root: Reader, app: Application) -> None:
    meta = parse_meta(root, labels=False, annotations=False)
    valid = set(valid_data_keys(root, "ConfigMap", meta.name, "data"))
    valid_data_keys(root, "ConfigMap", meta.name, "binaryData")  # not translated (the sweep says so); its keys still checked
    data = {k: v for k, v in root.str_map("data").items() if k in valid and _is_text(root, meta.name, k)}
    root.bool("immutable")  # ECS task definitions are immutable revisions anyway
    app.config_maps.setdefault(meta.key, ConfigMap(meta, tuple(sorted(data.items())), origin(root)))


def _is_text(root: Reader, name: str, key: str) -> bool:
    """A data value YAML read as a number or boolean (`port: 8080`) is refused by the API server:
    reported with its quoted form and left out, not turned into a text kube2ecs would have to guess."""
    value = root.data["data"][key]
    if value is None or isinstance(value, str):
        return True
    block = root.child("data")
    if block is not None:
        written, read, fix = unquoted(block, key, value)
        root.ctx.report("K2E014", block.at(key), key=key, name=name, text=written, read=read, fix=fix)
    return False
