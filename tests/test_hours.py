"""Open now / opens at / 24/7, read on London's clocks at fixed moments (never the real clock)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from directory import hours

CLINIC = hours.parse("Mon-Fri 10:00-12:00; Fri 23:30-02:00")


def at(text: str) -> datetime:
    """A moment given in UTC, as `2026-11-23 10:30` (a Monday)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-11-23 09:59", hours.Status("opens", "10:00", day=0, weekday=0)),  # Monday, in winter (GMT)
        ("2026-11-23 10:00", hours.Status("open", "12:00")),
        ("2026-11-23 11:59", hours.Status("open", "12:00")),
        ("2026-11-23 12:00", hours.Status("opens", "10:00", day=1, weekday=1)),
        # Friday night's session runs past midnight into Saturday.
        ("2026-11-27 23:29", hours.Status("opens", "23:30", day=0, weekday=4)),
        ("2026-11-27 23:45", hours.Status("open", "02:00")),
        ("2026-11-28 00:00", hours.Status("open", "02:00")),
        ("2026-11-28 01:59", hours.Status("open", "02:00")),
        ("2026-11-28 02:00", hours.Status("opens", "10:00", day=2, weekday=0)),  # Saturday -> Monday
        ("2026-11-29 23:59", hours.Status("opens", "10:00", day=1, weekday=0)),  # Sunday night -> tomorrow
    ],
)
def test_status_in_winter(moment, expected):
    assert hours.status(CLINIC, at(moment)) == expected


def test_summer_time_moves_the_hours_by_one_hour_of_utc():
    # 09:30 UTC is 10:30 in London in June (BST), but 09:30 in November (GMT).
    assert hours.status(CLINIC, at("2026-06-15 09:30")) == hours.Status("open", "12:00")
    assert hours.status(CLINIC, at("2026-11-16 09:30")).kind == "opens"
    # A moment given in another zone is read on London's clocks too.
    tokyo = datetime(2026, 6, 15, 18, 30, tzinfo=timezone(timedelta(hours=9)))  # 10:30 BST
    assert hours.status(CLINIC, tokyo) == hours.Status("open", "12:00")


def test_the_nights_the_clocks_change():
    night = hours.parse("Sun 00:30-03:00")
    # 29 March 2026: at 01:00 GMT the clocks go forward to 02:00 BST.
    assert hours.status(night, at("2026-03-29 00:45")) == hours.Status("open", "03:00")  # 00:45 GMT
    assert hours.status(night, at("2026-03-29 01:30")) == hours.Status("open", "03:00")  # 02:30 BST
    assert hours.status(night, at("2026-03-29 02:00")).kind == "opens"  # 03:00 BST: closed
    # 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT.
    assert hours.status(night, at("2026-10-25 01:30")) == hours.Status("open", "03:00")  # 01:30 GMT
    assert hours.status(night, at("2026-10-25 02:59")) == hours.Status("open", "03:00")  # 02:59 GMT
    assert hours.status(night, at("2026-10-25 03:00")) == hours.Status("opens", "00:30", day=7, weekday=6)


def test_sunday_night_into_monday_and_until_midnight():
    late = hours.parse("Sun 22:00-06:00; Wed 18:00-24:00")
    assert hours.status(late, at("2026-11-23 05:00")) == hours.Status("open", "06:00")  # Monday 05:00
    assert hours.status(late, at("2026-11-25 23:59")) == hours.Status("open", "00:00")  # Wednesday
    assert hours.status(late, at("2026-11-26 00:00")) == hours.Status("opens", "22:00", day=3, weekday=6)


def test_always_open_and_unknown():
    assert hours.status(hours.parse("24/7"), at("2026-11-23 03:00")) == hours.Status("always")
    assert hours.status(hours.EMPTY, at("2026-11-23 03:00")) == hours.Status("unknown")
