"""The fields each object uses, with the verdicts the assessment shows: exact sets for a small input."""

from __future__ import annotations

from tests.support.manifests import deployment
from translator.api import translate_text

DEPLOYMENT = deployment(metadata="labels: {app: api}", pod="""\
      dnsPolicy: ClusterFirst
      hostNetwork: true
""", container="""\
          env:
            - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
          resources: {limits: {cpu: 500m, memory: 256Mi}}
          lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
""")


def test_read_fields_carry_their_row_and_swept_fields_the_sweep_row() -> None:
    result = translate_text(DEPLOYMENT, name="api.yaml")
    assert result.app.fields["Deployment/shop/api"] == (
        "Deployment:spec.selector",
        "Deployment:spec.template.metadata.labels",
        "container:env",
        "container:env[].valueFrom.fieldRef",
        "container:image",
        "container:lifecycle.preStop",  # swept: none
        "container:name",
        "container:resources.limits.cpu",
        "container:resources.limits.memory",
        "object:metadata.labels",
        "object:metadata.name",
        "object:metadata.namespace",
        "pod:containers",
        "pod:hostNetwork",  # swept: none, error
    )


def test_default_valued_and_catch_all_rows_are_not_listed() -> None:
    fields = translate_text(DEPLOYMENT, name="api.yaml").app.fields["Deployment/shop/api"]
    assert "pod:dnsPolicy" not in fields  # read because it holds its default
    assert "container:resources.limits" not in fields  # the catch-all row of extended resources


def test_without_usage_nothing_is_listed_and_everything_else_is_the_same() -> None:
    """`kube2ecs convert` asks for no usage: the same files and findings, no field lists."""
    from translator.api import translate
    from translator.source.loader import Source

    sources = [Source("api.yaml", DEPLOYMENT)]
    full, lean = translate(sources=sources), translate(sources=sources, usage=False)
    assert full.app.fields and lean.app.fields == {}
    assert lean.files() == full.files()
    assert lean.findings == full.findings
