"""Every input of the schema, walked from the schema itself, refuses the hostile values of its kind, and nothing is written.

For each root field and each text or date leaf of its arguments (inside input objects and lists too), the test sends
the field once per hostile value, every other required argument filled with a value the policy accepts, and expects
either a `userErrors` entry naming that leaf (mutations) or a GraphQL error (other fields). The kind of each leaf is
the one the schema declares (schema/text_types.py; plain `String` is TEXT), so a new input is covered without editing
this test. Rows are counted in every table before and after: nothing may be written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLArgument, GraphQLEnumType, GraphQLField, GraphQLInputField, GraphQLInputObjectType, GraphQLList, GraphQLNonNull,
    GraphQLScalarType, Undefined, get_named_type, is_non_null_type,
)
from tortoise import Tortoise

from core.text_policy import LIMITS, TextKind, text_problem
from models.people import Person
from models.units import Township
from schema.input_policy import _kind
from tests.documents import county_document
from tests.intranet.schema_walk import graphql_schema
from tests.reports.conftest import lianxi

ACCEPTED = {
    TextKind.CODE: "522728", TextKind.PHONE: "13800000000", TextKind.NAME: "江亭村", TextKind.NOTE: "已电话联系。",
    TextKind.MONTH: "2026-12", TextKind.TEXT: "x", TextKind.ID_NUMBER: "52272819900101123X",
}
CONTROL = ["名字\x1b[31m", "铃\x07", "a\x0bb", "\x00"]
BIDI = ["abc\u202eexe.txt", "x\u2066y"]
HOSTILE: dict[TextKind, list[str]] = {
    TextKind.CODE: ["٥٢٢٧٢٨", "５２２７２８", "52272８", "522728\n", *CONTROL[:1]],
    TextKind.PHONE: ["-----", "+٨٦١٣٨٠٠٠٠٠٠٠٠", "１３８００００００００", "12 34", *CONTROL[:1]],
    TextKind.NAME: ["\u200b\u200b", "\u200d\ufeff ", "\u3000\u2060", "张三\nLF", *CONTROL, *BIDI],
    TextKind.NOTE: ["\u200b", *CONTROL, *BIDI],
    TextKind.MONTH: ["２０２６-１２", "9999-12", "0001-01", "2026-13", "2026-1"],
    TextKind.TEXT: [*CONTROL, *BIDI],
    TextKind.ID_NUMBER: ["５２２７２８１９９００１０１１２３X", "' OR 1=1 --", *CONTROL[:1]],
}
DATES = {"Date": ["0001-01-01", "9999-12-31", "1899-12-31"], "DateTime": ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+08:00"]}
GOOD_DATES = {"Date": "2024-01-01", "DateTime": "2024-01-01T09:00:00+08:00"}


@dataclass(frozen=True)
class Case:
    """One hostile value at one leaf of one root field's arguments."""

    root: str  # Query or Mutation
    field: str
    path: tuple[str, ...]  # argument, input fields, list indexes
    value: str

    def __str__(self) -> str:
        return f"{self.root}.{self.field}({'.'.join(self.path)}={self.value!r})"


def _unwrap(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _filled(type_: Any, kind: TextKind) -> Any:
    """A value of `type_` the policy accepts (required fields only)."""
    type_ = _unwrap(type_)
    if isinstance(type_, GraphQLList):
        return [_filled(type_.of_type, kind)]
    if isinstance(type_, GraphQLInputObjectType):
        return {name: _filled(field.type, _kind(field)) for name, field in type_.fields.items()
                if is_non_null_type(field.type) and field.default_value is Undefined}
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    assert isinstance(type_, GraphQLScalarType)
    return {"String": ACCEPTED[kind], "ID": "UGVyc29uOjE=", "Int": 1, "Float": 1.0, "Boolean": True, "JSON": {},
            **GOOD_DATES}[type_.name]


def _leaves(definition: GraphQLArgument | GraphQLInputField, path: tuple[str, ...], seen: frozenset[str]) -> Iterator[tuple[tuple[str, ...], str, TextKind]]:
    """(path, scalar name, kind) of every text or date leaf under an argument or input field."""
    type_ = _unwrap(definition.type)
    if isinstance(type_, GraphQLList):
        path, type_ = (*path, "0"), _unwrap(type_.of_type)
    if isinstance(type_, GraphQLInputObjectType):
        if type_.name in seen:
            return
        for name, field in type_.fields.items():
            yield from _leaves(field, (*path, name), seen | {type_.name})
    elif isinstance(type_, GraphQLScalarType) and type_.name in ("String", "ID", "Date", "DateTime"):
        yield path, type_.name, _kind(definition)


def _with(value: Any, type_: Any, path: tuple[str, ...], hostile: str) -> Any:
    """`value` (of `type_`) with `hostile` put at `path`, building the objects and lists on the way."""
    if not path:
        return hostile
    type_ = _unwrap(type_)
    if isinstance(type_, GraphQLList):
        return [_with(value[0] if value else None, type_.of_type, path[1:], hostile)]
    assert isinstance(type_, GraphQLInputObjectType)
    current = dict(value or {})
    field = type_.fields[path[0]]
    current[path[0]] = _with(current.get(path[0]) if current.get(path[0]) is not None else _filled(field.type, _kind(field)),
                             field.type, path[1:], hostile)
    return current


def cases() -> Iterator[tuple[Case, GraphQLField]]:
    schema = graphql_schema()
    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for name, field in root.fields.items():
            for argument_name, argument in field.args.items():
                if argument_name in ("after", "before"):
                    continue  # cursors: opaque, refused by their own decoding
                for path, scalar, kind in _leaves(argument, (argument_name,), frozenset()):
                    values = DATES[scalar] if scalar in DATES else [*HOSTILE[kind], "1" * (LIMITS[kind] + 1)]
                    for value in values:
                        yield Case(root.name, name, path, value), field


def _document(case: Case, field: GraphQLField) -> tuple[str, dict[str, Any]]:
    """The operation and its variables: every argument a variable, the hostile one at its leaf."""
    variables: dict[str, Any] = {}
    declarations, arguments = [], []
    for name, argument in field.args.items():
        required = is_non_null_type(argument.type) and argument.default_value is Undefined
        if name != case.path[0] and not required:
            continue
        value = _filled(argument.type, _kind(argument))
        if name == case.path[0]:
            value = _with(value, argument.type, case.path[1:], case.value)
        variables[name] = value
        declarations.append(f"${name}: {argument.type}")
        arguments.append(f"{name}: ${name}")
    output = get_named_type(field.type)
    selection = "{ userErrors { field code message } }" if "userErrors" in getattr(output, "fields", {}) else (
        "{ __typename }" if hasattr(output, "fields") or hasattr(output, "types") else "")
    operation = "mutation" if case.root == "Mutation" else "query"
    return f"{operation} Walk({', '.join(declarations)}) {{ {case.field}({', '.join(arguments)}) {selection} }}", variables


async def _row_counts() -> dict[str, int]:
    counts = {}
    for app in Tortoise.apps.values():
        for model in app.values():
            counts[model.__name__] = await model.all().count()
    return counts


def _refused(case: Case, body: dict[str, Any]) -> str | None:
    """Why the answer is not a clear refusal of the hostile leaf (None: it is)."""
    if body.get("errors"):
        messages = [error.get("message", "") for error in body["errors"]]
        named = ".".join(case.path) + ": "
        if any(message.startswith((named, f"Variable '${case.path[0]}' got invalid value", "Variables must not contain the NUL")) for message in messages):
            return None
        return f"errors do not name {named!r}: {messages}"
    payload = (body.get("data") or {}).get(case.field)
    if isinstance(payload, dict) and payload.get("userErrors"):
        if any(error["field"] == list(case.path) and error["code"] == "INVALID" for error in payload["userErrors"]):
            return None
        return f"userErrors do not name {list(case.path)}: {payload['userErrors']}"
    return f"accepted: {body}"


async def test_every_input_refuses_its_hostile_values_and_nothing_is_written(demo: str, client_for: Any) -> None:
    """On the demo, so that the ids and codes the other arguments carry exist and a write would succeed."""
    admin: httpx.AsyncClient = await client_for("ADMIN")
    walked = list(cases())
    assert len({(c.root, c.field) for c, _ in walked}) > 30 and len(walked) > 300  # the walk reaches the whole schema
    before = await _row_counts()
    failures = []
    for case, field in walked:
        document, variables = _document(case, field)
        response = await admin.post("/graphql", json={"query": document, "variables": variables})
        assert response.status_code in (200, 400), (str(case), response.text)
        if (why := _refused(case, response.json())) is not None:
            failures.append(f"{case}: {why}")
    assert await _row_counts() == before
    assert not failures, f"{len(failures)} of {len(walked)} hostile inputs not refused:\n" + "\n".join(failures[:400])


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_refusal_names_the_field_and_the_rule(client_for: Any) -> None:
    admin: httpx.AsyncClient = await client_for("ADMIN")
    response = await admin.post("/graphql", json={"query": 'query { rotationPlan(countyCode: "522728", month: "２０２６-１２") { month } }'})
    message = response.json()["errors"][0]["message"]
    assert message.startswith("month: expected a month YYYY-MM in ASCII digits"), message
    response = await admin.post("/graphql", json={
        "query": "mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { userErrors { field code message } } }",
        "variables": {"i": {"id": "UGVyc29uOjE=", "name": "\u200b\u200b", "phone": "-----"}}})
    errors = response.json()["data"]["updatePerson"]["userErrors"]
    assert {tuple(e["field"]) for e in errors} == {("input", "name"), ("input", "phone")}, errors
    assert all(e["code"] == "INVALID" for e in errors)


async def test_lianxi_load_applies_the_same_policy(orm: str, tmp_path: Path) -> None:
    """The import asks the same functions (core/text_policy.py): the same values are refused, with the same words."""
    document = county_document(townships=1, villages=1, grids=1, households=1)
    township = document["counties"][0]["townships"][0]
    township["name"] = "\u200b\u200b"
    township["villages"][0]["name"] = "江亭村\x1b[31m"
    document["people"][0]["name"] = "abc\u202eexe"
    document["people"][0]["phone"] = "-----"
    document["cases"][0]["title"] = "铃\x07"
    document["cases"][0]["parties"][0]["phone"] = "１３８００００００００"
    document["meetings"][0]["heldAt"] = "0001-01-01T10:00:00+08:00"
    path = tmp_path / "import.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = lianxi(orm, "load", str(path))
    assert done.returncode != 0 and b"Traceback" not in done.stderr, done.stderr
    message = done.stderr.decode()
    expected = {
        "counties[0].townships[0].name": text_problem(TextKind.NAME, "\u200b\u200b"),
        "counties[0].townships[0].villages[0].name": text_problem(TextKind.NAME, "江亭村\x1b[31m"),
        "people[0].name": text_problem(TextKind.NAME, "abc\u202eexe"),
        "people[0].phone": text_problem(TextKind.PHONE, "-----"),
        "cases[0].title": text_problem(TextKind.NAME, "铃\x07"),
        "cases[0].parties[0].phone": text_problem(TextKind.PHONE, "１３８００００００００"),
        "meetings[0].heldAt": "must lie between the years 1900 and 2100",
    }
    for where, why in expected.items():
        assert why and f"{where}: {why}" in message, (where, message)
    assert await Township.all().count() == 0 and await Person.all().count() == 0
