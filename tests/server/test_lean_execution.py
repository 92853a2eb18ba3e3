"""The lean execution path (server/fastpath/lean_fields.py, server/fastpath/lean_execution.py) answers exactly what strawberry and graphql-core answer."""

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
  villages { __typename id code households population groups @skip(if: $skip)
    grids { __typename id code worker { id name } householdGroups { id code households head { name } } }
    partyGroups { ... on PartyGroup { code leader { name } } } } } }""",
    "tree with a masked field below (graphql-core completes those objects)": """
query ($code: String!) { county(code: $code) { townships { villages { code grids { code worker { name phone } } } } } }""",
    "village with a relation resolved by its own resolver": """
query ($code: String!) { village(code: "522728001201") { code name grids { code } township { code name } } county(code: $code) { code } }""",
    "meetings with attendees (not prefetched: graphql-core completes them)": """
query ($code: String!) { township(code: "522728001") { id code meetings(first: 5) { edges { node { id number kind heldAt attendees { id name } } } } }
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


async def test_a_directive_decides_the_fields_of_each_request_though_plans_are_shared(orm: str, client: Any) -> None:
    """Plans are shared between requests of the same document, except where @skip/@include make the selected fields
    depend on the variables: the same text asked with the flag on, off and on again answers each as asked."""
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    query = """query ($with: Boolean!) { county(code: "522728") { townships { villages { code households @include(if: $with)
      grids { code householdGroups { code households @skip(if: $with) } } } } } }"""
    answers = []
    for flag in (True, False, True, False):
        answer = await client.post("/graphql", json={"query": query, "variables": {"with": flag}})
        village = answer.json()["data"]["county"]["townships"][0]["villages"][0]
        answers.append((sorted(village), sorted(village["grids"][0]["householdGroups"][0])))
    with_flag = (["code", "grids", "households"], ["code"])
    without = (["code", "grids"], ["code", "households"])
    assert answers == [with_flag, without, with_flag, without]
    static = 'query { county(code: "522728") { townships { villages { code grids { code } } } } }'
    first = await client.post("/graphql", json={"query": static})
    second = await client.post("/graphql", json={"query": static})
    assert first.content == second.content and "errors" not in first.json()


async def test_ids_are_computed_only_when_selected(orm: str, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of meetings with their attendees, a county tree: no global id is encoded unless `id` is asked for."""
    import schema.node
    import server.fastpath.lean_execution
    import server.fastpath.lean_fields
    from core.global_ids import to_global_id

    await load_document(county_document(townships=2, villages=2, grids=2, households=2))
    encoded: list[str] = []

    def counted(type_name: str, pk: int) -> Any:
        encoded.append(type_name)
        return to_global_id(type_name, pk)

    for module in (schema.node, server.fastpath.lean_execution, server.fastpath.lean_fields):
        monkeypatch.setattr(module, "to_global_id", counted)
    without = """{ county(code: "522728") { name townships { code villages { code grids { code worker { name } } } } }
      township(code: "522728001") { meetings(first: 20) { edges { node { number attendees { name } } } } } }"""
    answer = await client.post("/graphql", json={"query": without})
    assert "errors" not in answer.json() and encoded == []
    with_ids = without.replace("villages { code", "villages { id code").replace("attendees { name", "attendees { id name")
    answer = await client.post("/graphql", json={"query": with_ids})
    villages = [v for t in answer.json()["data"]["county"]["townships"] for v in t["villages"]]
    assert "errors" not in answer.json() and encoded.count("Village") == len(villages) > 0
