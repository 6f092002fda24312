"""The deploy checklist as data: what the library returns and what NEXT-STEPS.md is rendered from.

A tree of frozen dataclasses holding only names, commands and references, never a value of a
secret, so that it can be serialised to JSON as is and followed by a program as well as read. A
command is an argument list; `$NAME` in an argument is a variable of `NextSteps.variables`, which
says where its value comes from (a value the user supplies, or a resource of a deployed stack).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from translator.model.record import record
from translator.render import jsontext

# Step kinds, in the order a first deploy goes through them.
CREATE_SECRET = "create-secret"  # a Secrets Manager secret the templates refer to but do not create
PUT_PARAMETER = "put-parameter"  # an SSM SecureString parameter (CloudFormation cannot create one)
DEPLOY_STACK = "deploy-stack"
FILL_SECRET = "fill-secret"  # a secret a stack created with its keys empty
RUN_TASK = "run-task"  # a Job or run-once Pod, with `when` saying before or after the deploy
RESTART_SERVICE = "restart-service"  # services started before their secrets or a hook Job were ready
CONTINUE_DEPLOYMENT = "continue-deployment"  # a deployment held at a PAUSE hook: continue it (or roll back)
WAIT_SERVICES = "wait-services"
DESCRIBE_SERVICES = "describe-services"
TARGET_HEALTH = "target-health"


@record
class Variable:
    """A shell variable the commands use: a value the user supplies (`parameter`), or the physical
    id of a resource of a deployed stack (`stack`, `logical_id`), read with `command`."""

    name: str
    meaning: str
    parameter: str = ""
    stack: str = ""
    logical_id: str = ""
    command: tuple[str, ...] = ()


@record
class StackParameter:
    name: str
    type: str
    description: str
    default: str | None = None
    variable: str = ""  # the variable passed for it; '' when its default is used


@record
class Read:
    """A value the step's command needs that exists only at that moment (a deployment in progress):
    `name` is set from the output of `command` just before the step's command runs."""

    name: str
    command: tuple[str, ...]


@record
class Step:
    """One command of the checklist; which fields are set depends on `kind` (see the constants)."""

    kind: str
    title: str
    command: tuple[str, ...]
    stack: str = ""  # the CloudFormation stack the step is about
    name: str = ""  # the secret, parameter, task family or service the step is about
    keys: tuple[str, ...] = ()  # the keys of a secret (never their values)
    template: str = ""  # deploy-stack: the template, relative to OUT
    parameters: tuple[StackParameter, ...] = ()  # deploy-stack
    when: str = ""  # run-task: "before" or "after" deploying, or the moment a hook names
    services: tuple[str, ...] = ()  # restart, wait, describe and continue steps: ECS service names
    reads: tuple[Read, ...] = ()  # continue-deployment: values read right before the command
    note: str = ""


@record
class Section:
    title: str
    intro: str
    steps: tuple[Step, ...]


@record
class NextSteps:
    """The checklist: sections in the order to follow them, and the variables their commands use."""

    variables: tuple[Variable, ...] = ()
    sections: tuple[Section, ...] = ()
    notes: tuple[str, ...] = ()  # what the checklist does not run for you (hooks of other moments)

    def steps(self) -> list[Step]:
        return [step for section in self.sections for step in section.steps]

    def as_dict(self) -> dict[str, Any]:
        return {"version": 1, **dataclasses.asdict(self)}

    def to_json(self) -> str:
        return jsontext.dumps(self.as_dict()) + "\n"
