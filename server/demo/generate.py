"""Build the deterministic Luodian county (罗甸县) 2023 dataset as one lianxi/v1 document."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.demo import plan, plan_later
from server.demo.cases import Context, DemoCase
from server.demo.clock import YEAR_END, YEAR_START
from server.demo.continuation import continue_until
from server.demo.disputes import build_disputes
from server.demo.followup import build_visits, fill_discussions, link_uncounted
from server.demo.meetings import Meeting, build_meetings
from server.demo.names import Faker
from server.demo.petitions import build_historical, build_petitions
from server.demo.units import People, build_townships, villages_by_township

SEED = 2023


def _bureau(people: People) -> list[dict[str, Any]]:
    """The county petition bureau: head, leadership members, business staff (ids P00001–P00010)."""
    head_id, head_name = plan.BUREAU_HEAD
    people.add(head_name, person_id=head_id)
    bureau: list[dict[str, Any]] = [{"person": head_id, "role": "BUREAU_HEAD"}]
    for pid, name in plan.BUREAU_LEADERS:
        people.add(name, person_id=pid)
        bureau.append({"person": pid, "role": "BUREAU_LEADER"})
    for pid, name, start, end in plan.BUREAU_STAFF:
        people.add(name, person_id=pid)
        entry: dict[str, Any] = {"person": pid, "role": "BUREAU_STAFF"}
        if start:
            entry["from"] = start
        if end:
            entry["to"] = end
        bureau.append(entry)
    return bureau


def _supervision(rows: list[tuple[str, str, str, str | None]]) -> list[dict[str, Any]]:
    """The leadership rotation (分片联系) entries."""
    out = []
    for leader, township, start, end in rows:
        entry = {"leader": leader, "township": township, "from": start}
        if end:
            entry["to"] = end
        out.append(entry)
    return out


def _number(cases: list[DemoCase]) -> None:
    """Give case numbers in report order: disputes per township and year, petitions per county and year."""
    counters: dict[str, int] = {}
    for case in cases:
        year = case.reported.year
        prefix = f"{case.township}-JF-{year}" if case.kind == "DISPUTE" else f"{plan.COUNTY_CODE}-XF-{year}"
        counters[prefix] = counters.get(prefix, 0) + 1
        case.number = f"{prefix}-{counters[prefix]:04d}"


def _held_2023(meetings: list[Meeting]) -> dict[str, list[Meeting]]:
    """Township code → its HELD meetings of 2023 (local time), in time order."""
    held: dict[str, list[Meeting]] = {t.code: [] for t in plan.TOWNSHIPS}
    for meeting in meetings:
        if meeting.status == "HELD" and YEAR_START <= meeting.when < YEAR_END:
            held[meeting.township].append(meeting)
    return held


@dataclass
class Built:
    """Everything the generator made, before it becomes a document."""

    people: People
    bureau: list[dict[str, Any]]
    townships: list[dict[str, Any]]
    supervision: list[tuple[str, str, str, str | None]]
    meetings: list[Meeting]
    cases: list[DemoCase]
    visits: list[dict[str, Any]]
    supervised_from: str | None = None


def _build_2023() -> Built:
    """The 2023 dataset (random.Random(2023), no clock)."""
    rng = random.Random(SEED)
    faker = Faker(rng)
    people = People(faker)
    bureau = _bureau(people)
    townships = build_townships(rng, faker, people)
    meetings = build_meetings(rng, townships)
    ctx = Context(rng, faker, villages_by_township(townships), _held_2023(meetings))
    cases = build_disputes(ctx) + build_petitions(ctx) + build_historical(ctx)
    fill_discussions(ctx, cases, meetings)
    link_uncounted(cases, meetings)
    visits = build_visits(ctx, cases)
    # Records complete from 2023-01-01 (DESIGN §2 supervisedFrom): 2021–2022 are not evaluated.
    return Built(people, bureau, townships, list(plan.SUPERVISION), meetings, cases, visits, f"{plan.YEAR}-01-01")


def build_luodian_2023() -> dict[str, Any]:
    """The 2023 demo document alone; the same bytes on every call."""
    return _document(_build_2023())


def build_luodian(today: date) -> dict[str, Any]:
    """The demo from 2023 to the build day: 2023 as the seed report has it, then generated activity
    up to 00:00 local of `today` (only SCHEDULED meetings lie later); the same bytes for the same day."""
    if today < plan_later.FIRST_LATER_DAY:
        raise ValueError(f"the demo continues 2023 up to its build day; {today} is before 2024-01-01")
    built = _build_2023()
    continue_until(built, today)
    return _document(built)


def _document(built: Built) -> dict[str, Any]:
    """The lianxi/v1 document: cases numbered in report order, visits numbered in time order."""
    cases = sorted(built.cases, key=lambda c: (c.reported, c.township, c.kind))
    _number(cases)
    rows = []
    for n, visit in enumerate(sorted(built.visits, key=lambda v: (v["at"], v["village"])), start=1):
        row = {**visit, "id": f"MV{n:05d}"}  # "at" is ISO text with the +08:00 offset: sorts as time does
        if "case" in row:
            row["case"] = row["case"].number
        rows.append(row)
    county: dict[str, Any] = {"code": plan.COUNTY_CODE, "name": plan.COUNTY_NAME, "timezone": plan.TIMEZONE}
    if built.supervised_from:
        county["supervisedFrom"] = built.supervised_from
    county.update({"bureau": built.bureau, "townships": built.townships, "supervision": _supervision(built.supervision)})
    meetings = sorted(built.meetings, key=lambda m: (m.when, m.township, m.kind))
    return {
        "format": "lianxi/v1",
        "people": built.people.rows,
        "counties": [county],
        "meetings": [m.to_json() for m in meetings],
        "cases": [c.to_json() for c in cases],
        "mediationVisits": rows,
    }
