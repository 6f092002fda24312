"""IAM: the execution role (pull, logs, secrets; scoped to this task) and the task role.

The only `"Resource": "*"` is ecr:GetAuthorizationToken, which AWS defines on no resource.
"""

from __future__ import annotations

import json
import re

from translator.mapping.context import MapContext, NamespaceBuild
from translator.model.app import Workload
from translator.model.ecs import ContainerDefinition, Metadata, Role, Statement
from translator.model.intrinsics import GetAtt, Linked, Ref, Sub, Value
from translator.model.provenance import provenance

_ECR_REPOS = Sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*")
DESCRIPTION_LIMIT = 1000  # characters of a role's description
_ROLE_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:iam::\d{12}:role/.+$")  # the pattern TaskRoleArn accepts
_OWN_SECRET = re.compile(r"^\$\{([A-Za-z0-9]+)\}")  # `${Logical}:key::`, a secret the stack creates


def _arn_text(mc: MapContext, name: str) -> str:
    return f"arn:aws:iam::{mc.options.account_id}:role/{name}"


def execution_role(mc: MapContext, nb: NamespaceBuild, wl: Workload, log_group: str,
                   definitions: tuple[ContainerDefinition, ...], meta: Metadata) -> Linked:
    """Pull images, write to the task's log group, and read exactly the secrets and parameters the
    task's containers reference, each by its own ARN, nothing else of the account."""
    secrets, parameters = _read_resources(definitions)
    statements = (
        Statement("Allow", ("ecr:GetAuthorizationToken",), "*"),
        Statement("Allow", ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
                  (_ECR_REPOS,)),
        Statement("Allow", ("logs:CreateLogStream", "logs:PutLogEvents"), (GetAtt(log_group, "Arn"),)),
        *([Statement("Allow", ("secretsmanager:GetSecretValue",), secrets)] if secrets else []),
        *([Statement("Allow", ("ssm:GetParameters",), parameters)] if parameters else []),
    )
    logical = nb.ids.get(wl.meta.name, "ExecutionRole")
    description = f"ECS execution role of {wl.meta.namespace}/{wl.meta.name}"[:DESCRIPTION_LIMIT]
    nb.stack.add(Role(logical, metadata=meta, description=description, statements=statements))
    return Linked(GetAtt(logical, "Arn"), _arn_text(mc, f"{wl.meta.namespace}-{wl.meta.name}-execution"))


def _read_resources(definitions: tuple[ContainerDefinition, ...]) -> tuple[tuple[Value, ...], tuple[Value, ...]]:
    """(Secrets Manager secrets, SSM parameters) the containers read: `secrets[].valueFrom` and
    repository credentials, as policy resources, each once, in a stable order."""
    found: dict[str, dict[tuple[int, str], Value]] = {"secretsmanager": {}, "ssm": {}}
    for definition in definitions:
        references = [s.value_from for s in definition.secrets or ()]
        if definition.repository_credentials is not None:
            references.append(definition.repository_credentials.credentials_parameter)
        for reference in references:
            service, resource = _policy_resource(reference.cfn)
            found[service][_order(resource)] = resource
    return (tuple(found["secretsmanager"][k] for k in sorted(found["secretsmanager"])),
            tuple(found["ssm"][k] for k in sorted(found["ssm"])))


def _order(resource: Value) -> tuple[int, str]:
    """Plain ARNs first, then Fn::Subs, then Refs, each by its text: the order of their JSON."""
    if isinstance(resource, Ref):
        return 2, json.dumps(resource.name)
    if isinstance(resource, Sub):
        return 1, json.dumps(resource.text)
    return 0, json.dumps(resource)


def _policy_resource(value: Value) -> tuple[str, Value]:
    """The service and the policy resource of one `valueFrom`: a secret of the stack by its Ref, a
    secret outside it by name with the six characters AWS appends, a parameter by its exact ARN."""
    if isinstance(value, Ref):
        return "secretsmanager", value
    if not isinstance(value, str | Sub):
        raise TypeError(f"not a secret or parameter reference: {value!r}")
    template = value.text if isinstance(value, Sub) else value
    own = _OWN_SECRET.match(template)
    if own:
        return "secretsmanager", Ref(own.group(1))
    if ":ssm:" in template:
        return "ssm", value
    name = template.split(":secret:", 1)[1].split(":", 1)[0]
    arn = template.split(":secret:", 1)[0] + ":secret:" + name + "-??????"
    return "secretsmanager", Sub(arn) if isinstance(value, Sub) else arn


def task_role(mc: MapContext, nb: NamespaceBuild, wl: Workload) -> Linked:
    """The ServiceAccount's IRSA role if it has one, else one role per ServiceAccount, without permissions."""
    name = wl.pod.service_account or "default"
    account = mc.app.service_accounts.get((nb.namespace, name))
    mc.used.add(("ServiceAccount", nb.namespace, name))
    if account is not None and account.role_arn and _ROLE_ARN.match(account.role_arn):
        mc.report(account.origin, "K2E350", name=name, role=account.role_arn)
        return Linked(account.role_arn, account.role_arn)
    if account is not None and account.role_arn:  # e.g. an unrendered ${ROLE_ARN}: it would not deploy
        mc.report(account.origin, "K2E426", name=name, role=account.role_arn)
    if account is None and wl.pod.service_account and wl.pod.service_account != "default":
        mc.report(wl.pod.origin, "K2E351", workload=wl.meta.name, name=name)
    if name not in nb.task_roles:
        logical = nb.ids.get(f"{name}-sa", "TaskRole")
        meta = provenance(account.origin) if account is not None else Metadata()  # else: from the tasks that use it
        description = f"ECS task role of ServiceAccount {nb.namespace}/{name}"[:DESCRIPTION_LIMIT]
        nb.stack.add(Role(logical, metadata=meta, description=description))
        nb.task_roles[name] = logical
    return Linked(GetAtt(nb.task_roles[name], "Arn"), _arn_text(mc, f"{nb.namespace}-{name}-task"))
