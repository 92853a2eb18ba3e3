"""A report's as-of and window are bounded with clear errors, so no request can ask the engine for centuries of periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.reports.build import report_facts
from core.reports.window import check_window
from models.units import County
from rules.config import RulesConfig
from server.load.service import load_document
from tests.documents import county_document
from tests.reports.conftest import lianxi
from tests.sql import count_statements

REPORT = """query($from: Date!, $to: Date!, $asOf: DateTime, $knownAt: DateTime) {
  ruleReport(countyCode: "522728", from: $from, to: $to, asOf: $asOf, knownAt: $knownAt) { digest }
}"""
YEAR = {"from": "2023-01-01", "to": "2023-12-31", "asOf": "2024-01-01T00:00:00+08:00"}
REFUSAL_STATEMENTS = 2  # the cache's data version and the county (the window is checked in its zone)
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
    with count_statements() as statements:
        body = (await client.post("/graphql", json={"query": REPORT, "variables": {**YEAR, **variables}})).json()
    assert body["data"] is None and message in body["errors"][0]["message"], body
    # at once: refused after reading the county (its zone), before any fact, run or audit entry is read or written
    assert len(statements) <= REFUSAL_STATEMENTS, statements


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


async def test_report_cost_follows_its_window_not_the_distance_to_its_as_of(orm: str) -> None:
    """A 2023 report as of 2028 evaluates the same facts with the same statements as one as of 2024-01-01
    (before: 60 more months and 20 more quarters per township, and a meeting read up to the as-of)."""
    await load_document(county_document(townships=2, villages=1, grids=1, households=1))
    county = await County.get(code="522728")
    tz = ZoneInfo(county.timezone)
    window = check_window(date(2023, 1, 1), date(2023, 12, 31), tz)
    work = {}
    for as_of in (datetime(2024, 1, 1, tzinfo=tz), datetime(2028, 12, 31, tzinfo=tz)):
        with count_statements() as statements:
            facts = await report_facts(county, window, as_of, RulesConfig().for_county(county.code))
        periods = sorted(f["id"] for f in facts.facts if f["kind"] in ("township_month", "township_quarter"))
        work[as_of.year] = (len(statements), len(facts.facts), periods)
    assert len(work[2024][2]) == 2 * (12 + 4), work[2024]  # two townships, the window's months and quarters
    assert work[2028] == work[2024]
