"""A bureau clerk plans next month's supervision rotation: sees the gap, has it filled, applies a full plan."""

from __future__ import annotations

import pytest

from datetime import date

from models.audit import AuditEntry
from models.enums import MeetingStatus, Role
from models.meetings import Meeting
from tests.api.graphql import query
from tests.rules.factories import bureau, county, local, meeting, person, supervise, township
from tests.writes import RECORD_MEETING, USER_ERRORS, at, gid, label, month_start, mutate

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

PLAN = """query($month: String!) { rotationPlan(countyCode: "522728", month: $month) {
  month leaderCap townships covered complete
  visits { townshipCode keepsStanding meeting { id status heldAt } leader { name } staff { name } }
  gaps { townshipCode reason message } } }"""
APPLY = f"""mutation($month: String!) {{ applyRotationPlan(countyCode: "522728", month: $month) {{
  plan {{ covered complete visits {{ townshipCode leader {{ name }} staff {{ name }} }} }} {USER_ERRORS} }} }}"""
AWAY = f"""mutation($input: MarkUnavailableInput!) {{ markUnavailable(input: $input) {{
  unavailability {{ person {{ name }} from to reason }} {USER_ERRORS} }} }}"""


async def _county() -> dict:  # type: ignore[type-arg]
    c = await county()
    towns = [await township(c, code, name) for code, name in (("522728001", "斛兴街道"), ("522728107", "龙坪镇"), ("522728109", "沫阳镇"))]
    await bureau(c, Role.BUREAU_HEAD, await person("黄元吉"))
    lead_a = await bureau(c, Role.BUREAU_LEADER, await person("领导甲"))
    lead_b = await bureau(c, Role.BUREAU_LEADER, await person("领导乙"))
    staff = [await bureau(c, Role.BUREAU_STAFF, await person(name)) for name in ("业务丙", "业务丁")]
    for unit, leader in zip(towns, (lead_a, lead_a, lead_b), strict=True):
        await supervise(leader, unit, date(2023, 1, 1))
    return {"county": c, "towns": towns, "lead_a": lead_a, "lead_b": lead_b, "staff": staff}


async def test_a_bureau_clerk_sees_the_uncovered_township_gets_a_meeting_scheduled_and_applies_a_full_plan(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await _county()
    nxt = month_start(-1)
    first = date(nxt.year, nxt.month, 10)
    await meeting(w["towns"][0], local(nxt.year, nxt.month, 10, 9), status=MeetingStatus.SCHEDULED)
    await meeting(w["towns"][1], local(nxt.year, nxt.month, 10, 10), status=MeetingStatus.SCHEDULED)  # same half-day
    clerk = await client_for("BUREAU", "522728")

    away = await mutate(clerk, AWAY, input={"countyCode": "522728", "personId": gid("Person", w["lead_a"].id),
                                           "from": first.isoformat(), "to": first.isoformat(), "reason": "省里培训"})
    assert away["userErrors"] == [] and away["unavailability"]["person"] == {"name": "领导甲"}

    proposed = (await query(clerk, PLAN, month=label(nxt)))["rotationPlan"]
    assert (proposed["townships"], proposed["covered"], proposed["complete"], proposed["leaderCap"]) == (3, 2, False, 3)
    assert [(g["townshipCode"], g["reason"]) for g in proposed["gaps"]] == [("522728109", "NO_SCHEDULED_MEETING")]
    leaders = {v["leader"]["name"] for v in proposed["visits"]}
    staff = {v["staff"]["name"] for v in proposed["visits"]}
    assert "领导甲" not in leaders and len(leaders) == 2 and len(staff) == 2  # away that day; same half-day → different people

    mo_yang = await client_for("TOWNSHIP", "522728109")
    scheduled = await mutate(mo_yang, RECORD_MEETING, input={"townshipCode": "522728109", "kind": "THEMATIC", "status": "SCHEDULED",
                                                            "heldAt": at(date(nxt.year, nxt.month, 20), 15)})
    assert scheduled["userErrors"] == []

    again = (await query(clerk, PLAN, month=label(nxt)))["rotationPlan"]
    assert (again["covered"], again["complete"], again["gaps"]) == (3, True, [])
    mo_yang_visit = next(v for v in again["visits"] if v["townshipCode"] == "522728109")
    assert (mo_yang_visit["leader"]["name"], mo_yang_visit["keepsStanding"]) == ("领导乙", True)

    applied = await mutate(clerk, APPLY, month=label(nxt))
    assert applied["userErrors"] == [] and applied["plan"]["complete"] is True
    for visit in applied["plan"]["visits"]:
        row = await Meeting.get(township__code=visit["townshipCode"]).prefetch_related("attendees")
        assert sorted(p.name for p in row.attendees) == sorted([visit["leader"]["name"], visit["staff"]["name"]])
        assert row.status == MeetingStatus.SCHEDULED
    assert await AuditEntry.filter(action="applyRotationPlan").count() == 3
    assert (await query(clerk, PLAN, month=label(nxt)))["rotationPlan"]["visits"] == again["visits"]  # stable once applied


async def test_an_auditor_reads_the_plan_and_can_change_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await _county()
    nxt = month_start(-1)
    await meeting(w["towns"][0], local(nxt.year, nxt.month, 12, 9), status=MeetingStatus.SCHEDULED)
    auditor = await client_for("AUDITOR", "522728")
    assert (await query(auditor, PLAN, month=label(nxt)))["rotationPlan"]["covered"] == 1
    refused = await mutate(auditor, APPLY, month=label(nxt))
    assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"] and refused["plan"] is None
    away = await mutate(auditor, AWAY, input={"countyCode": "522728", "personId": gid("Person", w["lead_a"].id), "from": "2024-01-01", "to": "2024-01-02"})
    assert [e["code"] for e in away["userErrors"]] == ["FORBIDDEN"]
    township = await client_for("TOWNSHIP", "522728109")
    assert [e["code"] for e in (await mutate(township, APPLY, month=label(nxt)))["userErrors"]] == ["FORBIDDEN"]
    assert await Meeting.filter(attendees__id__isnull=False).count() == 0


async def test_a_bad_month_is_named(client_for) -> None:  # type: ignore[no-untyped-def]
    await _county()
    clerk = await client_for("BUREAU", "522728")
    response = await clerk.post("/graphql", json={"query": PLAN, "variables": {"month": "2024-13"}})
    assert "expected a month YYYY-MM" in response.json()["errors"][0]["message"]
