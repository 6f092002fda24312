"""The `kube2ecs` command when another distribution's `translator` takes the import name: one line, exit 2.

Each case runs the installed console script (or the launcher from a copied site folder) in a
process of its own, with the impostor earlier on sys.path through PYTHONPATH, as a user's
environment would have it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from tests.support.repo import ROOT
from translator import __version__

SCRIPT = Path(sys.executable).parent / "kube2ecs"
OWN = ROOT / "translator"
IMPOSTOR = 'raise SystemExit("the impostor ran")  # the launcher must not import it to find out\n'


def _run(command: list[str], pythonpath: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def _impostor(site: Path, init: str, distribution: bool) -> Path:
    """A `translator` package in `site`, with the dist-info of `translator` 0.0.9 when `distribution`."""
    package = site / "translator"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(init)
    if distribution:
        info = site / "translator-0.0.9.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: translator\nVersion: 0.0.9\n")
        (info / "top_level.txt").write_text("translator\n")
        (info / "RECORD").write_text("translator/__init__.py,,\ntranslator-0.0.9.dist-info/METADATA,,\n"
                                     "translator-0.0.9.dist-info/RECORD,,\n")
    return package


def test_the_console_script_is_the_launcher_in_pyproject_and_in_the_install() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    installed = {e.name: e.value for e in metadata.entry_points(group="console_scripts") if e.name == "kube2ecs"}
    assert declared == installed == {"kube2ecs": "kube2ecs_launcher:main"}, "reinstall: pip install -e ."
    assert SCRIPT.is_file(), "the kube2ecs command is installed beside the Python that runs the tests"


def test_the_command_runs_when_translator_is_its_own(tmp_path: Path) -> None:
    done = _run([str(SCRIPT), "--version"], tmp_path / "nothing-here", tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"kube2ecs, version {__version__}\n", "")


def test_a_translator_distribution_earlier_on_sys_path_is_named_in_one_line(tmp_path: Path) -> None:
    found = _impostor(tmp_path / "site", IMPOSTOR, distribution=True)
    done = _run([str(SCRIPT), "convert", "samples/web-app", "-o", str(tmp_path / "out")], tmp_path / "site", ROOT)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"kube2ecs: the module name 'translator' resolves to translator 0.0.9 ({found}), not to kube2ecs' "
                           f"package at {OWN}; pip uninstall translator, or install kube2ecs in a virtual environment of its own\n")
    assert not (tmp_path / "out").exists()


def test_a_translator_folder_no_distribution_provides_is_named_by_its_path(tmp_path: Path) -> None:
    found = _impostor(tmp_path / "site", IMPOSTOR, distribution=False)
    done = _run([str(SCRIPT), "--help"], tmp_path / "site", tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"kube2ecs: the module name 'translator' resolves to {found}, which no installed distribution provides, "
                           f"not to kube2ecs' package at {OWN}; take it off sys.path (PYTHONPATH) or use a virtual environment "
                           "of its own\n")


def test_a_translator_installed_over_kube2ecs_in_the_same_folder_is_named(tmp_path: Path) -> None:
    """pip writes the other `translator/__init__.py` over kube2ecs' own: the folder is right, the package is not."""
    site = tmp_path / "site"
    shutil.copytree(OWN, site / "translator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "kube2ecs_launcher.py", site)
    found = _impostor(site, '"""A translation library."""\n', distribution=True)
    done = _run([sys.executable, "-c", "import kube2ecs_launcher; kube2ecs_launcher.main()", "--version"], site, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"kube2ecs: translator 0.0.9 was installed over kube2ecs' package 'translator' at {found}; "
                           "pip uninstall translator, then pip install --force-reinstall kube2ecs\n")
