"""Hostile and broken input through the installed command line, one case per row.

Each case runs `python -m translator convert` in a subprocess (a crash of the C YAML parser would
take pytest down with it otherwise), with a time limit that only guards against a hang. Each must
give exactly the expected finding (read back from findings.json) or the expected one-line error
with exit status 2, and never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from translator.cli.main import cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - name: api
          image: {image}
"""
SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"},
           "spec": {"selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": 8080}]}}
BILLION_LAUGHS = "\n".join(['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{n}: &{n} [" + ",".join(f"*{p}" for _ in range(9)) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]) + "\n"


def deployment(replicas: str = "2", image: str = "example/api:1.0") -> str:
    return DEPLOYMENT.format(replicas=replicas, image=image)


def _symlink_loop(folder: Path) -> None:
    (folder / "app").mkdir()
    (folder / "app" / "api.yaml").write_text(deployment())
    (folder / "app" / "up").symlink_to("..")  # a folder that contains itself


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")  # opening it for reading would wait for a writer forever


def _fifty_megabytes(folder: Path) -> None:
    with (folder / "huge.yaml").open("w") as f:
        f.write(deployment())
        line = "# " + "x" * 97 + "\n"
        f.write(line * 500_000)  # 50 MB


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes] | Callable[[Path], None]
    args: tuple[str, ...]  # after `convert`, before `-o out`
    status: int
    expected: str  # a finding as `file:line:column: CODE message`, or the line on stderr (status 2) or stdout


CASES: dict[str, Case] = {
    "malformed YAML": Case({"bad.yaml": deployment().replace("replicas: 2", "replicas: [2")}, ("bad.yaml",), 1,
                           "bad.yaml:8:11: K2E001 YAML cannot be parsed: did not find expected ',' or ']'"),
    "wrong type: replicas: \"three\"": Case({"api.yaml": deployment(replicas='"three"')}, ("api.yaml",), 1,
                                           "api.yaml:7:3: K2E003 spec.replicas must be an integer, got a string"),
    "a list where a map belongs": Case(
        {"api.yaml": deployment().replace("  template:\n    metadata: {labels: {app: api}}", "  template:\n  - metadata: {}")},
        ("api.yaml",), 1, "api.yaml:9:3: K2E003 spec.template must be a mapping, got a list"),
    "missing required field": Case({"api.yaml": deployment().split("      containers:")[0] + "      hostname: api\n"},
                                   ("api.yaml",), 1,
                                   "api.yaml:11:5: K2E004 required field spec.template.spec.containers is missing"),
    "missing metadata.name": Case({"api.yaml": deployment().replace("  name: api\n", "", 1)}, ("api.yaml",), 1,
                                  "api.yaml:3:1: K2E004 required field metadata.name is missing"),
    "unknown apiVersion": Case({"api.yaml": deployment().replace("apps/v1", "apps/v9")}, ("api.yaml",), 1,
                               "api.yaml:1:1: K2E002 document is not a Kubernetes object: apiVersion apps/v9 was never "
                               "served for Deployment (served: apps/v1, apps/v1beta1, apps/v1beta2, extensions/v1beta1)"),
    "duplicate names in one namespace": Case({"api.yaml": deployment() + "---\n" + deployment(replicas="3")},
                                             ("api.yaml",), 0,
                                             "api.yaml:16:1: K2E005 Deployment api is defined more than once "
                                             "(first at api.yaml:1)"),
    "YAML alias bomb": Case({"bomb.yaml": BILLION_LAUGHS}, ("bomb.yaml",), 1,
                            "bomb.yaml:6:4: K2E007 more than 400,000 values after alias expansion (alias bomb?)"),
    "deep nesting, flow": Case({"deep.yaml": "a: " + "[" * 100_000 + "]" * 100_000 + "\n"}, ("deep.yaml",), 1,
                               "deep.yaml:1:203: K2E007 nesting deeper than 200 levels"),
    "deep nesting, block": Case({"deep.yaml": "- " * 100_000 + "x\n"}, ("deep.yaml",), 1,
                                "deep.yaml:1:401: K2E007 nesting deeper than 200 levels"),
    "non-UTF-8 bytes": Case({"latin1.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n".encode("latin-1")},
                            ("latin1.yaml",), 1,
                            "latin1.yaml:1:1: K2E001 YAML cannot be parsed: the file is not UTF-8 text (invalid byte at "
                            "offset 51)"),
    "binary file": Case({"logo.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"}, ("logo.yaml",), 1,
                        "logo.yaml:1:1: K2E001 YAML cannot be parsed: the file is binary, not YAML or JSON"),
    "empty file": Case({"empty.yaml": ""}, ("empty.yaml",), 2,
                       "kube2ecs: no Kubernetes objects in the input (empty files or only comments)"),
    "50 MB file": Case(_fifty_megabytes, ("huge.yaml",), 1,
                       "huge.yaml:1:1: K2E007 50.0 MB is more than the 16 MiB kube2ecs reads from one input; "
                       "split it into smaller files"),
    "folder with a symlink loop": Case(_symlink_loop, ("app",), 0, "documents: Deployment 1"),
    "symlink to itself": Case(lambda f: (f / "self.yaml").symlink_to("self.yaml"), ("self.yaml",), 2,
                              "kube2ecs: self.yaml: cannot read (Too many levels of symbolic links)"),
    "unreadable file: a FIFO": Case(_fifo, ("pipe.yaml",), 2, "kube2ecs: pipe.yaml: cannot read (not a regular file)"),
    "JSON manifest, tab-indented": Case({"app.json": json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        json.loads(json.dumps(yaml.safe_load(deployment()))), SERVICE]}, indent="\t")}, ("app.json",), 0,
        "wrote 1 template(s), 1 task definition(s), findings.json and NEXT-STEPS.md to out"),
    "a Service without its workload": Case({"svc.yaml": json.dumps(SERVICE)}, ("svc.yaml",), 0,
                                           "svc.yaml:1:1: K2E343 Service api selects no translated workload (app=api)"),
    "${VAR} placeholder": Case({"api.yaml": deployment(image="example/api:${IMAGE_TAG}")}, ("api.yaml",), 0,
                               "api.yaml:14:11: K2E006 value '${IMAGE_TAG}' looks like an unrendered template placeholder"),
    "${VAR} placeholder written as a YAML escape": Case(
        {"api.yaml": deployment(image='"example/api:\\x24{IMAGE_TAG}"')}, ("api.yaml",), 0,
        "api.yaml:14:11: K2E006 value '${IMAGE_TAG}' looks like an unrendered template placeholder"),
    "{{ }} placeholder": Case({"api.yaml": deployment(image="{{ .Values.image }}")}, ("api.yaml",), 1,
                              "api.yaml:14:19: K2E001 YAML cannot be parsed: mapping keys must be strings; the document "
                              "holds the unrendered template placeholder '{{ .Values.image }}': render it first (helm "
                              "template, envsubst, kustomize build)"),
    "a document that is a string": Case({"note.yaml": "just a note\n"}, ("note.yaml",), 1,
                                        "note.yaml:1:1: K2E002 document is not a Kubernetes object: expected a mapping"),
    "UTF-16 with a byte order mark": Case({"api.yaml": deployment().encode("utf-16")}, ("api.yaml",), 0,
                                          "documents: Deployment 1"),
}


def _write(folder: Path, files: dict[str, str | bytes] | Callable[[Path], None]) -> None:
    if callable(files):
        files(folder)
        return
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _findings(out: Path) -> list[str]:
    if not (out / "findings.json").is_file():
        return []
    found = json.loads((out / "findings.json").read_text())["findings"]
    return [f"{f['file']}:{f['line']}:{f['column']}: {f['code']} {f['message']}" for f in found]


@pytest.mark.parametrize("name", CASES)
def test_hostile_input(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    _write(tmp_path, case.files)
    run = subprocess.run([sys.executable, "-m", "translator", "convert", *case.args, "-o", "out"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)  # a hang guard, not a speed test
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == case.status, run.stdout + run.stderr
    if case.status == 2:
        assert run.stderr.strip() == case.expected  # one line, and nothing written
        assert not (tmp_path / "out").exists()
    elif case.expected.startswith(("documents:", "wrote")):
        assert case.expected in run.stdout.splitlines()
    else:
        findings = _findings(tmp_path / "out")
        assert case.expected in findings, findings
        assert not [f for f in findings if " K2E90" in f]  # no internal error, no failed deploy check


def test_unreadable_file_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, for whom chmod 000 changes nothing; the operating system's refusal is
    injected where the loader reads the file instead (the same OSError a non-root user gets)."""
    from translator.source import loader

    (tmp_path / "secret.yaml").write_text(deployment())

    def refuse(path: str, mode: str = "r") -> Any:
        if os.path.basename(path) == "secret.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, mode)

    monkeypatch.setattr(loader, "open", refuse, raising=False)  # the loader's open(), before the builtin
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["convert", "secret.yaml", "-o", "out"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip() == "kube2ecs: secret.yaml: cannot read (Permission denied)"
    assert not (tmp_path / "out").exists()


def test_alias_bomb_is_rejected_fast_with_bounded_memory() -> None:
    """The issue's limits: under 2 s, and memory bounded by the expansion cap, not by the bomb's
    10^9 values (at least tens of gigabytes if built)."""
    import tracemalloc

    from translator.api import translate_text

    tracemalloc.start()
    start = time.perf_counter()
    result = translate_text(BILLION_LAUGHS, name="bomb.yaml")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.code for f in result.findings if f.code != "K2E370"] == ["K2E007"]
    assert elapsed < 2.0
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MiB"
