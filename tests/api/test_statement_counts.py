"""The main queries send the same number of SQL statements for a one-township county and a ten-township one (no N+1).

Not timed: benchmarks/ measures speed. Each query is asked once per data size, right after the
data changed, so the response cache (server/fastpath/response_cache.py) cannot answer it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from rules.config import RulesConfig
from benchmarks.dashboard import DASHBOARD
from benchmarks.hierarchy import TREE
from core.compliance import run_compliance
from server.load.service import load_document
from tests.conftest import FASTPATH, ClientFactory
from tests.documents import county_document
from tests.sql import count_statements

AS_OF = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=8)))
SMALL = {"townships": 1, "villages": 1, "grids": 1, "households": 1}
LARGE = {"townships": 10, "villages": 3, "grids": 3, "households": 4}

MEETINGS = """{ meetings(filter: {countyCode: "522728"}, first: 100) { totalCount edges { node {
  number kind heldAt township { name } attendees { name roles { role unitCode } } cases { number status events { type } } } } } }"""
CASES = """{ cases(filter: {countyCode: "522728"}, first: 100) { totalCount edges { node {
  number status village { name township { name } } township { code } parties { name phone } events { type at toLevel }
  meetings { number } } } } }"""
ALERTS = """{ alerts(filter: {countyCode: "522728"}, first: 100) { totalCount edges { node {
  ruleId period subjectCode township { name } assignee { name } } } } }"""
COMPLIANCE = """{ county(code: "522728") { townships { code
  compliance(year: 2023) { months { period thematicHeld met } quarters { period plenaryHeld met } } } } }"""
LEDGER = """{ county(code: "522728") { townships { code villages { code ledger(period: "2023") {
  collected mediated open byChannel { key collected } items { number status outcome escalatedTo } } } } } }"""

QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "tree": (TREE, {"code": "522728"}),
    "meetings": (MEETINGS, {}),
    "cases": (CASES, {}),
    "alerts": (ALERTS, {}),
    "compliance": (COMPLIANCE, {}),
    "ledger": (LEDGER, {}),
}


async def _statements(client: httpx.AsyncClient, document: str, variables: dict[str, str]) -> tuple[int, dict]:
    with count_statements() as statements:
        response = await client.post("/graphql", json={"query": document, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return len(statements), body["data"]


async def _load(size: dict[str, int]) -> None:
    await load_document(county_document(**size))
    await run_compliance(rules=RulesConfig(), county_code="522728", as_of=AS_OF)  # alerts for the alerts and dashboard queries


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_statements_do_not_grow_with_the_county(client: httpx.AsyncClient, name: str) -> None:
    document, variables = QUERIES[name]
    await _load(SMALL)
    small, small_data = await _statements(client, document, variables)
    await _load(LARGE)
    large, large_data = await _statements(client, document, variables)
    assert small_data != large_data  # the larger county really answered more
    assert small == large, f"{name}: {small} statements for 1 township, {large} for 10"


async def test_township_dashboard_statements_do_not_grow(client_for: ClientFactory) -> None:
    variables = {"code": "522728001", "month": "2023-05"}
    await _load(SMALL)
    clerk = await client_for("TOWNSHIP", "522728001")
    small, small_data = await _statements(clerk, DASHBOARD, variables)
    await _load(LARGE)
    large, large_data = await _statements(clerk, DASHBOARD, variables)
    assert len(large_data["township"]["villages"]) == 3 and len(small_data["township"]["villages"]) == 1
    assert small == large, f"dashboard: {small} statements for 1 township, {large} for 10"


@pytest.mark.skipif(not FASTPATH, reason="LIANXI_FASTPATH=off: no response cache")
async def test_a_repeated_query_is_answered_from_the_cache_until_the_data_changes(client: httpx.AsyncClient) -> None:
    await _load(SMALL)
    first, data = await _statements(client, TREE, {"code": "522728"})
    again, same = await _statements(client, TREE, {"code": "522728"})
    assert same == data and again < first  # authentication and the data version only
    await load_document(county_document(**{**SMALL, "households": 2}))
    changed, fresh = await _statements(client, TREE, {"code": "522728"})
    assert changed == first and fresh != data


async def test_the_cache_never_answers_one_viewer_with_another_viewers_data(client_for: ClientFactory) -> None:
    await _load(LARGE)
    admin, clerk = await client_for("ADMIN"), await client_for("TOWNSHIP", "522728001")
    document = '{ counties { code } township(code: "522728107") { code } }'
    for _ in range(2):  # the second round would come from the cache
        _, seen_by_admin = await _statements(admin, document, {})
        _, seen_by_clerk = await _statements(clerk, document, {})
        assert seen_by_admin == {"counties": [{"code": "522728"}], "township": {"code": "522728107"}}
        assert seen_by_clerk == {"counties": [], "township": None}


# The statements each answer costs, pinned, the response cache's data-version read included (authentication is cached
# per process and not counted; with LIANXI_FASTPATH=off there is no cache, so no data-version read): a change that adds a statement to these (a lost prefetch, a zone looked up again, a
# loader per row) fails here first.
PINNED: dict[str, tuple[str, dict[str, str], int]] = {
    "one village by code (its county's zone joined in)": (
        "query ($code: String!) { village(code: $code) { code name kind households population groups } }",
        {"code": "522728001201"}, 2),
    "a township's meetings with attendees (in the page's statement) and cases (read with the page)": (
        """query ($code: String!) { township(code: $code) { code name meetings(first: 20) { edges { node {
          number kind status heldAt attendees { name } cases { number status } } } } } }""",
        {"code": "522728001"}, 4),
    "the township dashboard (benchmarks/dashboard.py)": (DASHBOARD, {"code": "522728001", "month": "2023-05"}, 12),
}


@pytest.mark.parametrize("name", sorted(PINNED))
async def test_the_main_answers_cost_a_fixed_number_of_statements(client_for: ClientFactory, name: str) -> None:
    document, variables, expected = PINNED[name]
    expected -= 0 if FASTPATH else 1
    await _load(LARGE)
    clerk = await client_for("TOWNSHIP", "522728001")
    with count_statements() as statements:
        response = await clerk.post("/graphql", json={"query": document, "variables": variables})
    assert "errors" not in response.json() and any(value is not None for value in response.json()["data"].values())
    assert len(statements) == expected, f"{name}: {len(statements)} statements, pinned at {expected}:\n" + "\n".join(statements)


async def test_a_county_wide_ledger_reads_all_its_villages_in_a_fixed_number_of_statements(client: httpx.AsyncClient) -> None:
    """Village.ledger goes through LedgersByVillageLoader: the townships' zones, then the period's cases and their
    events for every village at once (it was 3 statements per village); a second period adds its own two."""
    await _load(LARGE)
    count, data = await _statements(client, LEDGER, {})
    assert sum(len(t["villages"]) for t in data["county"]["townships"]) == 30
    assert any(v["ledger"]["collected"] for t in data["county"]["townships"] for v in t["villages"])
    two_periods = LEDGER.replace('ledger(period: "2023") {', 'ledger(period: "2023") { period } may: ledger(period: "2023-05") {')
    more, _ = await _statements(client, two_periods, {})
    tree = 4 if FASTPATH else 3  # the county, its townships, their villages and the response cache's data-version read
    assert count == tree + 3, f"{count} statements for the county-wide ledger"
    assert more == count + 2, f"{more} statements for two periods"
