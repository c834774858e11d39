"""What scores.py bought: the same searches ranked by Whoosh's own collector and by scores.py, in one
process, on one index, interleaved round by round (so a busy machine slows both alike).

    .venv/bin/python bench/scoring.py [--sizes 10000]

For each size (the shipped data, then synthetic ones): `Index.search` for every query of
search_latency.py, with no filter, a need and a borough, either as shipped (scores.py) or with
`Index._hits` answered by Whoosh (`searcher.search` with the filter and limit, counted from the
sets) as it was before. The results of the two are compared too: the same total every time.
"""

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import arguments, datasets, p, timed, workdir  # noqa: E402
from search_latency import QUERIES  # noqa: E402
from whoosh.idsets import DocIdSet  # noqa: E402

from directory import builds, search  # noqa: E402

FILTERS = [("", ""), ("sexual-health", ""), ("", "hackney")]
ROUNDS = 10


class BitFilter(DocIdSet):
    """A set of entries (search.py's bits) as Whoosh's `filter=` wants it: `in` is one byte lookup."""

    def __init__(self, bits: int, size: int):
        self.flags = bits.to_bytes((size >> 3) + 1, "little")

    def __contains__(self, docnum: int) -> bool:
        return bool(self.flags[docnum >> 3] >> (docnum & 7) & 1)

    def __bool__(self) -> bool:
        return True  # Whoosh skips a falsy filter; an empty one is answered before it gets here

    def __iter__(self):
        return (d for d in range(len(self.flags) * 8) if d in self)


def whooshs_hits(self, q, category, area, limit):
    """Index._hits as it was: Whoosh's collector ranks, the sets count."""
    matches = self.bits(q) & self._filter_bits(category, area)
    if not matches:
        return [], 0
    hits = self.searcher.search(q, filter=BitFilter(matches, self.size), limit=limit)
    return [(hit.docnum, hit.score) for hit in hits], matches.bit_count()


def main() -> int:
    args = arguments(__doc__)
    shipped_hits = search.Index._hits
    print("| data | query | Whoosh's collector p50 / p95 ms | scores.py p50 / p95 ms |")
    print("|---|---|---:|---:|")
    with workdir("directory-scoring-") as work:
        for label, csv_path in datasets(args.sizes, work):
            folder, _ = builds.build(csv_path, work / f"builds-{label}")
            index = search.Index(folder / search.INDEX_NAME)
            totals = {"whoosh": [], "scores": []}
            for text in QUERIES:
                times = {"whoosh": [], "scores": []}
                for _ in range(ROUNDS):
                    for name, hits in (("whoosh", whooshs_hits), ("scores", shipped_hits)):
                        search.Index._hits = hits
                        for category, area in FILTERS:
                            times[name] += timed(lambda c=category, a=area, t=text, ix=index: ix.search(t, c, a), 1)
                    search.Index._hits = whooshs_hits
                    old = [index.search(text, c, a).total for c, a in FILTERS]
                    search.Index._hits = shipped_hits
                    if old != [index.search(text, c, a).total for c, a in FILTERS]:
                        raise SystemExit(f"different totals for {text!r}")
                w, s = times["whoosh"], times["scores"]
                totals["whoosh"] += w
                totals["scores"] += s
                print(f"| {label} | {text!r} | {p(w, 50):.2f} / {p(w, 95):.2f} | {p(s, 50):.2f} / {p(s, 95):.2f} |")
            w, s = totals["whoosh"], totals["scores"]
            print(f"| {label} | **all** | {p(w, 50):.2f} / {p(w, 95):.2f} | {p(s, 50):.2f} / {p(s, 95):.2f} |")
            print(f"{label}: median ratio {statistics.median(w) / statistics.median(s):.1f}x", file=sys.stderr)
            index.close()
    search.Index._hits = shipped_hits
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
