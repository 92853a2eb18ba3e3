"""Turn API period arguments (a label, or first/last local days) into UTC instants for filtering."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from models.units import County
from rules.periods import parse_period
from core.errors import BadInput

_YEAR = re.compile(r"^[0-9]{4}$")  # ASCII digits only


def _period_bounds(label: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of `2023` (API only) or of a rule period label `2023-05` / `2023-Q2` (rules.periods)."""
    if _YEAR.match(label):
        year = check_year(int(label), "period")
        return _midnight(date(year, 1, 1), zone), _midnight(date(year + 1, 1, 1), zone)
    try:
        period = parse_period(label, zone)
    except ValueError:
        raise BadInput("period", f"expected YYYY, YYYY-MM or YYYY-Qn; got {label!r}") from None
    _in_range(period.first, "period")
    return period.start.astimezone(UTC), period.end.astimezone(UTC)


# The years any date or instant may fall in (filters, writes, runs, reports): wide enough for any record, far
# from datetime's year 1 / 9999 edges, and near enough that no as-of asks the engine for centuries of periods.
FIRST_YEAR, LAST_YEAR = 1900, 2100


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
        start, end = _period_bounds(period, zone)
        starts.append(start)
        ends.append(end)
    if first_day:
        starts.append(_midnight(_in_range(first_day, "from"), zone))
    if last_day:
        ends.append(_midnight(_in_range(last_day, "to") + timedelta(days=1), zone))
    return (max(starts) if starts else None, min(ends) if ends else None)


async def local_range_filter(
    *, column: str, county_path: str, period: str | None, first_day: date | None, last_day: date | None, default: ZoneInfo
) -> Q | None:
    """`local_range` in each county's own zone: `2023-05` is May in Urumqi time for Urumqi's rows, in Shanghai time for Shanghai's."""
    names = sorted(set(await County.all().values_list("timezone", flat=True))) or [default.key]
    parts: list[Q] = []
    for name in names:
        start, end = local_range(period=period, first_day=first_day, last_day=last_day, zone=ZoneInfo(name))
        if start is None and end is None:
            return None
        bounds = {f"{column}__gte": start, f"{column}__lt": end}
        parts.append(Q(**{f"{county_path}__timezone": name}, **{k: v for k, v in bounds.items() if v is not None}))
    return Q(*parts, join_type="OR")
