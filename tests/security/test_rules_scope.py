"""`rules(countyCode:)` shows a county's parameter values to the tokens working in that county only."""

from __future__ import annotations

import httpx

from tests.auth.conftest import COUNTY, OTHER_COUNTY, post

RULES = "query($c: String) { rules(countyCode: $c) { id } }"


async def test_a_county_s_rule_parameters_are_read_inside_it_only(clients: dict[str, httpx.AsyncClient]) -> None:
    for role in ("BUREAU", "AUDITOR", "TOWNSHIP", "VILLAGE", "ADMIN"):
        own = await post(clients[role], RULES, c=COUNTY)
        assert "errors" not in own and own["data"]["rules"], (role, own)
        catalog = await post(clients[role], RULES)
        assert "errors" not in catalog, (role, catalog)
    for role in ("BUREAU", "AUDITOR", "TOWNSHIP", "VILLAGE"):
        other = await post(clients[role], RULES, c=OTHER_COUNTY)
        assert other["data"] is None and "outside the jurisdiction" in other["errors"][0]["message"], (role, other)


async def test_run_compliance_refuses_an_as_of_beyond_any_calendar(clients: dict[str, httpx.AsyncClient]) -> None:
    run = 'mutation { runCompliance(countyCode: "522728", asOf: "9999-12-31T23:59:59+14:00") { run { id } userErrors { field code message } } }'
    body = await post(clients["ADMIN"], run)
    assert body["data"]["runCompliance"] == {"run": None, "userErrors": [
        {"field": ["asOf"], "code": "INVALID", "message": "must lie between the years 1900 and 2100; got 9999-12-31T23:59:59+14:00"}]}, body
