"""Turn API period arguments (a label, or first/last local days) into UTC instants for filtering."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from resolvers.errors import BadInput

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])))?$")


def period_days(label: str) -> tuple[date, date]:
    """First day and the day after the last of `2023`, `2023-05` or `2023-Q2`."""
    match = _PERIOD.match(label)
    if match is None:
        raise BadInput("period", f"expected YYYY, YYYY-MM or YYYY-Qn; got {label!r}")
    year = int(match["year"])
    if match["month"]:
        first_month, months = int(match["month"]), 1
    elif match["quarter"]:
        first_month, months = 3 * int(match["quarter"]) - 2, 3
    else:
        first_month, months = 1, 12
    start = date(year, first_month, 1)
    end_month = first_month + months
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, end


# Dates the API accepts in filters: wide enough for any record, far from datetime's year 1 / 9999 edges.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def check_year(year: int, field: str = "year") -> int:
    """A `year` argument the API can compute with (raises BadInput otherwise)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput(field, f"must be between {FIRST_YEAR} and {LAST_YEAR}; got {year}")
    return year


def _in_range(day: date, field: str) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadInput(field, f"must be a date between {FIRST_YEAR} and {LAST_YEAR}; got {day.isoformat()}")
    return day


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight as a UTC instant: SQLite compares stored UTC text, so bounds must be UTC too."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def local_range(
    *, period: str | None, first_day: date | None, last_day: date | None, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """[start, end) in the county's time zone; every given bound narrows the range."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    if period:
        start, end = period_days(period)
        _in_range(start, "period")
        starts.append(_midnight(start, zone))
        ends.append(_midnight(end, zone))
    if first_day:
        starts.append(_midnight(_in_range(first_day, "from"), zone))
    if last_day:
        ends.append(_midnight(_in_range(last_day, "to") + timedelta(days=1), zone))
    return (max(starts) if starts else None, min(ends) if ends else None)
