"""The lean execution path (server/lean_fields.py, server/lean_execution.py) answers exactly what strawberry and graphql-core answer."""

from __future__ import annotations

from typing import Any

import pytest

from models.enums import TokenRole
from resolvers.context import Context
from core.viewer import Viewer
from server.graphql import build_graphql_schema
from server.load.service import load_document
from core.settings import load_settings
from tests.documents import county_document

QUERIES = {
    "tree with aliases, fragments, __typename and @skip": """
query ($code: String!, $skip: Boolean!) { county(code: $code) { __typename name ...Towns } }
fragment Towns on County { townships { code alias: name kind __typename
  jointMeeting { establishedOn conveners { name } } supervisor(at: "2023-06-30") { name } supervision { validFrom leader { name } }
  villages { __typename code households population groups @skip(if: $skip)
    grids { __typename code worker { name } householdGroups { code households head { name } } }
    partyGroups { ... on PartyGroup { code leader { name } } } } } }""",
    "tree with a masked field below (graphql-core completes those objects)": """
query ($code: String!) { county(code: $code) { townships { villages { code grids { code worker { name phone } } } } } }""",
    "village with a relation resolved by its own resolver": """
query ($code: String!) { village(code: "522728001201") { code name grids { code } township { code name } } county(code: $code) { code } }""",
    "meetings with attendees (not prefetched: graphql-core completes them)": """
query ($code: String!) { township(code: "522728001") { code meetings(first: 5) { edges { node { number kind heldAt attendees { name } } } } }
  county(code: $code) { code } }""",
}


async def _answer(schema: Any, query: str, orm: str) -> dict[str, Any]:
    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false"})
    context = Context(request=None, response=None, settings=settings, viewer=Viewer(role=TokenRole.ADMIN, scope_code=None))
    result = await schema.execute(query, variable_values={"code": "522728", "skip": False}, context_value=context)
    assert result.errors is None, result.errors
    return result.data  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_the_lean_path_answers_exactly_like_graphql_core(orm: str, name: str) -> None:
    await load_document(county_document(townships=2, villages=2, grids=2, households=2))
    settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_ENV": "test", "LIANXI_SWEEP": "false"})
    lean, plain = build_graphql_schema(settings), build_graphql_schema(settings, lean=False)
    answer = await _answer(lean, QUERIES[name], orm)
    assert answer == await _answer(plain, QUERIES[name], orm)
    assert answer["county"] is not None
