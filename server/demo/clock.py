"""Local (UTC+8) time helpers for the generator: office hours, working days, ISO strings."""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime, time, timedelta, timezone

from rules.workdays import NATIONAL_CALENDAR

CST = timezone(timedelta(hours=8))  # Asia/Shanghai has had no DST since 1991
YEAR_START = datetime(2023, 1, 1, tzinfo=CST)
YEAR_END = datetime(2024, 1, 1, tzinfo=CST)  # the as-of of the demo: 2024-01-01T00:00+08:00
LAST_EVENT = datetime(2023, 12, 31, 20, 0, tzinfo=CST)  # nothing of 2023 happens after this

OFFICE_SLOTS = (time(9, 0), time(9, 30), time(10, 0), time(14, 30), time(15, 0), time(15, 30))


def at(day: date, clock: time) -> datetime:
    """A local date and wall-clock time as an aware datetime."""
    return datetime.combine(day, clock, tzinfo=CST)


def iso(value: datetime) -> str:
    """ISO 8601 with the +08:00 offset and whole seconds."""
    return value.astimezone(CST).replace(microsecond=0).isoformat()


def parse(value: str) -> datetime:
    """An ISO string back to an aware datetime."""
    return datetime.fromisoformat(value)


def working_days(year: int, month: int, first: int = 1, last: int | None = None) -> list[date]:
    """Weekdays of a month (between two days of it) that are not public holidays.

    The holidays are the national calendar's (`rules.workdays`, the one calendar the deadlines use);
    make-up working Saturdays and Sundays (调休) stay free of meetings, as the hand-typed lists the
    demo had before did, so the same seed gives the same document.
    """
    last = last or calendar.monthrange(year, month)[1]
    days = [date(year, month, d) for d in range(first, last + 1)]
    return [d for d in days if d.weekday() < 5 and not NATIONAL_CALENDAR.is_rest_day(d)]


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random instant (whole minutes) in [start, end]."""
    if end <= start:
        return start
    minutes = int((end - start).total_seconds() // 60)
    return start + timedelta(minutes=rng.randint(0, minutes))


def daytime(rng: random.Random, start: datetime, end: datetime, *, hours: tuple[int, int] = (8, 20)) -> datetime:
    """A random instant in [start, end] moved into the local hours given (when the range allows)."""
    value = between(rng, start, end)
    local = value.astimezone(CST)
    if not hours[0] <= local.hour < hours[1]:
        moved = local.replace(hour=rng.randint(hours[0], hours[1] - 1), minute=rng.randrange(60))
        if start <= moved <= end:
            return moved
    return value


def days(n: float) -> timedelta:
    """A timedelta of n days."""
    return timedelta(days=n)
