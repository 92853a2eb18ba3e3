"""Repeat discussions up to the seed's 211 case-discussions, and the 1,210 mediation visits."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from server.demo.cases import Context, DemoCase
from server.demo.clock import CST, LAST_EVENT, YEAR_START, at, daytime, days, iso, parse
from server.demo.meetings import Meeting

CASE_DISCUSSIONS = 211  # seed: 研究矛盾纠纷和信访问题211件次
MEDIATION_VISITS = 1210  # seed: 深入村组开展矛盾纠纷调解工作1210余次
LINKED_VISITS = 540
VISIT_NOTES = ("入户调解", "院坝会调解", "矛盾纠纷排查走访", "调解回访", "联户长陪同上门调解")


def discussions(meetings: list[Meeting]) -> int:
    """Case-discussions on HELD meetings of 2023."""
    return sum(len(m.cases) for m in meetings if m.status == "HELD" and m.when.year == 2023)


def fill_discussions(ctx: Context, cases: list[DemoCase], meetings: list[Meeting]) -> None:
    """Study the still-open cases again at later meetings until there are exactly 211 discussions."""
    pool = [c for c in cases if c.discussed_in and c.open]
    missing = CASE_DISCUSSIONS - discussions(meetings)
    if missing < 0:
        raise AssertionError(f"{-missing} discussions too many before filling")
    while missing:
        case = ctx.rng.choice(pool)
        after = case.events[0]["when"] if case.events else case.reported  # once accepted / escalated
        options = [m for m in ctx.meetings(case.township, after, LAST_EVENT) if m not in case.discussed_in]
        if not options:
            pool.remove(case)
            continue
        case.discuss(ctx.rng.choice(options))
        missing -= 1


def link_uncounted(cases: list[DemoCase], meetings: list[Meeting]) -> None:
    """Cases put on meetings that must not count (cancelled, or scheduled for 2024)."""
    for meeting in meetings:
        if meeting.status == "HELD":
            continue
        match = next((c for c in cases if c.township == meeting.township and c.open and c.reported < meeting.when
                      and c.discussed_in), None)
        if match is not None:
            meeting.cases.append(match)  # not via discuss(): not a discussion


def _visit(village: dict[str, Any], when: datetime, note: str, case: DemoCase | None = None) -> dict[str, Any]:
    """A visit entry (id given once all are sorted; case replaced by its number later)."""
    out: dict[str, Any] = {"id": "", "village": village["code"], "at": iso(when), "note": note}
    if case is not None:
        out["case"] = case
    return out


def build_visits(ctx: Context, cases: list[DemoCase]) -> list[dict[str, Any]]:
    """1,210 mediation visits in 2023 (plus two on 2024-01-01 that must not count), ids in time order."""
    rng = ctx.rng
    disputes = [c for c in cases if c.kind == "DISPUTE" and YEAR_START <= c.reported and c.events]
    visits = []
    for _ in range(LINKED_VISITS):
        case = rng.choice(disputes)
        end = case.resolved_at if not case.open and case.resolved_at else min(case.reported + days(20), LAST_EVENT)
        when = daytime(rng, case.reported + timedelta(minutes=30), end)
        visits.append(_visit(case.village, when, rng.choice(VISIT_NOTES[:2] + VISIT_NOTES[3:]), case))
    # 2023-01-01 07:30 local is 2022-12-31 in UTC: counts for 2023.
    visits.append(_visit(ctx.pick_village("522728109"), parse("2023-01-01T07:30:00+08:00"), "元旦矛盾纠纷排查走访"))
    while len(visits) < MEDIATION_VISITS:
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(365))
        when = at(day, time(rng.randint(8, 18), rng.randrange(60)))
        visits.append(_visit(ctx.pick_village(), when, rng.choice(VISIT_NOTES)))
    # 2024-01-01 07:00 and 07:20 local are still 2023 in UTC: they must not count.
    visits.append(_visit(ctx.pick_village("522728109"), datetime(2024, 1, 1, 7, 0, tzinfo=CST), "元旦矛盾纠纷排查走访"))
    visits.append(_visit(ctx.pick_village("522728111"), datetime(2024, 1, 1, 7, 20, tzinfo=CST), "元旦矛盾纠纷排查走访"))
    visits.sort(key=lambda v: (v["at"], v["village"]))
    for n, visit in enumerate(visits, start=1):
        visit["id"] = f"MV{n:05d}"
    return visits

