"""ECS Exec (`enable_execute_command`): the ECS answer to `kubectl exec`, off unless asked for.

The service gets `EnableExecuteCommand`, and the task role the four `ssmmessages` actions the ECS
Exec agent needs (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html). Those
actions have no resource types, only condition keys, so the statement's resource is `*`
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmessagegatewayservice.html):
the second documented exception of the least-privilege proof.
"""

from __future__ import annotations

from translator.mapping.context import MapContext, NamespaceBuild
from translator.model.app import Workload
from translator.model.ecs import Statement, TaskDefinition

ACTIONS = ("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
           "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel")
STATEMENT = Statement("Allow", ACTIONS, "*")


def enabled(mc: MapContext, nb: NamespaceBuild, wl: Workload, td: TaskDefinition) -> bool:
    """Whether the workload's service has ECS Exec on; grants its task role the channel actions."""
    if not mc.options.enable_execute_command:
        return False
    account = wl.pod.service_account or "default"
    role = nb.task_roles.get(account)
    if role is None:  # the ServiceAccount names a role of its own (IRSA), which the stack does not create
        known = mc.app.service_accounts.get((nb.namespace, account))
        mc.report(known.origin if known is not None else wl.pod.origin, "K2E388", workload=wl.meta.name,
                  role=known.role_arn if known is not None else account, actions=", ".join(ACTIONS))
    else:
        granted = nb.statements.setdefault(role, [])
        if STATEMENT not in granted:
            granted.append(STATEMENT)
    cluster = mc.options.cluster or f"<the cluster of stack {nb.namespace}>"
    container = next((c.name for c in td.containers if c.essential), td.containers[0].name)
    mc.report(wl.origin, "K2E387", service=td.family, command=(
        f"aws ecs execute-command --cluster {cluster} --task <task id> --container {container} "
        "--interactive --command /bin/sh"))
    return True
