"""Convert every sample and every corpus source, to prove a refactoring leaves the output byte-identical.

Run from the repository with its virtual environment:

    .venv/bin/python bench/snapshot.py before/              # on the commit before the change
    .venv/bin/python bench/snapshot.py after/ --compare before/

Each input goes through `kube2ecs convert` as a user runs it (`--fail-on never`, so findings do not
stop it), into `DEST/<samples|corpus>/<name>/`, and the whole corpus once more as one input into
`DEST/corpus-whole/`, where the largest namespaces and the stack split show. `--compare BASE` lists
every file that was added, removed or changed against an earlier snapshot and exits 1 when there is
one: the golden tests cover the samples only, this covers every corpus source too.

Only the standard library is used; the conversions run two at a time, one per core.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def inputs(corpus: Path) -> dict[str, Path]:
    """Snapshot folder name -> input path, in a fixed order."""
    found = {f"samples/{p.name}": p for p in sorted((ROOT / "samples").iterdir()) if p.is_dir()}
    if corpus.is_dir():
        found.update({f"corpus/{p.name}": p for p in sorted(corpus.iterdir()) if p.is_dir()})
        found["corpus-whole"] = corpus
    return found


def convert(source: Path, dest: Path) -> str:
    """One conversion; the exit status goes into the snapshot so that a change of it shows too."""
    done = subprocess.run([sys.executable, "-m", "translator", "convert", str(source), "-o", str(dest), "--fail-on", "never"],
                          capture_output=True, text=True, cwd=ROOT)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "exit-status.txt").write_text(f"{done.returncode}\n{done.stderr}")
    return f"{dest.name}: exit {done.returncode}"


def changed(base: Path, new: Path) -> list[str]:
    """Relative paths that differ between two snapshots (added, removed or not byte-identical)."""
    def walk(compare: filecmp.dircmp[str], prefix: str) -> list[str]:
        rows = [f"{prefix}{name}" for name in (*compare.left_only, *compare.right_only, *compare.diff_files, *compare.funny_files)]
        for name, sub in sorted(compare.subdirs.items()):
            rows += walk(sub, f"{prefix}{name}/")
        return rows

    filecmp.clear_cache()
    return sorted(walk(filecmp.dircmp(base, new, ignore=[]), ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dest", type=Path, help="folder to write the snapshot into (must not exist)")
    parser.add_argument("--compare", type=Path, metavar="BASE", help="an earlier snapshot to compare with")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if args.dest.exists():
        parser.error(f"{args.dest} exists; give a new folder")
    with ThreadPoolExecutor(max_workers=2) as pool:
        for line in pool.map(lambda item: convert(item[1], args.dest / item[0]), inputs(args.corpus).items()):
            print(line)
    if args.compare is None:
        return 0
    rows = changed(args.compare, args.dest)
    print("\n".join(rows) if rows else f"byte-identical to {args.compare}")
    return 1 if rows else 0


if __name__ == "__main__":
    sys.exit(main())
