"""Worker memory and start-up time at several data sizes, under gunicorn with its shipped config.

    .venv/bin/python bench/memory.py [--sizes 1000 10000 100000]

For each size (the shipped CSV, then synthetic ones from bench/synth.py): start gunicorn on a CSV with
no build yet (the master builds before forking, `preload_app`, in a child process) and read the
master's memory, stop it, start it again on the existing build (a normal restart), time until the
first page is served, send 300 requests of the mix below, and read each process's resident memory
(VmRSS) from /proc.

The mix is what real users ask for, not only English: the home page in all ten languages, a borough
page, an entry and its card, and the search-quality suite's natural queries (tests/search_quality.txt),
Chinese and Arabic among them, one after the other.
"""

import csv
import http.client
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

from common import arguments, datasets, verdict, workdir  # noqa: E402
from serve import gunicorn  # noqa: E402

LANGUAGES = ["en", "pt", "ro", "bg", "zh", "es", "pl", "hu", "bn", "ar"]
# The same address for both starts: a build records the site's address its open data links to, and a
# different one rebuilds (builds.ensure_fresh), which would make the restart a first start again.
SITE_URL = "http://127.0.0.1:8000"


def paths(csv_path: Path) -> list[str]:
    """The request mix: every language's home page, browsing pages, an entry, then natural queries."""
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        first = next(row["id"] for row in csv.DictReader(handle) if row["kind"] == "service")
    queries = []
    for line in (ROOT / "tests" / "search_quality.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, _expectation, text = line.split("\t")
            queries.append(f"/{lang}/search?q={urllib.parse.quote_plus(text)}")
    pages = [f"/{lang}/" for lang in LANGUAGES]
    pages += ["/en/areas/hackney", "/zh/areas/camden", f"/en/service/{first}", f"/ro/service/{first}/card"]
    pages += ["/en/search?q=clinic", "/en/search?q=sexual+health"]
    return pages + queries


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
    settings = {"CSV_PATH": csv_path, "BUILD_ROOT": work / f"builds-{label}", "SITE_URL": SITE_URL}
    began = time.monotonic()
    with gunicorn(work / f"first-{label}.log", ready_within=900, **settings) as first:
        first_start = time.monotonic() - began
        built = rss_mb(first.pid)  # the master that built, with what building left in it
    began = time.monotonic()
    with gunicorn(work / f"second-{label}.log", ready_within=900, **settings) as base:
        port = int(base.rsplit(":", 1)[1])
        if get(port, "/en/") != 200:
            raise RuntimeError("the home page did not answer 200")
        restart = time.monotonic() - began
        mix = paths(csv_path)
        for i in range(300):
            if get(port, mix[i % len(mix)]) not in (200, 303):  # a postcode typed alone: 303 to its borough
                raise RuntimeError(f"{mix[i % len(mix)]} did not answer 200")
        workers = children(base.pid)
        return label, first_start, built, restart, rss_mb(base.pid), [(rss_mb(w), private_mb(w)) for w in workers]


def main() -> int:
    args = arguments(__doc__)
    with workdir("directory-memory-") as work:
        rows = [measure(label, csv_path, work) for label, csv_path in datasets(args.sizes, work)]
    print("| data | first start, building (s) | master RSS MB after building | restart on an existing build (s) "
          "| master RSS MB | worker RSS MB (private MB) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---|")
    for label, first, built, restart, master, workers in rows:
        each = ", ".join(f"{rss:.0f} ({own:.0f})" for rss, own in workers)
        print(f"| {label} | {first:.1f} | {built:.0f} | {restart:.2f} | {master:.0f} | {each} |")
    for label, _first, _built, _restart, _master, workers in rows:
        if label == "10000":
            most = max(rss for rss, _own in workers)
            print(f"\nissue 17 target (this run): worker memory at 10,000: {most:.0f} MB (< 100 MB): ", end="")
            print(verdict(most < 100))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
