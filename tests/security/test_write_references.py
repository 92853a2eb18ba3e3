"""Every ID or code in every mutation input, for every role that may call it: a value out of the caller's reach
gets exactly the answer a value that does not exist gets, and neither writes anything.

The fields are found in the schema (like the root-field matrix in tests/auth/test_matrix.py): an argument or
input field typed `ID`, or a `String` whose name ends in `Code` or `Number(s)`. A new one fails here by name
until it is given a kind below, with values out of reach for each role.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLScalarType, get_named_type
from tortoise import Tortoise

from models.alerts import Alert
from models.people import Person, RoleAssignment
from models.meetings import Meeting
from models.rotation import Unavailability
from models.units import County
from models.enums import TokenRole
from resolvers.root_rules import ROOT_RULES
from core.global_ids import to_global_id
from server.graphql import build_graphql_schema
from core.settings import Settings
from tests.auth.conftest import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, SCOPES, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, post

SCHEMA = build_graphql_schema(Settings())._schema
OTHER_COUNTY_TOWNSHIP = "522701001"
AT = "2023-06-10T10:00:00+08:00"
# A caller-chosen identifier, not a reference: a case number given must carry a unit code in the caller's jurisdiction
# (core/cases.number_problem), so a taken one (CONFLICT) only ever names a case in reach.
# So is a new unit's code: it must extend its (in-reach) parent's code, so a taken one only ever names a unit in reach.
NOT_REFERENCES = {"reportCase.input.number", "createUnit.input.code"}
KIND = {  # field → what it names
    "recordMeeting.input.townshipCode": "township", "recordMeeting.input.attendeeIds": "attendee",
    "recordMeeting.input.caseNumbers": "meeting case", "updateMeeting.input.id": "meeting", "updateMeeting.input.attendeeIds": "attendee",
    "updateMeeting.input.caseNumbers": "meeting case", "cancelMeeting.id": "meeting", "reportCase.input.villageCode": "village",
    "addCaseEvent.input.caseNumber": "case", "addCaseEvent.input.approverId": "approver", "assignSupervisor.input.townshipCode": "township",
    "assignSupervisor.input.leaderId": "leader", "acknowledgeAlert.id": "alert", "waiveAlert.id": "alert", "runCompliance.countyCode": "county",
    "assignRole.input.unitCode": "grid", "assignRole.input.personId": "roster person", "handOverRole.input.unitCode": "grid",
    "handOverRole.input.personId": "roster person", "endRole.input.id": "role assignment", "updatePerson.input.id": "roster person",
    "createUnit.input.parentCode": "village", "updateUnit.input.code": "managed unit", "retireUnit.input.code": "managed unit",
    "recordMediationVisit.input.villageCode": "village", "recordMediationVisit.input.staffIds": "visit staff",
    "recordMediationVisit.input.caseNumbers": "visit case", "applyRotationPlan.countyCode": "county",
    "markUnavailable.input.countyCode": "county", "markUnavailable.input.personId": "bureau member", "setSupervisedFrom.countyCode": "county",
    "withdrawUnavailability.id": "unavailability",
}


def _reference_fields() -> list[str]:
    """`mutation.argument[.inputField]` for every ID- or code-typed value a mutation takes."""
    found = []

    def is_reference(name: str, type_: Any) -> bool:
        named = get_named_type(type_)
        return isinstance(named, GraphQLScalarType) and (
            named.name == "ID" or (named.name == "String" and name.lower().endswith(("code", "number", "numbers")))
        )

    for mutation, field in SCHEMA.mutation_type.fields.items():
        for arg_name, arg in field.args.items():
            named = get_named_type(arg.type)
            if isinstance(named, GraphQLInputObjectType):
                found += [f"{mutation}.{arg_name}.{n}" for n, f in named.fields.items() if is_reference(n, f.type)]
            elif is_reference(arg_name, arg.type):
                found.append(f"{mutation}.{arg_name}")
    return found


def test_every_reference_field_of_every_mutation_is_covered() -> None:
    unknown = [f for f in _reference_fields() if f not in KIND and f not in NOT_REFERENCES]
    assert not unknown, f"give these mutation fields a kind in KIND (and out-of-reach values): {unknown}"
    assert not set(KIND) - set(_reference_fields()), f"stale: {set(KIND) - set(_reference_fields())}"


async def _person(ext_id: str) -> str:
    return to_global_id("Person", (await Person.get(ext_id=ext_id)).id)


async def _role(ext_id: str) -> str:
    """A role assignment the person holds."""
    return to_global_id("RoleAssignment", (await RoleAssignment.filter(person__ext_id=ext_id).order_by("id").first()).id)  # type: ignore[union-attr]


async def _meeting(ext_id: str) -> str:
    return to_global_id("Meeting", (await Meeting.get(ext_id=ext_id)).id)


async def _alert(county: str) -> str:
    return to_global_id("Alert", (await Alert.filter(county__code=county).order_by("id").first()).id)  # type: ignore[union-attr]


async def _unavailability(county: str, ext_id: str) -> str:
    """Days marked for a bureau member of the county (created here: the roster fixture has none)."""
    row = await Unavailability.create(person=await Person.get(ext_id=ext_id), county=await County.get(code=county),
                                      first_day=date(2024, 1, 1), last_day=date(2024, 1, 2))
    return to_global_id("Unavailability", row.id)


async def _baseline(mutation: str) -> dict[str, Any]:
    """Arguments in reach of every writing role (沫阳镇, 江亭村); each reference is one that field accepts."""
    grid, worker = f"{VILLAGE}01", await _person(f"W{VILLAGE}01")  # the grid's worker: a CONFLICT or INVALID, never a write
    meeting_input = {"attendeeIds": [await _person(f"CC{TOWNSHIP}"), await _person("LEADER")], "caseNumbers": [f"C{TOWNSHIP}"]}
    return {
        "recordMeeting": {"input": {"townshipCode": TOWNSHIP, "kind": "THEMATIC", "status": "HELD", "heldAt": AT, **meeting_input}},
        "updateMeeting": {"input": {"id": await _meeting(f"M{TOWNSHIP}"), **meeting_input}},
        "cancelMeeting": {"id": await _meeting(f"M{TOWNSHIP}"), "reason": "改期"},
        "reportCase": {"input": {"villageCode": VILLAGE, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT",
                                 "level": "VILLAGE", "reportedAt": AT, "title": "土地纠纷"}},
        "addCaseEvent": {"input": {"caseNumber": f"C{TOWNSHIP}", "type": "EXTENDED", "at": AT, "days": 10, "approverId": await _person("HEAD")}},
        "assignSupervisor": {"input": {"leaderId": await _person("LEADER"), "townshipCode": TOWNSHIP, "from": "2024-03-01"}},
        "acknowledgeAlert": {"id": await _alert(COUNTY)},
        "waiveAlert": {"id": await _alert(COUNTY), "reason": "已批准"},
        "runCompliance": {"countyCode": COUNTY, "asOf": "2023-07-01T00:00:00+08:00"},
        "assignRole": {"input": {"role": "GRID_WORKER", "unitCode": grid, "personId": worker, "from": "2024-03-01"}},
        "handOverRole": {"input": {"role": "GRID_WORKER", "unitCode": grid, "personId": worker, "on": "2024-03-01"}},
        "endRole": {"input": {"id": await _role(f"W{VILLAGE}01"), "lastDay": "1900-01-01"}},
        "updatePerson": {"input": {"id": worker, "name": "网格员"}},
        "createUnit": {"input": {"kind": "GRID", "parentCode": VILLAGE, "code": f"{VILLAGE}05", "name": "第五网格"}},
        "updateUnit": {"input": {"code": grid, "name": "江亭一网格"}},
        "retireUnit": {"input": {"code": grid, "on": "2024-03-01"}},  # its household group is live: a CONFLICT
        "recordMediationVisit": {"input": {"villageCode": VILLAGE, "day": "2023-06-10", "caseNumbers": [f"C{TOWNSHIP}"],
                                           "staffIds": [worker, await _person(f"CC{TOWNSHIP}"), await _person("STAFF")]}},
        "applyRotationPlan": {"countyCode": COUNTY, "month": "2023-06"},
        "markUnavailable": {"input": {"countyCode": COUNTY, "personId": await _person("STAFF"), "from": "2024-01-01", "to": "2024-01-02"}},
        "setSupervisedFrom": {"countyCode": COUNTY, "date": "2023-01-01"},
        # days marked in this county, and in the other one (what `_out_of_reach` names)
        "withdrawUnavailability": {"id": (await _unavailability(OTHER_COUNTY, "HEAD2"), await _unavailability(COUNTY, "STAFF"))[1]}
        if mutation == "withdrawUnavailability" else {},
    }[mutation]


async def _out_of_reach(kind: str, role: str) -> list[str]:
    """Existing values the role may not name in a field of this kind."""
    unit_level = {
        "township": [OTHER_COUNTY_TOWNSHIP] + ([OTHER_TOWNSHIP] if role == "TOWNSHIP" else []),
        "village": [f"{OTHER_COUNTY_TOWNSHIP}201"] + ([SIBLING_VILLAGE] if role == "VILLAGE" else [f"{OTHER_TOWNSHIP}201"] if role == "TOWNSHIP" else []),
        "county": [OTHER_COUNTY],
        "meeting": [await _meeting(f"M{OTHER_COUNTY_TOWNSHIP}")] + ([await _meeting(f"M{OTHER_TOWNSHIP}")] if role == "TOWNSHIP" else []),
        "alert": [await _alert(OTHER_COUNTY)],
        "unavailability": [to_global_id("Unavailability", row.id) for row in await Unavailability.filter(county__code=OTHER_COUNTY)],
        "grid": [f"{OTHER_COUNTY_TOWNSHIP}20101"] + (
            [f"{SIBLING_VILLAGE}01"] if role == "VILLAGE" else [f"{OTHER_TOWNSHIP}20101"] if role == "TOWNSHIP" else []),
        # a unit is renamed or retired by the unit it hangs from: a village manages its grids, not itself
        "managed unit": [f"{OTHER_COUNTY_TOWNSHIP}20101", f"{OTHER_COUNTY_TOWNSHIP}201"] + (
            [f"{SIBLING_VILLAGE}01", VILLAGE] if role == "VILLAGE" else [f"{OTHER_TOWNSHIP}20101", f"{OTHER_TOWNSHIP}201"] if role == "TOWNSHIP" else []),
    }
    if kind in unit_level:
        return [] if role == "ADMIN" else unit_level[kind]
    elsewhere = {  # people holding roles only outside the role's jurisdiction (ADMIN may name anyone recorded)
        "BUREAU": ["HEAD2", f"W{OTHER_COUNTY_TOWNSHIP}20101", f"CC{OTHER_COUNTY_TOWNSHIP}"],
        "TOWNSHIP": ["HEAD", f"W{OTHER_TOWNSHIP}20101", f"CC{OTHER_TOWNSHIP}", "HEAD2"],
        "VILLAGE": [f"W{SIBLING_VILLAGE}01", f"CC{TOWNSHIP}", "STAFF", f"W{OTHER_TOWNSHIP}20101", "HEAD2"],
    }
    if kind == "roster person":
        return [await _person(p) for p in elsewhere.get(role, [])]
    if kind == "role assignment":
        return [await _role(p) for p in elsewhere.get(role, [])]
    people = {  # people in the wrong role for the field, or elsewhere: refused to every role, ADMIN included
        "attendee": [f"W{OTHER_TOWNSHIP}20101", f"CC{OTHER_TOWNSHIP}", f"W{TOWNSHIP}20101", "HEAD2", f"CC{OTHER_COUNTY_TOWNSHIP}"],
        "approver": [f"W{TOWNSHIP}20101", f"CC{OTHER_TOWNSHIP}", "HEAD2", "STAFF"],
        "leader": ["STAFF", "LEADER2", f"W{TOWNSHIP}20101"],
        "visit staff": [f"W{SIBLING_VILLAGE}01", f"W{OTHER_TOWNSHIP}20101", f"CC{OTHER_TOWNSHIP}", "HEAD2", f"W{OTHER_COUNTY_TOWNSHIP}20101"],
        "bureau member": [f"W{TOWNSHIP}20101", f"CC{TOWNSHIP}", "HEAD2", "LEADER2"],
    }
    if kind in people:
        return [await _person(p) for p in people[kind]]
    assert kind in ("case", "meeting case", "visit case")
    if kind == "visit case":  # a visit works on its village's cases, whoever records it
        return [f"C{OTHER_COUNTY_TOWNSHIP}", f"C{OTHER_TOWNSHIP}"]
    if kind == "meeting case":  # a meeting discusses its own township's cases, whoever records it
        return [f"C{OTHER_COUNTY_TOWNSHIP}", f"C{OTHER_TOWNSHIP}"]
    return [] if role == "ADMIN" else [f"C{OTHER_COUNTY_TOWNSHIP}"] + ([f"C{OTHER_TOWNSHIP}"] if role in ("TOWNSHIP", "VILLAGE") else [])


MISSING = {
    "township": "522728199", "village": "522728109299", "county": "522799", "meeting": to_global_id("Meeting", 999_999),
    "alert": to_global_id("Alert", 999_999), "case": "C-NONE", "meeting case": "C-NONE", "attendee": to_global_id("Person", 999_999),
    "approver": to_global_id("Person", 999_999), "leader": to_global_id("Person", 999_999),
    "grid": "52272810920199", "managed unit": "52272810920199", "roster person": to_global_id("Person", 999_999),
    "role assignment": to_global_id("RoleAssignment", 999_999), "visit staff": to_global_id("Person", 999_999),
    "visit case": "C-NONE", "bureau member": to_global_id("Person", 999_999), "unavailability": to_global_id("Unavailability", 999_999),
}


def _with(arguments: dict[str, Any], path: list[str], value: str) -> dict[str, Any]:
    """The arguments with the field at `path` set to `value` (lists hold just it)."""
    copied = json.loads(json.dumps(arguments))
    target = copied
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = [value] if isinstance(target.get(path[-1]), list) else value
    return copied


def _document(mutation: str, arguments: dict[str, Any]) -> str:
    field = SCHEMA.mutation_type.fields[mutation]
    declared = ", ".join(f"${n}: {a.type}" for n, a in field.args.items() if n in arguments)
    passed = ", ".join(f"{n}: ${n}" for n in arguments)
    return f"mutation({declared}) {{ {mutation}({passed}) {{ __typename userErrors {{ field code message }} }} }}"


async def _rows() -> dict[str, int]:
    return {name: await model.all().count() for name, model in Tortoise.apps["lianxi"].items()}


def _answer(body: dict[str, Any], mutation: str, value: str) -> str:
    """The answer with the value itself (and its database id) blanked, for comparing two values' answers."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True).replace(value, "<value>")
    from core.global_ids import from_global_id

    decoded = from_global_id(value)
    return text.replace(f"id {decoded[1]} ", "id <id> ") if decoded else text


@pytest.mark.parametrize("field", sorted(KIND))
async def test_a_reference_out_of_reach_answers_like_a_missing_one_and_writes_nothing(
    field: str, clients: dict[str, httpx.AsyncClient]
) -> None:
    for county in (COUNTY, OTHER_COUNTY):  # alerts to name
        ran = await post(clients["ADMIN"], 'mutation($c: String!) { runCompliance(countyCode: $c, asOf: "2023-07-01T00:00:00+08:00") { userErrors { code } } }', c=county)
        assert ran["data"]["runCompliance"]["userErrors"] == []
    mutation, *path = field.split(".")
    kind = KIND[field]
    roles = [r for r in SCOPES if TokenRole(r) in ROOT_RULES[f"Mutation.{mutation}"].roles and r != "AUDITOR"]
    assert roles
    for role in roles:
        baseline = await _baseline(mutation)  # per role: a withdrawal uses its baseline up
        client = clients[role]
        missing_args = _with(baseline, path, MISSING[kind])
        before = await _rows()
        missing = await post(client, _document(mutation, missing_args), **missing_args)
        codes = {(".".join(map(str, e["field"] or [])), e["code"]) for e in missing["data"][mutation]["userErrors"]}
        assert any(code == "NOT_FOUND" and name.startswith(".".join(path)) for name, code in codes), (field, role, missing)
        for value in await _out_of_reach(kind, role):
            arguments = _with(baseline, path, value)
            answer = await post(client, _document(mutation, arguments), **arguments)
            assert _answer(answer, mutation, value) == _answer(missing, mutation, MISSING[kind]), (field, role, value)
        assert await _rows() == before, (field, role)
        accepted = await post(client, _document(mutation, baseline), **baseline)  # the field itself accepts the in-reach value
        assert not any(e["code"] == "NOT_FOUND" for e in accepted["data"][mutation]["userErrors"]), (field, role, accepted)
