"""Exact findings (code, line, pointer) and exact output for StatefulSets, DaemonSets, volumes and the EC2 launch type."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.manifests import deployment, service
from tests.support.results import found as _found
from translator.api import TranslationResult, translate_text
from translator.options import Options, OptionsError, options_from_dict

EC2 = options_from_dict({"launch_type": "EC2"})

STATEFUL = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  updateStrategy:
    type: OnDelete
  template:
    metadata: {labels: {app: db}}
    spec:
      securityContext: {runAsUser: 70, fsGroup: 71}
      containers:
        - name: postgres
          image: postgres:16
          resources: {requests: {cpu: 250m, memory: 256Mi}}
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
            - {name: data, mountPath: /backup, subPath: backup}
      volumes:
        - name: data
          emptyDir: {}
  volumeClaimTemplates:
    - metadata:
        name: data
        annotations: {volume.beta.kubernetes.io/storage-class: fast}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 5Gi}}
        dataSource: {kind: VolumeSnapshot, name: nightly}
"""


def _messages(result: TranslationResult, code: str) -> list[str]:
    return [f.message for f in result.findings if f.code == code]


def _task(result: TranslationResult, name: str) -> dict[str, Any]:
    return json.loads(result.task_definitions[name])  # type: ignore[no-any-return]


def test_statefulset_findings() -> None:
    result = translate_text(STATEFUL, name="db.yaml")
    assert {
        ("K2E460", 7, "/spec/serviceName"),
        ("K2E461", 6, "/spec"),
        ("K2E462", 11, "/spec/updateStrategy/type"),
        ("K2E464", 1, "/"),
        ("K2E465", 25, "/spec/template/spec/volumes/0/emptyDir"),
        ("K2E463", 30, "/spec/volumeClaimTemplates/0/spec"),
        ("K2E468", 30, "/spec/volumeClaimTemplates/0/spec"),
        ("K2E469", 30, "/spec/volumeClaimTemplates/0/spec"),
        ("K2E200", 33, "/spec/volumeClaimTemplates/0/spec/dataSource"),
    } <= _found(result)
    assert _messages(result, "K2E460") == [
        "StatefulSet db becomes one ECS service of 3 interchangeable task(s): pods lose their stable names "
        "(db-0.db, db-1.db, ...) and ordinals"]
    assert _messages(result, "K2E468") == [
        "volumeClaimTemplate data of StatefulSet db (5 GiB requested; ReadWriteOnce; storage class fast) "
        "becomes EFS file system DataDbFileSystem"]
    assert sorted(_messages(result, "K2E469")) == [
        "EFS access point DataDbAccessPoint (root directory /data-db) acts as uid 70 gid 71 for every file "
        "operation (user 70 of the containers that mount it, fsGroup 71)",
        "EFS access point DataDbBackupAccessPoint (root directory /data-db/backup) acts as uid 70 gid 71 for every "
        "file operation (user 70 of the containers that mount it, fsGroup 71)"]


def test_statefulset_output() -> None:
    result = translate_text(STATEFUL, name="db.yaml")
    template = result.templates["shop.yaml"]
    assert "MaximumPercent: 100\n        MinimumHealthyPercent: 66" in template
    assert "DependsOn: [DataDbMountTarget1]\n" in template
    assert template.count("Type: AWS::EFS::MountTarget") == 6 and template.count("Condition: HasSubnet") == 5
    task = _task(result, "shop.db.json")
    volumes = {v["name"]: v for v in task["volumes"]}
    assert volumes["data"]["efsVolumeConfiguration"] == {
        "fileSystemId": "${DataDbFileSystem}", "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": "${DataDbAccessPoint}", "iam": "ENABLED"}}
    assert volumes["data-backup"]["efsVolumeConfiguration"]["authorizationConfig"]["accessPointId"] == "${DataDbBackupAccessPoint}"
    assert task["containerDefinitions"][0]["mountPoints"] == [
        {"sourceVolume": "data", "containerPath": "/var/lib/postgresql/data", "readOnly": False},
        {"sourceVolume": "data-backup", "containerPath": "/backup", "readOnly": False}]
    assert "- elasticfilesystem:ClientMount\n                  - elasticfilesystem:ClientWrite\n" in template


DAEMON = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {node-role.kubernetes.io/worker: "true"}
      containers:
        - name: agent
          image: example/agent:1
          securityContext: {privileged: true}
          volumeMounts:
            - {name: proc, mountPath: /host/proc, readOnly: true, mountPropagation: HostToContainer}
      volumes:
        - name: proc
          hostPath: {path: /proc}
---
""" + service("agent", "{port: 9100}", namespace="ops")


def test_daemonset_on_fargate_is_a_finding_and_nothing_else() -> None:
    result = translate_text(DAEMON, name="agent.yaml")
    assert ("K2E470", 1, "/") in _found(result)
    assert ("K2E343", 20, "/") in _found(result)  # the Service selects no translated workload
    assert result.task_definitions == {}
    assert "AWS::ECS::Service" not in result.templates.get("ops.yaml", "")


def test_daemonset_on_ec2() -> None:
    result = translate_text(DAEMON, EC2, name="agent.yaml")
    assert {
        ("K2E471", 1, "/"),
        ("K2E462", 1, "/"),
        ("K2E472", 20, "/"),
        ("K2E482", 8, "/spec/template/spec"),
        ("K2E485", 13, "/spec/template/spec/containers/0/securityContext/privileged"),
        ("K2E476", 15, "/spec/template/spec/containers/0/volumeMounts/0"),
        ("K2E484", 18, "/spec/template/spec/volumes/0/hostPath"),
    } <= _found(result)
    template = result.templates["ops.yaml"]
    assert "SchedulingStrategy: DAEMON\n      LaunchType: EC2\n" in template
    assert "DesiredCount" not in template and "DeploymentCircuitBreaker" not in template
    assert "ServiceConnectConfiguration" not in template
    assert "Expression: attribute:node-role.kubernetes.io.worker == true\n" in template
    task = _task(result, "ops.agent.json")
    assert task["requiresCompatibilities"] == ["EC2"]
    assert task["volumes"] == [{"name": "proc", "host": {"sourcePath": "/proc"}}]
    assert task["containerDefinitions"][0]["privileged"] is True
    assert _messages(result, "K2E482") == [
        "DaemonSet agent is placed on container instances matching attribute:node-role.kubernetes.io.worker == true"]


VOLUMES = deployment("web", "nginx:1.27", namespace="app", pod="""\
      securityContext: {fsGroup: 101}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]
              - matchExpressions: [{key: topology.kubernetes.io/zone, operator: NotIn, values: [eu-west-1c]}]
""", container="""\
          resources: {requests: {ephemeral-storage: 300Gi}}
          volumeMounts:
            - {name: conf, mountPath: /etc/nginx/nginx.conf, subPath: nginx.conf}
            - {name: site, mountPath: /usr/share/nginx/html}
            - {name: tls, mountPath: /etc/tls}
            - {name: logs, mountPath: /var/log/nginx}
            - {name: raw, mountPath: /dev/raw}
            - {name: missing, mountPath: /missing}
""") + """\
      volumes:
        - {name: conf, configMap: {name: nginx}}
        - {name: site, configMap: {name: site, items: [{key: index.html, path: index.html, mode: 0444}]}}
        - {name: tls, secret: {secretName: web-tls, items: [{key: tls.crt, path: cert.pem}]}}
        - {name: logs, hostPath: {path: /var/log/web}}
        - {name: raw, persistentVolumeClaim: {claimName: raw}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: site, namespace: app}
data: {index.html: "<h1>hello</h1>", other.html: "x"}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: raw, namespace: app}
spec: {volumeMode: Block, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-ebs}
spec:
  capacity: {storage: 1Gi}
  csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0abc}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gp3}
provisioner: ebs.csi.aws.com
"""


def test_volume_findings_on_fargate() -> None:
    result = translate_text(VOLUMES, name="web.yaml")
    assert {
        ("K2E480", 15, "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/1"),
        ("K2E479", 8, "/spec/template/spec"),
        ("K2E475", 21, "/spec/template/spec/containers/0/volumeMounts/0"),
        ("K2E473", 29, "/spec/template/spec/volumes/1/configMap"),
        ("K2E331", 30, "/spec/template/spec/volumes/2/secret"),
        ("K2E480", 31, "/spec/template/spec/volumes/3/hostPath"),
        ("K2E466", 42, "/spec"),
        ("K2E489", 44, "/"),
        ("K2E489", 51, "/"),
        ("K2E004", 26, "/spec/template/spec/containers/0/volumeMounts/5"),
    } <= _found(result)
    # The Secret the input lacks is one problem: K2E331 names it, the volume's files are not a second finding.
    assert [f.code for f in result.findings if f.location.line == 30] == ["K2E331"]
    # The os-only term is what Fargate gives; only the zone term is reported.
    assert not any(f.code == "K2E480" and f.location.line == 14 for f in result.findings)
    assert [f.severity.label for f in result.findings if f.code == "K2E480" and f.location.line == 31] == ["error"]
    assert _messages(result, "K2E489")[0] == (
        "PersistentVolume pv-ebs (CSI driver ebs.csi.aws.com, volume vol-0abc) describes cluster storage, which does "
        "not move to ECS")
    task = _task(result, "app.web.json")
    assert task["ephemeralStorage"] == {"sizeInGiB": 200}
    writer, web = task["containerDefinitions"]
    assert writer["name"] == "kube2ecs-files" and writer["essential"] is False
    assert writer["command"] == [
        "set -e\n"
        "mkdir -p /kube2ecs-files/site && printf '%s' \"$FILE_0\" > /kube2ecs-files/site/index.html && chmod 444 "
        "/kube2ecs-files/site/index.html && chgrp 101 /kube2ecs-files/site/index.html\n"
        "mkdir -p /kube2ecs-files/tls && printf '%s' \"$FILE_1\" > /kube2ecs-files/tls/cert.pem && chmod 644 "
        "/kube2ecs-files/tls/cert.pem && chgrp 101 /kube2ecs-files/tls/cert.pem\n"]
    assert writer["environment"] == [{"name": "FILE_0", "value": "<h1>hello</h1>"}]
    assert writer["secrets"] == [{"name": "FILE_1", "valueFrom": "arn:aws:secretsmanager:${AWS_REGION}:${AWS_ACCOUNT_ID}"
                                                                 ":secret:k8s/app/web-tls:tls.crt::"}]
    assert web["dependsOn"] == [{"containerName": "kube2ecs-files", "condition": "SUCCESS"}]
    assert web["mountPoints"] == [{"sourceVolume": "site", "containerPath": "/usr/share/nginx/html", "readOnly": True},
                                  {"sourceVolume": "tls", "containerPath": "/etc/tls", "readOnly": True}]
    assert task["volumes"] == [{"name": "site"}, {"name": "tls"}]


def test_configmap_left_out_of_a_full_task() -> None:
    text = VOLUMES.replace("      containers:\n", "      containers:\n" + "".join(
        f"        - {{name: side{i}, image: busybox}}\n" for i in range(9)), 1)
    result = translate_text(text, name="web.yaml")
    assert _messages(result, "K2E488") == [
        "the configMap and secret volumes of web were left out: the task already has 10 containers and the files need one more"]
    assert all(c["name"] != "kube2ecs-files" for c in _task(result, "app.web.json")["containerDefinitions"])


def test_volume_output_on_ec2() -> None:
    result = translate_text(VOLUMES, EC2, name="web.yaml")
    assert ("K2E487", 8, "/spec/template/spec") in _found(result)
    task = _task(result, "app.web.json")
    assert "ephemeralStorage" not in task
    assert {"name": "logs", "host": {"sourcePath": "/var/log/web"}} in task["volumes"]
    assert ("Expression: (attribute:ecs.os-type == linux) or (attribute:ecs.availability-zone not_in [eu-west-1c])\n"
            in result.templates["app.yaml"])


def test_claim_not_in_input_and_unused_claim() -> None:
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: a, image: "a:1", volumeMounts: [{name: d, mountPath: /d, readOnly: true}]}]
      volumes: [{name: d, persistentVolumeClaim: {claimName: elsewhere}}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: spare}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
    result = translate_text(text, name="app.yaml")
    assert {("K2E467", 10, "/spec/template/spec/volumes/0/persistentVolumeClaim"),
            ("K2E469", 10, "/spec/template/spec/volumes/0/persistentVolumeClaim"),
            ("K2E102", 15, "/spec")} <= _found(result)
    assert _messages(result, "K2E469")[0].startswith(
        "EFS access point ElsewhereAccessPoint (root directory /elsewhere) has no POSIX user (the pod sets no runAsUser)")
    template = result.templates["default.yaml"]
    assert "- elasticfilesystem:ClientMount\n                  - elasticfilesystem:ClientRootAccess\n" in template
    assert 'Permissions: "0777"\n' in template


def test_root_directory_is_what_efs_accepts() -> None:
    from translator.mapping.task.storage import root_directory

    assert root_directory("data-db", "") == "/data-db"
    assert root_directory("${PVC_NAME}", "a/../b/c/d/e") == "/PVC_NAME/a/b/c-d-e"


@pytest.mark.parametrize(("raw", "message"), [
    ({"launch_type": "EC2", "assign_public_ip": True}, "assign_public_ip works only on Fargate"),
    ({"launch_type": "EC2", "capacity_providers": [{"provider": "FARGATE"}]}, "name Auto Scaling group capacity providers"),
    ({"capacity_providers": [{"provider": "my-asg"}]}, "need launch_type: EC2"),
    ({"launch_type": "ec2"}, "launch_type must be one of FARGATE, EC2"),
])
def test_launch_type_options_are_checked(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(OptionsError, match=message):
        options_from_dict(raw)


def test_ec2_capacity_providers_become_the_service_strategy() -> None:
    options = options_from_dict({"launch_type": "EC2", "capacity_providers": [{"provider": "my-asg", "weight": 1}]})
    result = translate_text(STATEFUL, options, name="db.yaml")
    template = result.templates["shop.yaml"]
    assert "CapacityProvider: my-asg\n" in template and "LaunchType" not in template
    assert options != Options()


def test_files_from_ssm_parameters_with_the_ssm_config_backend() -> None:
    options = options_from_dict({"config_backend": "ssm", "region": "eu-west-1", "account_id": "111122223333"})
    big = "x" * 5000
    text = VOLUMES.replace('other.html: "x"', f'other.html: "x", big.txt: "{big}"').replace(
        "items: [{key: index.html, path: index.html, mode: 0444}]", "defaultMode: 0400")
    writer = _task(translate_text(text, options, name="web.yaml"), "app.web.json")["containerDefinitions"][0]
    assert [e["name"] for e in writer["environment"]] == ["FILE_0"]  # over 4 KB: a literal, not a parameter
    assert writer["secrets"][:2] == [
        {"name": "FILE_1", "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/k8s/app/site/index.html"},
        {"name": "FILE_2", "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/k8s/app/site/other.html"}]
    assert "chmod 440 /kube2ecs-files/site/big.txt" in writer["command"][0]


def test_nfs_reaches_a_service_that_a_network_policy_isolates() -> None:
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: np}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: a, image: "a:1", volumeMounts: [{name: d, mountPath: /d}]}]
      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: np}
spec: {podSelector: {matchLabels: {app: a}}, policyTypes: [Ingress]}
"""
    template = translate_text(text, name="np.yaml").templates["np.yaml"]
    assert ('  EfsNfsIngressFromAppSecurityGroup:\n    Type: AWS::EC2::SecurityGroupIngress\n' in template)
    assert ("SourceSecurityGroupId:\n        Fn::GetAtt: [AppSecurityGroup, GroupId]\n      IpProtocol: tcp\n      FromPort: 2049"
            in template)
