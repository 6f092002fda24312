"""`kube2ecs assess`: one translation, one payload, every requested report written atomically.

The CLI only parses arguments and prints; this module decides formats and writes files, so it can be
tested without a terminal. Each report is rendered before any is written, and each is written through
a temporary file and a rename, so a failed run leaves existing reports as they were.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from translator.api import translate
from translator.assess.build import build
from translator.assess.cost import bundled_regions, load_prices
from translator.assess.render import FORMATS, format_of, render
from translator.cli.outguard import check_report_file, clean_stale, current_umask
from translator.model.record import record
from translator.options import load_options
from translator.source.loader import SUFFIXES


class AssessError(ValueError):
    """Bad usage of `assess` (an output whose format is unknown): a one-line message, exit status 2."""


@record
class Outcome:
    payload: dict[str, Any]
    written: list[tuple[str, str]]  # (path, format)


def run_assessment(paths: tuple[str, ...], outputs: tuple[str, ...], fmt: str | None = None, config: str | None = None,
                   prices_file: str | None = None, region: str | None = None, timestamp: bool = False,
                   stdin_text: str | None = None) -> Outcome:
    targets = [(out, _format(out, fmt)) for out in outputs]
    for out, _ in targets:
        check_report_file(Path(out), paths, SUFFIXES)
    options = load_options(config)
    if region is None and not prices_file and options.region in bundled_regions():
        region = options.region  # the region the task definitions are written for, when prices ship for it
    prices = load_prices(prices_file, region)
    result = translate(paths, options, stdin_text=stdin_text)
    generated = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if timestamp else None
    payload = build(result, options, prices, list(paths), generated)
    base = _sarif_base(paths)
    texts = [(out, kind, render(payload, kind, base)) for out, kind in targets]
    for out, _, text in texts:
        _write(Path(out), text)
    return Outcome(payload, [(out, kind) for out, kind, _ in texts])


def _format(path: str, explicit: str | None) -> str:
    kind = format_of(path, explicit)
    if kind not in FORMATS:
        raise AssessError(f"{path}: cannot tell the report format from the name; use .html, .md, .json or .sarif, or --format")
    return kind


def _sarif_base(paths: tuple[str, ...]) -> str:
    """SARIF locations are relative to where the tool ran: prefix the one relative input folder, if that is the input."""
    if len(paths) == 1 and paths[0] != "-" and Path(paths[0]).is_dir() and not Path(paths[0]).is_absolute():
        return Path(paths[0]).as_posix().rstrip("/")
    return ""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.kube2ecs-tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temp, 0o666 & ~current_umask())  # mkstemp creates 0600; a report is an ordinary file
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def worst(payload: dict[str, Any]) -> str | None:
    counts = payload["summary"]["findings"]
    return next((s for s in ("error", "warning", "info") if counts[s]), None)
