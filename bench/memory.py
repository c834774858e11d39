"""Worker memory and start-up time at several data sizes, under gunicorn with its shipped config.

    .venv/bin/python bench/memory.py [--sizes 1000 10000 100000]

For each size (the shipped CSV, then synthetic ones from bench/synth.py): start gunicorn on a CSV with
no build yet (the master builds before forking, `preload_app`), stop it, start it again on the
existing build (a normal restart), time until the first page is served, send 300 requests of the
usual mix, and read each process's resident memory (VmRSS) from /proc.
"""

import http.client
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

from common import arguments, datasets, verdict, workdir  # noqa: E402
from serve import gunicorn  # noqa: E402

PATHS = ["/en/", "/en/search?q=clinic", "/en/search?q=sexual+health", "/en/areas/hackney", "/en/search?q=housing"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def private_mb(pid: int) -> float:
    """Memory only this process holds (USS): RSS less the pages it shares with others, such as the
    index files both workers map from the page cache and what they share with the master."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    return sum(int(fields[k].split()[0]) for k in ("Private_Clean", "Private_Dirty")) / 1024


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def measure(label: str, csv_path: Path, work: Path) -> tuple:
    settings = {"CSV_PATH": csv_path, "BUILD_ROOT": work / f"builds-{label}"}
    began = time.monotonic()
    with gunicorn(work / f"first-{label}.log", ready_within=900, **settings):
        first_start = time.monotonic() - began
    began = time.monotonic()
    with gunicorn(work / f"second-{label}.log", ready_within=900, **settings) as base:
        port = int(base.rsplit(":", 1)[1])
        if get(port, "/en/") != 200:
            raise RuntimeError("the home page did not answer 200")
        restart = time.monotonic() - began
        for i in range(300):
            get(port, PATHS[i % len(PATHS)])
        workers = children(base.pid)
        return label, first_start, restart, rss_mb(base.pid), [(rss_mb(w), private_mb(w)) for w in workers]


def main() -> int:
    args = arguments(__doc__)
    with workdir("directory-memory-") as work:
        rows = [measure(label, csv_path, work) for label, csv_path in datasets(args.sizes, work)]
    print("| data | first start, building (s) | restart on an existing build (s) | master RSS MB | worker RSS MB "
          "(private MB) |")  # fmt: skip
    print("|---|---:|---:|---:|---|")
    for label, first, restart, master, workers in rows:
        each = ", ".join(f"{rss:.0f} ({own:.0f})" for rss, own in workers)
        print(f"| {label} | {first:.1f} | {restart:.2f} | {master:.0f} | {each} |")
    for label, _first, _restart, _master, workers in rows:
        if label == "10000":
            most = max(rss for rss, _own in workers)
            print(f"\nissue 17 target (this run): worker memory at 10,000: {most:.0f} MB (< 100 MB): ", end="")
            print(verdict(most < 100))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
