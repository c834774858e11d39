"""What the bench scripts share: the data sizes they loop over and how they time and summarise.

    for label, csv_path in datasets(sizes, work):   # "shipped", then synthetic CSVs (bench/synth.py)
        ...

Each script measures everything it compares inside one pass of this loop, so ratios hold on a
machine shared with others even when the absolute numbers move.
"""

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

SIZES = [1000, 10000, 100000]


def arguments(doc: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=SIZES, help="synthetic sizes after the shipped data")
    return parser.parse_args()


@contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    """A temporary folder for builds and synthetic CSVs, removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def datasets(sizes: list[int], work: Path) -> Iterator[tuple[str, Path]]:
    """(label, CSV): the shipped data, then a synthetic CSV of each size, written when reached."""
    yield "shipped", ROOT / "data" / "agencies.csv"
    for n in sizes:
        yield str(n), synth.write(n, work / f"agencies-{n}.csv")
        print(f"done {n}", file=sys.stderr)


def timed(function: Callable[[], object], rounds: int) -> list[float]:
    """Seconds taken by each of `rounds` calls."""
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return times


def p(values: list[float], q: float) -> float:
    """The q-th percentile of durations in seconds, in milliseconds (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"
