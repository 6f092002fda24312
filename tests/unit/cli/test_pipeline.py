"""CLI options for pipelines: --check (drift), --strict, --quiet, --kustomize, stdin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.repo import ROOT
from tests.support.results import invoke as _run
from translator.cli.main import cli

WEB = ROOT / "samples" / "web-app"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_check_passes_on_fresh_output_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("convert", str(WEB), "-o", str(out)).exit_code == 0
    before = _snapshot(out)
    result = _run("convert", str(WEB), "-o", str(out), "--check")
    assert (result.exit_code, result.output) == (0, f"{out} is up to date\n")
    assert _snapshot(out) == before


def test_check_shows_the_drift_and_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("convert", str(WEB), "-o", str(out)).exit_code == 0
    edited = tmp_path / "web-app"
    shutil.copytree(WEB, edited)
    (edited / "web.yaml").write_text((WEB / "web.yaml").read_text().replace("replicas: 3", "replicas: 4"))
    (out / "stale.txt").write_text("left over\n")
    before = _snapshot(out)
    result = CliRunner().invoke(cli, ["convert", str(edited), "-o", str(out), "--check"], catch_exceptions=False)
    assert result.exit_code == 1
    assert _snapshot(out) == before
    assert "-      DesiredCount: 3\n+      DesiredCount: 4\n" in result.stdout
    assert "--- out/stale.txt\n+++ /dev/null\n" in result.stdout
    assert '-  "desiredCount": 3' not in result.stdout  # task definitions carry no count: only real changes show
    assert result.stderr == (f"kube2ecs: {out} is not what this run would write (4 file(s) differ); "
                             "run the same command without --check to regenerate it\n")


@pytest.mark.parametrize(("make", "state"), [(None, "does not exist"), ("file", "is not a folder"),
                                             ("folder", "holds no file"), ("folders", "holds no file")])
@pytest.mark.parametrize("quiet", [(), ("-q",)])
def test_check_of_a_missing_or_empty_folder_says_so_in_one_line(tmp_path: Path, make: str | None, state: str,
                                                                quiet: tuple[str, ...]) -> None:
    """Not the diff of every file the run would write: one line, what OUT is and what to run."""
    out = tmp_path / "none"
    if make == "file":
        out.write_text("not a folder\n")
    elif make is not None:
        (out / "cloudformation" if make == "folders" else out).mkdir(parents=True)
    before = _snapshot(tmp_path)
    result = CliRunner().invoke(cli, ["convert", str(WEB), "-o", str(out), "--check", *quiet], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"kube2ecs: {out} {state}; run the same command without --check to write it\n"
    assert _snapshot(tmp_path) == before and out.exists() == (make is not None)


def test_strict_counts_warnings_as_errors(tmp_path: Path) -> None:
    plain = CliRunner().invoke(cli, ["convert", str(WEB), "-o", str(tmp_path / "a")])
    strict = CliRunner().invoke(cli, ["convert", str(WEB), "-o", str(tmp_path / "b"), "--strict"])
    assert (plain.exit_code, plain.stderr) == (0, "")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() and all(" K2E" in line for line in strict.stderr.splitlines())


def test_quiet_prints_nothing_but_errors(tmp_path: Path) -> None:
    quiet = CliRunner().invoke(cli, ["convert", str(ROOT / "samples" / "kitchen-sink"), "-o", str(tmp_path / "o"), "-q"])
    assert quiet.exit_code == 1 and quiet.stdout == ""
    assert quiet.stderr and all(line.startswith("  ") for line in quiet.stderr.splitlines())


def test_nothing_to_convert_is_exit_2(tmp_path: Path) -> None:
    result = _run("convert", "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output.startswith("kube2ecs: nothing to convert")


def test_stdin_is_named_in_findings(tmp_path: Path) -> None:
    result = _run("convert", "-", "-o", str(tmp_path / "o"), stdin=(WEB / "web.yaml").read_text())
    assert result.exit_code == 0
    assert '"file": "<stdin>"' in (tmp_path / "o" / "findings.json").read_text()


@pytest.mark.needs("kubectl")
def test_kustomize_renders_with_kubectl(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(WEB, base)
    (base / "README.md").unlink()
    (base / "kustomization.yaml").write_text("resources: [web.yaml, services.yaml]\nimages:\n"
                                             "  - {name: public.ecr.aws/nginx/nginx, newTag: '1.29'}\n")
    result = _run("convert", "--kustomize", str(base), "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert "public.ecr.aws/nginx/nginx:1.29" in (tmp_path / "o" / "task-definitions" / "shop.web.json").read_text()
    # provenance names the file each object came from, not the rendered stream
    template = (tmp_path / "o" / "cloudformation" / "shop.yaml").read_text()
    assert f"- source: {base / 'web.yaml'}\n" in template and "kustomize:" not in template


def test_kustomize_without_kubectl_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _run("convert", "--kustomize", str(WEB), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.output == (f"kube2ecs: --kustomize {WEB}: kubectl is not on PATH; install kubectl, "
                             f"or run `kustomize build {WEB} | kube2ecs convert - ...`\n")


@pytest.mark.needs("kubectl")
def test_kustomize_error_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    result = _run("convert", "--kustomize", str(tmp_path / "base"), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "kustomization" in result.output.lower()


def _readme_yaml(marker: str) -> object:
    import re

    import yaml

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- {marker}:begin -->", 1)[1].split(f"<!-- {marker}:end -->", 1)[0]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", block, re.S).group(1))  # type: ignore[union-attr]


def test_pre_commit_hook_runs_the_drift_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "kube2ecs-check")
    assert (hook["language"], hook["pass_filenames"]) == ("python", False)
    usage = _readme_yaml("pre-commit-example")["repos"][0]["hooks"][0]  # type: ignore[index]
    assert usage["id"] == "kube2ecs-check"
    command = shlex.split(hook["entry"]) + usage["args"]  # what pre-commit runs: entry, then args
    assert command[0] == "kube2ecs"
    monkeypatch.chdir(tmp_path)
    shutil.copytree(WEB, tmp_path / "k8s")
    assert _run(*command[1:]).exit_code == 1  # ecs/ not generated yet
    assert _run("convert", "k8s/", "-o", "ecs/").exit_code == 0
    assert _run(*command[1:]).exit_code == 0
    (tmp_path / "k8s" / "web.yaml").write_text((WEB / "web.yaml").read_text().replace("nginx:1.27", "nginx:1.28"))
    assert _run(*command[1:]).exit_code == 1


def test_ci_snippet_uses_only_options_the_cli_has() -> None:
    """Each kube2ecs command of the documented workflow parses (click rejects an unknown option before --help)."""
    import shlex

    workflow = _readme_yaml("ci-example")
    steps = workflow["jobs"]["ecs"]["steps"]  # type: ignore[index]
    commands = [shlex.split(line.split(">")[0]) for step in steps for line in step.get("run", "").splitlines()
                if line.strip().startswith("kube2ecs ")]
    assert [c[1] for c in commands] == ["convert", "diff", "assess"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    for command in commands:
        if command[1] in cli.commands:  # type: ignore[attr-defined]
            result = _run(*command[1:], "--help")
            assert result.exit_code == 0, (command, result.output)
