"""Served throughput and latency: this site under gunicorn beside Datasette serving the same CSV.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'   # Datasette (make bench does this)
    .venv/bin/python bench/served.py [--seconds 5]

Both serve the shipped `data/agencies.csv` on loopback. Datasette (the tool a data team would pick to
publish a searchable CSV) gets it as a sqlite-utils database with full-text search on name and
description, as its documentation suggests. For each server, page kind (home, search, entry) and
concurrency (1, 10, 50 clients) the clients loop for a few seconds, a new connection per request, and
we report requests/s and p50/p95/p99 latency. Ours runs with 1 worker (Datasette's one process) and
with the shipped 2. Everything shares this machine's 2 cores with the clients.
"""

import argparse
import http.client
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve import free_port, gunicorn  # noqa: E402

CONCURRENCY = (1, 10, 50)
SEARCHES = ["clinic", "rape", "housing", "support", "drugs", "immigration", "counselling", "xyzzy"]


def ours(kind: str, i: int) -> str:
    return {"home": "/en/", "search": f"/en/search?q={SEARCHES[i % len(SEARCHES)]}",
            "entry": "/en/service/the-havens"}[kind]  # fmt: skip


def datasette(kind: str, i: int) -> str:
    return {"home": "/agencies", "search": f"/agencies/agencies?_search={SEARCHES[i % len(SEARCHES)]}",
            "entry": "/agencies/agencies/the-havens"}[kind]  # fmt: skip


def drive(port: int, paths, clients: int, seconds: float) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(seed: int) -> None:
        i = seed
        while time.monotonic() < deadline:
            i += 1
            began = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", paths(i))
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            with lock:
                if ok:
                    latencies.append(time.monotonic() - began)
                else:
                    failures[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return time.monotonic() - started, latencies, failures[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000 if ordered else 0.0


def wait_for(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        try:
            # An http:// URL on loopback that we built ourselves.
            urllib.request.urlopen(url, timeout=2).close()  # nosec B310
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("server exited") from None
            time.sleep(0.1)
    raise RuntimeError(f"{url} never answered")


def run_datasette(work: Path, seconds: float, rows: list) -> None:
    db = work / "agencies.db"
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "sqlite-utils", "insert", db, "agencies", ROOT / "data" / "agencies.csv", "--csv",
                    "--pk", "id"], check=True, capture_output=True)  # fmt: skip
    subprocess.run([bin_dir / "sqlite-utils", "enable-fts", db, "agencies", "name", "description",
                    "--fts5"], check=True, capture_output=True)  # fmt: skip
    port = free_port()
    with open(work / "datasette.log", "w") as log:
        server = subprocess.Popen([bin_dir / "datasette", "serve", db, "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{port}/agencies", server)
            measure("Datasette 0.65.5 (1 process)", port, datasette, seconds, rows)
        finally:
            server.terminate()
            server.wait(timeout=10)


def measure(label: str, port: int, paths, seconds: float, rows: list) -> None:
    for kind in ("home", "search", "entry"):
        drive(port, lambda i, k=kind: paths(k, i), 2, 1.0)  # warm up
        for clients in CONCURRENCY:
            elapsed, latencies, failed = drive(port, lambda i, k=kind: paths(k, i), clients, seconds)
            rows.append((label, kind, clients, len(latencies) / elapsed, pct(latencies, 50), pct(latencies, 95),
                         pct(latencies, 99), failed))  # fmt: skip
            print(f"{label} {kind} {clients}: {len(latencies) / elapsed:.0f} req/s", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if not 1 <= args.seconds <= 60:
        parser.error("1-60 seconds per measurement")
    work = Path(tempfile.mkdtemp(prefix="directory-served-"))
    rows: list = []
    try:
        for workers in (1, 2):
            with gunicorn(work / f"gunicorn-{workers}.log", BUILD_ROOT=work / "builds", WORKERS=workers) as base:
                port = int(base.rsplit(":", 1)[1])
                measure(f"this site, gunicorn {workers} worker{'s' if workers > 1 else ''}", port, ours,
                        args.seconds, rows)  # fmt: skip
        run_datasette(work, args.seconds, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.seconds:.0f} s per row, loopback, a new connection per request")
    print()
    print("| server | page | clients | requests/s | p50 ms | p95 ms | p99 ms | failed |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, kind, clients, rate, p50, p95, p99, failed in rows:
        print(f"| {label} | {kind} | {clients} | {rate:.0f} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {failed} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
