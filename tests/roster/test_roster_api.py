"""A village keeps its roster through the API: grid workers leave and are replaced, units are created and retired."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from core import clock
from models.audit import AuditEntry
from models.people import RoleAssignment
from tests.rules.factories import grid, household_group, person, world
from tests.writes import ALERT_CHANGES, SHANGHAI, USER_ERRORS, gid, mutate

HOLDING = "id role unitCode validFrom validTo person { name phone }"
END_ROLE = f"""mutation($input: EndRoleInput!) {{ endRole(input: $input) {{
  assignment {{ {HOLDING} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""
ASSIGN_ROLE = f"""mutation($input: AssignRoleInput!) {{ assignRole(input: $input) {{
  assignment {{ {HOLDING} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""
HAND_OVER = f"""mutation($input: HandOverRoleInput!) {{ handOverRole(input: $input) {{
  assignment {{ {HOLDING} }} ended {{ {HOLDING} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""
CREATE_UNIT = f"""mutation($input: CreateUnitInput!) {{ createUnit(input: $input) {{
  unit {{ __typename ... on Grid {{ code name }} ... on Village {{ code name kind households }} ... on HouseholdGroup {{ code households }} }}
  {ALERT_CHANGES} {USER_ERRORS} }} }}"""
UPDATE_UNIT = f"""mutation($input: UpdateUnitInput!) {{ updateUnit(input: $input) {{ unit {{ ... on Grid {{ code name }} }} {USER_ERRORS} }} }}"""
RETIRE_UNIT = f"""mutation($input: RetireUnitInput!) {{ retireUnit(input: $input) {{ unit {{ ... on Grid {{ code }} }} {USER_ERRORS} }} }}"""
UPDATE_PERSON = f"""mutation($input: UpdatePersonInput!) {{ updatePerson(input: $input) {{ person {{ name phone }} {USER_ERRORS} }} }}"""
GRID_RULE = "roster.grid_worker_missing"


pytestmark = pytest.mark.fixed_clock  # "today" is tests/conftest.py's FIXED_NOW, as the server sees it


def _today() -> str:
    return clock.local_today(SHANGHAI).isoformat()


def _days(n: int) -> str:
    return (clock.local_today(SHANGHAI) + timedelta(days=n)).isoformat()


def _roster(payload: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(c["kind"], c["alert"]["subjectCode"]) for c in payload["alertChanges"] if c["alert"]["ruleId"] == GRID_RULE]


async def test_a_village_replaces_its_grid_worker_and_the_roster_alert_resolves_in_the_same_response(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    leaving = await person("王网格")
    unit = await grid(w.village, "01", worker=leaving)
    village = await client_for("VILLAGE", w.village.code)
    role_id = gid("RoleAssignment", (await RoleAssignment.get(person_id=leaving.id)).id)

    left = await mutate(village, END_ROLE, input={"id": role_id, "lastDay": _days(-1)})
    assert left["userErrors"] == [] and left["assignment"]["validTo"] == _days(-1)
    assert _roster(left) == [("RAISED", unit.code)]

    bad = await mutate(village, ASSIGN_ROLE, input={"role": "GRID_WORKER", "unitCode": unit.code, "from": _today(),
                                                   "newPerson": {"name": "\u200b", "phone": "call me"}})  # both refused by the input policy
    assert sorted(tuple(e["field"]) for e in bad["userErrors"]) == [("input", "newPerson", "name"), ("input", "newPerson", "phone")]

    hired = await mutate(village, ASSIGN_ROLE, input={"role": "GRID_WORKER", "unitCode": unit.code, "from": _today(),
                                                     "newPerson": {"name": "李新", "phone": "13912340000"}})
    assert hired["userErrors"] == []
    assert hired["assignment"]["person"] == {"name": "李新", "phone": "13912340000"}
    assert _roster(hired) == [("RESOLVED", unit.code)]

    twice = await mutate(village, ASSIGN_ROLE, input={"role": "GRID_WORKER", "unitCode": unit.code, "from": _days(3),
                                                     "personId": gid("Person", leaving.id)})
    assert [e["code"] for e in twice["userErrors"]] == ["CONFLICT"]
    assert [e.action for e in await AuditEntry.filter(entity="role").order_by("id")] == ["endRole", "assignRole"]


async def test_a_handover_ends_the_old_holder_the_day_before_and_starts_the_new_one(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    old, new = await person("赵旧"), await person("钱新")
    unit = await grid(w.village, "01", worker=old)
    await household_group(unit, "01", head=new)  # someone the township can name: a head of one of its household groups
    township = await client_for("TOWNSHIP", w.township.code)
    done = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": _days(2),
                                                   "personId": gid("Person", new.id)})
    assert done["userErrors"] == [] and _roster(done) == []
    assert (done["ended"]["person"]["name"], done["ended"]["validTo"]) == ("赵旧", _days(1))
    assert (done["assignment"]["person"]["name"], done["assignment"]["validFrom"], done["assignment"]["validTo"]) == ("钱新", _days(2), None)
    again = await mutate(township, HAND_OVER, input={"role": "GRID_WORKER", "unitCode": unit.code, "on": _days(5),
                                                    "personId": gid("Person", new.id)})
    assert [e["code"] for e in again["userErrors"]] == ["INVALID"]


async def test_units_follow_the_import_code_rules_and_scope(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    village = await client_for("VILLAGE", w.village.code)
    wrong = await mutate(village, CREATE_UNIT, input={"kind": "GRID", "parentCode": w.village.code, "code": w.village.code + "1", "name": "第一网格"})
    assert [e["field"] for e in wrong["userErrors"]] == [["input", "code"]]
    assert "its village code + 2 digits" in wrong["userErrors"][0]["message"]

    made = await mutate(village, CREATE_UNIT, input={"kind": "GRID", "parentCode": w.village.code, "code": w.village.code + "03", "name": "第三网格"})
    assert made["userErrors"] == [] and made["unit"] == {"__typename": "Grid", "code": w.village.code + "03", "name": "第三网格"}
    assert _roster(made) == [("RAISED", w.village.code + "03")]  # a grid without a worker is a gap at once
    group = await mutate(village, CREATE_UNIT, input={"kind": "HOUSEHOLD_GROUP", "parentCode": w.village.code + "03",
                                                      "code": w.village.code + "0301", "households": 7})
    assert group["unit"] == {"__typename": "HouseholdGroup", "code": w.village.code + "0301", "households": 7}
    renamed = await mutate(village, UPDATE_UNIT, input={"code": w.village.code + "03", "name": "江亭三组网格"})
    assert renamed["unit"] == {"code": w.village.code + "03", "name": "江亭三组网格"}
    busy = await mutate(village, RETIRE_UNIT, input={"code": w.village.code + "03", "on": _today()})
    assert [e["code"] for e in busy["userErrors"]] == ["CONFLICT"]
    assert (await mutate(village, RETIRE_UNIT, input={"code": w.village.code + "0301", "on": _today()}))["userErrors"] == []
    assert (await mutate(village, RETIRE_UNIT, input={"code": w.village.code + "03", "on": _today()}))["unit"] == {"code": w.village.code + "03"}

    # a village does not create villages nor rename itself; its township does (out of reach reads as missing)
    sibling = await mutate(village, CREATE_UNIT, input={"kind": "VILLAGE", "parentCode": w.township.code, "code": w.township.code + "202", "name": "新村"})
    assert [(e["field"], e["code"]) for e in sibling["userErrors"]] == [(["input", "parentCode"], "NOT_FOUND")]
    renamed_self = await mutate(village, UPDATE_UNIT, input={"code": w.village.code, "name": "改名"})
    assert [(e["field"], e["code"]) for e in renamed_self["userErrors"]] == [(["input", "code"], "NOT_FOUND")]
    township = await client_for("TOWNSHIP", w.township.code)
    made = await mutate(township, CREATE_UNIT, input={"kind": "VILLAGE", "parentCode": w.township.code, "code": w.township.code + "202",
                                                      "name": "新村", "villageKind": "COMMUNITY", "households": 120})
    assert made["unit"] == {"__typename": "Village", "code": w.township.code + "202", "name": "新村", "kind": "COMMUNITY", "households": 120}


async def test_an_auditor_reads_the_roster_and_changes_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    worker = await person("孙网格")
    unit = await grid(w.village, "01", worker=worker)
    auditor = await client_for("AUDITOR", w.county.code)
    for document, variables in (
        (HAND_OVER, {"role": "GRID_WORKER", "unitCode": unit.code, "on": _today(), "newPerson": {"name": "周"}}),
        (CREATE_UNIT, {"kind": "GRID", "parentCode": w.village.code, "code": w.village.code + "09", "name": "x"}),
        (RETIRE_UNIT, {"code": unit.code, "on": _today()}),
        (UPDATE_PERSON, {"id": gid("Person", worker.id), "name": "改"}),
    ):
        refused = await mutate(auditor, document, input=variables)
        assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"], document
    assert await RoleAssignment.filter(grid_id=unit.id).count() == 1


async def test_a_person_is_corrected_with_a_checked_phone(client: httpx.AsyncClient) -> None:
    w = await world()
    bad = await mutate(client, UPDATE_PERSON, input={"id": gid("Person", w.staff.id), "phone": "abc"})
    assert [e["field"] for e in bad["userErrors"]] == [["input", "phone"]]
    ok = await mutate(client, UPDATE_PERSON, input={"id": gid("Person", w.staff.id), "phone": "13800000000"})
    assert ok == {"person": {"name": "业务员乙", "phone": "13800000000"}, "userErrors": []}
    entry = await AuditEntry.get(action="updatePerson")
    assert entry.after["phone"] == "138****0000"  # type: ignore[index]


async def test_a_retired_grid_needs_no_worker_and_its_roster_alert_resolves(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    village = await client_for("VILLAGE", w.village.code)
    code = w.village.code + "04"
    made = await mutate(village, CREATE_UNIT, input={"kind": "GRID", "parentCode": w.village.code, "code": code, "name": "第四网格"})
    assert _roster(made) == [("RAISED", code)]
    retire = f"""mutation($input: RetireUnitInput!) {{ retireUnit(input: $input) {{ unit {{ ... on Grid {{ code }} }}
      {ALERT_CHANGES} {USER_ERRORS} }} }}"""
    retired = await mutate(village, retire, input={"code": code, "on": _today()})
    assert retired["userErrors"] == []
    assert _roster(retired) == [("RESOLVED", code)]


async def test_a_village_clerks_roster_alert_names_no_township_it_may_not_read(client_for) -> None:  # type: ignore[no-untyped-def]
    """The alert is the clerk's (its subject is the clerk's grid); its township is outside the clerk's jurisdiction,
    so it reads as null — like `Case.township` — and not as a door to the township's villages and meetings."""
    w = await world()
    leaving = await person("吴网格")
    await grid(w.village, "01", worker=leaving)
    village = await client_for("VILLAGE", w.village.code)
    ending = """mutation($input: EndRoleInput!) { endRole(input: $input) { alertChanges { alert { subjectCode
      township { code villages { code } meetings { totalCount } } } } userErrors { code } } }"""
    role_id = gid("RoleAssignment", (await RoleAssignment.get(person_id=leaving.id)).id)
    ended = await mutate(village, ending, input={"id": role_id, "lastDay": _days(-1)})
    assert ended["userErrors"] == [] and ended["alertChanges"]
    assert [change["alert"]["township"] for change in ended["alertChanges"]] == [None] * len(ended["alertChanges"])
    township = await client_for("TOWNSHIP", w.township.code)
    seen = await township.post("/graphql", json={"query": "{ alerts(first: 5) { edges { node { township { code } } } } }"})
    assert {edge["node"]["township"]["code"] for edge in seen.json()["data"]["alerts"]["edges"]} == {w.township.code}
