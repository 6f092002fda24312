"""The order to deploy stacks in: each after every stack whose exports it imports.

Read from the references themselves (Fn::ImportValue in a stack's resources, Export in another's
Outputs), not from the file names, so the order holds however stacks are split or named. Stacks
that do not depend on each other keep the order they were produced in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

from translator.model.ecs import Stack


def imports_of(stack: Stack) -> set[str]:
    """Every export name the resources of `stack` import."""
    return {name for name in _imported(stack.resources)}


def exports_of(stack: Stack) -> set[str]:
    return {out.export for _, out in stack.outputs if out.export}


def deploy_order(stacks: Sequence[Stack], imports: Sequence[set[str]] | None = None) -> list[int]:
    """Indexes of `stacks` in deploy order; `imports` are those of each stack when already known.

    An import no stack exports names something outside the output and constrains nothing; stacks in
    a cycle (which no deploy order satisfies) come last."""
    imported = imports if imports is not None else [imports_of(stack) for stack in stacks]
    exporter = {name: i for i, stack in enumerate(stacks) for name in exports_of(stack)}
    needs = [{exporter[n] for n in imported[i] if n in exporter} - {i} for i in range(len(stacks))]
    done: list[int] = []
    pending = list(range(len(stacks)))
    while pending:
        ready = next((i for i in pending if needs[i] <= set(done)), None)
        if ready is None:
            done.extend(pending)
            break
        done.append(ready)
        pending.remove(ready)
    return done


def _imported(value: Any) -> Iterator[str]:
    pending: list[Any] = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if set(node) == {"Fn::ImportValue"} and isinstance(node["Fn::ImportValue"], str):
                yield node["Fn::ImportValue"]
                continue
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            pending.extend(getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "metadata")
