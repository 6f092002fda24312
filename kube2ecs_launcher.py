"""The `kube2ecs` command's entry point: make sure `translator` is kube2ecs' own package first.

kube2ecs' import name, `translator`, is also the name of an unrelated PyPI project (`translator`
0.0.9). Found earlier on sys.path, or installed over kube2ecs in the same environment, it would
make the command die with an ImportError traceback from someone else's code. This module's name is
kube2ecs' own, so it always loads; it checks where `translator` resolves, without running it, and
when that is not the package installed beside this file, names the distribution that provides it
in one line and exits 2 (bad usage: the environment, not the input).

The check that runs every time is a path comparison (no importlib.metadata, which costs more than
`kube2ecs --help` should): the same distribution installs this module and `translator` side by side,
in site-packages or, for an editable install, in the checkout.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = "translator"
DISTRIBUTION = "kube2ecs"
USAGE = 2  # the exit status of bad usage, as translator.cli.main.Exit.USAGE, which may not be importable here


def main() -> None:
    """Run the CLI, or say in one line why `translator` is not kube2ecs' package and exit 2."""
    problem = shadowed()
    if problem is None:
        try:
            from translator.cli.main import main as run
        except ImportError:
            problem = overwritten()
            if problem is None:  # not a clash of names: a broken install, whose traceback helps
                raise
    if problem is not None:
        sys.stderr.write(f"kube2ecs: {problem}\n")
        sys.exit(USAGE)
    run()


def shadowed() -> str | None:
    """Why the `translator` that imports is not the one beside this file, or None when it is."""
    import importlib.util

    own = (Path(__file__).resolve().parent / PACKAGE).resolve()
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return f"its package {PACKAGE!r} is not installed beside it ({own}); reinstall: pip install --force-reinstall {DISTRIBUTION}"
    found = _location(spec)
    if found == own:
        return None
    owner = _owner(found)
    if owner is None:
        return (f"the module name {PACKAGE!r} resolves to {found}, which no installed distribution provides, not to "
                f"{DISTRIBUTION}' package at {own}; take it off sys.path (PYTHONPATH) or use a virtual environment of its own")
    name, version = owner
    return (f"the module name {PACKAGE!r} resolves to {name} {version} ({found}), not to {DISTRIBUTION}' package at {own}; "
            f"pip uninstall {name}, or install {DISTRIBUTION} in a virtual environment of its own")


def overwritten() -> str | None:
    """Why `translator` resolves beside this file yet does not import: another distribution wrote over its files."""
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None:
        return None
    found = _location(spec)
    owner = _owner(found)
    if owner is None:
        return None
    name, version = owner
    return (f"{name} {version} was installed over {DISTRIBUTION}' package {PACKAGE!r} at {found}; "
            f"pip uninstall {name}, then pip install --force-reinstall {DISTRIBUTION}")


def _location(spec: object) -> Path:
    """The folder of a package (regular or namespace), or the file of a plain module."""
    origin = getattr(spec, "origin", None)
    if origin and origin not in ("namespace", "built-in", "frozen"):
        path = Path(origin)
        return (path.parent if path.name == "__init__.py" else path).resolve()
    locations = list(getattr(spec, "submodule_search_locations", None) or [])
    return Path(locations[0]).resolve() if locations else Path(str(origin))


def _owner(found: Path) -> tuple[str, str] | None:
    """(name, version) of the distribution other than kube2ecs that installed files at `found`."""
    from importlib import metadata

    for name in sorted(set(metadata.packages_distributions().get(PACKAGE, [])) - {DISTRIBUTION}):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            path = Path(str(dist.locate_file(file))).resolve()
            if path == found or found in path.parents:
                return name, dist.version
    return None
