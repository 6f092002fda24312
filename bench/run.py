"""Benchmark kube2ecs against the YAML parse floor, at 1x, 5x and 10x the shared corpus.

Run from the repository with its virtual environment:

    .venv/bin/python bench/run.py [--out bench/results.json] [--specctl] [--repeat N]

Everything is measured in one run on the same machine, so the targets are compared as ratios:
convert / parse floor on the same files, 10x / 1x for linearity. Each command runs as its own
process (start-up and imports included, as a user sees it); its time is the best of N runs and
its peak memory the largest resident set of those runs (os.wait4 reports it per child). The
parse floor and convert of one input run in turns, so a drift of the machine's speed meets both.
The package is byte-compiled first, so each run starts as an installed kube2ecs does.

The scaled inputs are copies of the corpus in which every namespace is renamed (`-c00`, `-c01`,
...) so the copies are distinct namespaces, as in a cluster with many teams; a document without
a namespace gets `default-cNN`. The copies are edited as text, at the positions the YAML parser
reports, so comments, quoting and layout stay those of the real manifests.

Only the standard library and the project's own dependencies are used. `--specctl` installs
specctl from PyPI into a separate virtual environment under the temporary folder and times it on
the Online Boutique beside kube2ecs; when it cannot be installed or run, the table says so.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
BOUTIQUE = Path("gcp-microservices-demo/release/kubernetes-manifests.yaml")
SCALES = (1, 5, 10)
SUFFIXES = (".yaml", ".yml", ".json")  # what kube2ecs reads from a folder
_DOC_START = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)

# The parse floor: the same files, read the same way, parsed by the fastest YAML loader the project
# depends on (ruamel.yaml's safe loader, backed by libyaml through ruamel.yaml.clib), nothing else.
FLOOR = r"""
import json, os, sys
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
docs = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(files):
        if name.lower().endswith((".yaml", ".yml", ".json")) and not name.startswith("."):
            with open(os.path.join(folder, name), encoding="utf-8-sig") as handle:
                text = handle.read()
            try:
                docs += sum(1 for doc in yaml.load_all(text) if doc is not None)
            except Exception:
                pass
print(json.dumps({"docs": docs, "parser": f"{yaml.Parser.__module__}.{yaml.Parser.__name__}"}))
"""


@dataclass
class Run:
    """One measured command: best wall and CPU time over the repeats, largest peak RSS, last output."""

    seconds: float
    cpu_seconds: float  # user + system: on a shared machine the less noisy of the two
    peak_mb: float
    status: int
    stdout: str
    stderr: str


# A child's peak RSS as the kernel reports it to its parent (wait4) includes the RSS of the process
# it was spawned from (exec records the old address space's high-water mark), which here is this
# Python process. GNU time is a small C program, so measuring through it leaves that out.
GNU_TIME = "/usr/bin/time"


def memory_source() -> str:
    return "GNU time %M" if os.access(GNU_TIME, os.X_OK) else "os.wait4 ru_maxrss (includes the launcher's RSS)"


class Best:
    """The best times, the largest peak memory and the last output over the runs of one command."""

    def __init__(self, argv: Sequence[str], cwd: Path | None = None, before: Any = None) -> None:
        self.argv, self.cwd, self.before = list(argv), cwd, before  # before(): untimed, e.g. clears the output
        self.seconds = self.cpu = float("inf")
        self.peak = 0.0
        self.last: tuple[int, str, str] | None = None

    def once(self) -> None:
        if self.before is not None:
            self.before()
        gnu_time = os.access(GNU_TIME, os.X_OK)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
                tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
            command = [GNU_TIME, "-f", "%M", "-o", rss.name, *self.argv] if gnu_time else self.argv
            start = time.perf_counter()
            proc = subprocess.Popen(command, cwd=self.cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            out.seek(0)
            err.seek(0)
            self.last = (os.waitstatus_to_exitcode(status), out.read().decode(errors="replace"),
                         err.read().decode(errors="replace"))
            kilobytes = _last_int(rss.read()) if gnu_time else usage.ru_maxrss  # kilobytes on Linux
        self.seconds = min(self.seconds, elapsed)
        self.cpu = min(self.cpu, usage.ru_utime + usage.ru_stime)  # GNU time's own share is negligible
        self.peak = max(self.peak, kilobytes / 1024)

    def run(self) -> Run:
        assert self.last is not None
        return Run(self.seconds, self.cpu, self.peak, *self.last)


def measure(argv: Sequence[str], repeat: int, cwd: Path | None = None, before: Any = None) -> Run:
    """Run `argv` `repeat` times; `before()` runs untimed before each (e.g. to clear the output)."""
    best = Best(argv, cwd, before)
    for _ in range(repeat):
        best.once()
    return best.run()


def alternating(commands: Sequence[Best], repeat: int) -> list[Run]:
    """Run the commands in turn, `repeat` rounds: commands compared as a ratio see the same machine.

    On a shared or throttled machine the CPU's speed drifts over a minute; timing all runs of one
    command before all runs of the other moved the convert / floor ratio by 10% between two quiet
    runs of the same commit. In turns, each round meets the same conditions.
    """
    for _ in range(repeat):
        for command in commands:
            command.once()
    return [command.run() for command in commands]

def _last_int(text: str) -> int:
    """GNU time writes `Command exited with non-zero status N` before the value when N != 0."""
    lines = text.strip().splitlines()
    return int(lines[-1]) if lines and lines[-1].isdigit() else 0


# ---- scaled inputs -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Edit:
    """A namespace to rewrite in a file: replace text[start:end], or insert a key at `start`."""

    start: int
    end: int
    base: str  # the namespace (or Namespace name) before renaming
    action: str  # "value": replace a scalar; "block"/"flow": add a namespace key to a mapping


def plan_edits(text: str) -> list[Edit]:
    """Where each document's namespace is, or where one must be added, from the parser's marks."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe")
    edits: list[Edit] = []
    for offset, chunk in _chunks(text):
        try:
            nodes = list(yaml.compose_all(chunk))
        except (YAMLError, ValueError, RecursionError):
            continue  # invalid YAML stays as it is; kube2ecs reports it once per copy
        for node in nodes:
            for obj in _objects(node):
                edits.extend(_edit_for(obj, offset))
    return sorted(edits, key=lambda e: e.start)


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """`---` separated chunks with their character offset, as kube2ecs splits a file."""
    starts = [m.start() for m in _DOC_START.finditer(text)]
    bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
    for begin, end in itertools.pairwise(bounds):
        yield begin, text[begin:end]


def _get(node: Any, key: str) -> Any:
    if node is None or node.id != "mapping":
        return None
    for key_node, value_node in node.value:
        if key_node.id == "scalar" and key_node.value == key:
            return value_node
    return None


def _objects(node: Any) -> Iterator[Any]:
    """A document's object, or the items of a `kind: List`."""
    kind = _get(node, "kind")
    items = _get(node, "items")
    if kind is not None and kind.id == "scalar" and kind.value.endswith("List") and items is not None:
        if items.id == "sequence":
            yield from (item for item in items.value if item.id == "mapping")
        return
    if node is not None and node.id == "mapping":
        yield node


def _edit_for(obj: Any, offset: int) -> list[Edit]:
    meta = _get(obj, "metadata")
    if meta is None or meta.id != "mapping":
        return []
    kind = _get(obj, "kind")
    if kind is not None and kind.id == "scalar" and kind.value == "Namespace":
        name = _get(meta, "name")
        if name is None or name.id != "scalar" or not name.value:
            return []
        return [Edit(offset + name.start_mark.index, offset + name.end_mark.index, name.value, "value")]
    value = _get(meta, "namespace")
    if value is not None and value.id == "scalar" and value.value:
        return [Edit(offset + value.start_mark.index, offset + value.end_mark.index, value.value, "value")]
    if value is not None or not meta.value:
        return []  # an empty or odd namespace field: left for kube2ecs to report
    first = meta.value[0][0].start_mark
    action = "flow" if meta.flow_style else "block"
    return [Edit(offset + first.index, offset + first.index, "default", action)]


def rename(text: str, edits: list[Edit], suffix: str, column_of: dict[int, int]) -> str:
    """Apply the edits for one copy; names become `<namespace><suffix>`."""
    parts: list[str] = []
    cursor = 0
    for edit in edits:
        name = json.dumps(edit.base + suffix)
        parts.append(text[cursor:edit.start])
        if edit.action == "value":
            parts.append(name)
        elif edit.action == "flow":
            parts.append(f'"namespace": {name}, ')
        else:
            parts.append(f"namespace: {name}\n" + " " * column_of[edit.start])
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)


def manifest_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder, f) for f in files if f.lower().endswith(SUFFIXES) and not f.startswith("."))
    return sorted(found)


def build_copies(corpus: Path, target: Path, copies: int) -> dict[str, Any]:
    """Write `copies` renamed copies of the corpus as target/cNN/...; returns what was built."""
    files = manifest_files(corpus)
    size = 0
    for path in files:
        text = path.read_bytes().decode("utf-8-sig")
        edits = plan_edits(text)
        columns = {e.start: _column(text, e.start) for e in edits}
        relative = path.relative_to(corpus)
        for number in range(copies):
            out = target / f"c{number:02d}" / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            data = rename(text, edits, f"-c{number:02d}", columns).encode()
            out.write_bytes(data)
            size += len(data) if number == 0 else 0
    return {"files": len(files), "bytes": size}


def scale_inputs(copies_dir: Path, base: Path) -> dict[int, Path]:
    """x1, x5 and x10 folders of hard links (copies when links fail) into the renamed copies."""
    inputs = {}
    for scale in SCALES:
        folder = base / f"x{scale}"
        for number in range(scale):
            source = copies_dir / f"c{number:02d}"
            for path in manifest_files(source):
                link = folder / path.relative_to(copies_dir)
                link.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, link)
                except OSError:
                    shutil.copyfile(path, link)
        inputs[scale] = folder
    return inputs


# ---- measurements --------------------------------------------------------------------------------

def byte_compile() -> str:
    """Byte-compile the kube2ecs package being measured, as `pip install` does for an installed copy.

    A checkout (an editable install) only gets its .pyc files when Python may write them; with
    PYTHONDONTWRITEBYTECODE set, every measured run would compile the whole package from source
    first, a cost that no installed kube2ecs pays and that the parse floor (ruamel.yaml, installed
    byte-compiled) does not pay either.
    """
    spec = importlib.util.find_spec("translator")
    if spec is None or not spec.submodule_search_locations:
        return "translator package not found"
    folder = next(iter(spec.submodule_search_locations))
    ok = compileall.compile_dir(folder, quiet=1)
    return f"byte-compiled {folder}" if ok else f"byte-compiling {folder} failed"


def kube2ecs_command() -> list[str]:
    script = Path(sys.executable).with_name("kube2ecs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "translator"]


def convert_command(k2e: list[str], source: Path, out: Path) -> Best:
    def clear() -> None:
        shutil.rmtree(out, ignore_errors=True)

    return Best([*k2e, "convert", str(source), "-o", str(out), "-q", "--fail-on", "never"], before=clear)


def convert(k2e: list[str], source: Path, out: Path, repeat: int) -> Run:
    return checked_convert(source, alternating([convert_command(k2e, source, out)], repeat)[0])


def checked_convert(source: Path, run: Run) -> Run:
    if run.status != 0:
        raise SystemExit(f"kube2ecs convert {source} failed ({run.status}): {run.stderr.strip()[:500]}")
    return run


def floor_command(source: Path) -> Best:
    return Best([sys.executable, "-c", FLOOR, str(source)])


def checked_floor(run: Run) -> tuple[Run, dict[str, Any]]:
    if run.status != 0:
        raise SystemExit(f"parse floor failed: {run.stderr.strip()[:500]}")
    return run, json.loads(run.stdout)


def specctl(base: Path, boutique: Path, repeat: int) -> dict[str, Any]:
    """Install specctl (console script `specctl`, k2e mode reads `-s FILE`) and time it."""
    venv = base / "specctl-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "specctl"],
                             capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as err:
        return {"error": f"could not create a virtual environment for specctl: {err}"}
    if pip.returncode != 0:
        return {"error": "pip install specctl failed: " + (pip.stderr.strip().splitlines() or ["?"])[-1]}
    version = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "show", "specctl"],
                             capture_output=True, text=True).stdout
    work = base / "specctl-run"
    work.mkdir(exist_ok=True)
    out = work / "output"

    def clear() -> None:
        shutil.rmtree(out, ignore_errors=True)

    # Without its Terraform module folder specctl logs an error and still writes its task and service JSON.
    run = measure([str(venv / "bin" / "specctl"), "-m", "k2e", "-s", str(boutique), "-o", str(out)],
                  repeat, cwd=work, before=clear)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) if out.is_dir() else []
    result = {"version": _field(version, "Version"), "seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
              "peak_mb": run.peak_mb,
              "status": run.status, "json_files": len(written)}
    if run.status != 0 or not written:
        result["error"] = f"specctl exited {run.status} and wrote {len(written)} JSON file(s): {run.stderr.strip()[-300:]}"
    return result


def _field(text: str, name: str) -> str:
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {"cpu": model or platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load_average": _load()}


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# ---- report --------------------------------------------------------------------------------------

def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target on wall time (what the issue measures) and on CPU time (what a busy machine distorts least)."""
    rows = {r["scale"]: r for r in results["scales"]}
    one, ten = rows[1], rows[10]
    startup = results["startup"]
    checks: list[tuple[str, float, float | None, float, bool]] = [  # name, wall, CPU, limit, strictly below
        ("convert <= 2x parse floor (1x corpus)", one["convert_over_floor"], one["cpu_convert_over_floor"], 2.0, False),
        ("kube2ecs --version < 0.3 s", startup["version"]["seconds"], startup["version"]["cpu_seconds"], 0.3, True),
        ("kube2ecs --help < 0.3 s", startup["help"]["seconds"], startup["help"]["cpu_seconds"], 0.3, True),
        ("10x time <= 11x the 1x time", ten["vs_1x"], ten["cpu_vs_1x"], 11.0, False),
        ("peak memory at 10x < 400 MB", ten["peak_mb"], None, 400.0, True),
    ]
    spec = results.get("specctl")
    if spec and "error" not in spec:
        k2e = results["boutique"]
        checks.append(("kube2ecs / specctl time on the Online Boutique < 1", k2e["seconds"] / spec["seconds"],
                       k2e["cpu_seconds"] / spec["cpu_seconds"], 1.0, True))
    return [{"target": name, "value": round(value, 3), "cpu_value": None if cpu is None else round(cpu, 3),
             "limit": limit, "met": value < limit if strict else value <= limit}
            for name, value, cpu, limit, strict in checks]


def table(results: dict[str, Any]) -> str:
    lines = [
        "| input | files | documents | MB | convert (s) | parse floor (s) | convert / floor | time vs 1x | peak memory (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["scales"]:
        lines.append(f"| {r['scale']}x corpus | {r['files']} | {r['documents']} | {r['megabytes']:.1f} "
                     f"| {_pair(r['convert_s'], r['convert_cpu_s'])} | {_pair(r['floor_s'], r['floor_cpu_s'])} "
                     f"| {_pair(r['convert_over_floor'], r['cpu_convert_over_floor'])} "
                     f"| {_pair(r['vs_1x'], r['cpu_vs_1x'])} | {r['peak_mb']:.0f} |")
    startup = results["startup"]
    rows = [("`kube2ecs --version`", startup["version"]), ("`kube2ecs --help`", startup["help"]),
            ("`kube2ecs convert` Online Boutique", results["boutique"])]
    spec = results.get("specctl")
    if spec and "seconds" in spec:
        rows.append((f"`specctl -s` Online Boutique (specctl {spec['version']})", spec))
    lines += ["", "| command | time (s) | peak memory (MB) |", "|---|---:|---:|"]
    lines += [f"| {name} | {_pair(run['seconds'], run['cpu_seconds'], 3)} | {run['peak_mb']:.0f} |" for name, run in rows]
    if spec and "error" in spec:
        lines.append(f"\nspecctl: {spec['error']}")
    lines += ["", "| target | measured (wall / CPU) | limit | met (wall) |", "|---|---:|---:|---|"]
    lines += [f"| {t['target']} | {_measured(t)} | {t['limit']} | {'yes' if t['met'] else 'NO'} |" for t in results["targets"]]
    lines.append("\nTimes are wall / CPU (user + system) seconds, each the best of "
                 f"{results['repeat']} runs; peak memory is the largest resident set ({results['memory']}).")
    return "\n".join(lines)


def _measured(target: dict[str, Any]) -> str:
    return str(target["value"]) if target["cpu_value"] is None else f"{target['value']} / {target['cpu_value']}"


def _pair(wall: float, cpu: float, digits: int = 2) -> str:
    return f"{wall:.{digits}f} / {cpu:.{digits}f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json", help="JSON results file")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of manifests to scale")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    parser.add_argument("--specctl", action="store_true", help="also install and time specctl from PyPI")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such folder")
    k2e = kube2ecs_command()
    base = Path(tempfile.mkdtemp(prefix="kube2ecs-bench-"))
    try:
        results = _run(args, k2e, base)
    finally:
        if args.keep:
            print(f"kept {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


def _run(args: argparse.Namespace, k2e: list[str], base: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "commit": _commit(), "repeat": args.repeat,
                               "memory": memory_source(), "bytecode": byte_compile(),
                               "kube2ecs": subprocess.run([*k2e, "--version"], capture_output=True, text=True).stdout.strip()}
    _say(f"building {max(SCALES)} renamed copies of {args.corpus} in {base}")
    built = build_copies(args.corpus, base / "copies", max(SCALES))
    inputs = scale_inputs(base / "copies", base)
    results["scales"] = []
    for scale, folder in inputs.items():
        _say(f"{scale}x: parse floor and kube2ecs convert, in turns")
        floor_best, convert_best = floor_command(folder), convert_command(k2e, folder, base / f"out-x{scale}")
        floor_result, convert_result = alternating([floor_best, convert_best], args.repeat)
        floor_run, info = checked_floor(floor_result)
        run = checked_convert(folder, convert_result)
        results["parser"] = info["parser"]
        results["scales"].append({
            "scale": scale, "files": built["files"] * scale, "documents": info["docs"],
            "megabytes": built["bytes"] * scale / 1e6, "convert_s": run.seconds, "floor_s": floor_run.seconds,
            "convert_cpu_s": run.cpu_seconds, "floor_cpu_s": floor_run.cpu_seconds,
            "convert_over_floor": run.seconds / floor_run.seconds,
            "cpu_convert_over_floor": run.cpu_seconds / floor_run.cpu_seconds, "peak_mb": run.peak_mb,
            "floor_peak_mb": floor_run.peak_mb})
    one = results["scales"][0]
    for row in results["scales"]:
        row["vs_1x"] = row["convert_s"] / one["convert_s"]
        row["cpu_vs_1x"] = row["convert_cpu_s"] / one["convert_cpu_s"]
    _say("start-up")
    results["startup"] = {flag.strip("-"): _plain(measure([*k2e, flag], max(args.repeat, 5)))
                          for flag in ("--version", "--help")}
    boutique = args.corpus / BOUTIQUE
    results["boutique"] = _plain(convert(k2e, boutique, base / "out-boutique", max(args.repeat, 5)))
    if args.specctl:
        _say("specctl: installing from PyPI into its own virtual environment")
        results["specctl"] = specctl(base, boutique, max(args.repeat, 5))
    results["machine"]["load_average_end"] = _load()
    results["targets"] = targets(results)
    return results


def _plain(run: Run) -> dict[str, Any]:
    return {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "peak_mb": run.peak_mb}


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
