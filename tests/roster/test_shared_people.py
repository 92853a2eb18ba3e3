"""A person who serves in two townships is one row: only the county bureau edits them, and neither township reads
the other's side of them (DESIGN §1: "a township sees and edits only the people of its own roster")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from core import clock
from models.audit import AuditEntry
from models.enums import Role
from models.people import Person
from models.units import County
from tests.api.graphql import query
from tests.rules.factories import SHANGHAI, bureau, grid, person, supervise, township, world
from tests.writes import USER_ERRORS, gid, mutate

NOW = datetime(2026, 12, 7, 10, tzinfo=SHANGHAI)
OTHER = "522728110"  # 逢亭镇, beside world()'s 沫阳镇 522728109
ASSIGN_ROLE = f"""mutation($input: AssignRoleInput!) {{ assignRole(input: $input) {{ assignment {{ unitCode }} {USER_ERRORS} }} }}"""
UPDATE_PERSON = f"""mutation($input: UpdatePersonInput!) {{ updatePerson(input: $input) {{ person {{ name phone }} {USER_ERRORS} }} }}"""
PERSON = """query($id: ID!) { node(id: $id) { ... on Person { name phone roles { role unitCode } } } }"""


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


async def _shared(client_for, from_day: str) -> tuple[Person, str]:  # type: ignore[no-untyped-def]
    """World()'s grid worker 王网格 (沫阳镇), given a convener's post in 逢亭镇 by the bureau from `from_day`."""
    w = await world()
    await township(w.county, OTHER, "逢亭镇")
    worker = await Person.create(ext_id="P-shared", name="王网格", phone="13912340000")
    unit = await grid(w.village, "01", worker=worker)
    bureau_client = await client_for("BUREAU", w.county.code)
    given = await mutate(bureau_client, ASSIGN_ROLE, input={"role": "CONVENER", "unitCode": OTHER, "from": from_day,
                                                           "personId": gid("Person", worker.id)})
    assert given["userErrors"] == [], given
    return worker, unit.code


@pytest.mark.parametrize("from_day", ["2026-01-01", "2027-03-01"])  # a present post, and one that starts later
async def test_a_township_does_not_edit_a_person_who_also_serves_in_another_township(client_for, from_day: str) -> None:  # type: ignore[no-untyped-def]
    worker, grid_code = await _shared(client_for, from_day)
    for role, scope in (("TOWNSHIP", OTHER), ("TOWNSHIP", "522728109"), ("VILLAGE", grid_code[:12])):
        token = await client_for(role, scope)
        refused = await mutate(token, UPDATE_PERSON, input={"id": gid("Person", worker.id), "name": "李改名", "phone": "13800000000"})
        assert refused["person"] is None
        [error] = refused["userErrors"]
        assert (error["field"], error["code"]) == (["input", "id"], "FORBIDDEN"), (role, scope, error)
        assert "county bureau" in error["message"] and "more than one place" in error["message"]
        for hidden in ("522728109", OTHER, "沫阳", "逢亭", grid_code):  # never says where else they serve
            assert hidden not in error["message"]
    assert (await Person.get(id=worker.id)).name == "王网格"
    assert await AuditEntry.filter(action="updatePerson").count() == 0

    county = await client_for("BUREAU", "522728")
    done = await mutate(county, UPDATE_PERSON, input={"id": gid("Person", worker.id), "phone": "13800000000"})
    assert done == {"person": {"name": "王网格", "phone": "13800000000"}, "userErrors": []}
    assert await AuditEntry.filter(action="updatePerson", county_code="522728").count() == 1


async def test_a_person_of_one_township_only_is_still_edited_by_it(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    worker = await person("赵网格")
    await grid(w.village, "01", worker=worker)
    for role, scope in (("TOWNSHIP", w.township.code), ("VILLAGE", w.village.code)):
        token = await client_for(role, scope)
        done = await mutate(token, UPDATE_PERSON, input={"id": gid("Person", worker.id), "name": f"赵{role[0]}"})
        assert done["userErrors"] == [] and done["person"]["name"] == f"赵{role[0]}"


async def test_a_bureau_role_or_a_rotation_makes_a_township_person_shared(client_for) -> None:  # type: ignore[no-untyped-def]
    """A grid worker who also works at the county bureau (or supervises a township) is the bureau's to edit."""
    w = await world()
    staff = await person("钱网格")
    await grid(w.village, "01", worker=staff)
    await bureau(w.county, Role.BUREAU_STAFF, staff, valid_from=date(2027, 1, 1))
    leader = await person("孙网格")
    await grid(w.village, "02", worker=leader)
    other = await township(w.county, OTHER, "逢亭镇")
    await supervise(leader, other, date(2025, 1, 1), date(2025, 12, 31))
    token = await client_for("TOWNSHIP", w.township.code)
    for who in (staff, leader):
        refused = await mutate(token, UPDATE_PERSON, input={"id": gid("Person", who.id), "name": "改"})
        assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"]


async def test_each_township_reads_only_its_own_side_of_a_shared_person(client_for) -> None:  # type: ignore[no-untyped-def]
    worker, grid_code = await _shared(client_for, "2026-01-01")
    here = await query(await client_for("TOWNSHIP", "522728109"), PERSON, id=gid("Person", worker.id))
    assert here["node"]["roles"] == [{"role": "GRID_WORKER", "unitCode": grid_code}]
    there = await query(await client_for("TOWNSHIP", OTHER), PERSON, id=gid("Person", worker.id))
    assert there["node"]["roles"] == [{"role": "CONVENER", "unitCode": OTHER}]
    third = await township(await County.get(code="522728"), "522728111", "罗悃镇")
    elsewhere = await query(await client_for("TOWNSHIP", third.code), PERSON, id=gid("Person", worker.id))
    assert elsewhere["node"] is None
    village = await query(await client_for("VILLAGE", grid_code[:12]), PERSON, id=gid("Person", worker.id))
    assert village["node"]["roles"] == [{"role": "GRID_WORKER", "unitCode": grid_code}]


async def test_an_admin_edit_of_a_person_shows_in_the_trail_of_every_county_they_serve(client_for) -> None:  # type: ignore[no-untyped-def]
    worker, _ = await _shared(client_for, "2026-01-01")
    admin = await client_for("ADMIN")
    done = await mutate(admin, UPDATE_PERSON, input={"id": gid("Person", worker.id), "name": "王更正"})
    assert done["userErrors"] == []
    auditor = await client_for("AUDITOR", "522728")
    trail = await query(auditor, '{ auditLog(filter: {entity: "person"}) { edges { node { action countyCode entityKey } } } }')
    assert [edge["node"] for edge in trail["auditLog"]["edges"]] == [
        {"action": "updatePerson", "countyCode": "522728", "entityKey": "P-shared"},
    ]


async def test_a_person_who_serves_nowhere_is_not_edited_unaudited(client_for) -> None:  # type: ignore[no-untyped-def]
    """Someone loaded without any place has no county whose trail would show the edit: ADMIN gives them a role first."""
    nobody = await Person.create(ext_id="P-nowhere", name="无岗位")
    admin = await client_for("ADMIN")
    refused = await mutate(admin, UPDATE_PERSON, input={"id": gid("Person", nobody.id), "name": "改"})
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["input", "id"], "INVALID")]
    assert (await Person.get(id=nobody.id)).name == "无岗位" and await AuditEntry.all().count() == 0
