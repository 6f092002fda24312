"""IAM: the execution role (pull, logs, secrets; scoped to this task) and the task role.

The only `"Resource": "*"` is ecr:GetAuthorizationToken, which AWS defines on no resource.
"""

from __future__ import annotations

import re
from typing import Any

from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.secrets import secret_arn_for_policy
from translator.model.app import Workload
from translator.model.ecs import Ref, Role, get_att
from translator.model.provenance import provenance

_ECR_REPOS = {"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*"}
_ROLE_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:iam::\d{12}:role/.+$")  # the pattern TaskRoleArn accepts
_SSM_PARAMS = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/k8s/"


def _arn_text(mc: MapContext, name: str) -> str:
    return f"arn:aws:iam::{mc.options.account_id}:role/{name}"


def execution_role(mc: MapContext, nb: NamespaceBuild, wl: Workload, log_group: str, secrets: set[str],
                   meta: dict[str, Any]) -> Ref:
    statements: list[dict[str, Any]] = [
        {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                                       "ecr:GetDownloadUrlForLayer"], "Resource": [_ECR_REPOS]},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [get_att(log_group, "Arn")]},
    ]
    if secrets and mc.options.secrets_backend == "secretsmanager":
        statements.append({"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                           "Resource": [secret_arn_for_policy(nb, s) for s in sorted(secrets)]})
    if (secrets and mc.options.secrets_backend == "ssm") or mc.options.config_backend == "ssm":
        statements.append({"Effect": "Allow", "Action": ["ssm:GetParameters"],
                           "Resource": [{"Fn::Sub": f"{_SSM_PARAMS}{nb.namespace}/*"}]})
    logical = nb.ids.get(wl.meta.name, "ExecutionRole")
    nb.stack.add(Role(logical, metadata=meta, description=f"ECS execution role of {wl.meta.namespace}/{wl.meta.name}",
                      statements=statements))
    return Ref(get_att(logical, "Arn"), _arn_text(mc, f"{wl.meta.namespace}-{wl.meta.name}-execution"))


def task_role(mc: MapContext, nb: NamespaceBuild, wl: Workload) -> Ref:
    """The ServiceAccount's IRSA role if it has one, else one role per ServiceAccount, without permissions."""
    name = wl.pod.service_account or "default"
    account = mc.app.service_accounts.get((nb.namespace, name))
    mc.used.add(("ServiceAccount", nb.namespace, name))
    if account is not None and account.role_arn and _ROLE_ARN.match(account.role_arn):
        mc.report(account.origin, "K2E350", name=name, role=account.role_arn)
        return Ref(account.role_arn, account.role_arn)
    if account is not None and account.role_arn:  # e.g. an unrendered ${ROLE_ARN}: it would not deploy
        mc.report(account.origin, "K2E426", name=name, role=account.role_arn)
    if account is None and wl.pod.service_account and wl.pod.service_account != "default":
        mc.report(wl.pod.origin, "K2E351", workload=wl.meta.name, name=name)
    if name not in nb.task_roles:
        logical = nb.ids.get(f"{name}-sa", "TaskRole")
        meta = provenance(account.origin) if account is not None else {}  # else: from the tasks that use it
        nb.stack.add(Role(logical, metadata=meta, description=f"ECS task role of ServiceAccount {nb.namespace}/{name}"))
        nb.task_roles[name] = logical
    return Ref(get_att(nb.task_roles[name], "Arn"), _arn_text(mc, f"{nb.namespace}-{name}-task"))
