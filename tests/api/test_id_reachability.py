"""Every ID a mutation takes can be read first, by a token allowed to run that mutation.

A frontend builds a write from what it has loaded: `endRole(input: {id})` is useless if no query hands out
an assignment id. The ID arguments are found by walking the schema (each Mutation argument and input field
of type ID or [ID]), so a new one fails `test_every_id_argument_names_a_kind` until its kind is declared
here; the query paths are generated from the schema too (tests/intranet/schema_walk.py: every ID field
reachable from Query), run on the demo with each role's token, and the ids they return are decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, GraphQLSchema, get_named_type

from core.global_ids import from_global_id
from models.enums import TokenRole
from models.units import Village
from resolvers.root_rules import ROOT_RULES
from tests.intranet.schema_walk import field_arguments, graphql_schema, selection, values_of

COUNTY = "522728"
TOWNSHIP = "522728109"

# What each ID argument of a mutation names: the type in its global ID (`base64("Type:pk")`).
ID_KINDS: dict[str, str] = {
    "recordMeeting.input.attendeeIds": "Person",
    "updateMeeting.input.id": "Meeting",
    "updateMeeting.input.attendeeIds": "Person",
    "cancelMeeting.id": "Meeting",
    "addCaseEvent.input.approverId": "Person",
    "assignSupervisor.input.leaderId": "Person",
    "acknowledgeAlert.id": "Alert",
    "waiveAlert.id": "Alert",
    "assignRole.input.personId": "Person",
    "handOverRole.input.personId": "Person",
    "endRole.input.id": "RoleAssignment",
    "updatePerson.input.id": "Person",
    "recordMediationVisit.input.staffIds": "Person",
    "markUnavailable.input.personId": "Person",
    "withdrawUnavailability.id": "Unavailability",
}


def _input_ids(type_: GraphQLInputObjectType, path: str, seen: frozenset[str]) -> Iterator[str]:
    for name, field in type_.fields.items():
        target = get_named_type(field.type)
        if target.name == "ID":
            yield f"{path}.{name}"
        elif isinstance(target, GraphQLInputObjectType) and target.name not in seen:
            yield from _input_ids(target, f"{path}.{name}", seen | {target.name})


def id_arguments(schema: GraphQLSchema) -> list[str]:
    """`mutation.argument[.inputField…]` of every ID or [ID] a mutation takes."""
    assert schema.mutation_type is not None
    found: list[str] = []
    for mutation, field in schema.mutation_type.fields.items():
        for name, argument in field.args.items():
            target = get_named_type(argument.type)
            if target.name == "ID":
                found.append(f"{mutation}.{name}")
            elif isinstance(target, GraphQLInputObjectType):
                found.extend(_input_ids(target, f"{mutation}.{name}", frozenset({target.name})))
    return found


def test_every_id_argument_names_a_kind() -> None:
    """A new ID argument must say what it names, so the reachability test below covers it."""
    assert sorted(id_arguments(graphql_schema())) == sorted(ID_KINDS)


async def _gql(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = (await http.post("/graphql", json={"query": query, "variables": variables or {}})).json()
    assert "errors" not in answer, (query[:300], answer["errors"][:3])
    return answer["data"]


def _given(role: TokenRole, village: str) -> dict[str, str]:
    """Arguments for the generated queries: the token's own units, a year around the day marked away (at most a year:
    `unavailability`), the month after the demo year."""
    code = {TokenRole.TOWNSHIP: TOWNSHIP, TokenRole.VILLAGE: village}.get(role, COUNTY)
    return {"countyCode": f'"{COUNTY}"', "code": f'"{code}"', "from": '"2023-07-01"', "to": '"2024-06-29"', "year": "2023",
            "month": '"2024-01"'}


async def reachable_ids(http: httpx.AsyncClient, given: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Kind → (an id of that kind, the query path that returned it), over every root field the token may read."""
    schema = graphql_schema()
    found: dict[str, tuple[str, str]] = {}
    for root, field in schema.query_type.fields.items():
        arguments, target = field_arguments(field, given), get_named_type(field.type)
        body = selection(schema, target, "ID", given, depth=5) if arguments is not None and isinstance(target, GraphQLObjectType) else ""
        if not body:
            continue
        query = f"{{ {root}{arguments} {body} }}"
        answer = (await http.post("/graphql", json={"query": query})).json()
        if answer.get("data") is None:
            continue  # a root the role may not read (FORBIDDEN)
        for path, value in values_of(answer["data"]):
            decoded = from_global_id(str(value)) if path.endswith("id") or path.endswith("Id") else None
            if decoded is not None:
                found.setdefault(decoded[0], (str(value), path))
    return found


def _writers(role: TokenRole) -> list[str]:
    """The ID arguments of the mutations this role may run."""
    return [argument for argument in ID_KINDS if role in ROOT_RULES[f"Mutation.{argument.split('.')[0]}"].roles]


@pytest.fixture
async def arranged(demo: str, client_for: Callable[..., Any]) -> str:
    """The demo with one of each kind in it: alerts from a rule run, one day a bureau member is away; the
    code of the demo VILLAGE token's village."""
    admin = await client_for("ADMIN")
    await _gql(admin, f'mutation {{ runCompliance(countyCode: "{COUNTY}", asOf: "2024-01-01T00:00:00+08:00") {{ userErrors {{ code }} }} }}')
    bureau = (await _gql(admin, f'{{ county(code: "{COUNTY}") {{ bureau {{ id }} }} }}'))["county"]["bureau"]
    marked = await _gql(admin, """mutation($p: ID!) { markUnavailable(input: {countyCode: "522728", personId: $p, from: "2024-01-08",
        to: "2024-01-09", reason: "培训"}) { userErrors { code message } } }""", {"p": bureau[0]["id"]})
    assert marked["markUnavailable"]["userErrors"] == [], marked
    village = await Village.filter(name="江亭村").first()
    assert village is not None
    return str(village.code)


@pytest.mark.parametrize("role", [TokenRole.ADMIN, TokenRole.BUREAU, TokenRole.TOWNSHIP, TokenRole.VILLAGE])
async def test_every_id_a_mutation_takes_is_returned_by_a_query(arranged: str, client_for: Callable[..., Any], role: TokenRole) -> None:
    """For each role, every kind of ID its mutations take comes back from some query it may run, and decodes."""
    scope = {TokenRole.ADMIN: None, TokenRole.BUREAU: COUNTY, TokenRole.TOWNSHIP: TOWNSHIP}.get(role, arranged)
    http = await client_for(role.value, scope)
    found = await reachable_ids(http, _given(role, arranged))
    unreachable = {argument: ID_KINDS[argument] for argument in _writers(role) if ID_KINDS[argument] not in found}
    assert not unreachable, f"{role}: no query returns the ids these mutation arguments take: {unreachable}"


@pytest.mark.parametrize("role", [TokenRole.BUREAU, TokenRole.TOWNSHIP, TokenRole.VILLAGE])
async def test_an_assignment_loaded_from_person_roles_can_be_ended(arranged: str, client_for: Callable[..., Any], role: TokenRole) -> None:
    """The screen the issue could not build: load a unit's people with their roles, end one of those assignments."""
    scope = {TokenRole.BUREAU: COUNTY, TokenRole.TOWNSHIP: TOWNSHIP}.get(role, arranged)
    http = await client_for(role.value, scope)
    code = {TokenRole.BUREAU: COUNTY, TokenRole.TOWNSHIP: TOWNSHIP}.get(role, arranged)
    root = {TokenRole.BUREAU: "county", TokenRole.TOWNSHIP: "township"}.get(role, "village")
    people = {TokenRole.BUREAU: "bureau", TokenRole.TOWNSHIP: "jointMeeting { conveners"}.get(role, "grids { worker")
    close = "" if role is TokenRole.BUREAU else " }"
    data = await _gql(http, f'{{ {root}(code: "{code}") {{ {people} {{ roles {{ id role validFrom validTo unitCode }} }}{close} }} }}')
    holders = {TokenRole.BUREAU: lambda d: d["bureau"], TokenRole.TOWNSHIP: lambda d: d["jointMeeting"]["conveners"]}.get(
        role, lambda d: [g["worker"] for g in d["grids"] if g["worker"]])(data[root])
    roles = [r for holder in holders for r in holder["roles"]]
    open_roles = [r for r in roles if r["validTo"] is None]
    assert open_roles, data
    ended = await _gql(http, """mutation($id: ID!) { endRole(input: {id: $id, lastDay: "2026-12-31"}) {
        ended { id } userErrors { code message } } }""", {"id": open_roles[0]["id"]})
    assert ended["endRole"]["userErrors"] == [], ended
    assert ended["endRole"]["ended"]["id"] == open_roles[0]["id"]


async def test_an_unavailability_listed_can_be_withdrawn_and_an_alert_listed_acknowledged(
    arranged: str, client_for: Callable[..., Any]
) -> None:
    """The other ids a bureau writes with come from its lists: `unavailability`, `alerts`."""
    http = await client_for("BUREAU", COUNTY)
    away = (await _gql(http, f'{{ unavailability(countyCode: "{COUNTY}", from: "2024-01-01", to: "2024-01-31") {{ id }} }}'))["unavailability"]
    withdrawn = await _gql(http, "mutation($id: ID!) { withdrawUnavailability(id: $id) { userErrors { code } } }", {"id": away[0]["id"]})
    assert withdrawn["withdrawUnavailability"]["userErrors"] == []
    alert = (await _gql(http, "{ alerts(first: 1, filter: {status: [OPEN]}) { edges { node { id } } } }"))["alerts"]["edges"][0]["node"]["id"]
    acknowledged = await _gql(http, "mutation($id: ID!) { acknowledgeAlert(id: $id) { userErrors { code } } }", {"id": alert})
    assert acknowledged["acknowledgeAlert"]["userErrors"] == []
