"""Block-YAML templates read back as exactly the data the encoder gives, in every YAML loader.

Each stack is rendered twice from the same model: as the product writes it (`values.to_yaml`, block
YAML) and with the values written as JSON (`values.to_json`, which is json.dumps re-indented and
the form templates had before). Both texts must load to the same data with PyYAML's safe loader
and ruamel's, for every sample and (slow) every corpus source, and the block text must hold no
JSON: no `{"` and no line ending in `[` or `{`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

from tests.support.repo import CORPUS, ROOT
from translator.api import TranslationResult, translate
from translator.model.ecs import Metadata
from translator.model.provenance import KEY
from translator.options import load_options
from translator.render import cloudformation
from translator.render.provenance import object_data
from translator.render.values import plain_flow, to_json, to_yaml, yaml_string

SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if p.is_dir())
CORPUS_SOURCES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def _json_metadata(metadata: Metadata, indent: int = 6) -> str:
    pad = " " * indent
    lines = [f"{pad}{KEY}:", f"{pad}  objects:"]
    lines.extend(f"{pad}    - {plain_flow(object_data(o))}" for o in metadata.objects)
    return "\n".join(lines)


@contextmanager
def _json_values() -> Iterator[None]:
    """Templates rendered with every value as JSON instead of block YAML."""
    env = cloudformation.environment().overlay(cache_size=400)  # templates compiled for this environment
    env.filters = dict(env.filters)  # an overlay shares its parent's filters otherwise
    env.filters["j"] = lambda value, column=0: to_json(value, column)
    env.filters["note"] = lambda text: yaml_string(text)
    env.filters["metadata_block"] = _json_metadata
    original = cloudformation.environment
    cloudformation.environment = lambda: env  # type: ignore[assignment]
    try:
        yield
    finally:
        cloudformation.environment = original  # type: ignore[assignment]


def _loads(text: str) -> tuple[Any, Any]:
    return yaml.load(text, Loader=yaml.CSafeLoader), YAML(typ="safe").load(text)


def _assert_same_data(result: TranslationResult) -> None:
    written = {s.name: cloudformation.render_stack(s) for s in result.stacks}
    with _json_values():
        as_json = {s.name: cloudformation.render_stack(s) for s in result.stacks}
    assert written.keys() == as_json.keys()
    for name, text in written.items():
        assert '{"' not in text and not re.search(r"[\[{]\n", text), name
        block, block_ruamel = _loads(text)
        old, old_ruamel = _loads(as_json[name])
        assert block == old, name
        assert block_ruamel == old_ruamel == block, name


@functools.cache
def _sample(name: str) -> TranslationResult:
    return translate([str(ROOT / "samples" / name)])


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_reads_back_as_the_encoded_data(sample: str) -> None:
    _assert_same_data(_sample(sample))


@pytest.mark.parametrize("config", ["kube2ecs-ec2.yaml", "kube2ecs-exec.yaml"])
def test_sample_variants_read_back_as_the_encoded_data(config: str) -> None:
    source = {"kube2ecs-ec2.yaml": "stateful-storage", "kube2ecs-exec.yaml": "storefront"}[config]
    _assert_same_data(translate([str(ROOT / "samples" / source)], load_options(str(ROOT / "samples" / config))))


@pytest.mark.slow
@pytest.mark.needs("corpus")
@pytest.mark.parametrize("source", CORPUS_SOURCES)
def test_every_corpus_source_reads_back_as_the_encoded_data(source: str) -> None:
    _assert_same_data(translate([str(CORPUS / source)]))


# Strings a YAML loader would read as something else, or not at all, if they were written plain.
TRICKY = ["yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "~", "", " ", "80", "0x1F", "0o17", "017",
          "1_000", "1:20", "1.5", ".5", ".inf", "-.inf", ".NaN", "1e3", "2012-10-17", "2001-12-14t21:59:43.10-05:00",
          "!Ref x", "*alias", "&anchor", "{a}", "[a]", "- a", "-a", "? a", "?a", "| a", "> a", "%TAG", "@at", "`tick",
          "a: b", "a #b", "a#b", "a:b", "a:", " lead", "trail ", "line\nbreak", "tab\there", "quote \" and '", "'single'",
          "\"double\"", "back\\slash", "<<", "=", "#comment", ",comma", "a, b", "a,b", "ünï", "rocket \U0001F680",
          "del \x7f", "nul \x00", "${AWS::Region}-x", "${Cluster}", "a {{resolve:ssm:x}}", "${lower} $HOME ${!x}",
          "Ref", "Fn::GetAtt", "---", "...", "a\u2028b", "\ufeffbom", "a" * 200]
SHAPES: list[Any] = [
    {"k": TRICKY}, {t: 1 for t in TRICKY if t and "\n" not in t}, TRICKY, [[1, [2, []]], {}, [{}], {"a": {}}],
    {"Fn::GetAtt": ["Role", "Arn"]}, {"Ref": "Cluster", "Other": 1}, {"Fn::Sub": "${A}:${!b}"},
    {"Fn::Sub": ["${A}{{resolve:", {"A": {"Ref": "B"}}]}, [True, False, None, 0, -12, 10**30, 1.5, -0.0, 0.1],
    [{"a": [{"b": [{"c": 1}, "d"]}]}], {"Fn::Join": ["", ["a", {"Ref": "B"}]]}, ["x"] * 40, [1, 2, 3],
]


@pytest.mark.parametrize("value", SHAPES, ids=range(len(SHAPES)))
@pytest.mark.parametrize("column", [0, 4])
def test_block_yaml_reads_back_as_json_does(value: Any, column: int) -> None:
    """Inside a mapping at `column`, the block text and the JSON text load to the same data."""
    pad = " " * column
    block = f"{pad}key: {to_yaml(value, column)}\n".replace(": \n", ":\n")
    as_json = f"{pad}key: {to_json(value, column)}\n"
    assert _loads(block)[0] == _loads(as_json)[0] == _loads(block)[1]
    assert block.isascii()


def test_scalars_are_plain_only_where_every_loader_reads_them_as_the_same_string() -> None:
    assert to_yaml("web") == "web"
    assert to_yaml("ecs:service:DesiredCount") == "ecs:service:DesiredCount"
    assert [to_yaml(t) for t in ("yes", "80", "", "a: b", "-a", "!Ref")] == ['"yes"', '"80"', '""', '"a: b"', '"-a"', '"!Ref"']
    assert to_yaml({"Fn::GetAtt": ["Web", "Arn"]}, 4) == "\n      Fn::GetAtt: [Web, Arn]"
    assert to_yaml({"Ref": "Cluster"}, 4) == "\n      Ref: Cluster"
    assert to_yaml([{"Name": "a", "Value": "1"}], 0) == '\n  - Name: a\n    Value: "1"'
    assert to_yaml([4369, 5672, 15672], 0) == "[4369, 5672, 15672]"
    assert to_yaml({"Ref": "X", "Other": 1}, 0) == '\n  "Ref": X\n  Other: 1'  # data, not an intrinsic
    assert to_yaml({"Ref": "X"}) == '{"Ref": "X"}'  # no column: one line, as `flow` writes it


def test_floats_read_as_floats_in_yaml_1_1_and_1_2() -> None:
    """JSON's `1e+300` is a string to YAML 1.1 (PyYAML); the writer gives every float a dot and a signed exponent."""
    values = [1e300, 1e-7, 2.5, float("inf"), float("-inf")]
    text = f"key: {to_yaml(values, 0)}\n".replace(": \n", ":\n")
    assert _loads(text) == ({"key": values}, {"key": values})


def test_ports_sort_as_numbers() -> None:
    assert cloudformation.natural_sorted(["Rabbit15672Rule", "Rabbit4369Rule", "Rabbit5672Rule", "A"]) == [
        "A", "Rabbit4369Rule", "Rabbit5672Rule", "Rabbit15672Rule"]


def test_templates_are_deterministic() -> None:
    first = _sample("storefront").templates
    again = translate([str(ROOT / "samples" / "storefront")]).templates
    assert first == again
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


def test_no_template_writes_json() -> None:
    for path in sorted(Path(cloudformation.templates_dir() / "cfn").glob("*.j2")):
        text = path.read_text()
        assert '{"' not in text and "| flow" not in text, path.name
        assert not re.search(r"\| j \}\}", text), f"{path.name}: give `j` the key's column"
