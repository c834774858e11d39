"""Search latency, build time and build size at several data sizes, beside SQLite FTS5.

    .venv/bin/python bench/search_latency.py                  # shipped data, 1k, 10k, 100k
    .venv/bin/python bench/search_latency.py --sizes 1000 10000

For each size: a synthetic CSV (bench/synth.py; the shipped CSV for "shipped") is built as the site
builds it, timed, and measured on disk. Then the same queries run (a) through the whole app, Whoosh
query plus page rendering (`GET /en/search?q=...` on Flask's test client), (b) Whoosh alone
(`Index.search`), and (c) SQLite FTS5 over the same rows via sqlite-utils (porter stemming, diacritics
removed, quoted query; top 10 plus the total count, which is what a results page needs). All in one
process and one run, so the ratios hold on a noisy machine.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# As directory/__init__.py sets it for the site, before numpy loads (sqlite-utils imports it below):
# with OpenBLAS's own thread running, the build would not fork its second process (builds._alongside)
# and the database and open data would be written after the index, as they are nowhere else.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sqlite_utils  # noqa: E402
from common import arguments, datasets, p, size_of, timed, verdict, workdir  # noqa: E402

from directory import builds, create_app, records, search, store  # noqa: E402

QUERIES = ["clinic", "support", "sexual health", "lawyer visa", "somewhere to sleep", "housng", "clínica",
           "violência", "HIV test PrEP", "xyzzy", ""]  # fmt: skip
ROUNDS = 20


def fts_database(services: tuple[records.Service, ...], path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    rows = ({"id": e.id, "name": e.name, "body": search._body(e)} for e in services)
    db["services"].insert_all(rows, pk="id", batch_size=5000)
    db["services"].enable_fts(["name", "body"], tokenize="porter unicode61 remove_diacritics 2", create_triggers=False)
    return db


def fts_search(db: sqlite_utils.Database, text: str) -> tuple[list[str], int]:
    if not text.strip():
        ids = [r["id"] for r in db.query("select id from services order by name limit 10")]
        return ids, db["services"].count
    match = db.quote_fts(text)
    ids = [r["id"] for r in db["services"].search(match, limit=10, columns=["id"])]
    total = next(db.query("select count(*) as n from services_fts where services_fts match ?", [match]))["n"]
    return ids, total


def run(label: str, csv_path: Path, work: Path) -> dict:
    root = work / f"builds-{label}"
    began = time.perf_counter()
    folder, _ = builds.build(csv_path, root)
    build_seconds = time.perf_counter() - began
    entries, _ = records.load(csv_path)

    began = time.perf_counter()
    db = fts_database(entries.services, work / f"fts-{label}.db")
    fts_build_seconds = time.perf_counter() - began

    app = create_app({"TESTING": True, "CSV_PATH": csv_path, "BUILD_ROOT": root, "AUTO_BUILD": False})
    client = app.test_client()
    index = search.Index(folder / search.INDEX_NAME)
    client.get("/en/search?q=warm")  # open the build once, as a worker has by its second request

    app_times, whoosh_times, fts_times, totals = [], [], [], {}
    for text in QUERIES:
        app_times += timed(lambda t=text: client.get("/en/search", query_string={"q": t}).close(), ROUNDS)
        whoosh_times += timed(lambda t=text: index.search(t), ROUNDS)
        fts_times += timed(lambda t=text: fts_search(db, t), ROUNDS)
        totals[text] = (index.search(text).total, fts_search(db, text)[1])
    result = {
        "label": label,
        "services": len(entries.services),
        "build_s": build_seconds,
        "db_mb": size_of(folder / store.DB_NAME) / 1e6,
        "index_mb": size_of(folder / search.INDEX_NAME) / 1e6,
        "fts_build_s": fts_build_seconds,
        "fts_mb": size_of(work / f"fts-{label}.db") / 1e6,
        "app": (p(app_times, 50), p(app_times, 95)),
        "whoosh": (p(whoosh_times, 50), p(whoosh_times, 95)),
        "fts": (p(fts_times, 50), p(fts_times, 95)),
        "totals": totals,
        "mean_app_ms": statistics.mean(app_times) * 1000,
    }
    db.close()
    return result


def main() -> int:
    args = arguments(__doc__)
    with workdir("directory-bench-") as work:
        results = []
        for label, csv_path in datasets(args.sizes, work):
            results.append(run(label, csv_path, work))
            r = results[-1]  # as each size ends, so a long run that is stopped still has its figures
            print(f"{label}: build {r['build_s']:.1f} s, app p95 {r['app'][1]:.2f} ms, FTS5 p95 {r['fts'][1]:.2f} ms",
                  file=sys.stderr)  # fmt: skip

    print(f"queries: {len(QUERIES)} ({', '.join(repr(q) for q in QUERIES)}), {ROUNDS} rounds each")
    print()
    print("| data | services | build s | db MB | index MB | FTS5 build s | FTS5 MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['label']} | {r['services']} | {r['build_s']:.2f} | {r['db_mb']:.1f} | {r['index_mb']:.1f} | "
              f"{r['fts_build_s']:.2f} | {r['fts_mb']:.1f} |")  # fmt: skip
    print()
    print("| data | app: Whoosh + page p50 / p95 ms | Whoosh alone p50 / p95 ms | FTS5 p50 / p95 ms |")
    print("|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['label']} | {r['app'][0]:.2f} / {r['app'][1]:.2f} | {r['whoosh'][0]:.2f} / {r['whoosh'][1]:.2f} | "
              f"{r['fts'][0]:.2f} / {r['fts'][1]:.2f} |")  # fmt: skip
    print()
    print("matches per query (Whoosh / FTS5) at the largest size:")
    for text, (ours, theirs) in results[-1]["totals"].items():
        print(f"  {text!r}: {ours} / {theirs}")
    summarise({r["label"]: r for r in results})
    return 0


def summarise(by_label: dict) -> None:
    """Issue 17's targets, from the figures of this one run."""
    print()
    print("issue 17 targets (this run):")
    shipped, ten, hundred = by_label["shipped"], by_label.get("10000"), by_label.get("100000")
    if ten:
        app, fts = ten["app"][1], ten["fts"][1]
        print(f"  search p95 through the app at 10,000: {app:.2f} ms (< 15 ms): {verdict(app < 15)}")
        print(f"  ... against FTS5's {fts:.2f} ms: {app / fts:.1f}x (<= 3x): {verdict(app <= 3 * fts)}")
        ratio = app / shipped["app"][1]
        print(f"  ... against the shipped size's {shipped['app'][1]:.2f} ms: {ratio:.1f}x (<= 2x): ", end="")
        print(verdict(ratio <= 2))
        print(f"  build at 10,000: {ten['build_s']:.1f} s")
    if hundred:
        build = hundred["build_s"]
        print(f"  build at 100,000: {build:.1f} s (< 60 s): {verdict(build < 60)}")


if __name__ == "__main__":
    raise SystemExit(main())
