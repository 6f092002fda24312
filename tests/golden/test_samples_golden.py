"""Every sample: byte-for-byte golden output, zero cfn-lint errors, zero botocore errors.

Regenerate after a reviewed change with `pytest tests/golden/test_samples_golden.py --update-golden`
and read the diff like code.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from tests.support.repo import ROOT
from tests.support.validation import cfn_lint_errors, task_definition_errors
from translator.api import translate
from translator.cli.output import findings_json
from translator.options import load_options

SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if p.is_dir())
# Golden name -> (sample, kube2ecs.yaml in samples/): the same manifests converted with other options.
VARIANTS = {"stateful-storage-ec2": ("stateful-storage", "kube2ecs-ec2.yaml"), "storefront-exec": ("storefront", "kube2ecs-exec.yaml"),
            "firelens-logging-on": ("firelens-logging", "kube2ecs-firelens.yaml"),
            "istio-mesh-tls": ("istio-mesh", "kube2ecs-istio.yaml"),
            "gateway-api-lattice": ("gateway-api", "kube2ecs-lattice.yaml"),
            "gateway-api-aws-controllers-lattice": ("gateway-api-aws-controllers", "kube2ecs-lattice.yaml"),
            "karpenter-managed-instances-on": ("karpenter-managed-instances", "kube2ecs-managed-instances.yaml")}
OUTPUTS = sorted([*SAMPLES, *VARIANTS])
GOLDEN = ROOT / "tests" / "golden"


@functools.cache  # each sample translated once for the two tests that read its output
def _outputs(name: str) -> dict[str, str]:
    sample, config = VARIANTS.get(name, (name, ""))
    options = load_options(str(ROOT / "samples" / config)) if config else None
    result = translate([str(ROOT / "samples" / sample)], options)
    files = result.files()
    files["findings.json"] = findings_json(result)
    return files


@pytest.mark.parametrize("sample", OUTPUTS)
def test_golden(sample: str, update_golden: bool) -> None:
    files = _outputs(sample)
    folder = GOLDEN / sample
    if update_golden:
        for old in folder.rglob("*") if folder.exists() else []:
            if old.is_file():
                old.unlink()
        for relative, text in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
    expected = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected)
    for relative, text in files.items():
        assert text == expected[relative], f"{sample}/{relative} differs from the golden file"


@pytest.mark.parametrize("sample", OUTPUTS)
def test_sample_output_validates(sample: str) -> None:
    files = _outputs(sample)
    templates = {k: v for k, v in files.items() if k.startswith("cloudformation/")}
    assert templates
    for name, text in templates.items():
        assert cfn_lint_errors(text) == [], name
    for name, text in files.items():
        if name.startswith("task-definitions/"):
            assert task_definition_errors(json.loads(text)) == [], name


def test_every_sample_has_golden_files() -> None:
    # tests/golden is also this test's package: Python's __pycache__ there is no sample's
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name != "__pycache__") == OUTPUTS
    assert all(Path(GOLDEN / s / "findings.json").is_file() for s in OUTPUTS)
