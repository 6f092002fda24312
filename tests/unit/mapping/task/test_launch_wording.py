"""Findings name where the tasks run: under launch_type MANAGED_INSTANCES or EC2, no note says Fargate
for what Fargate alone does (the Fargate wording is pinned by the sample goldens)."""

from __future__ import annotations

import pytest

from tests.support.manifests import deployment
from translator.api import translate_text
from translator.options import Options

POD = """\
      nodeSelector: {disktype: ssd}
      hostNetwork: true
      tolerations: [{key: dedicated, operator: Exists}]
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: api}}
      containers:
        - name: api
          image: example/api:1.0
          imagePullPolicy: Always
          securityContext: {allowPrivilegeEscalation: false}
          resources:
            requests: {cpu: 500m, memory: 512Mi}
            limits: {memory: 512Mi, hugepages-2Mi: 64Mi}
"""
NODE_CLASS = """\
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  role: KarpenterNodeRole
"""


def _messages(launch_type: str) -> list[tuple[str, int, str]]:
    result = translate_text(deployment(containers=POD) + NODE_CLASS, Options(launch_type=launch_type), name="api.yaml")
    return [(f.code, f.location.line, f.message) for f in result.findings
            if f.code in ("K2E200", "K2E480", "K2E486", "K2E805") and "metadata" not in f.message]


def test_managed_instances_findings_say_managed_instances() -> None:
    assert _messages("MANAGED_INSTANCES") == [
        ("K2E480", 8, "nodeSelector disktype=ssd needs the EC2 launch type and was left out on Managed Instances"),
        ("K2E200", 10, "hostNetwork has no ECS equivalent and was not translated (none): kube2ecs gives every Managed "
                      "Instances task awsvpc networking"),
        ("K2E200", 11, "tolerations has no ECS equivalent and was not translated (none): no taints on ECS: the "
                       "capacity providers choose the instances"),
        ("K2E480", 15, "required pod anti-affinity of api on kubernetes.io/hostname (one pod per node) needs the EC2 "
                       "launch type and was left out on Managed Instances"),
        ("K2E200", 20, "imagePullPolicy has no ECS equivalent and was not translated (none): the ECS agent on the "
                       "instances decides when to pull, for every task alike"),
        ("K2E200", 21, "securityContext.allowPrivilegeEscalation has no ECS equivalent and was not translated (none): "
                       "kube2ecs writes no no-new-privileges switch for Managed Instances tasks"),
        ("K2E200", 24, "resources.limits.hugepages-2Mi has no ECS equivalent and was not translated (none): ECS "
                       "reserves no such resource for a container (only GPUs and Neuron devices are translated on "
                       "Managed Instances; hugepages and other extended resources are not)"),
        ("K2E805", 26, "EC2NodeClass default configures EC2 nodes (role); ECS launches and patches the Managed "
                       "Instances its capacity providers use"),
    ]


def test_ec2_findings_say_what_the_ec2_launch_type_does() -> None:
    assert _messages("EC2") == [
        ("K2E200", 10, "hostNetwork has no ECS equivalent and was not translated (none): kube2ecs gives every task "
                      "awsvpc networking, not the EC2 launch type's host network mode"),
        ("K2E200", 11, "tolerations has no ECS equivalent and was not translated (none): no taints on ECS: the "
                       "capacity providers and placement constraints choose the instances"),
        ("K2E486", 15, "required pod anti-affinity of api on kubernetes.io/hostname becomes the distinctInstance "
                       "constraint"),
        ("K2E200", 20, "imagePullPolicy has no ECS equivalent and was not translated (none): the ECS agent on the "
                       "instances decides when to pull (ECS_IMAGE_PULL_BEHAVIOR), for every task alike"),
        ("K2E200", 21, "securityContext.allowPrivilegeEscalation has no ECS equivalent and was not translated (none): "
                       "kube2ecs writes no no-new-privileges switch (the EC2 launch type's dockerSecurityOptions "
                       "no-new-privileges)"),
        ("K2E200", 24, "resources.limits.hugepages-2Mi has no ECS equivalent and was not translated (none): extended "
                       "resources are translated under launch_type MANAGED_INSTANCES only (GPUs, Neuron devices); ECS "
                       "reserves no hugepages on any launch type"),
        ("K2E805", 26, "EC2NodeClass default configures EC2 nodes (role); the EC2 container instances are the "
                       "cluster's own, configured outside these stacks"),
    ]


@pytest.mark.parametrize("launch_type", ["MANAGED_INSTANCES", "EC2"])
def test_no_finding_claims_fargate_for_the_fields_above(launch_type: str) -> None:
    assert [m for m in _messages(launch_type) if "Fargate" in m[2]] == []
