"""What one run evaluates: a whole county, one township, or explicit (township, period) pairs and cases.

A write re-evaluates exactly what it touched (`Scope.of_write`), however old; the reconciler
confirms or resolves only alerts the run evaluated (`FactSet.evaluates`), so a scoped run or a
run at an earlier as-of never touches the alerts of other subjects or of later periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rules.catalog import CASE_RULES, CATALOG, PERIOD_MONTH, PERIOD_QUARTER
from rules.periods import local_date, month_of, parse_period, quarter_of

AT_RISK_RULE = "cadence.thematic_at_risk"
RULES_OF_FACT: dict[str, tuple[str, ...]] = {
    "township_month": tuple(r for r, s in CATALOG.items() if s.period == PERIOD_MONTH and r != AT_RISK_RULE),
    "township_quarter": tuple(r for r, s in CATALOG.items() if s.period == PERIOD_QUARTER),
    "township_open_month": (AT_RISK_RULE,),
    "case": tuple(sorted(CASE_RULES)),
    "grid": tuple(r for r, s in CATALOG.items() if s.subject == "grid"),
    "household_group": tuple(r for r, s in CATALOG.items() if s.subject == "household_group"),
}
Key = tuple[str, str, str | None]  # (rule id, subject code, period label or None)


class ScopeError(ValueError):
    """The requested county, township or case does not exist (or is not in that county)."""


@dataclass(frozen=True, slots=True)
class Scope:
    county_code: str
    township_code: str | None = None  # one whole township: its periods, cases and roster
    periods: frozenset[tuple[str, str]] | None = None  # explicit (township code, month or quarter label) pairs
    case_numbers: frozenset[str] | None = None  # explicit cases
    escalations: bool = False  # explicit scope: also the county's open alerts for `alert.unacknowledged` (replay)

    @property
    def explicit(self) -> bool:
        """A write's scope: only the listed periods and cases (no roster; escalation only when asked)."""
        return self.periods is not None or self.case_numbers is not None

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"county": self.county_code}
        if self.township_code:
            record["township"] = self.township_code
        if self.periods:
            record["periods"] = sorted(f"{code}:{label}" for code, label in self.periods)
        if self.case_numbers:
            record["cases"] = sorted(self.case_numbers)
        return record


def periods_touched(township_code: str, moments: Iterable[datetime], tz: ZoneInfo) -> frozenset[tuple[str, str]]:
    """The month and quarter of each instant (a meeting's old and new dates), for one township."""
    pairs: set[tuple[str, str]] = set()
    for moment in moments:
        day = local_date(moment, tz)
        pairs |= {(township_code, month_of(day, tz).label), (township_code, quarter_of(day, tz).label)}
    return frozenset(pairs)


@dataclass(slots=True)
class Evaluated:
    # The alerts a run may confirm or resolve: keys of the facts it built, and the townships whose
    # at-risk state it looked at (an at-risk alert of a month that has closed resolves).

    keys: set[Key] = field(default_factory=set)
    at_risk_townships: set[str] = field(default_factory=set)

    def add_fact(self, fact: dict[str, Any]) -> None:
        subject = fact.get("case_number") or fact.get("code") or fact.get("township")
        for rule_id in RULES_OF_FACT.get(fact["kind"], ()):
            self.keys.add((rule_id, str(subject), fact.get("period") if CATALOG[rule_id].period else None))

    def covers(self, rule_id: str, subject: str, period: str | None, *, as_of: datetime, tz: ZoneInfo) -> bool:
        """Whether the run evaluated this alert's subject (so a missing finding resolves it)."""
        if (rule_id, subject, period) in self.keys:
            return True
        if rule_id == AT_RISK_RULE and subject in self.at_risk_townships and period is not None:
            return parse_period(period, tz).end <= as_of  # the month closed: its early warning is over
        return False

    def fingerprints(self) -> list[str]:
        """The fingerprints of every evaluated key (to load a scoped run's alerts by fingerprint)."""
        return sorted(f"{r}|{s}|{p}" if p is not None else f"{r}|{s}" for r, s, p in self.keys)
