"""Opening hours: a small text format admins can write by hand, parsed into a week.

Format: `24/7`, or rules separated by `;`, each `DAYS TIMES`:
  DAYS  = `Mon`, `Mon-Fri`, `Sat,Sun` or `Mon-Wed,Fri`
  TIMES = `HH:MM-HH:MM`, several joined by `,`; an end before the start runs past midnight.
Example: `Mon-Fri 10:00-12:00; Thu 05:00-07:00; Fri 23:30-02:00`.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = r"([01]\d|2[0-3]):([0-5]\d)"
_SPAN = re.compile(rf"^{_TIME}-({_TIME}|24:00)$")


@dataclass(frozen=True)
class Week:
    """Opening times for each day, Monday first; `always` means open day and night."""

    always: bool
    days: tuple[tuple[tuple[str, str], ...], ...]

    def is_empty(self) -> bool:
        return not self.always and not any(self.days)

    def as_json(self) -> dict:
        return {"always": self.always, "days": [list(map(list, spans)) for spans in self.days]}

    @classmethod
    def from_json(cls, data: dict) -> "Week":
        return cls(data["always"], tuple(tuple(tuple(s) for s in spans) for spans in data["days"]))


EMPTY = Week(False, ((),) * 7)


_DAY_NAMES = {
    name: i
    for i, full in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    for name in (full[:3], full)
}


def _day_index(name: str) -> int:
    try:
        return _DAY_NAMES[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown day {name.strip()!r} (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)") from None


def _days(text: str) -> list[int]:
    found: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day_index(first), _day_index(last)
            if end < start:
                raise ValueError(f"day range {part.strip()!r} runs backwards")
            found.extend(range(start, end + 1))
        else:
            found.append(_day_index(part))
    return found


def _spans(text: str) -> list[tuple[str, str]]:
    spans = []
    for part in text.split(","):
        part = part.strip()
        if not _SPAN.match(part):
            raise ValueError(f"time {part!r} is not HH:MM-HH:MM (24-hour clock)")
        start, end = part.split("-")
        if start == end:
            raise ValueError(f"time {part!r} starts and ends at the same minute")
        spans.append((start, end))
    return spans


def parse(text: str) -> Week:
    """Parse the opening-hours format; raise ValueError with a message an admin can act on."""
    text = text.strip()
    if not text:
        return EMPTY
    if text.lower() == "24/7":
        return Week(True, ((),) * 7)
    week: list[list[tuple[str, str]]] = [[] for _ in DAYS]
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        days, sep, times = rule.partition(" ")
        if not sep or not times.strip():
            raise ValueError(f"rule {rule!r} needs days and times, like 'Mon-Fri 09:00-17:00'")
        spans = _spans(times.replace(" ", ""))
        for day in _days(days):
            week[day].extend(spans)
    return Week(False, tuple(tuple(sorted(spans)) for spans in week))


LONDON = ZoneInfo("Europe/London")
_WEEK = 7 * 24 * 60


@dataclass(frozen=True)
class Status:
    """Whether a service is open at a moment, for a result's one-line status.

    kind: "always" (24/7), "open" (until `time`), "opens" (next opening: `day` days from today, at
    `time`, with `weekday` 0 = Monday) or "unknown" (no hours listed, or none in the week).
    """

    kind: str
    time: str = ""
    day: int = 0
    weekday: int = 0


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _intervals(week: Week) -> list[tuple[int, int]]:
    """Each span as minutes from Monday 00:00; one running past midnight ends on the next day."""
    found = []
    for day, spans in enumerate(week.days):
        for start, end in spans:
            begin, finish = day * 24 * 60 + _minutes(start), day * 24 * 60 + _minutes(end)
            if finish <= begin:  # 23:30-02:00 ends the next morning
                finish += 24 * 60
            found.append((begin, finish))
    return found


def status(week: Week, now: datetime) -> Status:
    """The service's status at `now` (any aware datetime), read on London's clocks: opening hours are
    written in local time, so British Summer Time is taken into account."""
    if week.always:
        return Status("always")
    intervals = _intervals(week)
    if not intervals:
        return Status("unknown")
    local = now.astimezone(LONDON)
    minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
    # A span late on Sunday runs into Monday: look at last week's spans too.
    for begin, finish in intervals:
        for shift in (0, -_WEEK):
            if begin + shift <= minute < finish + shift:
                end = (finish + shift) % (24 * 60)
                return Status("open", time=f"{end // 60:02d}:{end % 60:02d}")
    ahead = min((begin - minute) % _WEEK for begin, _finish in intervals)
    at = minute + ahead
    clock = at % (24 * 60)
    days = (at // (24 * 60)) - (minute // (24 * 60))
    return Status("opens", time=f"{clock // 60:02d}:{clock % 60:02d}", day=days, weekday=(at // (24 * 60)) % 7)


def now() -> datetime:
    """The current moment (a function so tests can fix it)."""
    return datetime.now(UTC)
