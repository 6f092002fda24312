"""`convert -o` and `assess -o` never delete or overwrite what kube2ecs did not write.

Each case builds the folder a user could have, runs the real command line, and checks the exit
status, the exact one-line message and that every file that was there before is still there,
byte for byte.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.repo import ROOT
from translator.cli.main import cli
from translator.cli.outguard import MANIFEST, STAGING_MARK

WEB = ROOT / "samples" / "web-app"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository as a user has it: manifests, source code, a README; the working directory."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_bytes((WEB / "web.yaml").read_bytes())
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print('hello')\n")
    (tmp_path / "README.md").write_text("# app\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


REFUSED = [
    (".", "kube2ecs: -o .: refusing to replace the current directory or a folder above it; give a new or empty folder, e.g. -o ecs"),
    ("..", "kube2ecs: -o ..: refusing to replace the current directory or a folder above it; give a new or empty folder, e.g. -o ecs"),
    ("/", "kube2ecs: -o /: refusing to replace the root folder; give a new or empty folder, e.g. -o ecs"),
    ("k8s", "kube2ecs: -o k8s: it is an input; write the output to a new folder, e.g. -o ecs"),
    ("k8s/out", "kube2ecs: -o k8s/out: it is inside the input k8s, so it would be read as input next time; "
                "write the output outside the input"),
    ("k8s/web.yaml", "kube2ecs: -o k8s/web.yaml: it is inside the input k8s, so it would be read as input next time; "
                     "write the output outside the input"),
    ("src", "kube2ecs: -o src: it holds files kube2ecs did not write (src/main.py); kube2ecs replaces the whole folder, "
            "so give a new or empty folder, or move them away"),
    ("README.md", "kube2ecs: -o README.md: it is a file, not a folder; give a new or empty folder"),
]


@pytest.mark.parametrize(("out", "message"), REFUSED)
def test_refused_output_folders_lose_nothing(repo: Path, out: str, message: str) -> None:
    before = _snapshot(repo)
    status, output = _run("convert", "k8s", "-o", out)
    assert (status, output.strip()) == (2, message)
    assert _snapshot(repo) == before
    assert sorted(p.name for p in repo.iterdir()) == ["README.md", "k8s", "src"]  # no staging folder either


def test_an_output_folder_above_an_input_is_refused(repo: Path) -> None:
    (repo / "deploy").mkdir()
    (repo / "k8s").rename(repo / "deploy" / "k8s")
    status, output = _run("convert", "deploy/k8s/web.yaml", "-o", "deploy")
    assert (status, output.strip()) == (2, "kube2ecs: -o deploy: it holds the input deploy/k8s/web.yaml; "
                                           "write the output to a new folder, e.g. -o ecs")


def test_the_home_folder_is_refused_even_when_empty(repo: Path) -> None:
    (repo / "home").mkdir()
    status, output = _run("convert", "k8s", "-o", "home")
    assert (status, output.strip()) == (2, "kube2ecs: -o home: refusing to replace the home folder; give a new or "
                                           "empty folder, e.g. -o ecs")


def test_a_symlinked_output_is_refused_and_its_target_kept(repo: Path) -> None:
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "notes.txt").write_text("keep me\n")
    (repo / "out").symlink_to("elsewhere")
    status, output = _run("convert", "k8s", "-o", "out")
    assert (status, output.strip()) == (2, "kube2ecs: -o out: it is a symbolic link; kube2ecs does not write through "
                                           "links: give the folder it points to, or a new folder")
    assert (repo / "out").is_symlink() and (repo / "elsewhere" / "notes.txt").read_text() == "keep me\n"


def test_a_link_inside_the_output_folder_is_not_followed(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    (repo / "out" / "cloudformation" / "src").symlink_to(repo / "src")
    status, output = _run("convert", "k8s", "-o", "out")
    assert status == 2 and "it holds files kube2ecs did not write (out/cloudformation/src)" in output
    assert (repo / "src" / "main.py").is_file()


def test_own_output_is_replaced_and_lists_what_it_wrote(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    manifest = json.loads((repo / "out" / MANIFEST).read_text())
    files = _snapshot(repo / "out")
    assert sorted(manifest["files"]) == sorted(set(files) - {MANIFEST}) == [
        "NEXT-STEPS.md", "cloudformation/shop.yaml", "findings.json", "task-definitions/shop.web.json"]
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    assert _snapshot(repo / "out") == files
    assert stat.S_IMODE((repo / "out").stat().st_mode) == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_edited_or_added_file_stops_the_replacement(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    template = repo / "out" / "cloudformation" / "shop.yaml"
    template.write_text(template.read_text() + "# hand fix\n")
    before = _snapshot(repo / "out")
    status, output = _run("convert", "k8s", "-o", "out")
    assert (status, output.strip()) == (2, "kube2ecs: -o out: it holds files changed since kube2ecs wrote them "
                                           "(out/cloudformation/shop.yaml); move them away or undo the change, "
                                           "so that regenerating loses nothing")
    assert _snapshot(repo / "out") == before
    template.unlink()
    (repo / "out" / "notes.md").write_text("mine\n")
    status, output = _run("convert", "k8s", "-o", "out")
    assert status == 2 and "it holds files kube2ecs did not write (out/notes.md)" in output


def test_output_of_the_version_without_a_manifest_is_replaced(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    (repo / "out" / MANIFEST).unlink()  # what 0.1.0 wrote: the same layout, no manifest and no checklist
    (repo / "out" / "NEXT-STEPS.md").unlink()
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    assert (repo / "out" / MANIFEST).is_file()


def test_what_a_killed_run_left_is_cleaned_and_nothing_else(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "old")[0] == 0
    staging = repo / ".out.kube2ecs-new-ab12cd"
    (staging / "cloudformation").mkdir(parents=True)
    (staging / STAGING_MARK).write_bytes(b"")
    (staging / "cloudformation" / "half.yaml").write_text("Reso")
    (repo / "old").rename(repo / ".out.kube2ecs-old-ef34gh")  # a complete earlier output, swapped out
    lookalike = repo / ".out.kube2ecs-new-zz99zz"
    lookalike.mkdir()
    (lookalike / "diary.txt").write_text("not kube2ecs'\n")
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    assert sorted(p.name for p in repo.iterdir()) == [".out.kube2ecs-new-zz99zz", "README.md", "k8s", "out", "src"]


def test_a_previous_output_inside_an_input_folder_is_not_read(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    (repo / "out").rename(repo / "k8s" / "generated")
    status, _ = _run("convert", "k8s", "-o", "ecs")
    assert status == 0
    findings = json.loads((repo / "ecs" / "findings.json").read_text())["findings"]
    assert [(f["code"], f["file"], f["message"]) for f in findings if f["file"].startswith("generated")] == [
        ("K2E020", "generated", "generated is a kube2ecs output folder; its files were not read as input")]
    assert (repo / "ecs" / "task-definitions" / "shop.web.json").is_file()


def test_a_previous_output_given_alone_is_no_input(repo: Path) -> None:
    assert _run("convert", "k8s", "-o", "out")[0] == 0
    status, output = _run("convert", "out", "-o", "ecs")
    assert (status, output.strip()) == (2, "kube2ecs: no Kubernetes objects in the input (empty files or only comments)")


# --- assess -o ------------------------------------------------------------------------------------


REPORT_REFUSED = [
    ("k8s/web.yaml", "k8s/web.yaml", "kube2ecs: -o k8s/web.yaml: it is an input; write the report elsewhere"),
    ("k8s", "k8s/report.json", "kube2ecs: -o k8s/report.json: it is inside the input folder k8s and would be read "
                               "as a manifest next time; write the report outside the input"),
    ("k8s", "README.md", "kube2ecs: -o README.md: the file exists and is not a kube2ecs report; give a new file name "
                         "or move the file away"),
    ("k8s", "src", "kube2ecs: -o src: it exists and is not a file; give a new file name"),
]


@pytest.mark.parametrize(("given", "report", "message"), REPORT_REFUSED)
def test_refused_report_files_lose_nothing(repo: Path, given: str, report: str, message: str) -> None:
    before = _snapshot(repo)
    status, output = _run("assess", given, "-o", report, "--format", "md")
    assert (status, output.strip()) == (2, message)
    assert _snapshot(repo) == before


@pytest.mark.parametrize("name", ["report.html", "report.md", "report.json", "report.sarif"])
def test_a_report_kube2ecs_wrote_is_replaced(repo: Path, name: str) -> None:
    assert _run("assess", "k8s", "-o", name)[0] == 0
    (repo / f".{name}.kube2ecs-tmp-1a2b3c4d").write_text("<!doc")  # a killed run's temporary file
    assert _run("assess", "k8s", "-o", name)[0] == 0
    assert sorted(p.name for p in repo.iterdir()) == sorted(["README.md", "k8s", "src", name])


def test_a_report_inside_the_input_folder_is_fine_when_it_is_not_read_back(repo: Path) -> None:
    assert _run("assess", "k8s", "-o", "k8s/report.html")[0] == 0
