"""Jobs, CronJobs and run-once Pods: a task definition that something starts (mapping-reference 2.8, W3, W7).

CloudFormation has no "run once" resource, so a Job (or a Pod with restartPolicy Never/OnFailure)
becomes its task definition plus a finding with the exact `aws ecs run-task` command; a CronJob's
task is started by an EventBridge Scheduler schedule instead (mapping/batch/schedule.py). What ECS does not
count (completions, retries) is reported; parallelism becomes the number of tasks per start.
"""

from __future__ import annotations

from translator.mapping.batch.hooks import timing
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.service import scheduling
from translator.mapping.service.scaling import cluster_name as cluster_ref
from translator.mapping.task.workload import map_task
from translator.model.app import Batch, Workload
from translator.model.ecs import Output, TaskDefinition
from translator.model.intrinsics import GetAtt, Ref

MAX_TASKS_PER_RUN = 10  # RunTask's count, and the Scheduler's TaskCount, stop at 10


def launch_settings(mc: MapContext) -> tuple[str, scheduling.Strategy]:
    """(launch type, capacity-provider strategy), as the ECS services of the stack get them."""
    return scheduling.launch_settings(mc)


def task_count(batch: Batch) -> int:
    """Tasks per start: the pods Kubernetes runs at once, at most 10."""
    parallel = 1 if batch.parallelism is None else batch.parallelism
    wanted = min(parallel, batch.completions) if batch.completions is not None else parallel
    return min(max(wanted, 1), MAX_TASKS_PER_RUN)


def map_batch(mc: MapContext, nb: NamespaceBuild, wl: Workload, cluster: object,
              strategy: scheduling.Strategy = ()) -> tuple[TaskDefinition, int]:
    """The task definition and the tasks per start; without a schedule, the run-task command to start it.
    `strategy`: the capacity providers of a task that needs devices (Managed Instances), named by the command
    through stack outputs, as CloudFormation names the providers."""
    td = map_task(mc, nb, wl, {})
    batch = wl.batch or Batch()
    count = task_count(batch)
    _report_runs(mc, wl, batch, count)
    if wl.cron is not None:
        return td, count
    for item in strategy:
        if isinstance(item.capacity_provider, Ref):
            nb.stack.outputs[f"{item.capacity_provider.name}Name"] = Output(item.capacity_provider)
    command, variables = run_task_command(mc, td, count, strategy)
    run = f"{command} ({variables})" if variables else command
    hook = timing(mc.app, wl)
    if hook is None:
        mc.report(wl.origin, "K2E415", kind=wl.kind, name=wl.meta.name, family=td.family, command=run)
    else:  # one problem, one finding: the hook's timing says when to run the same command K2E415 gives
        tool, hooks, when = hook
        mc.report(wl.origin, "K2E429", kind=wl.kind, name=wl.meta.name, tool=tool, hooks=hooks, when=when, command=run)
    if not mc.options.cluster:
        nb.stack.outputs["ClusterName"] = Output(cluster_ref(cluster))
    nb.stack.outputs["TaskSecurityGroup"] = Output(GetAtt(SERVICES_SG, "GroupId"))
    return td, count


def run_task_command(mc: MapContext, td: TaskDefinition, count: int,
                     own: scheduling.Strategy = ()) -> tuple[str, str]:
    """(the command, what its shell variables stand for); `own`: the task's own providers (stack outputs)."""
    launch, strategy = launch_settings(mc)
    if own:
        return _run_on_providers(mc, td, count, own)
    platform = " --platform-version LATEST" if launch == "FARGATE" else ""
    where = (f"--launch-type {launch}{platform}" if launch else "--capacity-provider-strategy "
             + " ".join(f"capacityProvider={s.capacity_provider},weight={s.weight},base={s.base}" for s in strategy))
    if not launch and not strategy:  # Managed Instances: the cluster's default provider strategy
        where = ""
    public = "ENABLED" if mc.options.assign_public_ip else "DISABLED"
    cluster = mc.options.cluster or "$CLUSTER"
    command = (f"aws ecs run-task --cluster {cluster} --task-definition {td.family} --count {count} {where + ' ' if where else ''}"
               f"--network-configuration \"awsvpcConfiguration={{subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP],"
               f"assignPublicIp={public}}}\"")
    variables = "SUBNETS: the task subnets, comma-separated; SECURITY_GROUP: the stack output TaskSecurityGroup"
    if not mc.options.cluster:
        variables = "CLUSTER: the stack output ClusterName; " + variables
    return command, variables


def _run_on_providers(mc: MapContext, td: TaskDefinition, count: int, own: scheduling.Strategy) -> tuple[str, str]:
    """The run-task command over providers CloudFormation named: each one's name is a stack output."""
    names = [item.capacity_provider.name if isinstance(item.capacity_provider, Ref) else str(item.capacity_provider)
             for item in own]
    where = "--capacity-provider-strategy " + " ".join(
        f"capacityProvider=$PROVIDER_{i},weight={item.weight},base={item.base}" for i, item in enumerate(own, 1))
    public = "ENABLED" if mc.options.assign_public_ip else "DISABLED"
    cluster = mc.options.cluster or "$CLUSTER"
    command = (f"aws ecs run-task --cluster {cluster} --task-definition {td.family} --count {count} {where} "
               f"--network-configuration \"awsvpcConfiguration={{subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP],"
               f"assignPublicIp={public}}}\"")
    variables = "; ".join(f"PROVIDER_{i}: the stack output {name}Name" for i, name in enumerate(names, 1))
    variables += "; SUBNETS: the task subnets, comma-separated; SECURITY_GROUP: the stack output TaskSecurityGroup"
    if not mc.options.cluster:
        variables = "CLUSTER: the stack output ClusterName; " + variables
    return command, variables


def _report_runs(mc: MapContext, wl: Workload, batch: Batch, count: int) -> None:
    completions, parallelism = batch.completions, batch.parallelism
    if (completions or 1) > 1 or (parallelism or 1) > 1:
        shown = str(completions) if completions is not None else "one (work queue: the first success ends it)"
        mc.report(batch.origin, "K2E416", name=wl.meta.name, completions=shown,
                  parallelism=1 if parallelism is None else parallelism, count=count)
    if batch.backoff_limit is None:  # a bare Pod: OnFailure restarts the container in place, for ever
        if batch.restart_policy == "OnFailure":
            mc.report(batch.origin, "K2E417", kind=wl.kind, name=wl.meta.name, attempts="as needed",
                      detail="restartPolicy OnFailure restarts the container until it succeeds")
        return
    if batch.backoff_limit > 0:
        mc.report(batch.origin, "K2E417", kind=wl.kind, name=wl.meta.name, attempts=batch.backoff_limit,
                  detail=f"backoffLimit {batch.backoff_limit}, restartPolicy {batch.restart_policy}")
