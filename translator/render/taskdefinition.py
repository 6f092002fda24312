"""Task definitions as `aws ecs register-task-definition --cli-input-json` input."""

from __future__ import annotations

from typing import Any

from translator.model.ecs import TaskDefinition
from translator.render import encode, jsontext


def task_definition_input(td: TaskDefinition) -> dict[str, Any]:
    out: dict[str, Any] = {
        "family": td.family,
        "taskRoleArn": encode.api(td.task_role),
        "executionRoleArn": encode.api(td.execution_role),
        "networkMode": "awsvpc",
        "requiresCompatibilities": [td.compatibility],
        "cpu": str(td.cpu),
        "memory": str(td.memory),
        "containerDefinitions": encode.api(td.containers),
    }
    if td.volumes:
        out["volumes"] = encode.api(td.volumes)
    if td.pid_mode:
        out["pidMode"] = td.pid_mode
    if td.ipc_mode:
        out["ipcMode"] = td.ipc_mode
    if td.cpu_architecture:
        out["runtimePlatform"] = {"cpuArchitecture": td.cpu_architecture, "operatingSystemFamily": "LINUX"}
    if td.ephemeral_gib:
        out["ephemeralStorage"] = {"sizeInGiB": td.ephemeral_gib}
    out["tags"] = encode.api(td.tags)
    return out


def render_task_definition(td: TaskDefinition) -> str:
    return jsontext.dumps(task_definition_input(td)) + "\n"
