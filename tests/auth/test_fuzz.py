"""Hostile input against the real app: no 5xx, no masked crash, no stack trace or SQL in any answer.

Hypothesis drives five kinds of request, bounded by `max_examples` (the run is a few seconds):
raw bytes (non-UTF-8 included), malformed JSON, JSON envelopes of the wrong types, deep nesting
(of JSON and of GraphQL selections), and GraphQL documents built from the schema with random fields,
arguments of the right or the wrong type, huge strings, invalid IDs and SQL-looking strings.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.graphql import build_graphql_schema
from core.settings import Settings
from tests.conftest import ClientFactory

SCHEMA = build_graphql_schema(Settings())._schema
LEAKS = ("Traceback", 'File "/', "tortoise", "sqlite3", "asyncpg", "OperationalError", "IntegrityError", "Internal server error")
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

nasty_strings = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "' OR 1=1 --", '"; DROP TABLE "case"; --', "522728%", "5227_8", "%", "\\", "\x00", "null", "🙂" * 5,
        "QWxlcnQ6MQ==", "Q2FzZTotMQ==", "Q2FzZTo5OTk5OTk5OTk5OTk5OTk5OTk5OTk=", "VG93bnNoaXA6YWJj", "not base64!", "",
        "2023-13-45", "2023-Q5", "9999-12-31T23:59:59+14:00",
    ]),
    st.integers(min_value=1_000, max_value=200_000).map(lambda n: "x" * n),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False, allow_infinity=False) | nasty_strings,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _literal(value: Any) -> str:
    """A GraphQL literal for a JSON-ish value (strings escaped the JSON way, which GraphQL accepts)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_literal(v)}" for k, v in value.items() if k.isidentifier()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value)


@st.composite
def argument_value(draw: st.DrawFn, type_: Any, depth: int = 0) -> Any:
    """Usually a value of the declared type, sometimes anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if isinstance(type_, GraphQLNonNull):
        return draw(argument_value(type_.of_type, depth))
    if isinstance(type_, GraphQLList):
        return draw(st.lists(argument_value(type_.of_type, depth + 1), max_size=3))
    if isinstance(type_, GraphQLInputObjectType):
        fields = {n: f for n, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull) or draw(st.booleans())}
        return {n: draw(argument_value(f.type, depth + 1)) for n, f in fields.items()}
    if isinstance(type_, GraphQLEnumType):
        return draw(st.sampled_from(list(type_.values)))
    by_name = {
        "Int": st.integers(min_value=-(2**40), max_value=2**40) | st.integers(-2, 120),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "Boolean": st.booleans(),
        "Date": st.dates().map(str) | nasty_strings,
        "DateTime": st.datetimes().map(lambda d: d.isoformat()) | nasty_strings,
        "JSON": json_values,
    }
    return draw(by_name.get(type_.name, nasty_strings))


@st.composite
def selection(draw: st.DrawFn, type_: Any, depth: int) -> str:
    """A random valid-looking selection set over an object or interface type."""
    named = get_named_type(type_)
    if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
        return ""
    names = draw(st.lists(st.sampled_from(sorted(named.fields)), min_size=1, max_size=4, unique=True))
    parts = ["__typename"]
    for name in names:
        field: GraphQLField = named.fields[name]
        inner = get_named_type(field.type)
        composite = isinstance(inner, (GraphQLObjectType, GraphQLInterfaceType))
        if composite and depth >= 4:
            continue
        args = {n: a for n, a in field.args.items() if isinstance(a.type, GraphQLNonNull) or draw(st.booleans())}
        rendered = ", ".join(f"{n}: {_literal(draw(argument_value(a.type)))}" for n, a in args.items())
        sub = draw(selection(field.type, depth + 1)) if composite else ""
        parts.append(f"{name}{f'({rendered})' if rendered else ''} {sub}")
    return "{ " + " ".join(parts) + " }"


@st.composite
def schema_documents(draw: st.DrawFn) -> dict[str, Any]:
    roots = [t for t in (SCHEMA.query_type, SCHEMA.mutation_type) if t is not None]
    root = draw(st.sampled_from(roots))
    body = draw(selection(root, 0))
    keyword = "mutation" if root is SCHEMA.mutation_type else "query"
    return {"query": f"{keyword} {body}"}


deep_json = st.integers(min_value=500, max_value=200_000).map(lambda n: ("[" * n + "]" * n).encode())
deep_query = st.integers(min_value=10, max_value=3_000).map(
    lambda n: json.dumps({"query": "{ county(code: \"522728\") " + "{ townships { county " * n + "{ code }" + " } }" * n + " }"}).encode()
)
raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.sampled_from([b"{not json", b'{"query": ', b"\xff\xfe\x00{", b'{"query": "\xc3\x28"}', b"[]", b"null", b'"x"', b"1e999"]),
    deep_json,
    deep_query,
)
envelopes = st.fixed_dictionaries(
    {}, optional={"query": json_values, "variables": json_values, "operationName": json_values, "extensions": json_values}
)


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    for leak in LEAKS:
        assert leak not in response.text, (leak, response.text[:500])


@FUZZ
@given(body=raw_bodies, content_type=st.sampled_from(["application/json", "text/plain", "application/graphql", ""]))
async def test_raw_bodies(fuzz_client: httpx.AsyncClient, body: bytes, content_type: str) -> None:
    _check(await fuzz_client.post("/graphql", content=body, headers={"Content-Type": content_type}))


@FUZZ
@given(envelope=envelopes)
async def test_wrongly_typed_envelopes(fuzz_client: httpx.AsyncClient, envelope: dict[str, Any]) -> None:
    _check(await fuzz_client.post("/graphql", json=envelope))
    params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in envelope.items() if k != "extensions"}
    if sum(map(len, params.values())) < 4_000:  # longer URLs are refused by httpx itself (and by any proxy)
        _check(await fuzz_client.get("/graphql", params=params))


@FUZZ
@given(document=schema_documents(), variables=st.dictionaries(st.text(max_size=6), json_values, max_size=3))
async def test_schema_built_documents(fuzz_client: httpx.AsyncClient, document: dict[str, Any], variables: dict[str, Any]) -> None:
    _check(await fuzz_client.post("/graphql", json={**document, "variables": variables or None}))


@pytest.mark.parametrize(
    ("fuzz_client", "expected"), [("ADMIN", {"code": "522728"}), ("TOWNSHIP", None)], indirect=["fuzz_client"], ids=["ADMIN", "TOWNSHIP"]
)
async def test_fuzz_clients_see_what_their_role_allows(fuzz_client: httpx.AsyncClient, expected: dict[str, str] | None) -> None:
    body = (await fuzz_client.post("/graphql", json={"query": '{ county(code: "522728") { code } }'})).json()
    assert body == {"data": {"county": expected}}


@pytest.fixture(params=["ADMIN", "TOWNSHIP"])
async def fuzz_client(request: pytest.FixtureRequest, orm: str, client_for: ClientFactory) -> httpx.AsyncClient:
    """ADMIN reaches every resolver with data behind it; TOWNSHIP exercises every refusal and scope filter."""
    from server.load.service import load_document
    from tests.documents import county_document

    await load_document(county_document(townships=4, villages=2, grids=1, households=1))
    return await client_for(request.param, "522728109" if request.param == "TOWNSHIP" else None)
