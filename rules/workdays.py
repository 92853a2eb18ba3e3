"""The working calendar of case deadlines: which days are statutory rest days (法定休假日).

A deadline whose last day is a rest day moves to the next working day (民法典 art. 203). The
national calendar (weekends and public holidays as the State Council's yearly arrangement sets
them, make-up working days 调休 counted as working days) comes from the maintained package
`chinesecalendar` (module `chinese_calendar`), never from a list typed in here: a new year's
arrangement arrives as a package upgrade. A year the package does not cover yet falls back to
weekends only; the calendar says which years those are so `/healthz` and the run can say so.

A county's rules file chooses `national` (default) or `plain` (calendar days only: no day is a
rest day) and may `add` rest days or `remove` them (a day in `remove` is a working day whatever
the base says). Lianxi's own operational counts (`alert.unacknowledged`, `cadence.thematic_at_risk`)
use `PLAIN`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version
from typing import Any

import chinese_calendar

NATIONAL = "national"
PLAIN = "plain"
KINDS = (NATIONAL, PLAIN)
SATURDAY = 5
# The package's coverage, read from its own tables (it raises NotImplementedError outside them).
NATIONAL_FIRST_YEAR: int = min(chinese_calendar.holidays).year
NATIONAL_LAST_YEAR: int = max(chinese_calendar.holidays).year
SOURCE = f"chinesecalendar {version('chinesecalendar')}"
# No run of rest days is this long; a longer walk means the county's `add` list is wrong.
_MAX_REST_RUN = 60
_EPOCH_DAY = date(1970, 1, 1)


def day_number(day: date) -> int:
    """A local day as a whole number (days since 1970-01-01): the form days take in facts and ruleset constants."""
    return (day - _EPOCH_DAY).days


def national_covers(year: int) -> bool:
    """Whether the package holds the State Council's arrangement for `year`."""
    return NATIONAL_FIRST_YEAR <= year <= NATIONAL_LAST_YEAR


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    # Which days are rest days for one county's case deadlines (see the module docstring).

    kind: str = NATIONAL
    add: frozenset[date] = frozenset()
    remove: frozenset[date] = frozenset()

    def is_rest_day(self, day: date) -> bool:
        """A statutory rest day: the county's lists first, then the base calendar (weekends where it has no data)."""
        if day in self.remove:
            return False
        if day in self.add:
            return True
        if self.kind == PLAIN:
            return False
        if national_covers(day.year):
            return not chinese_calendar.is_workday(day)
        return day.weekday() >= SATURDAY

    def working_day_from(self, day: date) -> date:
        """`day` itself when it is a working day, else the next working day (art. 203)."""
        for _ in range(_MAX_REST_RUN):
            if not self.is_rest_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError(f"more than {_MAX_REST_RUN} rest days in a row before {day}: check the calendar's add list")

    def falls_back(self, day: date) -> bool:
        """Whether deciding `day` used weekends only because the national calendar does not cover its year."""
        return self.kind == NATIONAL and not national_covers(day.year) and day not in self.add | self.remove

    def fallback_years(self, days: Iterable[date]) -> list[int]:
        """The years among `days` (deadlines' last days) decided by weekends only, sorted."""
        return sorted({day.year for day in days if self.falls_back(day)})

    def as_record(self) -> dict[str, Any]:
        """JSON-safe: what a run used (kept in RuleRun.parameters) and what `/healthz` shows."""
        record: dict[str, Any] = {
            "kind": self.kind,
            "add": sorted(day.isoformat() for day in self.add),
            "remove": sorted(day.isoformat() for day in self.remove),
        }
        if self.kind == NATIONAL:
            record["source"] = SOURCE
            record["covers"] = [NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR]
        return record


NATIONAL_CALENDAR = WorkCalendar()
PLAIN_CALENDAR = WorkCalendar(kind=PLAIN)


def coverage(*, today: date) -> dict[str, Any]:
    """The national calendar's coverage for `/healthz`: its source, the years it covers, and whether this
    year and the next (where today's deadlines fall) are covered or fall back to weekends only."""
    uncovered = [year for year in (today.year, today.year + 1) if not national_covers(year)]
    body: dict[str, Any] = {
        "source": SOURCE,
        "covers": [NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR],
        "state": "fallback" if uncovered else "covered",
    }
    if uncovered:
        body["fallbackYears"] = uncovered
        body["note"] = (
            f"{', '.join(map(str, uncovered))}: no national arrangement in {SOURCE}; deadlines in "
            "these years move past weekends only (upgrade the package when the State Council publishes)"
        )
    return body
