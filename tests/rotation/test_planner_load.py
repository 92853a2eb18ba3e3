"""A township floods a month with SCHEDULED meetings; any county reader then asks for the rotation plan.

The plan must come back quickly, the same twice, as a plan (with gaps and reasons where it cannot cover) —
and the event loop keeps serving other requests while the planner works (it solves in a worker process).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from time import perf_counter
from typing import Any

import httpx
import pytest

from core import rotation
from models.enums import MeetingKind, MeetingStatus, Role
from models.meetings import Meeting
from tests.api.graphql import query, query_errors
from rules.rotation import MAX_MEETINGS_PER_TOWNSHIP, Plan, PlanInput
from tests.rules.factories import bureau, county, local, meeting, person, supervise, township

MONTH = "2027-01"
FLOOD = 4005
PLAN = f"""{{ rotationPlan(countyCode: "522728", month: "{MONTH}") {{
  townships covered complete meetingsLeftOut
  visits {{ townshipCode keepsStanding meeting {{ id heldAt }} leader {{ name }} staff {{ name }} }}
  gaps {{ townshipCode reason message }} }} }}"""


async def _flooded_county() -> None:
    """Three townships and a small bureau; 沫阳镇 holds 4,005 SCHEDULED thematic meetings in the month (written
    straight to the database, as a township could have recorded them one by one)."""
    c = await county()
    towns = [await township(c, code, name) for code, name in (("522728001", "斛兴街道"), ("522728107", "龙坪镇"), ("522728109", "沫阳镇"))]
    await bureau(c, Role.BUREAU_HEAD, await person("黄元吉"))
    leaders = [await bureau(c, Role.BUREAU_LEADER, await person(name)) for name in ("领导甲", "领导乙")]
    for name in ("业务丙", "业务丁", "业务戊"):
        await bureau(c, Role.BUREAU_STAFF, await person(name))
    await supervise(leaders[0], towns[0], date(2023, 1, 1))
    await meeting(towns[0], local(2027, 1, 12, 9), status=MeetingStatus.SCHEDULED)
    flood = towns[2]
    await Meeting.bulk_create([
        Meeting(ext_id=f"FLOOD{n}", township=flood, kind=MeetingKind.THEMATIC, status=MeetingStatus.SCHEDULED, number=n + 1,
                held_at=local(2027, 1, 1, 8) + timedelta(days=n % 31, minutes=(n // 31) * 5))
        for n in range(FLOOD)
    ], batch_size=500)


async def test_a_flooded_month_is_planned_quickly_identically_twice_and_the_server_stays_responsive(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _flooded_county()
    auditor: httpx.AsyncClient = await client_for("AUDITOR", "522728")
    done = asyncio.Event()
    beats: list[float] = []  # /healthz answered while the plan was worked out
    spins = [0]  # turns of the event loop
    while_solving: list[int] = []  # turns of the loop during each solve

    async def healthz() -> None:
        while not done.is_set():
            assert (await auditor.get("/healthz")).status_code in (200, 503)
            beats.append(perf_counter())

    async def spin() -> None:
        while not done.is_set():
            spins[0] += 1
            await asyncio.sleep(0)

    async def watched(data: PlanInput) -> Plan:
        before = spins[0]
        plan = await solve(data)
        while_solving.append(spins[0] - before)
        return plan

    solve = rotation.solve_rotation
    monkeypatch.setattr(rotation, "solve_rotation", watched)
    watchers = [asyncio.create_task(healthz()), asyncio.create_task(spin())]
    try:
        started = perf_counter()
        first = await query(auditor, PLAN)
        elapsed = perf_counter() - started
    finally:
        done.set()
        await asyncio.gather(*watchers)
    second = await query(auditor, PLAN)

    assert first == second  # deterministic: the same data gives the same plan
    plan = first["rotationPlan"]
    assert (plan["townships"], plan["covered"]) == (3, 2)
    assert plan["meetingsLeftOut"] == FLOOD - MAX_MEETINGS_PER_TOWNSHIP  # the cap per township-month, said in the answer
    assert [(g["townshipCode"], g["reason"]) for g in plan["gaps"]] == [("522728107", "NO_SCHEDULED_MEETING")]
    assert elapsed < 20, elapsed  # generous: a loaded CI machine; the solve itself is bounded by deterministic work
    # The solve ran off the loop: the loop kept turning during it, and /healthz was answered meanwhile.
    assert while_solving and all(turns > 0 for turns in while_solving), while_solving
    assert [b for b in beats if b >= started], "no /healthz answered while the plan was worked out"


async def test_aliases_cannot_multiply_solves(client_for: Any) -> None:
    await _flooded_county()
    auditor: httpx.AsyncClient = await client_for("AUDITOR", "522728")
    five = "{ " + " ".join(f'p{n}: rotationPlan(countyCode: "522728", month: "{MONTH}") {{ covered }}' for n in range(5)) + " }"

    errors = await query_errors(auditor, five)

    assert len(errors) == 1 and "Query cost" in errors[0]["message"], errors
