"""The seed report's 2023 figures: expected values, and the same figures counted back from the data.

`seed_figures` reads the database (ORM already initialised by the caller) and never looks at
the generator; `document_figures` counts the same things in a lianxi/v1 document. Both take
the year in the county's own time zone (County.timezone), never in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from models.cases import Case, CaseEvent
from rules.case_timeline import derive_state
from rules.threads import in_thread_above
from models.enums import (
    SUCCESSFUL_OUTCOMES,
    CaseEventType,
    CaseKind,
    CaseLevel,
    CaseOutcome,
    CaseStatus,
    MeetingKind,
    MeetingStatus,
    Role,
)
from models.meetings import MediationVisit, Meeting
from models.people import RoleAssignment, in_force_filter
from models.units import County, Grid, HouseholdGroup, PartyGroup, Township, Village


@dataclass(frozen=True, slots=True)
class SeedFigure:
    zh: str
    en: str
    value: int


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    zh: str
    en: str
    expected: int
    computed: int

    @property
    def ok(self) -> bool:
        """True when the computed value equals the seed."""
        return self.expected == self.computed


# Every figure of the seed report (人民网, 2023-12-27) for Luodian's 2023, by stable id.
SEED_FIGURES: dict[str, SeedFigure] = {
    "townships": SeedFigure("乡(镇、街道)/镇级综治中心", "townships (township centres)", 10),
    "villages": SeedFigure("村级综治中心", "village-level centres", 186),
    "grids": SeedFigure("村级网格", "grids", 1244),
    "grid_workers": SeedFigure("网格员", "grid workers", 1244),
    "party_groups": SeedFigure("党小组", "party groups", 835),
    "household_groups": SeedFigure("联户", "household groups", 6977),
    "household_heads": SeedFigure("联户长", "household heads", 6977),
    "thematic_meetings": SeedFigure("召开专题会议", "thematic meetings held", 222),
    "plenary_meetings": SeedFigure("召开全体会议", "plenary meetings held", 25),
    "case_discussions": SeedFigure("研究矛盾纠纷和信访问题(件次)", "case-discussions at joint meetings", 211),
    "discussed_cases_resolved": SeedFigure("研究的问题中化解(个)", "discussed cases resolved", 92),
    "mediation_visits": SeedFigure("深入村组开展矛盾纠纷调解工作(次)", "mediation visits to villages", 1210),
    "disputes_handled": SeedFigure("调处矛盾纠纷(件)", "disputes handled", 1225),
    "disputes_collected": SeedFigure("线上线下收集矛盾纠纷隐患(条)", "dispute hazards collected online and offline", 1225),
    "disputes_mediated": SeedFigure("调解成功(条)", "disputes mediated successfully", 1203),
}

_Event = tuple[str, str | None, str | None]  # (type, to_level, outcome)


def resolved_with(reported_level: str, events: Iterable[_Event]) -> str | None:
    """The outcome in force after replaying a timeline, or None when the case is not resolved/closed."""
    timeline = list(events)
    state = derive_state(
        CaseLevel(reported_level),
        [(CaseEventType(t), CaseLevel(lvl) if lvl else None) for t, lvl, _ in timeline],
    )
    if state.status not in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        return None
    outcomes = [outcome for t, _, outcome in timeline if t == CaseEventType.RESOLVED]
    return outcomes[-1] if outcomes else None


def _is_success(outcome: str | None) -> bool:
    """True for the outcomes that count as resolved (SUCCESSFUL_OUTCOMES)."""
    return outcome is not None and outcome in {o.value for o in SUCCESSFUL_OUTCOMES}


def year_bounds(timezone: str, year: int) -> tuple[datetime, datetime]:
    """[1 January, next 1 January) at local midnight in the given time zone."""
    zone = ZoneInfo(timezone)
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _figures(computed: Mapping[str, int]) -> list[Figure]:
    """Pair each seed figure with its computed value (-1 when missing)."""
    return [Figure(key, seed.zh, seed.en, seed.value, int(computed.get(key, -1))) for key, seed in SEED_FIGURES.items()]


def document_figures(doc: Mapping[str, Any], *, county_code: str = "522728", year: int = 2023) -> dict[str, int]:
    """Count every seed figure in a lianxi/v1 document (same definitions as `seed_figures`)."""
    county = next(c for c in doc["counties"] if c["code"] == county_code)
    start, end = year_bounds(county.get("timezone", "Asia/Shanghai"), year)

    def in_year(value: str) -> bool:
        """True when an ISO instant falls in the year, local time."""
        return start <= datetime.fromisoformat(value) < end

    townships = county["townships"]
    villages = [v for t in townships for v in t["villages"]]
    grids = [g for v in villages for g in v["grids"]]
    groups = [h for g in grids for h in g["householdGroups"]]
    township_codes = {t["code"] for t in townships}
    village_codes = {v["code"] for v in villages}
    held = [m for m in doc.get("meetings", []) if m["township"] in township_codes
            and m.get("status", "HELD") == "HELD" and in_year(m["heldAt"])]
    discussed = {number for m in held for number in m.get("cases", [])}
    cases = {c["number"]: c for c in doc.get("cases", []) if c["village"] in village_codes}

    def outcome(case: Mapping[str, Any]) -> str | None:
        """The outcome in force at the end of the year."""
        events = [(e["type"], e.get("toLevel"), e.get("outcome")) for e in case["events"]
                  if datetime.fromisoformat(e["at"]) < end]
        return resolved_with(case["level"], events)

    disputes = [c for c in cases.values() if c["kind"] == "DISPUTE" and in_year(c["reportedAt"])]
    return {
        "townships": len(townships),
        "villages": len(villages),
        "grids": len(grids),
        "grid_workers": len({g["worker"] for g in grids if g.get("worker")}),
        "party_groups": sum(len(v.get("partyGroups", [])) for v in villages),
        "household_groups": len(groups),
        "household_heads": len({h["head"] for h in groups if h.get("head")}),
        "thematic_meetings": sum(1 for m in held if m["kind"] == "THEMATIC"),
        "plenary_meetings": sum(1 for m in held if m["kind"] == "PLENARY"),
        "case_discussions": sum(len(m.get("cases", [])) for m in held),
        "discussed_cases_resolved": sum(1 for n in discussed if n in cases and _is_success(outcome(cases[n]))),
        "mediation_visits": sum(1 for v in doc.get("mediationVisits", []) if v["village"] in village_codes and in_year(v["at"])),
        "disputes_collected": len(disputes),
        "disputes_handled": sum(1 for c in disputes if any(datetime.fromisoformat(e["at"]) < end for e in c["events"])),
        "disputes_mediated": sum(1 for c in disputes if outcome(c) == CaseOutcome.MEDIATED),
    }


async def _outcomes(case_filter: Q, end: datetime) -> dict[int, str | None]:
    """Case id → outcome in force at `end` for the cases matching a filter (one query each side)."""
    levels = dict(await Case.filter(case_filter).values_list("id", "reported_level"))
    timelines: dict[int, list[_Event]] = {case_id: [] for case_id in levels}
    rows = await CaseEvent.filter(case_id__in=list(levels), at__lt=end).order_by("case_id", "seq").values_list(
        "case_id", "type", "to_level", "outcome"
    ) if levels else []
    return await in_thread_above(len(rows), lambda: _replayed(levels, timelines, rows))


def _replayed(levels: dict[int, Any], timelines: dict[int, list[_Event]], rows: Iterable[tuple[Any, ...]]) -> dict[int, str | None]:
    """Each case's outcome from its events (pure Python: thousands of events run on a worker thread)."""
    for case_id, type_, to_level, outcome in rows:
        timelines[case_id].append((str(type_), str(to_level) if to_level else None, str(outcome) if outcome else None))
    return {case_id: resolved_with(str(levels[case_id]), timelines[case_id]) if timelines[case_id] else None
            for case_id in levels}


async def seed_figures(*, county_code: str, year: int) -> list[Figure]:
    """Every seed figure computed back from the database with ORM queries."""
    return await figures_between(county_code=county_code, first=date(year, 1, 1), last=date(year, 12, 31))


async def figures_between(*, county_code: str, first: date, last: date) -> list[Figure]:
    """The seed figures for local days [first, last] (a year, or an auditor report's window)."""
    county = await County.get(code=county_code)
    zone = ZoneInfo(county.timezone)
    # Bounds go to the database in UTC: SQLite compares the stored UTC text with the parameter's text,
    # so an aware bound in +08:00 would silently shift the year by eight hours.
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    last_day = last
    in_county = {"township__county": county}
    held = Meeting.filter(township__county=county, status=MeetingStatus.HELD, held_at__gte=start, held_at__lt=end)
    links = [pair for pair in await held.values_list("id", "cases__id") if pair[1] is not None]
    discussed = {case_id for _, case_id in links}
    discussed_outcomes = await _outcomes(Q(id__in=list(discussed)), end) if discussed else {}
    disputes = Q(kind=CaseKind.DISPUTE, township__county=county, reported_at__gte=start, reported_at__lt=end)
    dispute_outcomes = await _outcomes(disputes, end)
    handled = set(await CaseEvent.filter(case_id__in=list(dispute_outcomes), at__lt=end).values_list("case_id", flat=True)) \
        if dispute_outcomes else set()
    workers = await RoleAssignment.filter(
        in_force_filter(last_day), role=Role.GRID_WORKER, grid__village__township__county=county
    ).values_list("person_id", flat=True)
    heads = await RoleAssignment.filter(
        in_force_filter(last_day), role=Role.HOUSEHOLD_HEAD, household_group__grid__village__township__county=county
    ).values_list("person_id", flat=True)
    computed = {
        "townships": await Township.filter(county=county).count(),
        "villages": await Village.filter(**in_county).count(),
        "grids": await Grid.filter(village__township__county=county).count(),
        "grid_workers": len(set(workers)),
        "party_groups": await PartyGroup.filter(village__township__county=county).count(),
        "household_groups": await HouseholdGroup.filter(grid__village__township__county=county).count(),
        "household_heads": len(set(heads)),
        "thematic_meetings": await held.filter(kind=MeetingKind.THEMATIC).count(),
        "plenary_meetings": await held.filter(kind=MeetingKind.PLENARY).count(),
        "case_discussions": len(links),
        "discussed_cases_resolved": sum(1 for o in discussed_outcomes.values() if _is_success(o)),
        "mediation_visits": await MediationVisit.filter(
            village__township__county=county, at__gte=start, at__lt=end
        ).count(),
        "disputes_collected": len(dispute_outcomes),
        "disputes_handled": len(handled),
        "disputes_mediated": sum(1 for o in dispute_outcomes.values() if o == CaseOutcome.MEDIATED),
    }
    return _figures(computed)
