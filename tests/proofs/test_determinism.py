"""Same input, same bytes: in any file order, and every resource names the objects it comes from."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support.repo import CORPUS, ROOT
from tests.support.secrets_scan import manifest_files
from translator.api import TranslationResult, translate
from translator.cli.output import findings_json

pytestmark = pytest.mark.slow  # every corpus source, twice: `pytest -m "not slow"` leaves it out

SOURCES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if p.is_dir())


def _bytes(result: TranslationResult) -> dict[str, str]:
    files = result.files()
    files["findings.json"] = findings_json(result)
    return files


@pytest.mark.needs("corpus")
def test_every_corpus_source_is_checked() -> None:
    assert len(SOURCES) == 9


@pytest.mark.needs("corpus")
@pytest.mark.parametrize("source", SOURCES)
def test_file_order_does_not_change_a_byte(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = CORPUS / source
    monkeypatch.chdir(root)  # file names relative to the source root, as a folder argument gives them
    relative = [p.relative_to(root) for p in manifest_files(root)]
    files = [p.as_posix() for p in relative if not any(part.startswith(".") for part in p.parts)]  # as a folder walk
    assert len(files) > 1
    forward = _bytes(translate(files))
    assert _bytes(translate(list(reversed(files)))) == forward
    assert _bytes(translate(["."])) == forward
    assert forward["findings.json"].count('"code"') > 0


def _resources(text: str) -> dict[str, dict]:
    return yaml.safe_load(text)["Resources"]


@pytest.mark.parametrize("source", [*SAMPLES, *SOURCES])
def test_every_resource_names_its_objects(source: str) -> None:
    root = ROOT / "samples" / source if source in SAMPLES else CORPUS / source
    documents = {p.relative_to(root).as_posix(): list(yaml.safe_load_all(p.read_text())) for p in manifest_files(root)}
    result = translate([str(root)])
    assert result.templates
    for name, text in result.templates.items():
        for logical, resource in _resources(text).items():
            objects = resource["Metadata"]["kube2ecs"]["objects"]
            assert objects, f"{name} {logical}"
            for obj in objects:
                if "source" not in obj:
                    assert obj["kind"] == "Namespace", f"{name} {logical} {obj}"
                    continue
                found = documents[obj["source"]][obj["document"]]
                items = found.get("items", [found]) if found.get("kind", "").endswith("List") else [found]
                assert any(i["kind"] == obj["kind"] and _named(i["metadata"], obj["name"]) for i in items), obj


def _named(meta: dict, name: str) -> bool:
    """The object's own name, or the name made from its generateName (the prefix and five characters)."""
    return meta.get("name") == name or (not meta.get("name") and name[:-5] == meta.get("generateName"))


def test_a_resource_from_several_objects_lists_each() -> None:
    resources = _resources(translate([str(ROOT / "samples" / "web-app")]).templates["shop.yaml"])
    named = {logical: [f"{o['kind']}/{o['name']}" for o in r["Metadata"]["kube2ecs"]["objects"]]
             for logical, r in resources.items()}
    assert named["WebService"] == ["Deployment/web", "Service/web", "Service/web-internal"]
    assert named["Web80TargetGroup"] == ["Service/web", "Deployment/web"]
    assert named["WebLoadBalancer"] == ["Service/web"]
    assert named["WebTaskDefinition"] == ["Deployment/web"]
    assert named["Cluster"] == ["Namespace/shop"]
    web = resources["WebTaskDefinition"]["Metadata"]["kube2ecs"]["objects"][0]
    assert (web["source"], web["document"], web["namespace"]) == ("web.yaml", 1, "shop")


@pytest.mark.needs("corpus")
def test_same_bytes_in_processes_with_different_hash_seeds(tmp_path: Path) -> None:
    """Set and dict-of-set iteration differs between processes; nothing may leak it into the output."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "translator", "convert", str(CORPUS), str(ROOT / "samples"),
                               "-o", str(out), "--fail-on", "never", "-q"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert len(outputs[0]) > 20
    assert outputs[0] == outputs[1]
