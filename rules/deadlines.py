"""Civil Code day counting for case deadlines, in the county's time zone.

The start day is not counted (民法典 art. 201); a period of D days ends at 24:00 local
time of its last day; a last day that falls on a statutory rest day moves to the next working
day (art. 203) of the county's `rules.workdays.WorkCalendar`. Reported 05-02 10:00 + 30 days →
last day 06-01 → due 06-02 00:00 local. Without a calendar the count is in plain calendar days:
that is how Lianxi's own operational counts (`alert.unacknowledged`) are meant to be counted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rules.periods import local_date, local_midnight
from rules.workdays import PLAIN_CALENDAR, WorkCalendar


def last_day(start: datetime, days: int, tz: ZoneInfo, *, calendar: WorkCalendar = PLAIN_CALENDAR) -> date:
    """The last local day of a `days`-day period starting at `start`, moved past the calendar's rest days."""
    return calendar.working_day_from(local_date(start, tz) + timedelta(days=days))


def end_of(day: date, tz: ZoneInfo) -> datetime:
    """The instant a last day ends: 24:00 local (= 00:00 of the next day)."""
    return local_midnight(day + timedelta(days=1), tz)


def due_at(start: datetime, days: int, tz: ZoneInfo, *, calendar: WorkCalendar = PLAIN_CALENDAR) -> datetime:
    """The instant the period ends: 24:00 local of its last day (= 00:00 of the next day)."""
    return end_of(last_day(start, days, tz, calendar=calendar), tz)


def is_past(due: datetime, as_of: datetime) -> bool:
    """A deadline is missed once its end (24:00 of the last day) has come, like a period that is closed at its end."""
    return as_of >= due


def days_past(due: datetime, as_of: datetime, tz: ZoneInfo) -> int:
    """Whole calendar days since the deadline ended (0 before the due instant; 1 on the first late day)."""
    if not is_past(due, as_of):
        return 0
    return (local_date(as_of, tz) - local_date(due, tz)).days + 1


def days_elapsed(start: datetime, as_of: datetime, tz: ZoneInfo) -> int:
    """Days counted since `start` (start day not counted): 0 on the start day, 1 on the next day, …"""
    return max(0, (local_date(as_of, tz) - local_date(start, tz)).days)


def epoch(moment: datetime) -> int:
    """An instant as whole epoch seconds: the form instants take in facts and ruleset constants."""
    return int(moment.timestamp())


def shift_days(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The same local wall time `days` calendar days later (earlier when negative), in the county's zone."""
    local = moment.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=days), local.timetz().replace(tzinfo=None), tzinfo=tz)
