"""Task definitions as `aws ecs register-task-definition --cli-input-json` input."""

from __future__ import annotations

import json
from typing import Any

from translator.model.ecs import TaskDefinition
from translator.render.values import text_value


def task_definition_input(td: TaskDefinition) -> dict[str, Any]:
    out: dict[str, Any] = {
        "family": td.family,
        "taskRoleArn": text_value(td.task_role),
        "executionRoleArn": text_value(td.execution_role),
        "networkMode": "awsvpc",
        "requiresCompatibilities": [td.compatibility],
        "cpu": str(td.cpu),
        "memory": str(td.memory),
        "containerDefinitions": text_value(td.containers),
    }
    if td.volumes:
        out["volumes"] = text_value(td.volumes)
    if td.pid_mode:
        out["pidMode"] = td.pid_mode
    if td.cpu_architecture:
        out["runtimePlatform"] = {"cpuArchitecture": td.cpu_architecture, "operatingSystemFamily": "LINUX"}
    if td.ephemeral_gib:
        out["ephemeralStorage"] = {"sizeInGiB": td.ephemeral_gib}
    out["tags"] = [{"key": t["Key"], "value": t["Value"]} for t in td.tags]
    return out


def render_task_definition(td: TaskDefinition) -> str:
    return json.dumps(task_definition_input(td), indent=2, ensure_ascii=False) + "\n"
