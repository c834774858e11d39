"""How long a build takes, in all and stage by stage, at several sizes (issue 17: 100,000 in under 60 s).

    .venv/bin/python bench/build_time.py                        # 10,000 and 100,000 entries
    .venv/bin/python bench/build_time.py --sizes 10000 --against /tmp/main-tree

`--against` also builds with another copy of the code (e.g. `git archive main | tar -x -C /tmp/main-tree`),
alternating with this one on the same CSV, so before and after are measured in one run on a shared
machine. Each build runs in a fresh process. "CPU s" is the CPU time of the build's processes (on a busy
machine, what the build itself costs). Stage times are wall-clock seconds inside their process;
stages that run side by side (the database and open data in a forked process while the index is
written) overlap, so they add up to more than the total.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# (label, module, function): what is timed where it exists (old and new code differ).
STAGES = [
    ("validate", "records", "validate"),
    ("database", "store", "write"),
    ("index", "search", "write"),
    ("sets", "search", "_write_bits"),  # before
    ("scores", "scores", "write"),  # after: postings and lengths for scores.py, read back from the index
    ("HSDS", "export", "hsds"),  # before: the whole document, then json.dumps and gzip
    ("gzip", "builds", "_compress"),
    ("open data", "builds", "_write_with_gzip"),  # after: CSV and JSON written with their gzip copies
    ("db + open data", "builds", "_write_data"),  # after: in a second process, beside the index
]


def one(tree: Path, csv_path: Path, translations: str) -> dict:
    """In this process: build `csv_path` with the code in `tree`, timing each stage."""
    sys.path.insert(0, str(tree))
    import importlib

    from directory import builds

    # Appended to a file, not kept in a dict: some stages run in a forked process.
    log = Path(tempfile.mkstemp(prefix="build-time-")[1])

    def timed(label, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                with open(log, "a") as out:
                    out.write(f"{label}\t{time.perf_counter() - began}\n")

        return wrapper

    for label, module, name in STAGES:
        mod = importlib.import_module(f"directory.{module}")
        if hasattr(mod, name):
            setattr(mod, name, timed(label, getattr(mod, name)))
    with tempfile.TemporaryDirectory(prefix="build-time-") as work:
        began, cpu = time.perf_counter(), _cpu()
        folder, _ = builds.build(csv_path, Path(work), translations=translations)
        total, cpu = time.perf_counter() - began, _cpu() - cpu
        size = sum(f.stat().st_size for f in (folder / "index").rglob("*") if f.is_file())
        segments = len(list((folder / "index").glob("*.seg")))
    times: dict[str, float] = {}
    for line in log.read_text().splitlines():
        label, seconds = line.split("\t")
        times[label] = times.get(label, 0.0) + float(seconds)
    log.unlink()
    return {"total": total, "cpu": cpu, "stages": times, "index_mb": size / 1e6, "segments": segments}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked one): on a shared machine,
    what the build itself costs, whoever else is running."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000, 100000])
    parser.add_argument("--against", type=Path, help="another copy of the code to build with, alternately")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # tree, csv, translations: a child run
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one[0]), Path(args.one[1]), args.one[2])))
        return
    import synth

    translations = str(ROOT / "translations")  # the same catalogues for both trees
    trees = [("this", ROOT)] + ([("against", args.against.resolve())] if args.against else [])
    rows = []
    with tempfile.TemporaryDirectory(prefix="build-time-csv-") as work:
        for n in args.sizes:
            csv_path = synth.write(n, Path(work) / f"agencies-{n}.csv")
            for _ in range(args.rounds):
                for label, tree in reversed(trees):  # the old code first
                    command = [sys.executable, __file__, "--one", str(tree), str(csv_path), translations]
                    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
                    rows.append((n, label, result))
                    print(f"done {n} {label}: {result['total']:.1f} s, CPU {result['cpu']:.1f} s", file=sys.stderr)
    names = [label for label, _, _ in STAGES if any(label in r["stages"] for _, _, r in rows)]
    print("| entries | code | build s | CPU s | " + " | ".join(names) + " | index MB | segments |")
    print("|---:|---|---:|---:|" + "---:|" * len(names) + "---:|---:|")
    for n, label, r in rows:
        stages = " | ".join(f"{r['stages'][name]:.1f}" if name in r["stages"] else "" for name in names)
        print(
            f"| {n} | {label} | {r['total']:.1f} | {r['cpu']:.1f} | {stages} | {r['index_mb']:.1f} | {r['segments']} |"
        )
    for n in args.sizes:
        mine = [r["total"] for size, label, r in rows if size == n and label == "this"]
        verdict = "met" if min(mine) < 60 else "NOT met"
        print(f"{n}: build {min(mine):.1f} s" + (f"; under 60 s at 100,000: {verdict}" if n >= 100000 else ""))


if __name__ == "__main__":
    main()
