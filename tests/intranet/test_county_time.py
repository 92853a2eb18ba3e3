"""Every DateTime the API shows is in the county's own zone with its offset: a county in Asia/Urumqi reads +06:00 everywhere.

The query is generated from the schema (every DateTime field reachable from Query), so a new
field that shows UTC or the server's zone fails here.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from graphql import OperationDefinitionNode, parse, print_ast

from rules.config import RulesConfig
from tests.intranet.schema_walk import graphql_schema, selection, values_of

COUNTY = "522728"
GIVEN = {"countyCode": f'"{COUNTY}"', "code": f'"{COUNTY}"', "from": '"2023-01-01"', "to": '"2023-12-31"',
         "asOf": '"2024-01-01T00:00:00+08:00"', "year": "2023", "month": '"2024-01"'}


async def _gql(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = (await http.post("/graphql", json={"query": query, "variables": variables or {}})).json()
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.fixture(scope="session")
def urumqi_demo_document(demo_document: dict[str, Any]) -> dict[str, Any]:
    """The demo county, but keeping Xinjiang time (UTC+6) while the server's default zone is Shanghai (UTC+8)."""
    document = copy.deepcopy(demo_document)
    document["counties"][0]["timezone"] = "Asia/Urumqi"
    return document


@pytest.fixture
async def urumqi(orm: str) -> str:
    """That county loaded, in this test's own copy of its template (tests/demo_database.py)."""
    return orm


async def test_every_datetime_is_shown_in_the_countys_own_zone(urumqi: str, client_for: Callable[..., Any]) -> None:
    http = await client_for("ADMIN")
    await _gql(http, f'mutation {{ runCompliance(countyCode: "{COUNTY}", asOf: "2024-01-01T00:00:00+08:00") {{ userErrors {{ code }} }} }}')
    alert_id = (await _gql(http, "{ alerts(first: 1, filter: {status: [OPEN]}) { edges { node { id } } } }"))["alerts"]["edges"][0]["node"]["id"]
    await _gql(http, "mutation($id: ID!) { acknowledgeAlert(id: $id, note: \"已安排督办\") { userErrors { code } } }", {"id": alert_id})

    schema = graphql_schema()
    walk = parse("query Walk " + selection(schema, schema.query_type, "DateTime", GIVEN, depth=5)).definitions[0]
    assert isinstance(walk, OperationDefinitionNode)
    data: dict[str, Any] = {}
    for root in walk.selection_set.selections:  # one root field per request: a report and a plan together exceed the cost limit
        data |= await _gql(http, "query Walk { " + print_ast(root) + " }")
    seen: dict[str, set[str]] = {}
    for path, value in values_of(data):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d.*", value):
            seen.setdefault(re.sub(r"\[\]", "", path), set()).add(value[-6:] if value[-6] in "+-" else value)
    wrong = {path: offsets for path, offsets in seen.items() if offsets != {"+06:00"}}
    assert not wrong, f"DateTime fields not in the county's zone (Asia/Urumqi, +06:00): {wrong}"
    names = {path.rsplit(".", 1)[-1] for path in seen}
    assert {"heldAt", "reportedAt", "raisedAt", "acknowledgedAt", "asOf", "startedAt", "at", "generatedAt", "deadline"} <= names, names


async def test_a_month_filter_is_that_countys_month(urumqi: str, client_for: Callable[..., Any]) -> None:
    """A meeting at 01:00 on 1 June Shanghai time is 23:00 on 31 May in Urumqi: a May meeting there, listed under 2023-05."""
    http = await client_for("ADMIN")
    recorded = await _gql(http, """mutation { recordMeeting(input: {townshipCode: "522728109", kind: THEMATIC,
        heldAt: "2023-06-01T01:00:00+08:00", title: "深夜专题会"}) { meeting { heldAt } userErrors { code message } } }""")
    assert recorded["recordMeeting"]["meeting"]["heldAt"] == "2023-05-31T23:00:00+06:00", recorded
    query = 'query($p: String!) { meetings(filter: {townshipCode: "522728109", period: $p}, first: 100) { edges { node { title heldAt } } } }'
    for period, month in (("2023-05", 5), ("2023-06", 6)):
        nodes = [e["node"] for e in (await _gql(http, query, {"p": period}))["meetings"]["edges"]]
        assert nodes and all(datetime.fromisoformat(n["heldAt"]).month == month and n["heldAt"].endswith("+06:00") for n in nodes), nodes
        assert ("深夜专题会" in [n["title"] for n in nodes]) == (period == "2023-05")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_reports_write_local_times_as_people_write_them(urumqi: str) -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from server.reports.formats import render
    from core.reports.service import run_report

    as_of = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))  # 2023-12-31 22:00 in Urumqi
    report = await run_report(rules=RulesConfig(), county_code=COUNTY, first_day=date(2023, 1, 1), last_day=date(2023, 12, 31), as_of=as_of, actor="test")
    table = render(report, "table").decode()
    assert "评估时点 2023-12-31 22:00（Asia/Urumqi）" in table
    html = render(report, "html").decode()
    assert "<dt>评估时点 As of</dt><dd>2023-12-31 22:00</dd>" in html
    csv = render(report, "csv").decode("utf-8-sig")
    assert "评估时点 As of,2023-12-31 22:00" in csv
    for text in (table, csv):  # no ISO instants in what people read (the evidence JSON column keeps them)
        readable = "\n".join(line for line in text.splitlines() if "{" not in line)
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", readable), re.findall(r".{30}\d{4}-\d\d-\d\dT\d\d:\d\d.{10}", readable)[:3]
    document = render(report, "json").decode()
    assert '"asOf":"2023-12-31T22:00:00+06:00"' in document.replace(" ", "")
