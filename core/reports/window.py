"""The report's window of local days [from, to] and which periods and findings belong to it.

- Months and quarters belong when they overlap the window (a whole-year window gives its 12
  months and 4 quarters; `2023-02-15..2023-03-31` gives February, March and Q1).
- Case findings have no period: they belong when the case's time limit had ended by the end of
  the window and the case is still open and overdue at the as-of (the engine reports only
  those). A case overdue since before `from` is included; one that fell due after `to` is not.
- Roster findings (a grid without a worker…) describe the as-of: they always belong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rules.catalog import PERIOD_MONTH, PERIOD_QUARTER
from rules.periods import Period, local_midnight, month_of, parse_period, quarter_of
from core.periods import FIRST_YEAR, LAST_YEAR

MAX_SPAN_DAYS = 3 * 366 + 1  # at most three years (leap days included)
# A plausibility bound (a report's cost no longer grows with it: only the window's periods are evaluated,
# core/reports/build.py): an as-of decades after the window is a typing mistake, said at once.
MAX_AS_OF_LAG = timedelta(days=5 * 366)


class ReportInputError(ValueError):
    """A report argument the service cannot use; `argument` names it (countyCode, from, to, asOf, rules, knownAt)."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument
        self.message = message


@dataclass(frozen=True, slots=True)
class Window:
    first: date
    last: date
    tz: ZoneInfo

    @property
    def end(self) -> datetime:
        """00:00 local of the day after `to` (the window is inclusive)."""
        return local_midnight(self.last + timedelta(days=1), self.tz)

    def periods(self, kind: str) -> list[Period]:
        """The months or quarters overlapping the window, oldest first."""
        start = month_of(self.first, self.tz) if kind == PERIOD_MONTH else quarter_of(self.first, self.tz)
        result = []
        while start.first <= self.last:
            result.append(start)
            start = month_of(start.end_day, self.tz) if kind == PERIOD_MONTH else quarter_of(start.end_day, self.tz)
        return result

    def holds_period(self, label: str) -> bool:
        """A month or quarter label overlapping the window."""
        period = parse_period(label, self.tz)
        return period.first <= self.last and self.first <= period.last

    def holds(self, finding: dict[str, Any], deadline: datetime | None) -> bool:
        """Does a finding belong in the report (see the module docstring)?"""
        if finding.get("period"):
            return self.holds_period(finding["period"])
        if deadline is not None:
            return deadline <= self.end
        return True


def check_window(first: date, last: date, tz: ZoneInfo, *, as_of: datetime | None = None, known_at: datetime | None = None) -> Window:
    """A valid window (and instants), or ReportInputError naming `from`, `to`, `asOf` or `knownAt`."""
    for name, day in (("from", first), ("to", last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ReportInputError(name, f"must be a date between {FIRST_YEAR} and {LAST_YEAR}; got {day.isoformat()}")
    if first > last:
        raise ReportInputError("from", f"{first.isoformat()} is after to ({last.isoformat()})")
    if (last - first).days + 1 > MAX_SPAN_DAYS:
        raise ReportInputError("to", f"a report covers at most three years; {first.isoformat()}..{last.isoformat()} is longer")
    window = Window(first=first, last=last, tz=tz)
    for name, moment in (("asOf", as_of), ("knownAt", known_at)):
        # the year is read in the instant's own offset first: 9999-12-31T23:59:59+14:00 is past datetime's range in UTC
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ReportInputError(name, f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {moment.isoformat()}")
    if as_of is not None and as_of > window.end + MAX_AS_OF_LAG:
        raise ReportInputError(
            "asOf", f"must be at most {MAX_AS_OF_LAG.days // 366} years after `to` ({last.isoformat()}); got {as_of.isoformat()}"
        )
    return window


__all__ = ["PERIOD_MONTH", "PERIOD_QUARTER", "ReportInputError", "Window", "check_window"]
