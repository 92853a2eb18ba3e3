"""A report's as-of and window are bounded with clear errors, so no request can ask the engine for centuries of periods."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from server.load.service import load_document
from tests.documents import county_document
from tests.reports.conftest import lianxi

REPORT = """query($from: Date!, $to: Date!, $asOf: DateTime, $knownAt: DateTime) {
  ruleReport(countyCode: "522728", from: $from, to: $to, asOf: $asOf, knownAt: $knownAt) { digest }
}"""
YEAR = {"from": "2023-01-01", "to": "2023-12-31", "asOf": "2024-01-01T00:00:00+08:00"}
REFUSED = [
    ({"asOf": "2999-12-31T00:00:00+08:00"}, "asOf: must lie between the years 1900 and 2100"),
    ({"asOf": "2030-01-01T00:00:00+08:00"}, "asOf: must be at most 5 years after `to` (2023-12-31)"),
    ({"asOf": "9999-12-31T23:59:59+14:00"}, "asOf: must lie between the years 1900 and 2100"),
    ({"asOf": "0001-01-01T00:00:00-12:00"}, "asOf: must lie between the years 1900 and 2100"),
    ({"knownAt": "9999-12-31T23:59:59+14:00"}, "knownAt: must lie between the years 1900 and 2100"),
    ({"from": "2999-01-01", "to": "2999-12-31", "asOf": "2999-12-31T00:00:00+08:00"}, "from: must be a date between 1900 and 2100"),
    ({"from": "2013-01-01", "to": "2023-12-31"}, "to: a report covers at most three years"),
]


@pytest.mark.parametrize(("variables", "message"), REFUSED)
async def test_far_or_impossible_instants_and_windows_are_refused_at_once(
    orm: str, client: httpx.AsyncClient, variables: dict[str, Any], message: str
) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    started = time.perf_counter()
    body = (await client.post("/graphql", json={"query": REPORT, "variables": {**YEAR, **variables}})).json()
    assert time.perf_counter() - started < 2.0
    assert body["data"] is None and message in body["errors"][0]["message"], body


async def test_the_latest_allowed_as_of_still_answers(orm: str, client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    body = (await client.post("/graphql", json={"query": REPORT, "variables": {**YEAR, "asOf": "2028-12-31T00:00:00+08:00"}})).json()
    assert "errors" not in body and body["data"]["ruleReport"]["digest"], body


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the CLI shares the service: one backend is enough
async def test_lianxi_report_refuses_an_impossible_as_of_clearly(orm: str) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    done = lianxi(orm, "report", "--county", "522728", "--from", "2023-01-01", "--to", "2023-12-31", "--as-of", "9999-12-31T23:59:59+14:00")
    assert done.returncode != 0
    assert b"--as-of: must lie between the years 1900 and 2100" in done.stderr, done.stderr
    assert b"Traceback" not in done.stderr
