"""The corpus's Istio objects (istio-samples, gcp-microservices-demo's istio-manifests, gke-samples' service
mesh): each is read by its parser or gets its specific finding, never the generic custom-resource one."""

from __future__ import annotations

import pytest

from tests.support.repo import CORPUS
from translator.api import translate

pytestmark = pytest.mark.needs("corpus")
ISTIO_SOURCES = ("istio-samples", "gcp-microservices-demo", "gke-samples")


@pytest.mark.parametrize("source", ISTIO_SOURCES)
def test_no_istio_object_is_a_generic_custom_resource(source: str) -> None:
    result = translate([str(CORPUS / source)])
    generic = [f"{f.location.file}:{f.location.line} {f.message}" for f in result.findings
               if f.code == "K2E101" and "istio.io/" in f.message]
    assert generic == []
    assert [f.message for f in result.findings if f.code in ("K2E900", "K2E901")] == []
    istio = [f for f in result.findings if "K2E830" <= f.code < "K2E860"]
    assert istio, f"{source} holds Istio objects: their findings are expected"
