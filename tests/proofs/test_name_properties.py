"""Random object names (every Unicode plane, `/`, `..`, line breaks, case) never give a path outside OUT
nor two objects one file: through the whole translation, and through the file namer on its own, which
must hold even if a name reached it unchecked."""

from __future__ import annotations

import json
import os
import posixpath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator.api import translate_text
from translator.outnames import FileNames, check_paths, unsafe_reason

_PIECES = st.sampled_from(["..", ".", "/", "\n", "\r", "\0", "\\", ":", "a", "A", "b", "-", "web", "Web", "a.b", "c", "b.c",
                           "\u0130", "\u212a", "\U0001f600", "\ufb00", "e\u0301", "\u00e9"])
_NAMES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),  # any plane, no lone surrogates
    st.lists(_PIECES, min_size=1, max_size=6).map("".join),
    st.sampled_from(["a", "web", "a.b", "b.c", "c", "x" * 253, "y" * 64]),
)
pytestmark = pytest.mark.slow  # 200 generated sets of names per property: `pytest -m "not slow"` leaves it out
_SETTINGS = settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar for any text: characters YAML may not hold as they are are escaped."""
    out = []
    for char in text:
        code = ord(char)
        printable = char in "\t" or 0x20 <= code <= 0x7E or code == 0x85 or 0xA0 <= code <= 0xD7FF \
            or 0xE000 <= code <= 0xFFFD or code >= 0x10000
        out.append(char if printable and char not in '"\\' else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _manifest(objects: list[tuple[str, str]]) -> str:
    return "".join(
        f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {_yaml_string(name)}\n"
        f"  namespace: {_yaml_string(namespace)}\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - {name: app, image: nginx}\n" for namespace, name in objects)


def _inside(out: str, relative: str) -> bool:
    return posixpath.normpath(posixpath.join(out, relative)).startswith(out + "/")


@_SETTINGS
@given(st.lists(st.tuples(_NAMES, _NAMES), min_size=1, max_size=5))
def test_random_names_never_leave_out_or_share_a_file(objects: list[tuple[str, str]]) -> None:
    result = translate_text(_manifest(objects), name="in.yaml")
    assert not [f for f in result.findings if f.code.startswith("K2E9")]
    files = result.files()  # raises when a path could leave OUT or two are one file
    assert all(_inside("/out", path) and not unsafe_reason(path) for path in files)
    assert len({path.casefold() for path in files}) == len(files)
    translated = {(w.meta.namespace, w.meta.name) for w in result.app.workloads}
    assert len(result.task_definitions) == len(translated)  # one file per object
    for text in result.task_definitions.values():
        json.loads(text)


@_SETTINGS
@given(st.lists(st.tuples(_NAMES, _NAMES), min_size=1, max_size=12, unique=True))
def test_the_file_namer_alone_keeps_every_owner_apart_and_inside(owners: list[tuple[str, str]]) -> None:
    """Unchecked names straight into the namer, owners keyed as the translation keys them."""
    def run() -> list[str]:
        names = FileNames()
        return [f"task-definitions/{names.claim(repr((ns, name)), 'task-definitions', f'{ns}.{name}', '.json')}"
                for ns, name in owners]

    paths = run()
    check_paths(paths)
    assert all(_inside("/out", p) and os.sep not in p.split("/", 1)[1] for p in paths)
    assert len({p.casefold() for p in paths}) == len(paths)
    assert all(len(part.encode()) <= 255 for p in paths for part in p.split("/"))
    assert run() == paths  # the same owners, the same names
