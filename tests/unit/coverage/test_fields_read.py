"""Every field a parser reads has its row in the equivalence table, with a verdict true to the read.

Nothing is dropped silently (docs/architecture.md): a field nobody reads is reported by the sweep with
its row's verdict and remedy. A field a parser does read escapes the sweep, so the table is the only
place that says what became of it; the README's mapping table and the assessment's per-field verdicts
are made from it. The reader records two kinds of read (source/reader.py):

* read to translate (every plain read): the value shapes the output, so its row must say `full` or
  `partial`. A `none` row there would tell the user a field is lost that is in fact carried.
* read to report (`Reader.for_report`): the value only feeds a specific finding that says what ECS does
  not carry, in place of the sweep's generic one. Its row may have any verdict (it is often `none`), but
  it must exist: the README and the assessment must list the field the finding is about.

A read is a value or a whole subtree read (`ReadLog.consumed`); a mapping passed through on the way to
one is not. Its pointer is turned into the table's field pattern as the sweep does (`pattern_of`) and
matched to the row that speaks for it, as the sweep passes a row down to the fields under it: the
field's own row, else its nearest ancestor's (`container:livenessProbe` speaks for
`livenessProbe.httpGet.path`). Not held to a row: `apiVersion` and `kind`, read by the dispatch
(api.py) to choose the parser; a field holding nothing (`securityContext: {}`, `creationTimestamp:
null`), which asks for nothing; and an object one finding accounts for as a whole (`Reader.report_all`:
kinds kube2ecs does not translate, whose README kinds table says what they become).

Over every sample and, with `../shared/corpus`, every corpus document: what real manifests make the
parsers read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from unittest import mock

import pytest

import translator.api as api
from tests.support.repo import CORPUS, ROOT
from translator.coverage.equivalence import Row, scope_kind
from translator.coverage.sweep import pattern_of, row_covering, sweep, value_at
from translator.source.reader import Context

IDENTITY = ("/apiVersion", "/kind")  # read by the dispatch, not by a parser
USEFUL = ("full", "partial")


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _read(sources: Iterable[Path] = (), text: str = "") -> list[tuple[Context, list[Row]]]:
    """The read log of every document of every source (or of `text`), as the translation leaves it."""
    logs: list[tuple[Context, list[Row]]] = []

    def recording(ctx: Context) -> list[Row]:
        swept = sweep(ctx)
        logs.append((ctx, swept))
        return swept

    with mock.patch.object(api, "sweep", recording):
        for source in sources:
            api.translate([str(source)])
        if text:
            api.translate_text(text)
    assert logs or not (sources or text), "no document reached the sweep: the pipeline no longer calls api.sweep"
    return logs


def _field(ctx: Context, pointer: str) -> str:
    kind = scope_kind(ctx.doc)
    pattern = pattern_of(kind, pointer)
    return f"{kind} {pattern}" if pattern.startswith("object:") else pattern


def _within(pointer: str, objects: set[str]) -> bool:
    return any(pointer == o or pointer.startswith(o + "/") or o == "" for o in objects)


def problems(logs: list[tuple[Context, list[Row]]]) -> dict[str, str]:
    """Read field -> what is wrong with its row, with one place it was read."""
    out: dict[str, str] = {}
    for ctx, _ in logs:
        log = ctx.log
        for pointer in sorted(log.consumed):
            if not pointer or pointer in IDENTITY or _within(pointer, log.reported_whole):
                continue
            if value_at(ctx.doc.data, pointer) in (None, {}, []):
                continue
            field = _field(ctx, pointer)
            if field in out:
                continue
            kind = scope_kind(ctx.doc)
            row = row_covering(kind, pattern_of(kind, pointer))
            where = ctx.location(pointer)
            at = f"{where.file}:{where.line}"
            if row is None:
                out[field] = f"no row ({'read to report' if pointer in log.reported else 'read to translate'}, {at})"
            elif pointer not in log.reported and row.verdict not in USEFUL:
                out[field] = f"read to translate, but its row {row.id} ({row.field}) says {row.verdict} ({at})"
    return out


def _assert_none(found: dict[str, str]) -> None:
    assert not found, "fields read without a true row in translator/coverage/equivalence.yaml:\n" + "\n".join(
        f"  {field}: {why}" for field, why in sorted(found.items()))


def test_every_field_the_samples_make_a_parser_read_has_its_row() -> None:
    _assert_none(problems(_read(_folders(ROOT / "samples"))))


@pytest.mark.needs("corpus")
def test_every_field_the_corpus_makes_a_parser_read_has_its_row() -> None:
    _assert_none(problems(_read(_folders(CORPUS))))


# Reads the samples and the corpus do not reach: server-written metadata of an exported object, empty
# blocks, the v1beta1 and resource backends, NodePorts. Each document exists to make one parser path read.
EDGES = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: exported
  namespace: edge
  uid: 0b1c2d3e-0000-4000-8000-000000000001
  resourceVersion: "42"
  generation: 3
  creationTimestamp: "2024-01-01T00:00:00Z"
  selfLink: /apis/apps/v1/namespaces/edge/deployments/exported
  managedFields: [{manager: kubectl, operation: Update}]
spec:
  selector: {matchLabels: {app: exported}}
  template:
    metadata: {labels: {app: exported}, creationTimestamp: "2024-01-01T00:00:00Z"}
    spec:
      securityContext: {}
      affinity: {}
      volumes:
        - {name: host, hostPath: {path: /var/log, type: Directory}}
      containers:
        - name: app
          image: example/app:1.0
          ports: [{containerPort: 8080, hostPort: 8080}]
          volumeMounts: [{name: host, mountPath: /logs, mountPropagation: HostToContainer}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: edge}
spec:
  serviceName: db
  podManagementPolicy: OrderedReady
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 1}}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}, creationTimestamp: "2024-01-01T00:00:00Z"}
    spec:
      containers:
        - {name: db, image: "example/db:1.0"}
  volumeClaimTemplates:
    - metadata: {name: data, namespace: edge, creationTimestamp: "2024-01-01T00:00:00Z",
                 annotations: {volume.beta.kubernetes.io/storage-class: gp2}}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeName: pv-1}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: edge}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2, maxSurge: 0}}
  template:
    metadata: {labels: {app: agent}, creationTimestamp: "2024-01-01T00:00:00Z"}
    spec:
      containers:
        - {name: agent, image: "example/agent:1.0"}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy, namespace: edge}
spec:
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}, creationTimestamp: "2024-01-01T00:00:00Z"}
    spec:
      containers:
        - {name: legacy, image: "example/legacy:1.0"}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: edge}
spec:
  suspend: true
  backoffLimit: 2
  template:
    metadata: {creationTimestamp: "2024-01-01T00:00:00Z"}
    spec:
      restartPolicy: OnFailure
      containers:
        - {name: once, image: "example/once:1.0"}
---
apiVersion: v1
kind: Service
metadata: {name: exported, namespace: edge}
spec:
  type: NodePort
  clusterIP: 10.0.0.10
  clusterIPs: [10.0.0.10]
  selector: {app: exported}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: outside, namespace: edge}
spec: {type: ExternalName, externalName: db.example.com}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: static, namespace: edge}
spec:
  defaultBackend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old, namespace: edge}
spec:
  backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: alb, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: ingress.k8s.aws/alb}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: exported, namespace: edge}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: exported}
  maxReplicas: 4
  behavior: {scaleUp: {selectPolicy: Disabled}, scaleDown: {selectPolicy: Disabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: edge}
spec: {finalizers: [kubernetes]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: exported, namespace: edge}
secrets: [{name: exported-token-abcde}]
"""

# Reads whose row does not describe what the parser does with the field. Listed, not hidden: each must
# still be wrong (so the entry goes when the code or the row is fixed), and none may be added silently.
KNOWN: dict[str, str] = {}


def test_every_field_the_edge_cases_make_a_parser_read_has_its_row() -> None:
    found = problems(_read(text=EDGES))
    known = {field: why for field, why in found.items() if field in KNOWN}
    assert {field: why.split(" (<text>")[0] for field, why in known.items()} == KNOWN
    _assert_none({field: why for field, why in found.items() if field not in KNOWN})
