"""Build the deploy checklist from the stacks a translation produced and the model they came from.

Everything is read from the ECS model: the secrets and SecureString parameters from the references
of the task definitions (a reference's plain-text form names the secret, never a value), the stack
parameters from each stack's Parameters, the order from its imports and exports, the Jobs from the
application model (with their Helm or Argo CD hook), the checks from the services and their target
groups. The commands are those of the AWS CLI v2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from translator.mapping.batch.batch import task_count
from translator.mapping.batch.hooks import AFTER, BEFORE, timing
from translator.mapping.context import MapContext
from translator.mapping.network.alb import SERVICES_SG
from translator.mapping.service.scheduling import launch_settings
from translator.model import intrinsics
from translator.model.app import Batch, Workload
from translator.model.ecs import EcsService, Role, SecretsManagerSecret, SsmParameter, Stack, TaskDefinition
from translator.model.record import record
from translator.nextsteps import model as m
from translator.nextsteps.order import deploy_order, exports_of

INLINE_TEMPLATE_BYTES = 51_200  # a larger template is deployed through an S3 bucket (--s3-bucket)
WAIT_BATCH = 10  # DescribeServices, which the services-stable waiter calls, takes at most 10 services
_STACK_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]{0,127}")


@record
class Placed:
    """A stack (or part of one) and the template written for it, relative to OUT."""

    stack: Stack
    template: str
    size: int  # bytes of the template
    imports: frozenset[str] = frozenset()  # export names the rendered template imports (a split part's)


@dataclass
class _Secrets:
    """What the task definitions read: Secrets Manager secrets (name -> keys) and SSM parameters."""

    secrets: dict[str, set[str]] = field(default_factory=dict)
    parameters: set[str] = field(default_factory=set)


class _Builder:
    def __init__(self, mc: MapContext, placed: Sequence[Placed]) -> None:
        self.mc = mc
        # the rendered text holds every import, the model's own and those a split wrote between parts;
        # reading it costs a regex per template, where walking the model visited every value of every resource
        imports = [set(p.imports) for p in placed]
        order = deploy_order([p.stack for p in placed], imports)
        self.placed = [placed[i] for i in order]
        self.imports = [imports[i] for i in order]
        self.names = _stack_names([p.stack.name for p in self.placed])
        self.exporter = {name: i for i, p in enumerate(self.placed) for name in exports_of(p.stack)}
        self.variables: dict[str, m.Variable] = {}
        self._keys: dict[tuple[Any, ...], str] = {}
        # Indexes built once: a repository of manifests has thousands of workloads.
        self.tasks: dict[tuple[int, str], TaskDefinition] = {
            (at, r.logical_id): r for at, p in enumerate(self.placed) for r in p.stack.resources
            if isinstance(r, TaskDefinition)}
        self.task_of_workload = {(td.namespace, td.name): (at, td) for (at, _), td in reversed(self.tasks.items())}

    # --- variables -------------------------------------------------------------------------
    def _variable(self, key: tuple[Any, ...], base: str, make: Any) -> str:
        if key not in self._keys:
            name, n = base, 1
            while name in self.variables:
                n += 1
                name = f"{base}_{n}"
            self.variables[name] = make(name)
            self._keys[key] = name
        return "$" + self._keys[key]

    def parameter_var(self, name: str, meaning: str) -> str:
        return self._variable(("parameter", name), _snake(name), lambda v: m.Variable(v, meaning, parameter=name))

    def resource_var(self, at: int, logical: str, base: str, meaning: str) -> str:
        stack = self.names[at]
        command = ("aws", "cloudformation", "describe-stack-resource", "--stack-name", stack, "--logical-resource-id",
                   logical, "--query", "StackResourceDetail.PhysicalResourceId", "--output", "text")
        return self._variable(("resource", at, logical), base,
                              lambda v: m.Variable(v, meaning, stack=stack, logical_id=logical, command=command))

    def locate(self, value: Any, at: int) -> tuple[int, str] | None:
        """(stack index, logical id) of the resource a `Ref` or an imported `Ref` names."""
        if isinstance(value, intrinsics.Ref):
            return self.holder(at, value.name)
        if isinstance(value, intrinsics.ImportValue) and isinstance(value.name, str) and value.name in self.exporter:
            where = self.exporter[value.name]
            output = next(o for _, o in self.placed[where].stack.outputs if o.export == value.name)
            return self.locate(output.value, where)
        return None

    def holder(self, at: int, logical: str) -> tuple[int, str]:
        """The stack that holds `logical`, which stack `at` refers to: itself, or for a part of a split
        namespace the earlier part it imports the resource from (the import is in the text only)."""
        stack = self.placed[at].stack
        return (at, logical) if stack.has(logical) else (self.find(stack.namespace, logical) or (at, logical))

    def cluster_of(self, value: Any, at: int, namespace: str) -> str:
        if isinstance(value, str):
            return value  # an existing cluster named in kube2ecs.yaml
        found = self.holder(at, value.name) if isinstance(value, intrinsics.Ref) else self.locate(value, at) or self.find(namespace, "Cluster")
        if found is None:
            return "$CLUSTER"
        return self.resource_var(*found, base=f"CLUSTER_{_snake(namespace)}",
                                 meaning=f"the ECS cluster of namespace {namespace}")

    def find(self, namespace: str, logical: str) -> tuple[int, str] | None:
        for i, p in enumerate(self.placed):
            if p.stack.namespace == namespace and p.stack.has(logical):
                return i, logical
        return None

    # --- sections --------------------------------------------------------------------------
    def build(self) -> m.NextSteps:
        used = self._read()
        created = {r.name for p in self.placed for r in p.stack.resources if isinstance(r, SecretsManagerSecret)}
        stored = {r.name for p in self.placed for r in p.stack.resources if isinstance(r, SsmParameter)}
        before = [*self._create_secrets(used, created), *self._put_parameters(used, stored)]
        deploys = [self._deploy(i) for i in range(len(self.placed))]
        fills = list(self._fill_secrets())
        jobs, notes = self._jobs()
        early = [j for j in jobs if j.when == "before"]
        restarts = list(self._restarts({s.name for s in fills}, {j.stack for j in early}))
        waits, describes, health = self._checks()
        paused = list(self._paused())
        sections = [
            m.Section("Create the secrets and parameters the stacks read",
                      "The templates refer to these but cannot create them. Write each value into the file named, "
                      "run the command, then delete the file; a parameter file holds the value alone, without a "
                      "trailing newline (printf '%s' ...).", tuple(before)),
            m.Section("Deploy the stacks",
                      "In this order: a stack that imports values another exports comes after it. Run from this "
                      "folder, with the variables of the table above set.", tuple(deploys)),
            m.Section("Continue the deployments that wait for you",
                      "These services hold every deployment at a pause before production traffic moves to the new "
                      "revision (a Rollout without auto-promotion, a manual gate), and `aws cloudformation deploy` "
                      "keeps waiting meanwhile. From another shell, check the new revision, then continue it; "
                      "`--action ROLLBACK` returns to the previous one. The same holds for every later deploy.",
                      tuple(paused)),
            m.Section("Fill the secrets the stacks created",
                      "The stacks create these with their keys empty (kube2ecs never copies a value): a JSON object "
                      "with exactly the keys named, each with its value, in the file named.", tuple(fills)),
            m.Section("Run the Jobs that must run before the services",
                      "A Helm or Argo CD hook runs these before the release. On this first deploy the stacks create "
                      "their task definitions and cluster, so run them now and restart the services below; on later "
                      "deploys run them before `aws cloudformation deploy`. Wait for each to stop with exit code 0 "
                      "(aws ecs wait tasks-stopped, aws ecs describe-tasks).", tuple(early)),
            m.Section("Restart the services that started too early",
                      "Their tasks started before the secrets were filled or the Jobs above had run.",
                      tuple(restarts)),
            m.Section("Wait for the services to be stable", "Each command returns once the running count of every "
                      "service named equals its desired count (or fails after 10 minutes).", tuple(waits)),
            m.Section("Run the Jobs that run after deploying",
                      "Kubernetes starts a Job when it is applied (or, for a hook, after the release); ECS starts a "
                      "task definition only when asked.", tuple(j for j in jobs if j.when == "after")),
            m.Section("Check the services and their load balancers", "Every service should show its desired count "
                      "running, and every target `healthy`.", (*describes, *health)),
        ]
        return m.NextSteps(tuple(self.variables.values()), tuple(s for s in sections if s.steps), tuple(notes))

    def _read(self) -> _Secrets:
        used = _Secrets()
        for p in self.placed:
            for resource in p.stack.resources:
                if isinstance(resource, TaskDefinition):
                    _collect(resource, used)
        return used

    def _create_secrets(self, used: _Secrets, created: set[str]) -> Iterator[m.Step]:
        for name in sorted(set(used.secrets) - created):
            keys = tuple(sorted(used.secrets[name]))
            file = _file(name, ".json")
            yield m.Step(m.CREATE_SECRET, f"Create Secrets Manager secret {name}: a JSON object with {_keys(keys)} "
                         f"in {file}",
                         ("aws", "secretsmanager", "create-secret", "--name", name, "--secret-string", f"file://{file}"),
                         name=name, keys=keys)

    def _put_parameters(self, used: _Secrets, stored: set[str]) -> Iterator[m.Step]:
        for name in sorted(used.parameters - stored):
            file = _file(name, ".txt")
            yield m.Step(m.PUT_PARAMETER, f"Create SSM SecureString parameter {name}: its value in {file}",
                         ("aws", "ssm", "put-parameter", "--type", "SecureString", "--name", name,
                          "--value", f"file://{file}"), name=name)

    def _deploy(self, at: int) -> m.Step:
        placed, stack_name = self.placed[at], self.names[at]
        stack = placed.stack
        parameters = tuple(
            m.StackParameter(p.name, p.type, p.description, p.default,
                             "" if p.default is not None else self.parameter_var(p.name, p.description)[1:])
            for p in sorted(stack.parameters, key=lambda p: p.name))
        argv = ["aws", "cloudformation", "deploy", "--stack-name", stack_name, "--template-file", placed.template]
        if placed.size > INLINE_TEMPLATE_BYTES:
            argv += ["--s3-bucket", self.parameter_var(
                "", "an S3 bucket of the region for the templates over 51,200 bytes (aws cloudformation deploy "
                    "uploads them there)")]
        roles = [r for r in stack.resources if isinstance(r, Role)]
        if roles:  # a role with a RoleName (the Managed Instances instance role) needs the named capability
            argv += ["--capabilities", "CAPABILITY_NAMED_IAM" if any(r.role_name for r in roles) else "CAPABILITY_IAM"]
        overrides = [f"{p.name}=${p.variable}" for p in parameters if p.variable]
        if overrides:
            argv += ["--parameter-overrides", *overrides]
        after = sorted({self.names[self.exporter[n]] for n in self.imports[at] if n in self.exporter} - {stack_name})
        title = f"Deploy stack {stack_name} from {placed.template}"
        title += f", after {', '.join(after)} whose exports it imports" if after else ""
        return m.Step(m.DEPLOY_STACK, title, tuple(argv), stack=stack_name, template=placed.template,
                      parameters=parameters)

    def _fill_secrets(self) -> Iterator[m.Step]:
        for at, p in enumerate(self.placed):
            for secret in sorted((r for r in p.stack.resources if isinstance(r, SecretsManagerSecret)),
                                 key=lambda r: r.name):
                if not secret.keys:
                    continue  # a Secret without data: nothing to fill
                keys = tuple(sorted(secret.keys))
                file = _file(secret.name, ".json")
                yield m.Step(m.FILL_SECRET, f"Fill secret {secret.name} of stack {self.names[at]}: a JSON object "
                             f"with {_keys(keys)} in {file}",
                             ("aws", "secretsmanager", "put-secret-value", "--secret-id", secret.name,
                              "--secret-string", f"file://{file}"), stack=self.names[at], name=secret.name, keys=keys)

    def _jobs(self) -> tuple[list[m.Step], list[str]]:
        steps: list[tuple[int, str, m.Step]] = []
        notes = []
        for wl in self.mc.app.workloads:
            if wl.run == "service" or wl.cron is not None:
                continue
            found = self.task_of_workload.get(wl.meta.key)
            if found is None:
                continue
            at, td = found
            hook = timing(self.mc.app, wl)
            when = "after" if hook is None or hook[2] == AFTER else "before" if hook[2] == BEFORE else ""
            what = f"{wl.kind} {wl.meta.namespace}/{wl.meta.name}"
            if hook is not None:
                what += f" ({hook[0]} hook {hook[1]})"
            if not when:
                assert hook is not None
                notes.append(f"{what}: run it {hook[2]}: {_shell(self._run_task(at, td, wl))}")
                continue
            step = m.Step(m.RUN_TASK, f"Run {what}: task definition {td.family}", self._run_task(at, td, wl),
                          stack=self.names[at], name=td.family, when=when)
            steps.append((at, wl.meta.name, step))
        return [s for _, _, s in sorted(steps, key=lambda t: (t[0], t[1]))], sorted(notes)

    def _run_task(self, at: int, td: TaskDefinition, wl: Workload) -> tuple[str, ...]:
        namespace = wl.meta.namespace
        cluster = self.mc.options.cluster or self.cluster_of(None, at, namespace)
        group = self.find(namespace, SERVICES_SG)
        sg = self.resource_var(*group, base=f"SECURITY_GROUP_{_snake(namespace)}",
                               meaning=f"the security group of the tasks of namespace {namespace}") if group else ""
        subnets = self.parameter_var("Subnets", "Subnets of the tasks")
        launch, strategy = launch_settings(self.mc)
        where = (["--launch-type", launch] + (["--platform-version", "LATEST"] if launch == "FARGATE" else [])
                 if launch else ["--capacity-provider-strategy", *(
                     f"capacityProvider={s.capacity_provider},weight={s.weight},base={s.base}" for s in strategy)])
        public = "ENABLED" if self.mc.options.assign_public_ip else "DISABLED"
        network = f"awsvpcConfiguration={{subnets=[{subnets}],securityGroups=[{sg}],assignPublicIp={public}}}"
        count = task_count(wl.batch or Batch())
        return ("aws", "ecs", "run-task", "--cluster", cluster, "--task-definition", td.family, "--count", str(count),
                *where, "--network-configuration", network)

    def _services(self) -> Iterator[tuple[int, EcsService, str]]:
        """(stack index, service, cluster) of every service, in deploy order."""
        for at, p in enumerate(self.placed):
            for service in sorted((r for r in p.stack.resources if isinstance(r, EcsService)),
                                  key=lambda s: s.service_name):
                yield at, service, self.cluster_of(service.cluster, at, p.stack.namespace)

    def _restarts(self, filled: set[str], early: set[str]) -> Iterator[m.Step]:
        waiting = {self.placed[i].stack.namespace for i, name in enumerate(self.names) if name in early}
        for at, service, cluster in self._services():
            td = self.tasks.get((at, service.task_definition.name))
            reads = sorted(set(_read_of(td).secrets) & filled) if td else []
            namespace_jobs = self.placed[at].stack.namespace in waiting
            if not reads and not namespace_jobs:
                continue
            why = f"it reads {', '.join(reads)}" if reads else "the Jobs of its namespace had not run"
            yield m.Step(m.RESTART_SERVICE, f"Restart service {service.service_name}: {why}",
                         ("aws", "ecs", "update-service", "--cluster", cluster, "--service", service.service_name,
                          "--force-new-deployment"), stack=self.names[at], services=(service.service_name,))

    def _paused(self) -> Iterator[m.Step]:
        """Services whose deployments pause until someone calls ContinueServiceDeployment (no timeout)."""
        for at, service, cluster in self._services():
            hooks = service.deployment.lifecycle_hooks if service.deployment else ()
            stages = sorted({s for h in hooks if h.timeout_configuration is None for s in h.lifecycle_stages})
            if not stages:
                continue
            name = service.service_name
            reads = (m.Read("DEPLOYMENT_ARN", ("aws", "ecs", "list-service-deployments", "--cluster", cluster,
                                               "--service", name, "--status", "IN_PROGRESS", "--query",
                                               "serviceDeployments[0].serviceDeploymentArn", "--output", "text")),
                     m.Read("HOOK_ID", ("aws", "ecs", "describe-service-deployments", "--service-deployment-arns",
                                        "$DEPLOYMENT_ARN", "--query", "serviceDeployments[0].lifecycleHookDetails"
                                        "[?status==`\"AWAITING_ACTION\"`].hookId", "--output", "text")))
            yield m.Step(m.CONTINUE_DEPLOYMENT, f"Continue the deployment of service {name} paused at "
                         f"{', '.join(stages)}", ("aws", "ecs", "continue-service-deployment", "--service-deployment-arn",
                                                 "$DEPLOYMENT_ARN", "--hook-id", "$HOOK_ID", "--action", "CONTINUE"),
                         stack=self.names[at], services=(name,), reads=reads)

    def _checks(self) -> tuple[list[m.Step], list[m.Step], list[m.Step]]:
        by_cluster: dict[str, list[tuple[int, str]]] = {}
        health = []
        for at, service, cluster in self._services():
            by_cluster.setdefault(cluster, []).append((at, service.service_name))
            for group in sorted({lb.target_group_arn.name for lb in service.load_balancers}):
                arn = self.resource_var(*self.holder(at, group), base=_snake(group),
                                        meaning=f"the ARN of target group {group}")
                health.append(m.Step(m.TARGET_HEALTH, f"Check the targets of service {service.service_name} in "
                                     f"target group {group} are healthy",
                                     ("aws", "elbv2", "describe-target-health", "--target-group-arn", arn, "--query",
                                      "TargetHealthDescriptions[].[Target.Id,TargetHealth.State]", "--output", "text"),
                                     stack=self.names[at], name=group, services=(service.service_name,)))
        waits, describes = [], []
        for cluster, members in by_cluster.items():
            for start in range(0, len(members), WAIT_BATCH):
                chunk = members[start:start + WAIT_BATCH]
                names = tuple(name for _, name in chunk)
                stack = self.names[chunk[0][0]]
                waits.append(m.Step(m.WAIT_SERVICES, f"Wait for {', '.join(names)}",
                                    ("aws", "ecs", "wait", "services-stable", "--cluster", cluster, "--services", *names),
                                    stack=stack, services=names))
                describes.append(m.Step(m.DESCRIBE_SERVICES, f"Show the running and desired tasks of {', '.join(names)}",
                                        ("aws", "ecs", "describe-services", "--cluster", cluster, "--services", *names,
                                         "--query", "services[].[serviceName,status,runningCount,desiredCount]",
                                         "--output", "text"), stack=stack, services=names))
        return waits, describes, health


def next_steps(mc: MapContext, placed: Sequence[Placed]) -> m.NextSteps:
    """The checklist for the stacks of a translation, in the order they were produced."""
    return _Builder(mc, placed).build()


def _collect(td: TaskDefinition, used: _Secrets) -> None:
    for c in td.containers:
        for secret in c.secrets or ():
            _classify(secret.value_from.text, used)
        if c.repository_credentials is not None:
            _classify(c.repository_credentials.credentials_parameter.text, used)


def _read_of(td: TaskDefinition) -> _Secrets:
    used = _Secrets()
    _collect(td, used)
    return used


def _classify(text: str, used: _Secrets) -> None:
    """A reference's plain-text ARN: `...:secret:<name>:<key>::`, `...:secret:<name>` (the whole secret,
    for repository credentials), or `...:parameter/<name>`."""
    if ":secretsmanager:" in text and ":secret:" in text:
        rest = text.split(":secret:", 1)[1]
        if rest.endswith("::"):
            name, _, key = rest[:-2].rpartition(":")
            used.secrets.setdefault(name, set()).add(key)
        else:
            used.secrets.setdefault(rest, set()).update(("password", "username"))
    elif ":ssm:" in text and ":parameter/" in text:
        used.parameters.add("/" + text.split(":parameter/", 1)[1])


def _stack_names(parts: list[str]) -> list[str]:
    """CloudFormation stack names (a letter first), one per part, unique."""
    names: list[str] = []
    for part in parts:
        base = part if _STACK_NAME.fullmatch(part) else f"k8s-{part}"[:128]
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}-x{n}"
        names.append(name)
    return names


def _snake(name: str) -> str:
    """`LoadBalancerSubnets` -> `LOAD_BALANCER_SUBNETS`, `web-api` -> `WEB_API`: a shell variable name."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()
    text = re.sub(r"[^A-Z0-9_]", "_", text) or "TEMPLATE_BUCKET"
    return text if text[0].isalpha() else f"V_{text}"


def _keys(keys: tuple[str, ...]) -> str:
    return f"the key {keys[0]}" if len(keys) == 1 else f"the keys {', '.join(keys)}"


def _file(name: str, suffix: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + suffix


def _shell(argv: tuple[str, ...]) -> str:
    from translator.nextsteps.markdown import shell

    return shell(argv)
