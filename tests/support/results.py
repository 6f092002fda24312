"""Running kube2ecs in a test and reading what it gives, as several test files did alike."""

from __future__ import annotations

from click.testing import CliRunner, Result

from translator.api import TranslationResult
from translator.cli.main import cli


def invoke(*args: str, stdin: str | None = None) -> Result:
    """The command line in process (click's CliRunner), `stdin` as its standard input; an exception propagates."""
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def found(result: TranslationResult) -> set[tuple[str, int, str]]:
    """Each finding as (code, line, pointer), all but K2E370 (an option left at its default, which nearly every input gets)."""
    return {(f.code, f.location.line, f.location.pointer) for f in result.findings if f.code != "K2E370"}
