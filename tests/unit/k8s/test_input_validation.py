"""What the API server rejects is rejected here too, with an exact finding instead of a silent change:
invalid names, duplicate YAML keys, unquoted non-string env values, invalid data keys, references to
missing keys; and output file names that stay inside OUT and never share a file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.api import TranslationResult, translate_text
from translator.cli.main import cli
from translator.outnames import FileNames, UnsafeOutputPath, check_paths

_CONTAINERS = """\
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
"""


def _deployment(name: str, namespace: str = "shop") -> str:
    return f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\n{_CONTAINERS}"


def _findings(text: str, *codes: str) -> list[tuple[str, str, str, str]]:
    result = translate_text(text, name="in.yaml")
    return [(f.code, f.severity.label, f.where(), f.message) for f in result.findings if f.code in codes]


def _convert(tmp_path: Path, text: str) -> tuple[int, list[str], list[dict[str, object]]]:
    source = tmp_path / "in.yaml"
    source.write_text(text)
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["convert", str(source), "-o", str(out), "-q"], catch_exceptions=False)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    findings = json.loads((out / "findings.json").read_text())["findings"] if (out / "findings.json").exists() else []
    return run.exit_code, files, findings


# --- names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "written", "reason"), [
    ('"../../x"', "'../../x'", "'/' is not allowed (only lowercase letters, digits, '-' and '.')"),
    ('"/abs"', "'/abs'", "'/' is not allowed (only lowercase letters, digits, '-' and '.')"),
    ('"a\\nb"', "'a\\nb'", "'\\n' is not allowed (only lowercase letters, digits, '-' and '.')"),
    ("Api", "'Api'", "'A' is not allowed (only lowercase letters, digits, '-' and '.')"),
    ("-api", "'-api'", "each part must start and end with a lowercase letter or digit"),
    ("a" * 254, repr("a" * 77 + "..."), "must be no more than 253 characters (it has 254)"),
])
def test_invalid_workload_name_is_an_error_and_the_object_is_left_out(tmp_path: Path, name: str, written: str,
                                                                       reason: str) -> None:
    text = _deployment(name) + "---\n" + _deployment("web")
    status, files, findings = _convert(tmp_path, text)
    assert status == 1
    assert [f for f in files if f.startswith("task-definitions/")] == ["task-definitions/shop.web.json"]
    assert [(f["code"], f["line"], f["message"], f["remediation"]) for f in findings if f["code"] == "K2E008"] == [
        ("K2E008", 4, f"metadata.name {written} of Deployment is not a valid DNS-1123 subdomain: {reason}",
         "Rename it (at most 253 lowercase letters, digits, '-' and '.', each part starting and ending with a letter "
         "or digit); Kubernetes rejects the object as well, so it was left out of the translation.")]


def test_namespace_is_a_dns_label_so_dotted_names_cannot_share_a_file(tmp_path: Path) -> None:
    """`a.b`/`c` and `a`/`b.c` both used to become task-definitions/a.b.c.json: the first is not a
    namespace Kubernetes accepts, so only the second is translated, into a file of its own."""
    status, files, findings = _convert(tmp_path, _deployment("c", "a.b") + "---\n" + _deployment("b.c", "a"))
    assert status == 1
    assert [f for f in files if not f.startswith(".")] == ["NEXT-STEPS.md", "cloudformation/a.yaml", "findings.json",
                                                          "task-definitions/a.b.c.json"]
    assert [(f["code"], f["line"], f["message"]) for f in findings if f["code"] == "K2E008"] == [
        ("K2E008", 5, "metadata.namespace 'a.b' of Deployment is not a valid DNS-1123 label: "
                      "'.' is not allowed (only lowercase letters, digits and '-')")]


def test_case_only_difference_is_refused_not_folded() -> None:
    text = _deployment("web") + "---\n" + _deployment("Web") + "---\n" + _deployment("web", "Shop")
    result = translate_text(text, name="in.yaml")
    assert sorted(result.task_definitions) == ["shop.web.json"]
    assert [(f.where(), f.message) for f in result.findings if f.code == "K2E008"] == [
        ("in.yaml:16:3", "metadata.name 'Web' of Deployment is not a valid DNS-1123 subdomain: "
                         "'W' is not allowed (only lowercase letters, digits, '-' and '.')"),
        ("in.yaml:29:3", "metadata.namespace 'Shop' of Deployment is not a valid DNS-1123 label: "
                          "'S' is not allowed (only lowercase letters, digits and '-')")]


@pytest.mark.parametrize(("document", "expected"), [
    ("apiVersion: v1\nkind: Service\nmetadata: {name: 1api, namespace: shop}\nspec: {ports: [{port: 80}]}\n",
     "metadata.name '1api' of Service is not a valid DNS-1035 label: must start with a lowercase letter"),
    ("apiVersion: v1\nkind: Service\nmetadata: {name: api.v1, namespace: shop}\nspec: {ports: [{port: 80}]}\n",
     "metadata.name 'api.v1' of Service is not a valid DNS-1035 label: '.' is not allowed (only lowercase letters, digits and '-')"),
    ("apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n",
     "metadata.name 'team.a' of Namespace is not a valid DNS-1123 label: '.' is not allowed (only lowercase letters, digits and '-')"),
    ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: " + "c" * 53 + ", namespace: shop}\n"
     "spec: {schedule: '* * * * *', jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: b}]}}}}}\n",
     "metadata.name '" + "c" * 53 + "' of CronJob is not a valid CronJob name: must be no more than 52 characters (it has 53)"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'cfg_1', namespace: shop}\n",
     "metadata.name 'cfg_1' of ConfigMap is not a valid DNS-1123 subdomain: '_' is not allowed (only lowercase letters, digits, '-' and '.')"),
    ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: 'a/b', namespace: shop}\n",
     "metadata.name 'a/b' of Role is not a valid path segment name: may not contain '/'"),
    ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: 'job-$ITEM', namespace: shop}\n",
     "metadata.name 'job-$ITEM' of Job is not a valid DNS-1123 subdomain: '$' is not allowed (only lowercase letters, "
     "digits, '-' and '.') (an unrendered template placeholder? render the manifests first: envsubst, helm template)"),
])
def test_name_rule_follows_the_kind(document: str, expected: str) -> None:
    found = [(code, severity, where.rsplit(":", 1)[0], message) for code, severity, where, message in _findings(document, "K2E008")]
    assert found == [("K2E008", "error", "in.yaml:3", expected)]


def test_names_kubernetes_accepts_are_kept() -> None:
    text = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: 'system:controller:x'}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app.config-1, namespace: shop}\n---\n"
            + _deployment("b" * 253))
    result = translate_text(text, name="in.yaml")
    assert [f for f in result.findings if f.code == "K2E008"] == []
    [name] = result.task_definitions
    assert name.startswith("shop." + "b" * 180) and len(name.encode()) <= 255  # too long for a file name as it is


# --- output file names ----------------------------------------------------------------------------

def test_a_split_part_and_a_namespace_of_the_same_name_get_two_files() -> None:
    """Namespace `shop` split in two gives `shop-2.yaml`; namespace `shop-2` would overwrite it."""
    one = _deployment("api")
    text = "---\n".join(one.replace("name: api\n", f"name: api{i:03}\n", 1) for i in range(175))
    text += "---\n" + _deployment("api", "shop-2")
    result = translate_text(text, name="in.yaml")
    assert sorted(result.templates) == ["shop-2-ca393261.yaml", "shop-2.yaml", "shop.yaml"]
    assert [(f.code, f.severity.label, f.message, f.remediation) for f in result.findings if f.code == "K2E009"] == [
        ("K2E009", "info", "the template of stack shop-2 (namespace shop-2) would be written to cloudformation/shop-2.yaml, "
                              "which the template of stack shop-2 (namespace shop) already uses; "
                              "it is written to cloudformation/shop-2-ca393261.yaml",
         "Nothing breaks: use the file named here. Rename one of the two objects to get the usual file names.")]
    assert "shop-2-api" in result.templates["shop-2-ca393261.yaml"]  # the family of namespace shop-2's workload
    assert "shop-2-api" not in result.templates["shop-2.yaml"]  # the second part of namespace shop, kept whole


def test_file_names_are_distinct_and_deterministic_even_without_the_name_check() -> None:
    names = FileNames()
    assert names.claim("a.b/c", "task-definitions", "a.b.c", ".json") == "a.b.c.json"
    assert names.claim("a/b.c", "task-definitions", "a.b.c", ".json") == "a.b.c-c0620514.json"
    assert names.claim("A/B.C", "task-definitions", "A.B.C", ".json") == "A.B.C-f951078c.json"  # case-insensitive
    assert names.claim("../../x", "task-definitions", "../../x", ".json") == "_.._.._x-9cdf6a50.json"
    assert names.claim("/abs", "task-definitions", "/abs", ".json") == "_abs-e802dcc0.json"
    assert names.claim("nl", "task-definitions", "a\nb", ".json") == "a_b-7e18f737.json"
    assert [(r.owner, r.wanted, r.path) for r in names.renamed] == [
        ("a/b.c", "task-definitions/a.b.c.json", "task-definitions/a.b.c-c0620514.json"),
        ("A/B.C", "task-definitions/A.B.C.json", "task-definitions/A.B.C-f951078c.json")]


@pytest.mark.parametrize(("paths", "message"), [
    (["task-definitions/../../x.json"], "refusing output path 'task-definitions/../../x.json': it has an empty, '.' or '..' part"),
    (["/etc/passwd"], "refusing output path '/etc/passwd': it is absolute"),
    (["C:/x.json"], "refusing output path 'C:/x.json': it is absolute"),
    (["a\nb.json"], "refusing output path 'a\\nb.json': it holds a NUL, a line break, a backslash or a colon"),
    (["a\0b.json"], "refusing output path 'a\\x00b.json': it holds a NUL, a line break, a backslash or a colon"),
    (["a\\..\\b.json"], "refusing output path 'a\\\\..\\\\b.json': it holds a NUL, a line break, a backslash or a colon"),
    (["cloudformation//x.yaml"], "refusing output path 'cloudformation//x.yaml': it has an empty, '.' or '..' part"),
    (["cloudformation/Shop.yaml", "cloudformation/shop.yaml"],
     "refusing output paths 'cloudformation/Shop.yaml' and 'cloudformation/shop.yaml': they are one file on a "
     "case-insensitive filesystem"),
])
def test_last_guard_refuses_paths_that_leave_out_or_collide(paths: list[str], message: str) -> None:
    with pytest.raises(UnsafeOutputPath) as raised:
        check_paths(paths)
    assert str(raised.value) == message
    result = TranslationResult(task_definitions={p: "{}" for p in paths})  # a bug upstream cannot get past files()
    with pytest.raises(UnsafeOutputPath):
        result.files()


# --- duplicate keys -------------------------------------------------------------------------------

def test_duplicate_mapping_key_is_an_error_at_the_second_key(tmp_path: Path) -> None:
    text = _deployment("api") + "          image: nginx:1.28\n---\n" + _deployment("web")
    status, files, findings = _convert(tmp_path, text)
    assert status == 1
    assert [f for f in files if f.startswith("task-definitions/")] == ["task-definitions/shop.web.json"]
    assert [(f["code"], f["severity"], f["file"], f["line"], f["message"]) for f in findings if f["code"] == "K2E010"] == [
        ("K2E010", "error", "in.yaml", 12, "mapping key 'image' is given twice in one mapping (first at line 11); "
                                          "Kubernetes rejects the object, so the document was not translated")]


def test_every_duplicate_key_of_a_document_is_reported_and_merge_keys_are_not_duplicates() -> None:
    text = ("base: &b {image: x}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: b}\n"
            "data: {k: v, k: w}\nother: {<<: *b, image: y}\n")
    assert [(w, m) for _, _, w, m in _findings(text, "K2E010")] == [
        ("in.yaml:4:21", "mapping key 'name' is given twice in one mapping (first at line 4); "
                         "Kubernetes rejects the object, so the document was not translated"),
        ("in.yaml:5:14", "mapping key 'k' is given twice in one mapping (first at line 5); "
                         "Kubernetes rejects the object, so the document was not translated")]


def test_duplicate_key_in_json_is_reported_too() -> None:
    text = '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "a"},\n "data": {"k": "1",\n "k": "2"}}\n'
    assert [w for _, _, w, _ in _findings(text, "K2E010")] == ["in.yaml:4:2"]


# --- env values -----------------------------------------------------------------------------------

def _with_env(*entries: str) -> str:
    return _deployment("api") + "          env:\n" + "".join(f"            - {e}\n" for e in entries)


@pytest.mark.parametrize(("value", "read", "fix"), [
    ("1e3", "the number 1000.0", '"1e3"'),
    ("012", "the number 10", '"012"'),
    (".inf", "the number inf", '".inf"'),
    ("true", "the boolean true", '"true"'),
    ("0x1F", "the number 31", '"0x1F"'),
    ("8080", "the number 8080", '"8080"'),
])
def test_unquoted_non_string_env_value_is_an_error_and_left_out(value: str, read: str, fix: str) -> None:
    result = translate_text(_with_env(f"{{name: A, value: {value}}}", "{name: B, value: 'ok'}"), name="in.yaml")
    assert [(f.code, f.severity.label, f.where(), f.message, f.remediation) for f in result.findings if f.code == "K2E011"] == [
        ("K2E011", "error", "in.yaml:13:25",
         f"env A of container app has the unquoted value {value}, which YAML reads as {read}, not a string; "
         "Kubernetes rejects it, and the variable was left out", f"Quote the value: value: {fix}")]
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert container["environment"] == [{"name": "B", "value": "ok"}]


def test_secret_looking_env_value_is_not_shown_in_the_finding() -> None:
    result = translate_text(_with_env("{name: DB_PASSWORD, value: 4815162342}"), name="in.yaml")
    [finding] = [f for f in result.findings if f.code == "K2E011"]
    assert "4815162342" not in finding.message + finding.remediation
    assert finding.remediation == 'Quote the value: value: "<the value>"'


def test_quoted_and_null_env_values_are_strings() -> None:
    result = translate_text(_with_env("{name: A, value: '1e3'}", "{name: B, value: null}", "{name: C}"), name="in.yaml")
    assert [f for f in result.findings if f.code in ("K2E011", "K2E003")] == []
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert container["environment"] == [{"name": "A", "value": "1e3"}, {"name": "B", "value": ""}, {"name": "C", "value": ""}]


# --- data keys and key references -----------------------------------------------------------------

def test_invalid_data_keys_are_errors_and_left_out() -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\n"
            "data:\n  good.key-1_x: a\n  'bad key': b\n  '..x': c\n  'a/b': d\n  '.': e\n---\n"
            "apiVersion: v1\nkind: Secret\nmetadata: {name: sec, namespace: shop}\n"
            "stringData:\n  'pass word': hunter2\n  ok: x\n---\n"
            + _with_env("{name: A, valueFrom: {secretKeyRef: {name: sec, key: ok}}}",
                        "{name: B, valueFrom: {configMapKeyRef: {name: cfg, key: good.key-1_x}}}"))
    result = translate_text(text, name="in.yaml")
    rest = "(only letters, digits, '-', '_' and '.'); the key was left out"
    assert [(f.where(), f.message) for f in result.findings if f.code == "K2E012"] == [
        ("in.yaml:6:3", f"key 'bad key' of ConfigMap cfg is not a valid data key: ' ' is not allowed {rest}"),
        ("in.yaml:7:3", "key '..x' of ConfigMap cfg is not a valid data key: may not start with '..'; the key was left out"),
        ("in.yaml:8:3", f"key 'a/b' of ConfigMap cfg is not a valid data key: '/' is not allowed {rest}"),
        ("in.yaml:9:3", "key '.' of ConfigMap cfg is not a valid data key: may not be '.'; the key was left out"),
        ("in.yaml:15:3", f"key 'pass word' of Secret sec is not a valid data key: ' ' is not allowed {rest}")]
    assert all("hunter2" not in f.message + f.remediation for f in result.findings)
    assert [s.keys for s in result.app.secrets.values()] == [("ok",)]
    assert [c.data for c in result.app.config_maps.values()] == [(("good.key-1_x", "a"),)]


_REFS = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata: {present: a}\n---\n"
         "apiVersion: v1\nkind: Secret\nmetadata: {name: sec, namespace: shop}\nstringData: {ok: x}\n---\n")


@pytest.mark.parametrize(("ref", "code", "severity", "message"), [
    ("secretKeyRef: {name: sec, key: nope}", "K2E336", "error", "env A refers to key nope, which Secret sec does not have"),
    ("configMapKeyRef: {name: cfg, key: nope}", "K2E336", "error", "env A refers to key nope, which ConfigMap cfg does not have"),
    ("secretKeyRef: {name: sec, key: nope, optional: true}", "K2E013", "info",
     "env A refers to key nope, which Secret sec does not have; the reference is optional, so the variable will be absent"),
    ("configMapKeyRef: {name: cfg, key: nope, optional: true}", "K2E013", "info",
     "env A refers to key nope, which ConfigMap cfg does not have; the reference is optional, so the variable will be absent"),
])
def test_reference_to_a_missing_key(ref: str, code: str, severity: str, message: str) -> None:
    result = translate_text(_REFS + _with_env(f"{{name: A, valueFrom: {{{ref}}}}}"), name="in.yaml")
    assert [(f.code, f.severity.label, f.where(), f.message) for f in result.findings if f.code in ("K2E336", "K2E013")] == [
        (code, severity, "in.yaml:23:25", message)]
    container = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert "environment" not in container and "secrets" not in container


def test_volume_item_with_a_missing_key() -> None:
    volumes = ("          volumeMounts: [{name: v, mountPath: /v}, {name: w, mountPath: /w}]\n      volumes:\n"
               "        - {name: v, configMap: {name: cfg, items: [{key: missing, path: m}, {key: present, path: p}]}}\n"
               "        - {name: w, secret: {secretName: sec, optional: true, items: [{key: gone, path: g}]}}\n")
    result = translate_text(_REFS + _deployment("api") + volumes, name="in.yaml")
    assert [(f.code, f.where(), f.message, f.remediation) for f in result.findings if f.code in ("K2E336", "K2E013")] == [
        ("K2E336", "in.yaml:24:21", "volume v refers to key missing, which ConfigMap cfg does not have",
         "Add the key to ConfigMap cfg or mark the reference optional: true; Kubernetes would not start the pod, "
         "and file m was left out."),
        ("K2E013", "in.yaml:25:21", "volume w refers to key gone, which Secret sec does not have; the reference is optional, "
                                    "so file g will be absent",
         "Nothing to do if that is expected; otherwise add the key to Secret sec.")]


def test_unquoted_non_string_config_map_value_is_an_error_and_left_out() -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\n"
            "data:\n  port: 8080\n  ratio: 1e3\n  debug: false\n  name: web\n")
    result = translate_text(text, name="in.yaml")
    assert [(f.code, f.severity.label, f.where(), f.message, f.remediation) for f in result.findings if f.code == "K2E014"] == [
        ("K2E014", "error", "in.yaml:5:3", "key port of ConfigMap cfg has the unquoted value 8080, which YAML reads as the number "
                                           "8080, not a string; Kubernetes rejects it, and the key was left out",
         'Quote the value: port: "8080"'),
        ("K2E014", "error", "in.yaml:6:3", "key ratio of ConfigMap cfg has the unquoted value 1e3, which YAML reads as the number "
                                           "1000.0, not a string; Kubernetes rejects it, and the key was left out",
         'Quote the value: ratio: "1e3"'),
        ("K2E014", "error", "in.yaml:7:3", "key debug of ConfigMap cfg has the unquoted value false, which YAML reads as the "
                                           "boolean false, not a string; Kubernetes rejects it, and the key was left out",
         'Quote the value: debug: "false"')]
    assert [c.data for c in result.app.config_maps.values()] == [(("name", "web"),)]


def test_generate_name_gives_a_name_that_is_the_same_on_every_run() -> None:
    """Helm and Argo CD hooks use generateName; the Job is named as the API server would, deterministically."""
    manifest = """\
apiVersion: batch/v1
kind: Job
metadata:
  generateName: db-migrate-
  namespace: shop
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: example/migrate:1
"""
    first, again = translate_text(manifest, name="job.yaml"), translate_text(manifest, name="job.yaml")
    (family,) = [json.loads(t)["family"] for t in first.task_definitions.values()]
    assert re.fullmatch(r"shop-db-migrate-[bcdfghjklmnpqrstvwxz2456789]{5}", family)
    assert first.task_definitions == again.task_definitions
    found = [(f.code, f.location.line, f.message) for f in first.findings if f.code in ("K2E004", "K2E033", "K2E200")]
    assert found == [("K2E033", 4, f"Job has generateName 'db-migrate-' and no name; it is named {family.removeprefix('shop-')}")]
    other = translate_text(manifest.replace("example/migrate:1", "example/migrate:2"), name="job.yaml")
    assert list(other.task_definitions) != list(first.task_definitions), "another object, another name"


def test_ports_and_replicas_out_of_range_are_errors_and_left_out() -> None:
    """The API server rejects a port outside 1-65535 and negative replicas. A Service port of 70000 became a client
    alias port that fails the deploy (cfn-lint E3034), a containerPort of 99999 a port mapping ECS refuses, and
    replicas -3 a desired count of 0, each with no finding."""
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: -3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports:
            - {containerPort: 8080, name: http}
            - {containerPort: 99999, name: big}
            - {containerPort: "9090", name: quoted}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: big, port: 70000, targetPort: 8080}
    - {name: far, port: 81, targetPort: 0}
    - {name: wide, port: 82, targetPort: 65536}
"""
    result = translate_text(text, name="in.yaml")
    assert [(f.code, f.severity.label, f.where(), f.message) for f in result.findings
            if f.code in ("K2E003", "K2E004", "K2E202")] == [
        ("K2E003", "error", "in.yaml:5:3", "spec.replicas must be an integer from 0 to 2147483647, got -3"),
        ("K2E003", "error", "in.yaml:15:16",
         "spec.template.spec.containers.0.ports.1.containerPort must be an integer from 1 to 65535, got 99999"),
        ("K2E003", "error", "in.yaml:16:16",
         "spec.template.spec.containers.0.ports.2.containerPort must be an integer, got a string"),
        ("K2E003", "error", "in.yaml:25:19", "spec.ports.1.port must be an integer from 1 to 65535, got 70000"),
        ("K2E003", "error", "in.yaml:27:30", "spec.ports.3.targetPort must be an integer from 1 to 65535, got 65536"),
    ]
    template = result.templates["shop.yaml"]
    assert "70000" not in template and "99999" not in template and "DesiredCount: 1\n" in template
    definition = json.loads(result.task_definitions["shop.api.json"])["containerDefinitions"][0]
    assert [m["containerPort"] for m in definition["portMappings"]] == [8080, 81, 82]  # targetPort 0 or left out: the port


def test_replicas_beyond_int32_are_an_error_not_a_desired_count() -> None:
    """replicas is an int32: 10**30 was rendered as DesiredCount, which CloudFormation cannot read."""
    text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n" \
           "  replicas: 1000000000000000000000000000000\n" + _CONTAINERS[len("spec:\n"):]
    result = translate_text(text, name="in.yaml")
    assert [(f.code, f.message) for f in result.findings if f.code == "K2E003"] == [
        ("K2E003", "spec.replicas must be an integer from 0 to 2147483647, got 1000000000000000000000000000000")]
    assert "DesiredCount: 1\n" in result.templates["shop.yaml"]
