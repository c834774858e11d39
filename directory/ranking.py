"""Which services come first: one rule for search results, browse lists and borough pages.

The rule, most important first (docs/search.md explains it for readers):

1. **How well it matches what was asked**: services whose need or name matches the words come before
   those that only mention them in passing. The index gives each hit a score; hits within the same
   band of the best score count as equally good matches (`band`; typed searches only). Then, when a
   need was asked for (typed, or chosen in the form), services whose **main need** it is (the first
   of their categories in the CSV) come before those that do it beside other work: "nowhere to
   sleep" finds the housing helplines before the domestic abuse line that also finds refuge places.
2. **Where it is based**, when a borough is chosen: services based in that borough, then London-wide
   ones, then national ones.
3. **Made for sex workers**: sex-worker-led organisations and sex-worker peer groups.
4. **Open now or day and night (24/7)**: someone can be reached at this moment.
5. **Name**, A to Z, so equal services keep a stable order.

Pure Python, no search engine here: it takes anything with a service's `boroughs`, `categories`,
`org_type` and `hours` (a `hours.Week`), such as `records.Service`.
"""

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from . import hours

# Hits scoring within this fraction of each other (of the best score) count as equally good matches.
BANDS = 4


def is_sex_worker_specific(service: Any) -> bool:
    """Led by sex workers, or a sex-worker peer group."""
    return "sex-worker-led" in service.org_type or "peer-support" in service.categories


def minutes(hhmm: str) -> int:
    """ "08:30" -> 510."""
    hour, minute = hhmm.split(":")
    return int(hour) * 60 + int(minute)


def is_open(week: hours.Week, now: dt.datetime | None) -> bool:
    """Open at `now` (London time, naive), counting spans that run past midnight from the day before."""
    if week.always:
        return True
    if now is None:
        return False
    day, minute = now.weekday(), now.hour * 60 + now.minute
    for start, end in week.days[day]:
        first, last = minutes(start), minutes(end)
        if first <= minute < (last if last > first else 24 * 60):
            return True
    for start, end in week.days[(day - 1) % 7]:  # yesterday's late spans that end this morning
        first, last = minutes(start), minutes(end)
        if last < first and minute < last:
            return True
    return False


def place(service: Any, area: str | None) -> int:
    """0 based in the chosen borough, 1 London-wide, 2 national, 3 elsewhere; all 0 with no borough."""
    if not area:
        return 0
    if area in service.boroughs:
        return 0
    if "london" in service.boroughs:
        return 1
    if "national" in service.boroughs:
        return 2
    return 3


def main_need(service: Any, needs: Collection[str]) -> int:
    """0 when the service's main need (its first category) is one of the needs asked for, else 1."""
    return 0 if service.categories and service.categories[0] in needs else 1


def key(service: Any, area: str | None = None, now: dt.datetime | None = None, needs: Collection[str] = ()) -> tuple:
    """The rule but the score band (1, main need, to 5): smaller comes first."""
    return (
        main_need(service, needs),
        place(service, area),
        not is_sex_worker_specific(service),
        not is_open(service.hours, now),
        service.name.casefold(),
    )


def order(
    services: Iterable[Any], area: str | None = None, now: dt.datetime | None = None, needs: Collection[str] = ()
) -> list:
    """Services most useful first, for a list with no words typed (a need, a borough)."""
    return sorted(services, key=lambda s: key(s, area, now, needs))


def band(score: float, best: float) -> int:
    """0 for the best matches, up to BANDS for passing mentions: the score's distance from the best."""
    if best <= 0:
        return 0
    return min(BANDS, int((1 - score / best) * BANDS))


def order_matches(
    scored: Iterable[tuple[Any, float]],
    area: str | None = None,
    now: dt.datetime | None = None,
    needs: Collection[str] = (),
) -> list:
    """(service, score) pairs from a typed search, best match first and, among equal matches, most
    useful. `needs`: the needs the search asked for (named by its words, or chosen). The rule as it
    reads; search.Index._rank sorts by it from the build's arrays, and the tests compare the two."""
    scored = list(scored)
    best = max((score for _, score in scored), default=0.0)
    ranked = sorted(scored, key=lambda pair: (band(pair[1], best), *key(pair[0], area, now, needs)))
    return [service for service, _ in ranked]
