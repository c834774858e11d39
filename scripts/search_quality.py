"""The search-quality suite (tests/search_quality.txt) through the real app, hit rates per language.

    .venv/bin/python scripts/search_quality.py          # or: make search-quality
    .venv/bin/python scripts/search_quality.py --misses # also list each query that missed

The shipped CSV is built as the site builds it, into a temporary folder, and every query is asked as a
person asks it: `GET /<lang>/search?q=...` on Flask's test client. A query "hits at 1" when the first
result is the kind of service it expects, and "hits at 3" when one of the first three is. The pytest
test (tests/test_search_quality.py) runs the same code.
"""

import argparse
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory import create_app, i18n, records  # noqa: E402

SUITE = ROOT / "tests" / "search_quality.txt"


@dataclass(frozen=True)
class Case:
    lang: str
    need: str  # "" for a borough typed alone
    borough: str  # "" when no borough is in the query
    crisis: bool
    text: str
    held_out: bool = False  # after "## held out": never used to tune the vocabulary or the engine


@dataclass(frozen=True)
class Outcome:
    case: Case
    first: bool
    top3: bool
    got: list[str]


def cases(path: Path = SUITE) -> list[Case]:
    found, held_out = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        held_out = held_out or line.startswith("## held out")
        if not line.strip() or line.startswith("#"):
            continue
        lang, expect, text = line.split("\t")
        need, _, borough = expect.partition("@")
        crisis = need == "crisis"
        found.append(Case(lang, "mental-health" if crisis else need, borough, crisis, text, held_out))
    return found


def ask(client, services: dict, case: Case) -> Outcome:
    """One query through the app: what came first, and whether it is what the case expects."""
    response = client.get(f"/{case.lang}/search", query_string={"q": case.text})
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    ids = [a["href"].split("/service/")[1].split("?")[0] for a in page.select(".results .result-title a")]
    chosen = page.select_one("#borough option[selected]")
    borough_ok = not case.borough or (chosen is not None and chosen["value"] == case.borough)
    crisis_ok = not case.crisis or page.select_one(".crisis") is not None

    def fits(service_id: str) -> bool:
        s = services[service_id]
        if case.need:
            return case.need in s.categories
        return case.borough in s.boroughs  # a borough alone: based there

    first = bool(ids) and fits(ids[0]) and borough_ok and crisis_ok
    top3 = any(fits(i) for i in ids[:3]) and borough_ok and crisis_ok
    return Outcome(case, first, top3, ids[:3])


def run(csv_path: Path = ROOT / "data" / "agencies.csv") -> list[Outcome]:
    work = Path(tempfile.mkdtemp(prefix="directory-quality-"))
    try:
        app = create_app({"TESTING": True, "CSV_PATH": csv_path, "BUILD_ROOT": work / "builds"})
        services = {s.id: s for s in records.load(csv_path)[0].services}
        client = app.test_client()
        return [ask(client, services, case) for case in cases()]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(outcomes: list[Outcome]) -> str:
    by_lang: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_lang[outcome.case.lang].append(outcome)
    lines = ["| language | queries | right kind first | in the top 3 |", "|---|---:|---:|---:|"]
    for lang in [code for code in i18n.KNOWN if code in by_lang]:
        rows = by_lang[lang]
        first, top3 = sum(o.first for o in rows), sum(o.top3 for o in rows)
        lines.append(f"| {lang} | {len(rows)} | {first} ({first / len(rows):.0%}) | {top3} ({top3 / len(rows):.0%}) |")
    for label, rows in (("all", outcomes), ("held out", [o for o in outcomes if o.case.held_out])):
        if rows:
            first, top3, n = sum(o.first for o in rows), sum(o.top3 for o in rows), len(rows)
            lines.append(f"| {label} | {n} | {first} ({first / n:.0%}) | {top3} ({top3 / n:.0%}) |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list each query whose first result was wrong")
    args = parser.parse_args()
    outcomes = run()
    print(table(outcomes))
    if args.misses:
        print()
        for o in outcomes:
            if not o.first:
                want = ("crisis" if o.case.crisis else o.case.need) + (f"@{o.case.borough}" if o.case.borough else "")
                print(f"{o.case.lang}\t{want}\t{o.case.text}\t-> {', '.join(o.got) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
