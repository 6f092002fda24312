"""CronJob -> EventBridge Scheduler schedule running the task on the cluster (mapping-reference 2.8 W4, 4.18).

The schedule's role may only run this task definition family on this cluster and pass this
task's two roles to ECS; nothing else. Two schedules are made when Kubernetes ORs the day fields
(mapping/batch/cron.py).
"""

from __future__ import annotations

from translator.mapping.batch import batch
from translator.mapping.batch.cron import to_eventbridge
from translator.mapping.context import MapContext, NamespaceBuild
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.task.workload import provenance
from translator.model import intrinsics
from translator.model.app import CronSchedule, Workload
from translator.model.ecs import Condition, Conditions, Role, Schedule, Statement, TaskDefinition
from translator.model.intrinsics import GetAtt, Sub, Value, sub_literal

_ECS_ARN = "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}"
DESCRIPTION_LIMIT = 512  # characters of a schedule's description
ROLE_DESCRIPTION_LIMIT = 1000


def cluster_arn(cluster: object) -> Value:
    """The cluster ARN the schedule targets: the stack's cluster, or the configured name or ARN."""
    if isinstance(cluster, str):
        return cluster if cluster.startswith("arn:") else Sub(f"{_ECS_ARN}:cluster/{sub_literal(cluster)}")
    if isinstance(cluster, intrinsics.Ref):
        return GetAtt(cluster.name, "Arn")
    raise TypeError(f"not a cluster: {cluster!r}")


def map_schedule(mc: MapContext, nb: NamespaceBuild, wl: Workload, td: TaskDefinition, cluster: object,
                 count: int, own: batch.scheduling.Strategy = ()) -> None:
    cron = wl.cron or CronSchedule("")
    name = wl.meta.name
    conversion = to_eventbridge(cron.schedule)
    if conversion.error:
        mc.report(cron.origin, "K2E420", name=name, schedule=cron.schedule, detail=conversion.error)
        return
    target = cluster_arn(cluster)
    role = _role(nb, wl, td, target)
    timezone = cron.time_zone or conversion.timezone
    if not timezone:
        mc.report(cron.origin, "K2E422", name=name)
    launch, strategy = batch.launch_settings(mc)
    strategy = own or strategy  # a task that needs devices names its providers (Managed Instances)
    max_event_age = _retry_window(mc, wl, cron)
    for index, expression in enumerate(conversion.expressions):
        nb.stack.add(Schedule(
            nb.ids.get(name, "Schedule" if index == 0 else "WeekdaySchedule"), metadata=provenance(wl),
            description=f"CronJob {wl.meta.namespace}/{name}: {cron.schedule}"[:DESCRIPTION_LIMIT],
            expression=expression, timezone=timezone, state="DISABLED" if cron.suspend else "ENABLED",
            cluster_arn=target, role_arn=GetAtt(role, "Arn"), task_definition_arn=intrinsics.Ref(td.logical_id),
            task_count=count, launch_type=launch, platform_version="LATEST" if launch == "FARGATE" else "",
            capacity_strategy=None if launch or not strategy else strategy, subnets=intrinsics.Ref("Subnets"),
            security_groups=(GetAtt(SERVICES_SG, "GroupId"),),
            assign_public_ip="ENABLED" if mc.options.assign_public_ip else "DISABLED", max_event_age=max_event_age))
    shown = " and ".join(conversion.expressions) + (f" in time zone {timezone}" if timezone else " (UTC)")
    mc.report(cron.origin, "K2E418", name=name, schedule=cron.schedule, expressions=shown)
    if conversion.either_day:
        mc.report(cron.origin, "K2E419", name=name, schedule=cron.schedule)
    if conversion.interval:
        mc.report(cron.origin, "K2E421", name=name, schedule=cron.schedule, expression=conversion.expressions[0])


_EVENT_AGE = (60, 86400)  # the Scheduler's bounds for MaximumEventAgeInSeconds


def _retry_window(mc: MapContext, wl: Workload, cron: CronSchedule) -> int | None:
    """startingDeadlineSeconds bounds how late a job may start; the Scheduler's nearest setting is how
    long it retries a start that failed (no capacity, throttling), within 60 s to a day."""
    if cron.starting_deadline is None:
        return None
    age = min(max(cron.starting_deadline, _EVENT_AGE[0]), _EVENT_AGE[1])
    mc.report(cron.deadline_origin, "K2E428", name=wl.meta.name, seconds=cron.starting_deadline, age=age)
    return age


def _role(nb: NamespaceBuild, wl: Workload, td: TaskDefinition, cluster: Value) -> str:
    """ecs:RunTask on the family (any revision) on this cluster, and iam:PassRole on the task's roles only."""
    roles = tuple(_role_arn(r.cfn) for r in (td.execution_role, td.task_role) if r is not None)
    statements = (
        Statement("Allow", ("ecs:RunTask",), (Sub(f"{_ECS_ARN}:task-definition/{sub_literal(td.family)}:*"),),
                  Conditions((Condition("ArnEquals", "ecs:cluster", cluster),))),
        Statement("Allow", ("iam:PassRole",), roles,
                  Conditions((Condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com"),))),
    )
    logical = nb.ids.get(wl.meta.name, "SchedulerRole")
    description = f"EventBridge Scheduler role that runs CronJob {wl.meta.namespace}/{wl.meta.name}"
    nb.stack.add(Role(logical, metadata=provenance(wl), principal="scheduler.amazonaws.com", statements=statements,
                      description=description[:ROLE_DESCRIPTION_LIMIT]))
    return logical


def _role_arn(value: object) -> Value:
    """A task role's ARN: the configured ARN, or the GetAtt of a role of the stack."""
    if isinstance(value, str | GetAtt):
        return value
    raise TypeError(f"not a role ARN: {value!r}")
