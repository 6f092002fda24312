"""NEXT-STEPS.md: the deploy checklist rendered for people, from the same data the library returns."""

from __future__ import annotations

import re
import shlex

from translator.nextsteps.model import DEPLOY_STACK, NextSteps, Step, Variable

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_WITH_VARIABLES = re.compile(r"[A-Za-z0-9_@%+=:,./${}\[\]-]+")


def shell(argv: tuple[str, ...]) -> str:
    """The command as a POSIX shell line: `$NAME` arguments expand, everything else is quoted."""
    return " ".join(_word(arg) for arg in argv)


def _word(arg: str) -> str:
    if _PLAIN.fullmatch(arg):
        return arg
    if "$" in arg and _WITH_VARIABLES.fullmatch(arg):
        return f'"{arg}"'  # double quotes: the variables expand, braces and brackets stay literal
    return shlex.quote(arg)


def render(steps: NextSteps) -> str:
    lines = ["# Next steps: deploy to Amazon ECS", "",
             "Written by kube2ecs from the same input as the templates. Run the commands in order, with the AWS CLI v2, "
             "from this folder. Only names of secrets and parameters appear here, never a value.", ""]
    lines += _supplied([v for v in steps.variables if not v.command])
    number = 0
    for section in steps.sections:
        lines += [f"## {section.title}", "", section.intro, ""]
        for step in section.steps:
            number += 1
            lines += _step(number, step)
        if any(step.kind == DEPLOY_STACK for step in section.steps):
            lines += _read([v for v in steps.variables if v.command])
    if not steps.sections:
        lines += ["Nothing to deploy: no workload of the input was translated (see findings.json).", ""]
    if steps.notes:
        lines += ["## Not run by this checklist", "", "Hooks of other moments of a release:", ""]
        lines += [f"- {note}" for note in steps.notes] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _supplied(variables: list[Variable]) -> list[str]:
    if not variables:
        return []
    lines = ["## Values you supply", "", "Set these shell variables first (`export NAME=value`; a list is "
             "comma-separated):", "", "| variable | stack parameter | what it is |", "|---|---|---|"]
    return lines + [f"| `{v.name}` | {f'`{v.parameter}`' if v.parameter else '-'} | {v.meaning} |"
                    for v in variables] + [""]


def _read(variables: list[Variable]) -> list[str]:
    """Values that exist once the stacks do; the later steps use them."""
    if not variables:
        return []
    lines = ["## Values read from the deployed stacks", "",
             "Set these once the stacks above are deployed (`export NAME=$(command)`):", "",
             "| variable | what it is | command |", "|---|---|---|"]
    return lines + [f"| `{v.name}` | {v.meaning} | `{shell(v.command)}` |" for v in variables] + [""]


def _step(number: int, step: Step) -> list[str]:
    reads = [f"   {read.name}=$({shell(read.command)})" for read in step.reads]
    lines = [f"{number}. {step.title}.", "", "   ```sh", *reads, f"   {shell(step.command)}", "   ```", ""]
    if step.parameters:
        lines[1:1] = [""] + [f"   - `{p.name}` ({p.type}): {p.description}"
                             + (f" (default `{p.default}`)" if p.default is not None else "") for p in step.parameters]
    return lines
