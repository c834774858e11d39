"""Load test: gunicorn with its real config on loopback, N clients for T seconds, a rebuild and a
worker crash in the middle. Prints throughput, latency percentiles and every failed request.

    .venv/bin/python bench/load.py                # 50 clients, 60 s, rebuild at 20 s, crash at 40 s
    .venv/bin/python bench/load.py --clients 10 --seconds 15
    .venv/bin/python bench/load.py --production   # nginx in front of 2 replicas; one replica killed
    .venv/bin/python bench/load.py --slow-clients 20   # and 20 slowloris connections held open

With --production the stack is scripts/production.py's (nginx, gunicorn on unix sockets, one build
read by every replica), and the crash kills a whole replica (its gunicorn and workers), not a worker.

Loopback only, bounded in time and in clients. Results: docs/reliability.md.
"""

import argparse
import contextlib
import http.client
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from production import free_port, stack  # noqa: E402
from serve import gunicorn  # noqa: E402

QUERIES = ["clinic", "rape", "housing", "lawyer visa", "drugs", "sexual health", "domestic abuse", "trafficking",
           "HIV test", "counselling", "somewhere to sleep", "immigration advice", "police", "xyzzy"]  # fmt: skip
BOROUGHS = ["hackney", "lambeth", "camden", "tower-hamlets", "westminster", "newham", "ealing", "city-of-london"]
SERVICES = ["the-havens", "national-ugly-mugs", "samaritans", "open-doors", "door-of-hope", "victim-support"]


def pick_path(rng: random.Random) -> tuple[str, str]:
    """A request from the mix people make: (kind, path)."""
    roll = rng.random()
    if roll < 0.25:
        return "home", "/en/"
    if roll < 0.60:
        q = rng.choice(QUERIES).replace(" ", "+")
        extra = f"&borough={rng.choice(BOROUGHS)}" if rng.random() < 0.3 else ""
        return "search", f"/en/search?q={q}{extra}"
    if roll < 0.85:
        return "entry", f"/en/service/{rng.choice(SERVICES)}"
    return "borough", f"/en/areas/{rng.choice(BOROUGHS)}"


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.failures: list[tuple[float, str, str]] = []

    def ok(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def fail(self, at: float, path: str, why: str) -> None:
        with self.lock:
            self.failures.append((at, path, why))


def client(port: int, deadline: float, start: float, seed: int, record: Recorder) -> None:
    rng = random.Random(seed)  # nosec B311
    while time.monotonic() < deadline:
        kind, path = pick_path(rng)
        began = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                record.fail(began - start, path, f"HTTP {response.status}")
                continue
        except (OSError, http.client.HTTPException) as exc:
            record.fail(began - start, path, type(exc).__name__)
            continue
        record.ok(kind, time.monotonic() - began)


def slowloris(port: int, count: int, stop: threading.Event) -> None:
    """Hold `count` connections whose request headers never end, one more header line a second."""
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(s)
    while not stop.wait(1):
        for i, s in enumerate(sockets):
            try:
                s.sendall(b"X-a: b\r\n")
            except OSError:  # the server gave up on it: open another, as an attacker would
                s.close()
                with contextlib.suppress(OSError):
                    sockets[i] = socket.create_connection(("127.0.0.1", port))
                    sockets[i].sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    for s in sockets:
        s.close()


@contextlib.contextmanager
def served(args, work: Path, settings: dict):
    """Yield (port, how to crash it, what it is) for gunicorn alone or the production stack."""
    if not args.production:
        with gunicorn(work / "gunicorn.log", **settings) as base:
            master = base.pid

            def crash() -> str:
                victims = workers_of(master)
                if not victims:
                    return "no worker to kill"
                os.kill(victims[0], signal.SIGKILL)
                return f"SIGKILL to worker {victims[0]}"

            def after() -> str:
                now = workers_of(master)
                return f"workers after the run: {len(now)}"

            yield int(base.rsplit(":", 1)[1]), crash, after, "gunicorn alone, 2 sync workers (gunicorn.conf.py)"
        return
    port = free_port()
    with stack(work / "instance", port=port, replicas=args.replicas, csv_path=settings["CSV_PATH"]) as running:
        settings["BUILD_ROOT"] = running.instance / "builds"
        settings["SITE_URL"] = running.base
        print(f"build check on start: {running.build_seconds:.2f} s; replica start-up on the existing build: "
              + ", ".join(f"{t:.2f} s" for t in running.startup_seconds))  # fmt: skip

        def crash() -> str:
            if args.crash == "replica":
                os.kill(running.replicas[0].pid, signal.SIGKILL)
                return f"SIGKILL to replica 1 of {args.replicas} (its gunicorn master; the workers finish and exit)"
            os.killpg(running.replicas[0].pid, signal.SIGKILL)
            return f"SIGKILL to replica 1 of {args.replicas} and all its workers at once"

        def after() -> str:
            alive = sum(p.poll() is None for p in running.replicas)
            return f"replicas alive after the run: {alive} of {args.replicas}"

        what = f"nginx in front of {args.replicas} replicas x 2 sync workers (scripts/production.py)"
        yield port, crash, after, what


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rebuild-at", type=float, default=None, help="default: a third of the way in")
    parser.add_argument("--crash-at", type=float, default=None, help="default: two thirds of the way in")
    parser.add_argument("--production", action="store_true", help="nginx in front of replicas (make production)")
    parser.add_argument("--replicas", type=int, default=2, help="with --production: gunicorns behind nginx")
    parser.add_argument(
        "--crash", choices=("replica", "group"), default="replica",
        help="with --production: kill replica 1's gunicorn master, or its whole process group (workers mid-answer)",
    )  # fmt: skip
    parser.add_argument("--slow-clients", type=int, default=0, help="slowloris connections held open meanwhile")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.seconds <= 600 and 0 <= args.slow_clients <= 200):
        parser.error("keep it bounded: 1-200 clients, 1-600 seconds, 0-200 slow clients")
    if not 1 <= args.replicas <= 4:
        parser.error("1-4 replicas")
    rebuild_at = args.seconds / 3 if args.rebuild_at is None else args.rebuild_at
    crash_at = 2 * args.seconds / 3 if args.crash_at is None else args.crash_at

    work = Path(tempfile.mkdtemp(prefix="directory-load-"))
    csv_path = work / "agencies.csv"
    shutil.copy(ROOT / "data" / "agencies.csv", csv_path)
    settings = {"CSV_PATH": csv_path, "BUILD_ROOT": work / "builds"}
    record = Recorder()
    events = []
    stop_slow = threading.Event()
    try:
        with served(args, work, settings) as (port, crash, after, what):
            slow = None
            if args.slow_clients:
                slow = threading.Thread(target=slowloris, args=(port, args.slow_clients, stop_slow), daemon=True)
                slow.start()
                time.sleep(1.5)
            start = time.monotonic()
            deadline = start + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, deadline, start, seed, record), daemon=True)
                for seed in range(args.clients)
            ]
            for thread in threads:
                thread.start()

            time.sleep(max(0.0, start + rebuild_at - time.monotonic()))
            # An admin's change lands: edit the CSV and rebuild while the site is under load.
            text = csv_path.read_text(encoding="utf-8")
            csv_path.write_text(text.replace("Someone to talk to", "Someone to talk with", 1), encoding="utf-8")
            env = {**os.environ, **{f"DIRECTORY_{k}": str(v) for k, v in settings.items()}}
            began = time.monotonic()
            built = subprocess.run(
                [sys.executable, "-m", "flask", "--app", "directory", "build"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            events.append(f"rebuild at {began - start:.1f} s took {time.monotonic() - began:.2f} s: "
                          f"{built.stdout.strip() or built.stderr.strip()}")  # fmt: skip

            time.sleep(max(0.0, start + crash_at - time.monotonic()))
            events.append(f"{crash()} at {time.monotonic() - start:.1f} s")

            for thread in threads:
                thread.join(timeout=args.seconds + 30)
            elapsed = time.monotonic() - start
            stop_slow.set()
            if slow is not None:
                slow.join()
            events.append(after())
            try:
                check = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                check.request("GET", "/en/service/samaritans", headers={"Host": "127.0.0.1"})
                rebuilt = str(b"Someone to talk with" in check.getresponse().read())
                check.close()
            except (OSError, http.client.HTTPException) as exc:
                rebuilt = f"not checked ({type(exc).__name__})"
            events.append(f"the page shows the rebuilt data after the run: {rebuilt}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    total = sum(len(v) for v in record.latencies.values())
    print(f"clients: {args.clients}, slow clients: {args.slow_clients}, duration: {elapsed:.1f} s, loopback")
    print(f"served by: {what}")
    print(f"requests ok: {total}, failed: {len(record.failures)}, throughput: {total / elapsed:.0f} requests/s")
    print(f"{'kind':8} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    every = [x for values in record.latencies.values() for x in values]
    for kind, values in [*sorted(record.latencies.items()), ("all", every)] if every else []:
        print(f"{kind:8} {len(values):6d} " + " ".join(f"{percentile(values, p) * 1000:8.1f}" for p in (50, 95, 99)))
    if every:
        print(f"mean {statistics.mean(every) * 1000:.1f} ms")
    for line in events:
        print(line)
    for at, path, why in record.failures:
        print(f"failed at {at:.2f} s: {path} ({why})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
