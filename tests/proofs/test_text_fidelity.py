"""Input text never changes a template's meaning or validity.

Each string of the input reaches the task-definition JSON exactly and the CloudFormation template
exactly as CloudFormation will evaluate it: the template is read back with a YAML loader, its
`Fn::Join` and `Fn::Sub` are evaluated as CloudFormation evaluates them (`cfn_evaluate`, written
here from CloudFormation's documentation, not from kube2ecs), and cfn-lint raises nothing at any
level on it. Kubernetes' own rewriting is kept: `$(VAR)` and `$$` in env values, command and args
are expanded as the kubelet does, so the strings drawn here hold neither.

The exceptions, each with its finding: a tag value outside AWS's tag character set is cleaned
(K2E376), and `{{resolve:` is written `{ {resolve:` in templates because CloudFormation resolves
it wherever it stands and has no escape for it (K2E377).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.validation import cfn_lint_matches, task_definition_errors
from translator.api import TranslationResult, translate_text
from translator.options import Options

AWS_TAG = regex.compile(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$")  # AWS's tag pattern, as its API documents it
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}
# The Secret a Secret key name is looked up in: not in the input (its own keys are names, K2E012), so
# the key reaches an Fn::Sub as written in the secretKeyRef.
SECRET_IN_TEMPLATE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:k8s/shop/sec"
SECRET_IN_JSON = "arn:aws:secretsmanager:${AWS_REGION}:${AWS_ACCOUNT_ID}:secret:k8s/shop/sec"
EXAMPLES = int(os.environ.get("K2E_PROPERTY_EXAMPLES", "0"))

# The cases the issue names, one string each; every one goes through every field below.
CASES = {
    "astral": "rocket \U0001F680 \U00020000 \U0001D11E \U000E0001 \U000F0000 \U0010FFFD end",
    "bmp": "\u00e9\u4e2d\u0416 \u2028 \u2029 \u0085 \ufeff \ufffd \uffff \ue000",
    "quotes": "\"double\" 'single' `back`",
    "backslashes": "C:\\path\\to \\n \\u0041 \\\\ \\",
    "newlines-tabs": "line one\nline two\r\nthree\tfour\n",
    "controls": "nul\x00 bell\x07 esc\x1b del\x7f c1\x80\x9f",
    "jinja": "{{ user }} {% if x %}y{% endif %} {# c #}",
    "yaml-syntax": "!Ref Cluster\n--- \n# not a comment\n- item: &a *a | > ? : ,[]{}",
    "spaces": "  leading and trailing  ",
    "empty-like": "null",
    "sub-pseudo": "${AWS::AccountId} ${AWS::Region}",
    "sub-unknown": "${Nope} ${Cluster} ${ApiTaskDefinition.Arn}",
    "sub-escaped": "${!Literal} ${ !x} $ {y} ${",
    "dynamic-reference": "{{resolve:ssm:/app/key}} and {{resolve:secretsmanager:s:SecretString:k}}",
}


def manifests(text: str, key: str = "token", image: str | None = None) -> list[dict[str, Any]]:
    """A Deployment whose every free-text field holds `text`, with the ConfigMap it reads; the Secret
    whose key `key` it reads is left out."""
    container = {
        "name": "api", "image": image if image is not None else f"example/api:{text}",
        "command": [text], "args": [text, "--flag"], "workingDir": f"/srv/{text}",
        "env": [{"name": "PLAIN", "value": text},
                {"name": "FROM_CONFIG", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "value"}}},
                {"name": "FROM_SECRET", "valueFrom": {"secretKeyRef": {"name": "sec", "key": key}}}]}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "shop", "labels": {"app": "api", "text": text},
                     "annotations": {"note": text}},
        "spec": {"selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [container]}}}}
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "namespace": "shop"},
              "data": {"value": text}}
    return [deployment, config]


def as_json_stream(documents: list[dict[str, Any]]) -> str:
    """JSON documents, one per `---`, with every non-ASCII character escaped (astral ones as surrogate pairs)."""
    return "".join(f"---\n{json.dumps(d, indent=2)}\n" for d in documents)


def translated(documents: list[dict[str, Any]], options: Options | None = None) -> TranslationResult:
    return translate_text(as_json_stream(documents), options, name="app.json")


# --- what CloudFormation does with a value (from its documentation) ---------------------------------

def cfn_evaluate(value: Any, variables: dict[str, str]) -> Any:
    """`value` after CloudFormation's Fn::Join and Fn::Sub; a Sub variable not in `variables` fails."""
    if isinstance(value, list):
        return [cfn_evaluate(v, variables) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::Join"}:
        delimiter, parts = value["Fn::Join"]
        return delimiter.join(cfn_evaluate(p, variables) for p in parts)
    if set(value) == {"Fn::Sub"}:
        return _sub(value["Fn::Sub"], variables)
    return {k: cfn_evaluate(v, variables) for k, v in value.items()}


def _sub(text: str, variables: dict[str, str]) -> str:
    """`${!x}` is the literal `${x}`; `${Name}` is substituted, an unknown name fails the deploy."""
    out, i = [], 0
    while True:
        start = text.find("${", i)
        if start < 0:
            return "".join(out) + text[i:]
        out.append(text[i:start])
        if text.startswith("${!", start):
            out.append("${")
            i = start + 3
            continue
        end = text.index("}", start)
        name = text[start + 2:end]
        if name not in variables:
            raise AssertionError(f"Fn::Sub would substitute ${{{name}}} in {text!r}")
        out.append(variables[name])
        i = end + 1


def kubelet(text: str) -> str:
    """What Kubernetes gives a container for `text` when no variable it names is defined: `$$` -> `$`."""
    return re.sub(r"\$\$|\$\((?:[-._a-zA-Z][-._a-zA-Z0-9]*)\)", lambda m: "$" if m.group(0) == "$$" else m.group(0), text)


# --- reading the output ----------------------------------------------------------------------------

def template(result: TranslationResult) -> dict[str, Any]:
    (text,) = result.templates.values()
    assert cfn_lint_matches(text) == []
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def resources_of(loaded: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in loaded["Resources"].values() if r["Type"] == kind]


def container_in_template(loaded: dict[str, Any]) -> dict[str, Any]:
    (task,) = resources_of(loaded, "AWS::ECS::TaskDefinition")
    evaluated = cfn_evaluate(task["Properties"]["ContainerDefinitions"][0], PSEUDO)
    assert isinstance(evaluated, dict)
    return evaluated


def container_in_json(result: TranslationResult) -> dict[str, Any]:
    (text,) = result.task_definitions.values()
    document = json.loads(text)
    assert task_definition_errors(document) == []
    container = document["containerDefinitions"][0]
    assert isinstance(container, dict)
    return container


def tags_in_template(loaded: dict[str, Any]) -> dict[str, str]:
    (task,) = resources_of(loaded, "AWS::ECS::TaskDefinition")
    return {t["Key"]: t["Value"] for t in task["Properties"]["Tags"]}


def fields(container: dict[str, Any], names: tuple[str, str] = ("name", "value")) -> dict[str, Any]:
    """The free-text fields of a container definition (API or CloudFormation casing)."""
    key, value = names
    cased = (lambda k: k[:1].upper() + k[1:]) if key == "Name" else (lambda k: k)
    env = {e[key]: e[value] for e in container.get(cased("environment"), [])}
    secrets = {s[key]: s[cased("valueFrom")] for s in container.get(cased("secrets"), [])}
    return {"image": container[cased("image")], "entryPoint": container[cased("entryPoint")],
            "command": container[cased("command")], "workingDirectory": container[cased("workingDirectory")],
            "PLAIN": env["PLAIN"], "FROM_CONFIG": env.get("FROM_CONFIG"), "FROM_SECRET": secrets["FROM_SECRET"]}


def expected_fields(text: str, key: str, secret_arn: str) -> dict[str, Any]:
    given_text = kubelet(text)
    return {"image": f"example/api:{text}", "entryPoint": [given_text], "command": [given_text, "--flag"],
            "workingDirectory": f"/srv/{text}", "PLAIN": given_text, "FROM_CONFIG": text,
            "FROM_SECRET": f"{secret_arn}:{key}::"}


def in_template(text: str) -> str:
    """The one change a template makes: CloudFormation would resolve `{{resolve:` (K2E377)."""
    return text.replace("{{resolve:", "{ {resolve:")


# --- one test per case -----------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_reaches_the_task_definition_and_the_template(case: str) -> None:
    text = CASES[case]
    result = translated(manifests(text, key=f"k{text}"))
    assert fields(container_in_json(result)) == expected_fields(text, f"k{text}", SECRET_IN_JSON)
    loaded = template(result)
    expected = {k: _in_template(v) for k, v in expected_fields(text, f"k{text}", SECRET_IN_TEMPLATE).items()}
    assert fields(container_in_template(loaded), ("Name", "Value")) == expected


def _in_template(value: Any) -> Any:
    return [in_template(v) for v in value] if isinstance(value, list) else in_template(value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_in_an_ssm_parameter(case: str) -> None:
    """config_backend ssm: the ConfigMap value is the parameter's Value; the Secret key an SSM name."""
    text = CASES[case]
    result = translated(manifests(text), Options(config_backend="ssm"))
    loaded = template(result)
    values = [p["Properties"]["Value"] for p in resources_of(loaded, "AWS::SSM::Parameter")]
    assert [cfn_evaluate(v, {}) for v in values] == [in_template(text)]


def test_raw_utf8_yaml_input() -> None:
    """The same as the JSON cases, from YAML that holds the characters themselves."""
    text = CASES["astral"] + " " + CASES["jinja"]
    source = yaml.safe_dump_all(manifests(text), allow_unicode=True)
    assert "\U0001F680" in source
    result = translate_text(source, name="app.yaml")
    assert fields(container_in_json(result))["PLAIN"] == text
    assert fields(container_in_template(template(result)), ("Name", "Value"))["PLAIN"] == text


def test_sub_variables_in_input_are_not_substituted() -> None:
    """`${AWS::AccountId}` in a Secret key would become the account id inside Fn::Sub, `${Nope}`
    would fail the deploy: both are written `${!`."""
    result = translated(manifests("x", key="a${AWS::AccountId}${Nope}"))
    task = resources_of(template(result), "AWS::ECS::TaskDefinition")[0]
    value_from = task["Properties"]["ContainerDefinitions"][0]["Secrets"][0]["ValueFrom"]
    assert value_from == {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
                                     "k8s/shop/sec:a${!AWS::AccountId}${!Nope}::"}


def test_a_literal_with_a_variable_is_a_join_that_gives_it_back() -> None:
    result = translated(manifests("${AWS::Region}/$x$"))
    task = resources_of(template(result), "AWS::ECS::TaskDefinition")[0]
    environment = task["Properties"]["ContainerDefinitions"][0]["Environment"]
    assert environment[0] == {"Name": "PLAIN", "Value": {"Fn::Join": ["$", ["", "{AWS::Region}/", "x", ""]]}}


def test_tag_values_are_cleaned_with_a_finding() -> None:
    text = "two\nlines, a tab\tand \U0001F680 {json}"
    result = translated(manifests(text))
    tags = tags_in_template(template(result))
    assert tags["note"] == tags["text"] == "two lines- a tab and - -json-"
    assert all(AWS_TAG.match(v) for v in tags.values())
    found = [(f.code, f.location.file, f.location.line, f.message) for f in result.findings if f.code == "K2E376"]
    assert found == [("K2E376", "app.json", 2, (
        "labels and annotations of api: the tag values of text, note were changed to fit AWS tags (a tab or line "
        "break became a space, other characters outside letters, numbers, spaces and _.:/=+-@ became '-')"))]


def test_tag_values_over_256_characters_are_dropped_with_a_finding() -> None:
    """Counted as AWS counts, in UTF-16 units: 255 letters and one astral character are 257."""
    result = translated(manifests("x" * 255 + "\U0001F680"))
    assert set(tags_in_template(template(result))) == {"kube2ecs:namespace", "kube2ecs:object", "app"}
    found = [(f.code, f.location.line, f.message) for f in result.findings if f.code in ("K2E372", "K2E376")]
    assert found == [("K2E372", 2, "labels and annotations of api were not copied to tags: text, note")]


def test_dynamic_reference_finding() -> None:
    result = translated(manifests("use {{resolve:ssm:/app/key}} here"))
    found = [(f.code, f.location.file, f.location.line, f.location.pointer, f.message)
             for f in result.findings if f.code in ("K2E377", "K2E006")]
    assert found == [
        ("K2E377", "app.json", 10, "/metadata/labels/text", (
            "value '{{resolve:ssm:/app/key}}' holds '{{resolve:', which CloudFormation resolves as a dynamic "
            "reference wherever it stands and has no escape for: the templates write it '{ {resolve:'; the "
            "task-definition JSON keeps it")),
        ("K2E377", "app.json", 80, "/data/value", (
            "value '{{resolve:ssm:/app/key}}' holds '{{resolve:', which CloudFormation resolves as a dynamic "
            "reference wherever it stands and has no escape for: the templates write it '{ {resolve:'; the "
            "task-definition JSON keeps it")),
    ]


# --- any text --------------------------------------------------------------------------------------

_PROPERTY = settings(derandomize=not EXAMPLES, database=None, deadline=None, max_examples=EXAMPLES or 40,
                     suppress_health_check=[HealthCheck.too_slow])
# Every plane: the full range of code points but surrogates (no string holds one), and the pieces
# that mean something to YAML, JSON, Jinja or CloudFormation.
_CHARACTERS = st.characters(exclude_categories=["Cs"])
_ASTRAL = st.characters(min_codepoint=0x10000, exclude_categories=["Cs"])
_PIECES = st.sampled_from(["${", "}", "${AWS::AccountId}", "${Nope}", "${!", "{{", "}}", "{%", "%}", "{{resolve:",
                           "ssm:x}}", "\n", "\r\n", "\t", '"', "'", "\\", "!Ref ", "--- ", "# ", " ", "\x00", "\x7f",
                           "\u2028", "\ufeff", "$"])
_TEXT = st.lists(st.one_of(_PIECES, _ASTRAL, st.text(_CHARACTERS, max_size=4)), max_size=12).map("".join)


def _no_kubelet_references(text: str) -> str:
    """Drop each `$` before `$` or `(`: the kubelet would rewrite those (see `kubelet`)."""
    return re.sub(r"\$(?=[$(])", "", text)


@pytest.mark.slow  # 40 generated inputs, each translated and linted: CI runs it, the quick loop keeps the fixed cases
@_PROPERTY
@given(text=_TEXT.map(_no_kubelet_references), key=_TEXT)
def test_any_text_survives(text: str, key: str) -> None:
    key = "k" + key
    result = translated(manifests(text, key=key))
    assert fields(container_in_json(result)) == expected_fields(text, key, SECRET_IN_JSON)
    loaded = template(result)
    expected = {k: _in_template(v) for k, v in expected_fields(text, key, SECRET_IN_TEMPLATE).items()}
    assert fields(container_in_template(loaded), ("Name", "Value")) == expected
    for value in tags_in_template(loaded).values():
        assert AWS_TAG.match(value) and len(value.encode("utf-16-le")) // 2 <= 256
    tags = tags_in_template(loaded)
    if AWS_TAG.match(text):
        assert tags["note"] == tags["text"] == text
    else:
        assert any(f.code == "K2E376" for f in result.findings)
    if "{{resolve:" in text:
        assert any(f.code == "K2E377" for f in result.findings)


def test_source_file_name_in_metadata() -> None:
    """A file name is input text too: it reaches every resource's Metadata, which CloudFormation evaluates."""
    name = "${AWS::Region}/\U0001F680 {{resolve:ssm:x}}.json"
    result = translate_text(as_json_stream(manifests("x")), name=name)
    loaded = template(result)
    sources = {cfn_evaluate(o["source"], {}) for r in loaded["Resources"].values()
               for o in r["Metadata"]["kube2ecs"]["objects"] if "source" in o}
    assert sources == {in_template(name)}


def test_json_surrogate_pairs_and_yaml_text() -> None:
    """JSON may write a character above U+FFFF as a surrogate pair; in a YAML block scalar the same
    characters are text. A lone surrogate is no character: the document is refused with its line."""
    config = ('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "namespace": "shop"},\n'
              ' "data": {"value": "\\ud83d\\ude80 \\\\ud83d\\\\ude80"}}\n')
    deployment = json.dumps(manifests("x")[0])
    result = translate_text(f"{deployment}\n---\n{config}", name="app.json")
    assert fields(container_in_json(result))["FROM_CONFIG"] == "\U0001F680 \\ud83d\\ude80"
    block = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: shop}\ndata:\n  value: |-\n    \"\\ud83d\\ude80\"\n"
    result = translate_text(f"{deployment}\n---\n{block}", name="app.yaml")
    assert fields(container_in_json(result))["FROM_CONFIG"] == '"\\ud83d\\ude80"'
    lone = config.replace("\\ud83d\\ude80 ", "\\ud83d ")
    result = translate_text(f"{deployment}\n---\n{lone}", name="app.json")
    found = [(f.code, f.location.line) for f in result.findings if f.code == "K2E001"]
    assert found == [("K2E001", 4)]
