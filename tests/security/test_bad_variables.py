"""A variable the server cannot coerce is the client's mistake: a message naming the variable, never "Internal server error."."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLScalarType, get_named_type

from server.graphql import build_graphql_schema
from core.settings import Settings
from server.limits import MAX_VARIABLE_VALUES

SCHEMA = build_graphql_schema(Settings())._schema
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}

SUPERVISOR = 'query($v: Date) { county(code: "522728") { townships { supervisor(at: $v) { name } } } }'
REPORT = 'query($v: DateTime) { ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-03-31", asOf: $v) { digest } }'
# one bad value per input scalar (and per kind of coercion failure), each used where the scalar is expected
BAD_VARIABLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "Int": [("query($v: Int) { cases(first: $v) { totalCount } }", {"v": "ten"}),
            ("query($v: Int) { cases(first: $v) { totalCount } }", {"v": 2**40})],
    "String": [('query($v: String!) { county(code: $v) { code } }', {}),
               ('query($v: String!) { county(code: $v) { code } }', {"v": None}),
               ('query($v: String!) { county(code: $v) { code } }', {"v": ["522728"]})],
    "ID": [("query($v: ID!) { node(id: $v) { id } }", {"v": {"id": 1}})],
    "Boolean": [("query($v: Boolean!) { __typename @include(if: $v) }", {"v": "yes"})],
    "Date": [(SUPERVISOR, {"v": "not-a-date"}), (SUPERVISOR, {"v": "99999-01-01"}), (SUPERVISOR, {"v": 20230101})],
    "DateTime": [(REPORT, {"v": "not-a-date"}), (REPORT, {"v": 5}), (REPORT, {"v": "2023-13-01T00:00:00+08:00"})],
    "enum": [("query($v: [AlertStatus!]) { alerts(filter: {status: $v}) { totalCount } }", {"v": ["NOPE"]})],
    "input field": [("mutation($v: RecordMeetingInput!) { recordMeeting(input: $v) { userErrors { code } } }",
                     {"v": {"townshipCode": "522728109", "kind": "THEMATIC", "heldAt": "2023-01-01T00:00:00+08:00", "bogus": 1}}),
                    ("mutation($v: RecordMeetingInput!) { recordMeeting(input: $v) { userErrors { code } } }", {"v": {"kind": "THEMATIC"}})],
}


def _input_scalars() -> set[str]:
    """Every scalar that can arrive as input: field arguments and input-object fields."""
    found: set[str] = set()
    for type_ in SCHEMA.type_map.values():
        if type_.name.startswith("__"):
            continue
        fields = getattr(type_, "fields", {}) or {}
        for field in fields.values():
            types = [field.type] if isinstance(type_, GraphQLInputObjectType) else [a.type for a in getattr(field, "args", {}).values()]
            found |= {get_named_type(t).name for t in types if isinstance(get_named_type(t), GraphQLScalarType)}
    return found


def test_every_input_scalar_has_a_bad_variable_case() -> None:
    assert _input_scalars() <= set(BAD_VARIABLES), f"add a bad-variable case for: {_input_scalars() - set(BAD_VARIABLES)}"


@pytest.mark.parametrize("kind", sorted(BAD_VARIABLES))
async def test_a_bad_variable_is_named_in_a_clear_error(kind: str, client: httpx.AsyncClient) -> None:
    for document, variables in BAD_VARIABLES[kind]:
        response = await client.post("/graphql", json={"query": document, "variables": variables})
        body = response.json()
        assert response.status_code in (200, 400), body
        messages = [e["message"] for e in body.get("errors") or []]
        assert messages, body
        assert all("Internal server error" not in m for m in messages), (kind, variables, messages)
        assert all("Variable '$v'" in m for m in messages), (kind, variables, messages)
        assert "Traceback" not in response.text


async def test_variables_with_more_values_than_coercion_may_take_on_the_loop_are_refused(client: httpx.AsyncClient) -> None:
    """graphql-core coerces variables on the event loop: 99,000 IDs held it a second, so past 2,000 values it is refused."""
    meeting = {"townshipCode": "522728109", "kind": "THEMATIC", "heldAt": "2023-01-01T00:00:00+08:00"}
    query = "mutation($v: RecordMeetingInput!) { recordMeeting(input: $v) { userErrors { code } } }"
    for count, refused in ((MAX_VARIABLE_VALUES - 5, False), (MAX_VARIABLE_VALUES - 4, True)):  # 5 values besides the IDs (object, list, 3 fields)
        body = (await client.post("/graphql", json={"query": query, "variables": {"v": {**meeting, "attendeeIds": ["1"] * count}}})).json()
        said = [e["message"] for e in body.get("errors", [])]
        assert (said == [f"The variables hold more than {MAX_VARIABLE_VALUES} values; send fewer items per request."]) is refused, body
