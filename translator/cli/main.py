"""The command line: the only place that prints, writes files and chooses the exit status."""

from __future__ import annotations

import atexit
import enum
import gc
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from translator import __version__
from translator.cli.inputs import input_options


class Exit(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


FAIL_ON = ("error", "warning", "info", "never")
SUMMARY_WIDTH = 100  # columns of the stdout summary: a terminal or a CI log shows them without wrapping


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kube2ecs")
def cli() -> None:
    """Translate Kubernetes manifests into Amazon ECS (Fargate) CloudFormation."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="Folder to write cloudformation/, task-definitions/, findings.json and NEXT-STEPS.md into.")
@click.option("--config", type=click.Path(dir_okay=False), help="kube2ecs.yaml with translation options.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1 on a warning, list them on stderr).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and show the difference when OUT is not what this run would write.")
@input_options
def convert(paths: tuple[str, ...], out: Path, config: str | None, fail_on: str, strict: bool, quiet: bool,
            check: bool, kustomize: tuple[str, ...], from_cluster: bool, **cluster: Any) -> None:
    """Convert manifests (files, folders, - for stdin, a kustomization or a cluster) into CloudFormation."""
    from translator.api import translate
    from translator.cli.inputs import cluster_query, gather
    from translator.cli.outguard import OutputRefused, check_output_folder
    from translator.cli.output import write_output
    from translator.options import OptionsError, load_options
    from translator.source.loader import InputError

    inputs = (*paths, *kustomize)
    try:
        if not check:
            check_output_folder(out, inputs)  # before the work, so a refused OUT costs nothing
        options = load_options(config)
        namespace = None if from_cluster else cluster.pop("namespace")  # files and stdin: as kubectl apply -n
        _hint_when_typing(paths)
        sources, notes = gather(paths, sys.stdin, kustomize, cluster_query(from_cluster, **cluster))
        result = translate(options=options, sources=sources, notes=notes, namespace=namespace, usage=False)
        if not from_cluster and _nothing_read(result):  # an empty namespace of a cluster is not an error
            raise InputError(_why_nothing(result))
        if check:
            sys.exit(_check(result, out, quiet))
        written = write_output(result, out, inputs)
    except (InputError, OptionsError, OutputRefused) as err:
        _fail(str(err))
    except OSError as err:
        _fail(f"{out}: cannot write ({err.strerror or err})")
    threshold = "warning" if strict and fail_on == "error" else fail_on
    _summary(result, out, written, quiet, threshold)
    sys.exit(_status(result, threshold))


def _hint_when_typing(paths: tuple[str, ...]) -> None:
    """`-` with a terminal on stdin waits for typed manifests: say so, or the command looks hung.

    Only for a terminal: piped input (`helm template ... | kube2ecs convert -`) needs no hint.
    """
    if "-" in paths and sys.stdin is not None and sys.stdin.isatty():
        click.echo("kube2ecs: reading manifests from standard input; end with Ctrl-D", err=True)


def _nothing_read(result: Any) -> bool:
    """No object and no finding about the input: translating on would write an empty OUT and exit 0."""
    return not any(result.documents.values()) and not any(f.code <= "K2E007" for f in result.findings)


def _why_nothing(result: Any) -> str:
    """The one line for an input without objects: a kustomization or chart folder says what to run."""
    hint = next((f.message for f in result.findings if f.code in ("K2E030", "K2E031")), "")
    return f"no Kubernetes objects in the input: {hint}" if hint else "no Kubernetes objects in the input (empty files or only comments)"


def _check(result: object, out: Path, quiet: bool) -> int:
    from translator.api import TranslationResult
    from translator.cli.drift import absent, drift
    from translator.cli.output import output_files

    assert isinstance(result, TranslationResult)
    missing = absent(out)
    if missing is not None:
        click.echo(f"kube2ecs: {out} {missing}; run the same command without --check to write it", err=True)
        return Exit.FINDINGS
    lines = drift(output_files(result), out)
    if not lines:
        if not quiet:
            click.echo(f"{out} is up to date")
        return Exit.OK
    if not quiet:
        click.echo("\n".join(lines))
    changed = sum(1 for line in lines if line.startswith("+++ ") or line.startswith("--- /dev/null"))
    click.echo(f"kube2ecs: {out} is not what this run would write ({changed} file(s) differ); "
               "run the same command without --check to regenerate it", err=True)
    return Exit.FINDINGS


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "outputs", multiple=True, required=True, type=click.Path(),
              help="Report file; the format comes from its extension (.html, .md, .json, .sarif). Repeat for several.")
@click.option("--format", "fmt", type=click.Choice(("html", "md", "json", "sarif")), help="Format of every -o file.")
@click.option("--config", type=click.Path(dir_okay=False), help="kube2ecs.yaml with translation options.")
@click.option("--prices", "prices_file", type=click.Path(dir_okay=False), help="Fargate prices file (YAML) to use.")
@click.option("--region", help="Use the bundled prices of this region (default: the config's region, else us-east-1).")
@click.option("--timestamp", is_flag=True, help="Record the time of the run (off: the same input gives the same bytes).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def assess(paths: tuple[str, ...], outputs: tuple[str, ...], fmt: str | None, config: str | None, prices_file: str | None,
           region: str | None, timestamp: bool, fail_on: str, quiet: bool) -> None:
    """Write a migration assessment of manifests from the same translation as convert."""
    from translator.assess.cost import PricesError
    from translator.assess.run import AssessError, run_assessment, worst
    from translator.cli.outguard import OutputRefused
    from translator.findings.model import Severity
    from translator.options import OptionsError
    from translator.source.loader import InputError

    try:
        _hint_when_typing(paths)
        stdin_text = sys.stdin.read() if "-" in paths else None
        outcome = run_assessment(paths, outputs, fmt, config, prices_file, region, timestamp, stdin_text)
    except (InputError, OptionsError, PricesError, AssessError, OutputRefused) as err:
        _fail(str(err))
    except OSError as err:
        _fail(f"cannot write a report ({err.strerror or err})")
    s = outcome.payload["summary"]
    if not quiet:
        click.echo(f"workloads: {s['workloads']}, ready {s['ready']} ({s['readiness_percent']:g}%), blockers {s['blockers']}")
        click.echo("wrote " + ", ".join(f"{path} ({kind})" for path, kind in outcome.written))
    bad = worst(outcome.payload)
    failed = fail_on != "never" and bad is not None and Severity.parse(bad) >= Severity.parse(fail_on)
    sys.exit(Exit.FINDINGS if failed else Exit.OK)


@cli.command()
def codes() -> None:
    """List every finding code: its severity and headline, slug, message and why it has that severity."""
    from translator.findings.catalogue import CATALOGUE

    click.echo("\n\n".join(_code_entry(CATALOGUE[code]) for code in sorted(CATALOGUE)))


CODES_WIDTH = 80  # `kube2ecs codes` reads in an 80-column terminal: each field wraps under its own label


def _code_entry(code: Any) -> str:
    """One code as a block: the id, severity and headline on the first line, then a labelled line per field."""
    import textwrap

    def wrap(text: str, first: str, indent: int) -> list[str]:
        return textwrap.wrap(text, CODES_WIDTH, initial_indent=first, subsequent_indent=" " * indent,
                             break_long_words=False, break_on_hyphens=False)

    lines = wrap(code.headline, f"{code.id}  {code.severity.label:<7}  ", 17)
    for label, text in (("slug", code.slug), ("message", code.message), ("why", code.why)):
        lines += wrap(text, f"    {label + ':':<9}", 13)
    return "\n".join(lines)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--config", type=click.Path(dir_okay=False), help="kube2ecs.yaml with translation options (used for both).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def diff(old: str, new: str, config: str | None, fmt: str) -> None:
    """Show what changes on ECS from OLD to NEW (files, folders or git:REV:PATH); exit 1 when something does."""
    from translator.api import translate
    from translator.diff import as_json, as_text, diff_results
    from translator.options import OptionsError, load_options
    from translator.source.gitref import materialised
    from translator.source.loader import InputError

    try:
        options = load_options(config)
        results = []
        for spec in (old, new):
            with materialised(spec) as path:
                results.append(translate([path], options))
    except (InputError, OptionsError) as err:
        _fail(str(err))
    changes = diff_results(results[0], results[1])
    click.echo(as_json(changes) if fmt == "json" else as_text(changes), nl=False)
    sys.exit(Exit.FINDINGS if changes else Exit.OK)


def _summary(result: object, out: Path, written: list[str], quiet: bool, threshold: str) -> None:
    """Counts on stdout (not with --quiet); every finding that fails the run on stderr (always)."""
    from translator.api import TranslationResult
    from translator.findings.model import Severity

    assert isinstance(result, TranslationResult)
    failing = Severity.ERROR if threshold == "never" else min(Severity.parse(threshold), Severity.ERROR)
    for finding in result.findings:
        if finding.severity >= failing:
            click.echo(f"  {finding.where()}: {finding.code} {finding.message}", err=True)
    if quiet:
        return
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.severity.label] = counts.get(finding.severity.label, 0) + 1
    click.echo("\n".join(documents_summary(result.documents)))
    click.echo("findings: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in ("error", "warning", "info")))
    click.echo(f"wrote {len(result.templates)} template(s), {len(result.task_definitions)} task definition(s)"
               f", findings.json and NEXT-STEPS.md to {out}")


def documents_summary(documents: dict[str, int], width: int = SUMMARY_WIDTH) -> list[str]:
    """`documents: Kind N, ...` on one line when it fits `width`; else the total, then the counts wrapped.

    A whole repository of manifests has a hundred kinds, and one line of 2,000 characters cannot be
    read in a terminal or a CI log. Every count is kept, in the same (sorted) order, never split.
    """
    counts = [f"{kind} {n}" for kind, n in documents.items()]
    line = f"documents: {', '.join(counts) or 'none'}"
    if len(line) <= width:
        return [line]
    lines = [f"documents: {sum(documents.values()):,} in {len(documents)} kinds:"]
    current = ""
    for count in counts:
        if current and len(current) + len(count) + 3 > width:  # ", " before it and "," after the line
            lines.append(current + ",")
            current = ""
        current = f"{current}, {count}" if current else f"  {count}"
    return [*lines, current]


def _status(result: object, fail_on: str) -> int:
    from translator.api import TranslationResult
    from translator.findings.model import Severity

    assert isinstance(result, TranslationResult)
    if fail_on == "never":
        return Exit.OK
    threshold = Severity.parse(fail_on)
    worst = max((f.severity for f in result.findings), default=None)
    return Exit.FINDINGS if worst is not None and worst >= threshold else Exit.OK


def _collect_rarely() -> None:
    """A command is one short-lived process whose objects nearly all live until it exits (documents,
    the model, the rendered texts), and that makes almost no reference cycles: a convert of the whole
    corpus leaves 379 unreachable objects. The cyclic collector still walked every young object
    (27 collections of the corpus), and its passes over memory slowed what ran between them: off,
    a convert takes a tenth less CPU, with the same peak memory. Objects without cycles are freed as
    always, by their reference counts. Only the command line does this: a program calling
    `translate()` keeps its own settings."""
    gc.disable()


def _leave(code: object) -> NoReturn:
    """End the process with the command's status, without freeing what the run built.

    The documents, the model and the rendered texts are millions of objects, freed one by one when
    Python tears down: 3% of a corpus convert, for memory the process gives back on exit anyway.
    Every file a command writes is closed before it returns, so what is left is Python's own
    ending: exit functions run and the standard streams are flushed here, and the status is the
    one `sys.exit(code)` gives. When a stream cannot be flushed (a closed pipe), Python ends the
    process as it always does and reports it.
    """
    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int | None):
        print(code, file=sys.stderr)  # as Python prints a SystemExit that carries a message
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        sys.exit(status)
    os._exit(status)


def _fail(message: str) -> None:
    click.echo(f"kube2ecs: {message}", err=True)
    sys.exit(Exit.USAGE)


def main() -> None:
    _collect_rarely()
    try:
        cli.main(prog_name="kube2ecs", standalone_mode=True)
    except SystemExit as done:
        _leave(done.code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:
        click.echo(f"kube2ecs: internal error ({type(err).__name__}); please report it with the input", err=True)
        sys.exit(Exit.INTERNAL)
