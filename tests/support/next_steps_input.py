"""A namespace large enough to be split into two stacks, with Jobs of each hook moment and Secrets:
the input on which every kind of step of the deploy checklist appears."""

from __future__ import annotations

from tests.support.manifests import deployment

SPLIT_WORKLOADS = 130  # 4 resources each: over the 500 resources of one stack

_SECRET_ENV = """\
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
            - name: REMOTE_TOKEN
              valueFrom: {secretKeyRef: {name: remote, key: token}}
"""

_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  namespace: big
  annotations: {annotations}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: example/{name}:1.0
          resources: {{limits: {{memory: 256Mi}}}}  # moto's RunTask counts container memory only
"""

_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: big}
type: Opaque
stringData: {password: not-a-real-value-7fd2}
"""


def split_input() -> str:
    """Workloads `w000`... (the first reads two Secrets: one in the input, one not), a pre-install
    hook Job, a post-install hook Job, a plain Job and a pre-delete hook Job."""
    docs = [deployment(f"w{i:03d}", namespace="big", container_name="main", container=_SECRET_ENV if i == 0 else "")
            for i in range(SPLIT_WORKLOADS)]
    docs += [_JOB.format(name="migrate", annotations='{"helm.sh/hook": "pre-install,pre-upgrade"}'),
             _JOB.format(name="smoke", annotations='{"argocd.argoproj.io/hook": "PostSync"}'),
             _JOB.format(name="seed", annotations="{}"),
             _JOB.format(name="cleanup", annotations='{"helm.sh/hook": "pre-delete"}'),
             _SECRET]
    return "---\n".join(docs)
