"""Applying a plan again replaces what the earlier plan put there, never what people recorded; an apply that
changes nothing writes nothing; unavailability can be listed and withdrawn; bad days and months are refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from core import rotation, transaction
from models.audit import AuditEntry
from models.enums import Role
from models.meetings import Meeting
from models.people import RoleAssignment
from rules.rotation import Plan, PlanInput
from tests.api.graphql import query, query_errors
from tests.rules.factories import bureau, county, person, supervise, township
from tests.writes import RECORD_MEETING, USER_ERRORS, at, gid, label, month_start, mutate

APPLY = f"""mutation($month: String!) {{ applyRotationPlan(countyCode: "522728", month: $month) {{
  changed plan {{ covered visits {{ leader {{ name }} staff {{ name }} }} }} {USER_ERRORS} }} }}"""
AWAY = f"""mutation($input: MarkUnavailableInput!) {{ markUnavailable(input: $input) {{
  unavailability {{ id person {{ name }} from to }} {USER_ERRORS} }} }}"""
LIST = """query($from: Date!, $to: Date!) { unavailability(countyCode: "522728", from: $from, to: $to) {
  id person { name } from to reason } }"""
WITHDRAW = f"""mutation($id: ID!) {{ withdrawUnavailability(id: $id) {{ unavailability {{ id person {{ name }} from to }} {USER_ERRORS} }} }}"""


async def _county() -> dict[str, Any]:
    c = await county()
    town = await township(c, "522728109", "沫阳镇")
    people = {name: await bureau(c, role, await person(name)) for name, role in (
        ("领导甲", Role.BUREAU_LEADER), ("领导乙", Role.BUREAU_LEADER), ("业务丙", Role.BUREAU_STAFF), ("业务丁", Role.BUREAU_STAFF))}
    await supervise(people["领导甲"], town, date(2023, 1, 1))
    people["村干部"] = await person("村干部")
    await RoleAssignment.create(person=people["村干部"], role=Role.CONVENER, township=town)  # the township's joint meeting
    return people


async def _attendees() -> list[str]:
    row = await Meeting.get(township__code="522728109").prefetch_related("attendees")
    return sorted(p.name for p in row.attendees)


def _away(people: dict[str, Any], name: str, day: date, **extra: str) -> dict[str, Any]:
    return {"countyCode": "522728", "personId": gid("Person", people[name].id), "from": day.isoformat(), "to": day.isoformat(), **extra}


async def test_a_new_plan_replaces_the_earlier_plan_s_attendees_and_keeps_the_recorded_ones(client_for: Any) -> None:
    people = await _county()
    nxt = month_start(-1)
    day = date(nxt.year, nxt.month, 10)
    mo_yang: httpx.AsyncClient = await client_for("TOWNSHIP", "522728109")
    recorded = await mutate(mo_yang, RECORD_MEETING, input={
        "townshipCode": "522728109", "kind": "THEMATIC", "status": "SCHEDULED", "heldAt": at(day, 9),
        "attendeeIds": [gid("Person", people["村干部"].id), gid("Person", people["业务丙"].id)]})
    assert recorded["userErrors"] == []
    clerk: httpx.AsyncClient = await client_for("BUREAU", "522728")

    first = await mutate(clerk, APPLY, month=label(nxt))
    assert first["userErrors"] == [] and first["changed"] is True
    assert first["plan"]["visits"] == [{"leader": {"name": "领导甲"}, "staff": {"name": "业务丙"}}]  # standing; already attending
    assert await _attendees() == ["业务丙", "村干部", "领导甲"]
    assert await AuditEntry.filter(action="applyRotationPlan").count() == 1

    again = await mutate(clerk, APPLY, month=label(nxt))
    assert again["userErrors"] == [] and again["changed"] is False  # nothing to change: nothing written
    assert await AuditEntry.filter(action="applyRotationPlan").count() == 1

    for name in ("领导甲", "业务丙"):
        assert (await mutate(clerk, AWAY, input=_away(people, name, day)))["userErrors"] == []
    moved = await mutate(clerk, APPLY, month=label(nxt))
    assert moved["changed"] is True
    assert moved["plan"]["visits"] == [{"leader": {"name": "领导乙"}, "staff": {"name": "业务丁"}}]
    # 领导甲 was the earlier plan's and goes; 业务丙 and 村干部 were recorded by the township and stay
    assert await _attendees() == ["业务丁", "业务丙", "村干部", "领导乙"]
    assert await AuditEntry.filter(action="applyRotationPlan").count() == 2


async def test_unavailability_is_listed_and_withdrawn_audited_within_the_jurisdiction(client_for: Any) -> None:
    people = await _county()
    clerk: httpx.AsyncClient = await client_for("BUREAU", "522728")
    day = date(2027, 3, 9)
    marked = await mutate(clerk, AWAY, input=_away(people, "领导甲", day, reason="省里培训"))
    assert marked["userErrors"] == []
    auditor: httpx.AsyncClient = await client_for("AUDITOR", "522728")

    listed = (await query(auditor, LIST, **{"from": "2027-03-01", "to": "2027-03-31"}))["unavailability"]
    assert listed == [{"id": marked["unavailability"]["id"], "person": {"name": "领导甲"}, "from": "2027-03-09", "to": "2027-03-09",
                       "reason": "省里培训"}]
    assert (await query(auditor, LIST, **{"from": "2027-04-01", "to": "2027-04-30"}))["unavailability"] == []
    assert "year" in (await query_errors(auditor, LIST, **{"from": "2027-01-01", "to": "2029-01-01"}))[0]["message"]

    refused = await mutate(auditor, WITHDRAW, id=listed[0]["id"])
    assert refused["unavailability"] is None and refused["userErrors"][0]["code"] == "FORBIDDEN"
    await county("522729", "望谟县")
    other = await client_for("BUREAU", "522729")  # another county's bureau: the mark is absent to it
    assert (await mutate(other, WITHDRAW, id=listed[0]["id"]))["userErrors"][0]["code"] == "NOT_FOUND"
    assert (await mutate(clerk, WITHDRAW, id="not-an-id"))["userErrors"][0]["code"] == "NOT_FOUND"

    withdrawn = await mutate(clerk, WITHDRAW, id=listed[0]["id"])
    assert withdrawn["userErrors"] == [] and withdrawn["unavailability"]["person"] == {"name": "领导甲"}
    assert (await query(auditor, LIST, **{"from": "2027-03-01", "to": "2027-03-31"}))["unavailability"] == []
    assert (await mutate(clerk, WITHDRAW, id=listed[0]["id"]))["userErrors"][0]["code"] == "NOT_FOUND"  # once only
    audit = await AuditEntry.filter(entity="unavailability").order_by("id").values_list("action", "county_code")
    assert audit == [("markUnavailable", "522728"), ("withdrawUnavailability", "522728")]


async def test_days_outside_the_api_s_years_and_months_in_other_digits_are_refused(client_for: Any) -> None:
    people = await _county()
    clerk: httpx.AsyncClient = await client_for("BUREAU", "522728")

    for first, last in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31"), ("1899-12-31", "1900-01-01")):
        refused = await mutate(clerk, AWAY, input={**_away(people, "领导甲", date(2027, 1, 1)), "from": first, "to": last})
        assert refused["unavailability"] is None and refused["userErrors"][0]["code"] == "INVALID", refused
    for month, says in (("２０２６-１２", "expected a month YYYY-MM"), ("٢٠٢٦-١٢", "expected a month YYYY-MM"),
                        ("2026-1", "expected a month YYYY-MM"), ("0001-01", "between the years 1900 and 2100"),
                        ("9999-12", "between the years 1900 and 2100")):
        errors = await query_errors(clerk, f'{{ rotationPlan(countyCode: "522728", month: "{month}") {{ covered }} }}')
        assert says in errors[0]["message"], (month, errors)
    assert await AuditEntry.filter(entity="unavailability").count() == 0


async def test_apply_solves_before_it_takes_the_county_s_write_lock(client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    await _county()
    nxt = month_start(-1)
    mo_yang: httpx.AsyncClient = await client_for("TOWNSHIP", "522728109")
    scheduled = await mutate(mo_yang, RECORD_MEETING, input={"townshipCode": "522728109", "kind": "THEMATIC", "status": "SCHEDULED",
                                                            "heldAt": at(date(nxt.year, nxt.month, 10), 9)})
    assert scheduled["userErrors"] == []
    inside: list[bool] = []

    async def watched(data: PlanInput) -> Plan:
        inside.append(transaction._current.get() is not None)  # an open write transaction holds the county's lock
        return await solve(data)

    solve = rotation.solve_rotation
    monkeypatch.setattr(rotation, "solve_rotation", watched)
    clerk: httpx.AsyncClient = await client_for("BUREAU", "522728")

    applied = await mutate(clerk, APPLY, month=label(nxt))

    assert applied["userErrors"] == [] and applied["changed"] is True
    assert inside == [False]
