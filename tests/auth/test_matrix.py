"""Every role × every root field and mutation, generated from the schema.

A root field without an entry in `resolvers.root_rules.ROOT_RULES` fails here by name: decide who may
use it (and how its rows are scoped) before it ships. Each cell runs the field over HTTP with that role's
token and checks the rule's verdict: allowed roles get no FORBIDDEN, the others a FORBIDDEN error (queries)
or a FORBIDDEN user error and no object (mutations); an AUDITOR can never change anything.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)

from models.enums import TokenRole
from resolvers.root_rules import ROOT_RULES
from schema.root_guard import root_field_keys
from server.graphql import build_graphql_schema
from core.settings import Settings
from tests.auth.conftest import SCOPES, VILLAGE, post

SCHEMA = build_graphql_schema(Settings())
ROOT_FIELDS = root_field_keys(SCHEMA)


def test_every_root_field_has_an_access_rule() -> None:
    missing = [key for key in ROOT_FIELDS if key not in ROOT_RULES]
    assert not missing, f"root fields without an access rule in resolvers/root_rules.py ROOT_RULES: {missing}"


def test_no_rule_for_a_field_that_does_not_exist() -> None:
    assert not set(ROOT_RULES) - set(ROOT_FIELDS), f"stale rules: {sorted(set(ROOT_RULES) - set(ROOT_FIELDS))}"


CODE_LENGTHS = {"countycode": 6, "townshipcode": 9, "villagecode": 12}


def _code(name: str, scope: str | None) -> str:
    """A unit code of the argument's level inside the caller's own jurisdiction (the deepest scope is nested in all)."""
    own = scope or ""
    if name in ("unitCode", "parentCode"):  # roster writes act on the caller's own unit
        return own or VILLAGE
    if name == "code":  # renaming or retiring: a unit one level below the caller's own
        return {6: VILLAGE[:9], 9: VILLAGE}.get(len(own), VILLAGE + "01")
    length = CODE_LENGTHS.get(name.lower(), 6)
    return own[:length] if len(own) >= length else VILLAGE[:length]


def _value(type_: GraphQLInputType, name: str, scope: str | None) -> Any:
    """A plausible value of an argument: codes are the caller's own county, everything else minimal."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, name, scope)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, name, scope)]
    if isinstance(type_, GraphQLInputObjectType):
        return {n: _value(f.type, n, scope) for n, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull)}
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    assert isinstance(type_, GraphQLScalarType)
    examples = {
        "String": _code(name, scope) if name.lower().endswith("code") else "x",
        "ID": "QWxlcnQ6MQ==",  # Alert:1
        "Int": 1, "Float": 1.0, "Boolean": True, "Date": "2023-06-30", "DateTime": "2023-07-01T00:00:00+08:00",
        "JSON": {},
    }
    return examples.get(type_.name, "x")


def _document(key: str, field: GraphQLField, scope: str | None) -> tuple[str, dict[str, Any]]:
    kind, name = key.split(".")
    required = {n: a for n, a in field.args.items() if isinstance(a.type, GraphQLNonNull)}
    declared = ", ".join(f"${n}: {a.type}" for n, a in required.items())
    passed = ", ".join(f"{n}: ${n}" for n in required)
    output = get_named_type(field.type)
    selection = ""
    if isinstance(output, GraphQLObjectType):
        selection = "{ __typename userErrors { code message } }" if "userErrors" in output.fields else "{ __typename }"
    elif not isinstance(output, (GraphQLScalarType, GraphQLEnumType)):
        selection = "{ __typename }"
    operation = kind.lower() if kind != "Query" else "query"
    document = f"{operation}{f'({declared})' if declared else ''} {{ {name}{f'({passed})' if passed else ''} {selection} }}"
    return document, {n: _value(a.type, n, scope) for n, a in required.items()}


def _forbidden(body: dict[str, Any], name: str) -> bool:
    errors = body.get("errors") or []
    if any("Forbidden" in e["message"] for e in errors):
        return True
    payload = (body.get("data") or {}).get(name)
    if isinstance(payload, dict) and payload.get("userErrors"):
        return any(e["code"] == "FORBIDDEN" for e in payload["userErrors"])
    return False


@pytest.mark.parametrize("key", [k for k in ROOT_FIELDS if not k.startswith("Subscription.")])
async def test_role_matrix(key: str, clients: dict[str, httpx.AsyncClient]) -> None:
    rule = ROOT_RULES.get(key)
    assert rule is not None, f"{key} has no access rule in ROOT_RULES"
    kind, name = key.split(".")
    root = SCHEMA._schema.query_type if kind == "Query" else SCHEMA._schema.mutation_type
    verdicts = {}
    for role, scope in SCOPES.items():
        document, variables = _document(key, root.fields[name], scope)
        body = await post(clients[role], document, **variables)
        assert "Internal server error" not in str(body), (role, body)
        verdicts[role] = _forbidden(body, name)
        allowed = TokenRole(role) in rule.roles and not (kind == "Mutation" and role == "AUDITOR")
        assert verdicts[role] == (not allowed), f"{key} as {role}: expected {'allowed' if allowed else 'FORBIDDEN'}, got {body}"
        if kind == "Mutation" and verdicts[role]:
            payload = body["data"][name]
            assert all(v is None for k, v in payload.items() if k not in ("__typename", "userErrors")), payload


@pytest.mark.parametrize("key", [k for k in ROOT_FIELDS if k.startswith("Subscription.")])
def test_subscription_fields_have_rules(key: str) -> None:
    assert key in ROOT_RULES, f"{key} has no access rule in ROOT_RULES"
