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
from tests.sql import count_statements

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


def _aliases(count: int, field: str) -> str:
    return "{ " + " ".join(f"a{n}: {field}" for n in range(count)) + " }"


COUNTY_LEDGER = 'county(code: "522728") { townships { villages { ledger(period: "2023") { collected mediated open } } } }'
VISIT_COUNTS = "mediationVisitCounts { villageCode month visits }"
KNOWN_AT_REPORT = ('ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-12-31", asOf: "2024-01-01T00:00:00+08:00", '
                   'knownAt: "2023-12-01T00:00:00+08:00") { digest }')


def test_declared_work_is_multiplied_by_aliases_and_follows_the_arguments() -> None:
    """Issue 24's examples: each call fits, thirty (or five reports rebuilding history) do not."""
    limit = Settings().max_query_cost
    for field, count in ((COUNTY_LEDGER, 30), (VISIT_COUNTS, 30), (KNOWN_AT_REPORT, 5)):
        assert _cost(_aliases(1, field)) <= limit < _cost(_aliases(count, field)), field
    assert _cost(_aliases(2, KNOWN_AT_REPORT)) > limit
    # the work follows the arguments: a month's report and ledger cost less than a year's, knownAt more
    month = 'ruleReport(countyCode: "522728", from: "2023-05-01", to: "2023-05-31") { digest }'
    year = 'ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-12-31") { digest }'
    assert _cost(_aliases(1, month)) < _cost(_aliases(1, year)) < _cost(_aliases(1, KNOWN_AT_REPORT))
    assert _cost('{ village(code: "1") { ledger(period: "2023-05") { open } } }') < _cost('{ village(code: "1") { ledger { open } } }')
    variables = "query($p: String) { mediationVisitCounts(filter: {period: $p}) { visits } }"
    assert _cost(variables, p="2023-05") < _cost(variables, p="2023") < _cost(variables)
    # mutations repeated in one document count each time
    run = 'runCompliance(countyCode: "522728") { run { id } }'
    assert _cost("mutation " + _aliases(1, run)) <= limit < _cost("mutation " + _aliases(2, run))
    plan = 'applyRotationPlan(countyCode: "522728", month: "2023-05") { changed }'
    assert _cost("mutation " + _aliases(3, plan)) <= limit < _cost("mutation " + _aliases(4, plan))


async def test_an_auditor_is_refused_thirty_county_ledgers_before_any_work(client_for: ClientFactory) -> None:
    await load_document(county_document(townships=2, villages=2, grids=1, households=1))
    auditor = await client_for("AUDITOR", "522728")
    for document in (_aliases(30, COUNTY_LEDGER), _aliases(30, VISIT_COUNTS), _aliases(5, KNOWN_AT_REPORT)):
        with count_statements() as statements:
            body = (await auditor.post("/graphql", json={"query": document})).json()
        assert body.get("data") is None and "Query cost" in body["errors"][0]["message"], body
        assert body["errors"][0]["extensions"]["code"] == "QUERY_COST", body
        assert not any("case" in s or "visit" in s for s in statements), statements
    single = (await auditor.post("/graphql", json={"query": _aliases(1, VISIT_COUNTS)})).json()
    assert "errors" not in single, single
