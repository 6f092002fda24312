"""Where the repository and the shared corpus are, and bench/'s scripts loaded as modules."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.support.needs import CORPUS, ROOT

__all__ = ["CORPUS", "ROOT", "bench_module"]


def bench_module(name: str) -> ModuleType:
    """A script of bench/ (not a package) loaded as a module, for the tests of its helpers."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
