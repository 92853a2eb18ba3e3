"""A retired unit takes no record dated on or after its retirement (DESIGN §1), whichever mutation names it.

The class test walks the schema: every mutation argument that takes a unit code (`code`, `…Code`, in any
input type) is found programmatically, the existing unit the catalogue's valid input names there is retired
(with its children, as `retireUnit` requires) a few days before the input's dates, and the call must answer a
userError on that very field and write nothing. A kind of unit that cannot be retired (counties, townships:
no `retired_on`) is checked to be one, so giving it a retirement later brings its mutations under the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from core import clock
from core.roster.units_of import MODEL_OF, UnitKind, kind_of_code
from models.enums import TokenRole
from models.cases import Case
from models.meetings import MediationVisit
from models.units import Grid, HouseholdGroup, PartyGroup, Village
from server.load import LoadError, load_document
from tests.api.graphql import query
from tests.mutation_catalog import MUTATIONS, NOW, SCOPE_OF, VALID, call, row_counts, scoped_role, stage, unit_code_fields
from tests.rules.factories import world
from tests.writes import USER_ERRORS, mutate

RETIRED_ON = date(2026, 12, 1)  # the catalogue's inputs are dated 2026-12-05 and 2026-12-06
NAMING = [name for name in MUTATIONS if unit_code_fields(name)]
CASES = [(name, role) for name in NAMING for role in (TokenRole.ADMIN, scoped_role(name)) if role is not None]


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def _at(variables: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        variables = (variables or {}).get(part)  # type: ignore[assignment]
    return variables


async def _retire(code: str) -> bool:
    """Retire the existing unit with this code and every unit under it from RETIRED_ON; False when none exists."""
    kind = kind_of_code(code)
    if kind is None or not await MODEL_OF[kind].exists(code=code):
        return False  # the field names a unit to be made (createUnit's code), not one that exists
    for model in (Village, Grid, HouseholdGroup, PartyGroup):
        await model.filter(code__startswith=code).update(retired_on=RETIRED_ON)
    return True


def test_the_walk_finds_the_mutations_that_name_units() -> None:
    """The walk is the schema's, so a new mutation taking a unit code is in CASES without anyone listing it."""
    assert {"reportCase", "recordMediationVisit", "assignRole", "handOverRole", "createUnit", "recordMeeting"} <= set(NAMING)
    assert unit_code_fields("createUnit") == [("input", "parentCode"), ("input", "code")]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{name}-{role.value}" for name, role in CASES])
async def test_a_retired_unit_takes_no_later_record_from_any_mutation(client_for, name: str, role: TokenRole) -> None:  # type: ignore[no-untyped-def]
    assert name in VALID, f"{name} takes a unit code but has no valid input in tests/mutation_catalog.py VALID"
    staged = await stage()
    variables = VALID[name](staged)
    retired = []
    for path in unit_code_fields(name):
        code = _at(variables, path)
        kind = kind_of_code(str(code))
        if kind in (UnitKind.COUNTY, UnitKind.TOWNSHIP):
            assert "retired_on" not in MODEL_OF[kind]._meta.fields_map, f"{kind} units can be retired now: {name} must refuse them"
            continue
        if await _retire(str(code)):
            retired.append(path)
    if not retired:
        pytest.skip(f"{name} names only units that are never retired (counties, townships)")
    client = await client_for(role.value, SCOPE_OF[role])
    before = await row_counts()
    payload = await call(client, name, variables)
    assert {tuple(error["field"]) for error in payload["userErrors"]} >= set(retired), payload
    assert all("retired on 2026-12-01" in e["message"] for e in payload["userErrors"] if tuple(e["field"]) in retired), payload
    assert await row_counts() == before, f"{name} wrote rows for a retired unit"


REPORT_CASE = f"""mutation($input: ReportCaseInput!) {{ reportCase(input: $input) {{ case {{ number }} {USER_ERRORS} }} }}"""
VISIT = f"""mutation($input: RecordMediationVisitInput!) {{ recordMediationVisit(input: $input) {{ visit {{ day }} {USER_ERRORS} }} }}"""


async def test_a_village_retired_in_january_takes_no_case_or_visit_in_november_but_keeps_its_history(client_for) -> None:  # type: ignore[no-untyped-def]
    """The issue's reproduction: retireUnit on 2026-01-01, then a case dated 2026-11-20 and a visit on 2026-11-21."""
    w = await world(established_on=date(2025, 10, 1))
    township = await client_for("TOWNSHIP", w.township.code)
    retire = f"""mutation($input: RetireUnitInput!) {{ retireUnit(input: $input) {{ {USER_ERRORS} }} }}"""
    assert (await mutate(township, retire, input={"code": w.village.code, "on": "2026-01-01"}))["userErrors"] == []
    case_input = {"villageCode": w.village.code, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT", "title": "土地纠纷"}
    late = await mutate(township, REPORT_CASE, input=case_input | {"reportedAt": "2026-11-20T09:00:00+08:00"})
    assert late["case"] is None and [(e["field"], e["code"]) for e in late["userErrors"]] == [(["input", "villageCode"], "INVALID")]
    assert w.village.code in late["userErrors"][0]["message"] and "2026-01-01" in late["userErrors"][0]["message"]
    on_the_day = await mutate(township, REPORT_CASE, input=case_input | {"reportedAt": "2026-01-01T00:00:00+08:00"})
    assert on_the_day["case"] is None  # retired from 00:00 local of the day
    before = await mutate(township, REPORT_CASE, input=case_input | {"reportedAt": "2025-12-31T23:59:00+08:00"})
    assert before["userErrors"] == [] and before["case"]["number"]  # history from before the retirement is still recorded

    staff = {"staffIds": [], "caseNumbers": []}
    visit = await mutate(township, VISIT, input={"villageCode": w.village.code, "day": "2026-11-21"} | staff)
    assert ["input", "villageCode"] in [e["field"] for e in visit["userErrors"]] and visit["visit"] is None
    cases = await query(township, "{ cases(first: 10) { totalCount } }")
    assert cases["cases"]["totalCount"] == 1


def _case_document(village: str, number: str, reported_at: str) -> dict[str, Any]:
    return {"format": "lianxi/v1", "cases": [{
        "number": number, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT", "village": village, "level": "VILLAGE",
        "reportedAt": reported_at, "title": "土地纠纷", "parties": [], "events": []}]}


async def test_lianxi_load_refuses_a_retired_village_s_later_records_like_the_api(orm: str) -> None:
    """The import is a write that names units too: a case or visit dated on or after the retirement (local day) is
    refused whole, naming the path; history from before the retirement still loads."""
    w = await world(established_on=date(2025, 10, 1))
    await Village.filter(id=w.village.id).update(retired_on=date(2026, 1, 1))
    late = _case_document(w.village.code, f"{w.village.code}-LOAD-1", "2026-01-01T00:30:00+08:00")  # 2025-12-31 16:30 UTC
    with pytest.raises(LoadError) as refused:
        await load_document(late)
    assert "cases[0].village" in str(refused.value) and "retired on 2026-01-01" in str(refused.value)
    visit = {"format": "lianxi/v1", "mediationVisits": [{
        "id": "V-LATE", "village": w.village.code, "at": "2026-11-21T10:00:00+08:00", "staff": []}]}
    with pytest.raises(LoadError) as refused_visit:
        await load_document(visit)
    assert "mediationVisits[0].village" in str(refused_visit.value)
    assert await Case.all().count() == 0 and await MediationVisit.all().count() == 0
    await load_document(_case_document(w.village.code, f"{w.village.code}-LOAD-2", "2025-12-31T23:59:00+08:00"))
    assert await Case.all().count() == 1
