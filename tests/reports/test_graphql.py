"""A client asks `ruleReport` over HTTP: findings with evidence and alerts, grids, statistics, errors that say what is wrong."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from rules.config import RulesConfig
from models.alerts import Alert, RuleRun
from models.audit import AuditEntry
from core.compliance import run_compliance
from server.load.service import load_document
from tests.api.graphql import query, query_errors
from tests.conftest import ClientFactory
from tests.documents import county_document
from tests.reports.conftest import AS_OF, AS_OF_ISO, COUNTY

REPORT = """query($county: String!, $from: Date!, $to: Date!, $asOf: DateTime, $rules: [String!]) {
  ruleReport(countyCode: $county, from: $from, to: $to, asOf: $asOf, rules: $rules) {
    countyName from to asOf digest runId successRate
    rules { id version parameters findings }
    findings { ruleId severity subjectCode subjectName townshipName period message deadline daysOverdue fingerprint evidence
               alert { status assigneeName acknowledgedAt acknowledgedBy waivedAt } }
    ruleSummaries { ruleId findings townships }
    townshipSummaries { code name findings violations monthsMet monthsEvaluated quartersMet }
    months { townshipCode period state thematicHeld thematicRequired supervised }
    quarters { townshipCode period state plenaryHeld plenaryRequired }
    statistics { key value }
  }
}"""
YEAR = {"county": COUNTY, "from": "2023-01-01", "to": "2023-12-31", "asOf": AS_OF_ISO}


async def _report(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    return (await query(client, REPORT, **{**YEAR, **variables}))["ruleReport"]


async def test_the_2023_report_has_evidence_grids_and_statistics_and_writes_no_alert(demo: str, client: httpx.AsyncClient) -> None:
    report = await _report(client)

    assert report["countyName"] == "罗甸县" and report["from"] == "2023-01-01" and len(report["digest"]) == 64
    assert len(report["findings"]) == 65 and all(f["alert"] is None for f in report["findings"])
    thematic = next(f for f in report["findings"] if f["ruleId"] == "cadence.thematic_monthly")
    meetings = thematic["evidence"]["thematic_meetings"]
    assert thematic["evidence"]["parameters"] == {"N": 2} and len(meetings) == thematic["evidence"]["thematic_held"]
    assert all(m["held_at"].startswith(thematic["period"]) and m["attendees"] for m in meetings)
    assert thematic["subjectName"] == thematic["townshipName"] and "专题会" in thematic["message"]
    overdue = [f for f in report["findings"] if f["ruleId"] == "case.overdue"]
    assert overdue and all(f["deadline"] and f["daysOverdue"] > 0 and f["subjectName"] for f in overdue)
    assert all("id" not in m for m in meetings) and "case_id" not in overdue[0]["evidence"]

    assert len(report["months"]) == 120 and len(report["quarters"]) == 40
    missed = {(m["townshipCode"], m["period"]) for m in report["months"] if m["state"] == "MISSED"}
    fired = {(f["subjectCode"], f["period"]) for f in report["findings"]
             if f["ruleId"] in ("cadence.thematic_monthly", "supervision.monthly_coverage")}
    assert missed == fired
    assert sum(s["findings"] for s in report["ruleSummaries"]) == 65
    assert sum(t["findings"] for t in report["townshipSummaries"]) == 65
    figures = {s["key"]: s["value"] for s in report["statistics"]}
    assert (figures["thematic_meetings"], figures["plenary_meetings"], figures["disputes_mediated"]) == (222, 25, 1203)
    assert report["successRate"] == round(100 * 1203 / 1225, 1)

    assert await Alert.all().count() == 0
    run = await RuleRun.get(id=report["runId"])
    assert (run.trigger, run.digest, run.actor) == ("REPORT", report["digest"], "test-admin")
    runs = await query(client, '{ ruleRuns(countyCode: "522728") { edges { node { trigger digest } } } }')
    assert {"trigger": "REPORT", "digest": report["digest"]} in [e["node"] for e in runs["ruleRuns"]["edges"]]
    entry = await AuditEntry.get(action="ruleReport", entity_key=str(run.id))
    assert entry.after == {"digest": report["digest"], "from": "2023-01-01", "to": "2023-12-31", "asOf": AS_OF.isoformat()}


async def test_alerts_show_in_the_report_but_do_not_change_its_digest(demo: str, client: httpx.AsyncClient) -> None:
    before = await _report(client)
    await run_compliance(rules=RulesConfig(), county_code=COUNTY, as_of=AS_OF)
    alert = await Alert.filter(rule_id="cadence.plenary_quarterly").order_by("fingerprint").first()
    assert alert is not None
    alert.acknowledged_at, alert.acknowledged_by = AS_OF, "黄局长"
    await alert.save()
    count = await Alert.all().count()

    after = await _report(client)

    assert after["digest"] == before["digest"]
    assert all(f["alert"] and f["alert"]["status"] == "OPEN" or f["fingerprint"] == alert.fingerprint for f in after["findings"])
    acknowledged = next(f for f in after["findings"] if f["fingerprint"] == alert.fingerprint)
    assert acknowledged["alert"]["acknowledgedBy"] == "黄局长" and acknowledged["alert"]["assigneeName"]
    assert await Alert.all().count() == count


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one backend is enough here; PostgreSQL: digest and known-at tests
async def test_a_window_keeps_its_own_periods(demo: str, client: httpx.AsyncClient) -> None:
    report = await _report(client, **{"from": "2023-04-01", "to": "2023-06-30"})

    periods = {f["period"] for f in report["findings"] if f["period"]}
    assert periods <= {"2023-04", "2023-05", "2023-06", "2023-Q2"}
    assert {m["period"] for m in report["months"]} == {"2023-04", "2023-05", "2023-06"}
    assert {q["period"] for q in report["quarters"]} == {"2023-Q2"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one backend is enough here; PostgreSQL: digest and known-at tests
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"from": "2023-12-01", "to": "2023-01-31"}, "from: 2023-12-01 is after to"),
        ({"county": "522799"}, "countyCode: unknown county code"),
        ({"from": "2019-01-01"}, "to: a report covers at most three years"),
        ({"rules": ["cadence.weekly"]}, "rules: unknown rule id"),
        ({"asOf": "2024-01-01T00:00:00"}, "asOf: needs a time zone offset"),
    ],
)
async def test_bad_arguments_are_clear_errors(orm: str, client: httpx.AsyncClient, variables: dict[str, Any], message: str) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    errors = await query_errors(client, REPORT, **{**YEAR, **variables})
    assert message in errors[0]["message"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one backend is enough here; PostgreSQL: digest and known-at tests
async def test_an_auditor_reads_the_report_without_any_party_personal_data(
    demo: str, client_for: ClientFactory, demo_document: dict[str, Any]
) -> None:
    auditor = await client_for("AUDITOR", COUNTY)
    response = await auditor.post("/graphql", json={"query": REPORT, "variables": YEAR})
    assert response.status_code == 200 and "errors" not in response.json()
    text = response.text
    parties = [p for case in demo_document["cases"] for p in case.get("parties", [])]
    assert parties
    leaks = [p for p in parties if p.get("phone") and p["phone"] in text or p.get("idNumber") and p["idNumber"] in text]
    assert not leaks

    township = await client_for("TOWNSHIP", "522728109")
    errors = await query_errors(township, REPORT, **YEAR)
    assert "Forbidden" in errors[0]["message"]
