"""Build the deterministic Luodian county (罗甸县) 2023 dataset as one lianxi/v1 document."""

from __future__ import annotations

import random
from typing import Any

from server.demo import plan
from server.demo.cases import Context, DemoCase
from server.demo.clock import YEAR_START, YEAR_END
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


def _supervision() -> list[dict[str, Any]]:
    """The leadership rotation (分片联系) entries."""
    out = []
    for leader, township, start, end in plan.SUPERVISION:
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


def build_luodian_2023() -> dict[str, Any]:
    """The whole demo document; the same bytes on every call (random.Random(2023), no clock)."""
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
    cases.sort(key=lambda c: (c.reported, c.township, c.kind))
    _number(cases)
    for visit in visits:
        if "case" in visit:
            visit["case"] = visit["case"].number
    return {
        "format": "lianxi/v1",
        "people": people.rows,
        "counties": [{
            "code": plan.COUNTY_CODE,
            "name": plan.COUNTY_NAME,
            "timezone": plan.TIMEZONE,
            "supervisedFrom": f"{plan.YEAR}-01-01",  # records complete from 2023 (DESIGN §2 supervisedFrom)
            "bureau": bureau,
            "townships": townships,
            "supervision": _supervision(),
        }],
        "meetings": [m.to_json() for m in meetings],
        "cases": [c.to_json() for c in cases],
        "mediationVisits": visits,
    }
