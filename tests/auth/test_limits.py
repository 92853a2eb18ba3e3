"""Limits a hostile or careless client runs into: query cost, body size, introspection, masked errors."""

from __future__ import annotations

import httpx
from graphql import parse

from server.graphql import build_graphql_schema
from server.limits import query_cost
from server.load.service import load_document
from core.settings import Settings
from tests.api.test_hierarchy import FULL_TREE
from tests.conftest import ClientFactory
from tests.documents import county_document

SCHEMA = build_graphql_schema(Settings())._schema
CYCLE = """{ county(code: "522728") { townships { villages { grids { householdGroups { grid { village { township {
  county { townships { code } } } } } } } } } } }"""


def _cost(document: str, **variables: object) -> int:
    return query_cost(SCHEMA, parse(document).definitions, None, variables)


def test_cost_multiplies_down_the_tree() -> None:
    assert _cost('{ county(code: "1") { code } }') == 1
    assert _cost('{ county(code: "1") { townships { code } } }') == 1 + 15
    assert _cost("{ cases(first: 10) { edges { node { parties { name } } } } }") == 1 + 10 + 10 + 10 * 10
    assert _cost("query($n: Int) { cases(first: $n) { edges { node { number } } } }", n=20) == 1 + 20 + 20
    assert _cost("{ cases { edges { node { number } } } }") == 1 + 50 + 50  # default page
    tree = _cost(FULL_TREE)
    assert 20_000 < tree <= Settings().max_query_cost, tree
    assert _cost(CYCLE) > 5 * Settings().max_query_cost


async def test_full_tree_of_a_luodian_sized_county_passes_and_a_cycle_does_not(client: httpx.AsyncClient) -> None:
    # 10 townships × 19 villages × 7 grids × 5 household groups = 6,650 groups, 1,330 grids, 190 villages
    await load_document(county_document(townships=10, villages=19, grids=7, households=5))
    tree = await client.post("/graphql", json={"query": FULL_TREE, "variables": {"code": "522728"}})
    assert tree.status_code == 200 and "errors" not in tree.json()
    villages = [v for t in tree.json()["data"]["county"]["townships"] for v in t["villages"]]
    assert len(villages) == 190 and sum(len(g["householdGroups"]) for v in villages for g in v["grids"]) == 6650
    refused = (await client.post("/graphql", json={"query": CYCLE})).json()
    assert refused["data"] is None and "Query cost" in refused["errors"][0]["message"]


async def test_large_bodies_are_refused_with_413(client_for: ClientFactory) -> None:
    admin = await client_for("ADMIN")
    limit = Settings().max_body_bytes
    padded = {"query": "{ __typename }", "variables": {"pad": "x" * limit}}
    assert (await admin.post("/graphql", json=padded)).status_code == 413

    async def chunks():  # no Content-Length: counted while reading
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    chunked = await admin.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    assert (await admin.post("/graphql", json={"query": "{ __typename }"})).status_code == 200


async def test_introspection_can_be_turned_off(orm: str) -> None:
    from server.app import create_app
    from server.auth.tokens import issue_token
    from core.settings import load_settings

    token = (await issue_token("ADMIN")).token
    for flag, allowed in (("true", True), ("false", False)):
        settings = load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_INTROSPECTION": flag, "LIANXI_SWEEP": "false"})
        transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {token}"}) as http:
            body = (await http.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})).json()
            assert ("errors" not in body) == allowed, body


async def test_expected_errors_are_clear_and_unexpected_ones_masked(client: httpx.AsyncClient) -> None:
    bad_first = (await client.post("/graphql", json={"query": "{ cases(first: 1000) { totalCount } }"})).json()
    assert bad_first["errors"][0]["message"] == "first: must be between 1 and 100; got 1000"
    bad_cursor = (await client.post("/graphql", json={"query": '{ meetings(after: "\' OR 1=1 --") { totalCount } }'})).json()
    assert "not a cursor" in bad_cursor["errors"][0]["message"]
    deep = '{ county(code: "1") ' + "{ townships { county " * 8 + "{ code }" + " } }" * 8 + " }"
    too_deep = (await client.post("/graphql", json={"query": deep})).json()
    assert "exceeds maximum operation depth" in too_deep["errors"][0]["message"]


async def test_the_cost_of_the_same_query_follows_its_variables_every_time(orm: str) -> None:
    from server.app import create_app
    from server.auth.tokens import issue_token
    from core.settings import load_settings

    app = create_app(load_settings({"LIANXI_DATABASE_URL": orm, "LIANXI_SWEEP": "false", "LIANXI_MAX_QUERY_COST": "500"}), manage_database=False)
    token = (await issue_token("ADMIN", name="cost")).token
    document = "query($n: Int) { cases(first: $n) { edges { node { number parties { name } } } } }"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x", headers={"Authorization": f"Bearer {token}"}) as http:
        for n, allowed in ((10, True), (60, False), (10, True), (60, False)):  # validation results are cached per variables
            body = (await http.post("/graphql", json={"query": document, "variables": {"n": n}})).json()
            assert ("errors" not in body) is allowed, (n, body)
            if not allowed:
                assert "Query cost" in body["errors"][0]["message"]
