"""The one place that turns the database into JSON-safe facts for a county, a scope and an as-of.

Facts are pre-aggregated measurements (DESIGN §7): counts, instants as epoch seconds, day
numbers, states and the source ids the rule's evidence needs — never verdicts; the rulesets
compare them with the as-of and the parameters. Times for people are ISO strings in county time.
A county is read in a dozen queries whatever its size: no query per township-month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.alerts import Alert
from models.cases import Case
from models.enums import AlertStatus, Role
from models.supervision import SupervisionAssignment
from models.people import RoleAssignment
from models.select_any import select_any
from models.units import County, Grid, HouseholdGroup, Township, Village
from rules.case_facts import build_case_facts
from rules.config import CountyRules
from rules.deadlines import due_at, epoch
from rules.intervals import Intervals
from rules.period_facts import period_facts
from rules.periods import local_date, local_midnight, month_of, to_local_iso, to_utc_iso
from rules.scope import Evaluated, Scope, ScopeError
from rules.threads import in_thread

ESCALATION_RULE = "alert.unacknowledged"
__all__ = ["FactSet", "Intervals", "Scope", "ScopeError", "build_facts"]
Fact = dict[str, Any]


@dataclass(slots=True)
class FactSet:
    scope: Scope
    county_id: int
    tz: ZoneInfo
    as_of: datetime
    facts: list[Fact] = field(default_factory=list)
    township_ids: dict[str, int] = field(default_factory=dict)  # code → id, for alerts
    evaluated: Evaluated = field(default_factory=Evaluated)  # what the reconciler may confirm or resolve

    def evaluates(self, rule_id: str, subject: str, period: str | None) -> bool:
        """Whether this run evaluated that alert's subject and period."""
        return self.evaluated.covers(rule_id, subject, period, as_of=self.as_of, tz=self.tz)


Row = dict[str, Any]


async def _resolve_scope(scope: Scope) -> tuple[County, list[Row], list[Row], list[Row]]:
    """The county, all its townships, the townships in scope, and the explicit cases in scope."""
    county = await County.get_or_none(code=scope.county_code)
    if county is None:
        raise ScopeError(f"unknown county code {scope.county_code!r}")
    townships = await Township.filter(county_id=county.id).order_by("code").values("id", "code", "name")
    selected = townships
    cases: list[Row] = []
    if scope.case_numbers:
        cases = await Case.filter(number__in=sorted(scope.case_numbers)).values("id", "number", "township_id")
        ours = {t["id"] for t in townships}
        for number in sorted(scope.case_numbers - {c["number"] for c in cases if c["township_id"] in ours}):
            raise ScopeError(f"case {number!r} is not a case of county {scope.county_code}")
    if scope.township_code is not None:
        selected = [t for t in townships if t["code"] == scope.township_code]
        if not selected:
            raise ScopeError(f"township {scope.township_code!r} is not in county {scope.county_code}")
    if scope.periods:
        known = {t["code"] for t in townships}
        for code, _ in sorted(scope.periods):
            if code not in known:
                raise ScopeError(f"township {code!r} is not in county {scope.county_code}")
    return county, townships, selected, cases


async def build_facts(
    *, scope: Scope, as_of: datetime, settings: CountyRules, periods_only: bool = False, periods_within: tuple[date, date] | None = None
) -> FactSet:
    """Read everything the rules need for one scope at one instant (the as-of is the run's "now").

    `periods_within` (first, last day): month and quarter facts only for the periods overlapping those days
    (a report's window); cases, roster and alerts are read as usual.

    `periods_only`: just the township_month / township_quarter facts (the compliance grid needs no cases,
    roster or alerts; skipping them makes `Township.compliance` several times cheaper).
    """
    county, all_townships, townships, case_rows = await _resolve_scope(scope)
    tz = ZoneInfo(county.timezone)
    result = FactSet(scope=scope, county_id=county.id, tz=tz, as_of=as_of)
    result.township_ids = {t["code"]: t["id"] for t in all_townships}
    code_by_id = {t["id"]: t["code"] for t in all_townships}
    township_ids = [t["id"] for t in townships]
    leaders = Intervals()
    for row in await SupervisionAssignment.filter(township_id__in=list(code_by_id)).values(
        "id", "leader_id", "township_id", "valid_from", "valid_to"
    ):
        leaders.add(row["township_id"], row["valid_from"], row["valid_to"], row["id"], row["leader_id"])

    wanted = set(scope.periods) if scope.explicit else None
    period_townships = [t for t in townships if wanted is None or any(code == t["code"] for code, _ in wanted)]
    result.facts += await period_facts(
        county_id=county.id, supervised_from=county.supervised_from, townships=period_townships, as_of=as_of, tz=tz,
        leaders=leaders, wanted=wanted, open_month=not periods_only, within=periods_within,
    )
    if not periods_only:
        current = month_of(local_date(as_of, tz), tz).label
        result.evaluated.at_risk_townships = {
            t["code"] for t in period_townships if wanted is None or (t["code"], current) in wanted
        }
    if periods_only:
        return result
    if scope.explicit:
        case_filter: dict[str, Any] | None = {"id__in": [c["id"] for c in case_rows]} if case_rows else None
    else:
        case_filter = {"township_id__in": township_ids}
    if case_filter is not None:
        result.facts += await build_case_facts(
            case_filter=case_filter, as_of=as_of, tz=tz, settings=settings, code_by_id=code_by_id, leaders=leaders
        )
    if not scope.explicit:
        result.facts += await _roster_facts(township_ids, as_of, tz, code_by_id, leaders)
    if not scope.explicit or scope.escalations:
        result.facts += await _alert_facts(county.id, scope, township_ids, as_of, tz, settings)
    await in_thread(lambda: _add_facts(result))
    return result


def _add_facts(result: FactSet) -> None:
    """Note what the run evaluates (one key per fact and rule: ~10k facts for a county)."""
    for fact in result.facts:
        result.evaluated.add_fact(fact)


async def _roster_facts(
    township_ids: list[int], as_of: datetime, tz: ZoneInfo, code_by_id: dict[int, str], leaders: Intervals
) -> list[Fact]:
    """Grid and household-group facts, read level by level by parent ids, never by joins from the role table.

    A filter across relations becomes a LEFT JOIN chain that SQLite cannot reorder, so it scanned every
    role assignment of the database (a province: 700k) for each county.
    """
    today = local_date(as_of, tz)
    villages = {
        row["id"]: row["township_id"]
        for row in await Village.filter(township_id__in=township_ids).values("id", "township_id")
    }
    grids = await select_any(Grid, ("id", "code", "village_id", "retired_on"), "village_id", list(villages))
    township_of_grid = {g["id"]: villages[g["village_id"]] for g in grids}
    groups = await select_any(
        HouseholdGroup, ("id", "code", "grid_id", "retired_on"), "grid_id", list(township_of_grid)
    )
    levels = []
    for units, township_of, role, kind, flag, fk in (
        (grids, lambda unit: villages[unit["village_id"]], Role.GRID_WORKER, "grid", "worker_count", "grid_id"),
        (groups, lambda unit: township_of_grid[unit["grid_id"]], Role.HOUSEHOLD_HEAD, "household_group", "head_count",
         "household_group_id"),
    ):
        columns = ("id", fk, "person_id", "valid_from", "valid_to")
        holders = await select_any(RoleAssignment, columns, fk, [u["id"] for u in units], role=role.value)
        levels.append(_RosterLevel(units, township_of, holders, kind, flag, fk))
    # thousands of units and holders turned into facts: pure Python, off the event loop
    return await in_thread(lambda: _roster_level_facts(levels, today, tz, code_by_id, leaders))


@dataclass(slots=True)
class _RosterLevel:
    """One level of the roster as read (grids or household groups) and what its facts are called."""

    units: list[Row]
    township_of: Callable[[Row], int]
    holders: list[Row]
    kind: str
    flag: str
    fk: str


def _roster_level_facts(
    levels: list[_RosterLevel], today: date, tz: ZoneInfo, code_by_id: dict[int, str], leaders: Intervals
) -> list[Fact]:
    """A fact per unit: how many hold its role today, who, and the township's assigned leader."""
    assignee_of: dict[int, int | None] = {}  # township id → its leader today (one lookup per township, not per unit)
    facts: list[Fact] = []
    for level in levels:
        units, township_of, kind, flag, fk = level.units, level.township_of, level.kind, level.flag, level.fk
        holders = Intervals()
        for row in level.holders:
            holders.add(row[fk], _day(row["valid_from"]), _day(row["valid_to"]), row["id"], row["person_id"])
        for unit in sorted(units, key=lambda u: u["code"]):
            people = holders.on(unit["id"], today)
            township_id = township_of(unit)
            if township_id not in assignee_of:
                in_office = leaders.on(township_id, today)
                assignee_of[township_id] = in_office[0] if in_office else None
            facts.append(
                {
                    "id": f"{kind}|{unit['code']}",
                    "kind": kind,
                    "code": unit["code"],
                    "township": code_by_id[township_id],
                    flag: len(people),
                    "holder_ids": people,
                    "retired_epoch": _retired_epoch(unit["retired_on"], tz),
                    "on": today.isoformat(),
                    "assignee_id": assignee_of[township_id],
                }
            )
    return facts


# A unit that is not retired counts as retired at this instant (year 3000): the rules compare with the as-of.
NEVER_RETIRED_EPOCH = 32_503_680_000


def _retired_epoch(retired_on: date | str | None, tz: ZoneInfo) -> int:
    """From 00:00 local of `retired_on` the unit is merged or dissolved (epoch seconds; a measurement, not a verdict)."""
    day = _day(retired_on)
    return NEVER_RETIRED_EPOCH if day is None else int(local_midnight(day, tz).timestamp())


def _day(value: date | str | None) -> date | None:
    """A DATE column read without the ORM: SQLite gives ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


async def _alert_facts(
    county_id: int, scope: Scope, township_ids: Iterable[int], as_of: datetime, tz: ZoneInfo, settings: CountyRules
) -> list[Fact]:
    """Open, unacknowledged, unescalated alerts with the end of their A-day acknowledgement period (epoch)."""
    query = Alert.filter(
        county_id=county_id, status=AlertStatus.OPEN, acknowledged_at=None, escalated_at=None, raised_at__lte=as_of
    )
    if scope.township_code is not None:
        query = query.filter(township_id__in=list(township_ids))
    days = settings.params(ESCALATION_RULE)["A"]
    facts = []
    columns = ("id", "fingerprint", "rule_id", "subject_code", "period", "raised_at", "township__code")
    for row in await query.order_by("id").values(*columns):
        escalate_at = due_at(row["raised_at"], days, tz)  # Lianxi's own count: plain calendar days (DESIGN §2)
        facts.append(
            {
                "id": f"alert|{row['id']}",
                "kind": "alert",
                "alert_id": row["id"],
                "fingerprint": row["fingerprint"],
                "alert_rule_id": row["rule_id"],
                "subject_code": row["subject_code"],
                "period": row["period"],
                "township": row["township__code"],
                "raised_at": to_utc_iso(row["raised_at"]),
                "escalate_at": to_local_iso(escalate_at, tz),
                "escalate_epoch": epoch(escalate_at),
            }
        )
    return facts
