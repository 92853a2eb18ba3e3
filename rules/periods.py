"""Calendar months and quarters in a county's time zone: labels, local bounds, and which periods are due for evaluation.

A period is evaluated only when it is closed (its end ≤ as-of) and the township's joint
meeting was established on or before the period's first day (DESIGN §2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rules.catalog import PERIOD_MONTH, PERIOD_QUARTER

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # ASCII digits only
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    # A calendar month or quarter: [first, end) in local dates; `start`/`end` are aware local instants.

    first: date
    kind: str
    end_day: date  # the first day after the period
    tz: ZoneInfo

    @property
    def label(self) -> str:
        if self.kind == PERIOD_MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return f"{self.first.year:04d}-Q{(self.first.month - 1) // 3 + 1}"

    @property
    def last(self) -> date:
        return self.end_day - timedelta(days=1)

    @property
    def start(self) -> datetime:
        return local_midnight(self.first, self.tz)

    @property
    def end(self) -> datetime:
        return local_midnight(self.end_day, self.tz)

    def is_closed(self, as_of: datetime) -> bool:
        return self.end <= as_of

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def months(self) -> list[Period]:
        """The months of this period (itself for a month)."""
        result, day = [], self.first
        while day < self.end_day:
            result.append(month_of(day, self.tz))
            day = result[-1].end_day
        return result


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """00:00 local time of a day, as an aware datetime (handles zones with DST)."""
    return datetime.combine(day, time.min, tzinfo=tz)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day an instant falls on in the county's zone."""
    return moment.astimezone(tz).date()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(day: date, tz: ZoneInfo) -> Period:
    """The calendar month containing a local date."""
    first = day.replace(day=1)
    return Period(first=first, kind=PERIOD_MONTH, end_day=_add_months(first, 1), tz=tz)


def quarter_of(day: date, tz: ZoneInfo) -> Period:
    """The calendar quarter containing a local date."""
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(first=first, kind=PERIOD_QUARTER, end_day=_add_months(first, 3), tz=tz)


def period_of(kind: str, day: date, tz: ZoneInfo) -> Period:
    """The month or quarter containing a local date."""
    return month_of(day, tz) if kind == PERIOD_MONTH else quarter_of(day, tz)


def parse_period(label: str, tz: ZoneInfo) -> Period:
    """`2023-05` → that month, `2023-Q2` → that quarter; ValueError otherwise."""
    if match := _MONTH.match(label):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return month_of(date(year, month, 1), tz)
    if match := _QUARTER.match(label):
        return quarter_of(date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1), tz)
    raise ValueError(f"not a period label (2023-05 or 2023-Q2): {label!r}")


def closed_periods(kind: str, *, since: date, as_of: datetime, tz: ZoneInfo) -> Iterator[Period]:
    """Every month or quarter from the one containing `since` whose end is ≤ as-of, oldest first."""
    period = period_of(kind, since, tz)
    while period.is_closed(as_of):
        yield period
        period = period_of(kind, period.end_day, tz)


def evaluable(period: Period, established_on: date | None) -> bool:
    """A township's period counts only if its joint meeting existed on the period's first day."""
    return established_on is not None and established_on <= period.first


def to_utc_iso(moment: datetime) -> str:
    """The JSON form of an instant in facts and evidence (UTC, ISO 8601, comparable as text)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_local_iso(moment: datetime, tz: ZoneInfo) -> str:
    """An instant as the county reads it (ISO 8601 with the local offset)."""
    return moment.astimezone(tz).isoformat()
