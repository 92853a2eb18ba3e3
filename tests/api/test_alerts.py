"""The bureau runs the rules through the API, reads the alerts with their evidence, and acts on them."""

from __future__ import annotations

import httpx

from server.load.service import load_document
from tests.api.graphql import query
from tests.documents import county_document

RUN = """
mutation Run($asOf: DateTime) {
  runCompliance(countyCode: "522728", asOf: $asOf) {
    run { id trigger asOf counts ruleVersions parameters }
    userErrors { field code message }
  }
}
"""

ALERTS = """
query Alerts($filter: AlertFilter) {
  alerts(filter: $filter, first: 100) {
    totalCount
    edges { node { id ruleId severity status fingerprint period subjectCode message raisedAt
      acknowledgedAt resolvedAt escalatedAt notifyHead evidence assignee { name } township { code } } }
  }
}
"""


async def test_a_month_with_one_thematic_meeting_raises_a_cadence_alert_for_the_assigned_leader(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=1))
    run = (await query(client, RUN, asOf="2023-06-01T00:00:00+08:00"))["runCompliance"]
    assert run["userErrors"] == []
    assert run["run"]["trigger"] == "MANUAL"
    assert run["run"]["ruleVersions"]["cadence.thematic_monthly"] == 1
    alerts = (await query(client, ALERTS, filter={"ruleId": "cadence.thematic_monthly", "period": "2023-05"}))["alerts"]
    assert alerts["totalCount"] == 1
    alert = alerts["edges"][0]["node"]
    assert alert["fingerprint"] == "cadence.thematic_monthly|522728001|2023-05"
    assert (alert["status"], alert["severity"], alert["subjectCode"]) == ("OPEN", "VIOLATION", "522728001")
    assert alert["assignee"] == {"name": "罗杰"}
    assert alert["township"] == {"code": "522728001"}
    assert alert["notifyHead"] is True
    assert alert["raisedAt"] == "2023-06-01T00:00:00+08:00"  # the run's as-of, in the county's zone
    evidence = alert["evidence"]
    assert (evidence["thematic_held"], evidence["parameters"], evidence["period"]) == (1, {"N": 2}, "2023-05")
    assert [m["held_at"] for m in evidence["thematic_meetings"]] == ["2023-05-31T23:30:00+08:00"]


async def test_running_twice_changes_nothing_and_acknowledging_is_recorded(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=1))
    await query(client, RUN, asOf="2023-07-01T00:00:00+08:00")
    first = (await query(client, ALERTS))["alerts"]
    again = (await query(client, RUN, asOf="2023-07-01T00:00:00+08:00"))["runCompliance"]["run"]["counts"]
    assert all(counts["raised"] == 0 and counts["resolved"] == 0 for counts in again.values())
    assert (await query(client, ALERTS))["alerts"] == first

    alert_id = first["edges"][0]["node"]["id"]
    acked = (await query(client, 'mutation($id: ID!) { acknowledgeAlert(id: $id, note: "已安排") { alert { status acknowledgedAt acknowledgeNote } userErrors { code } } }', id=alert_id))["acknowledgeAlert"]
    assert acked["userErrors"] == [] and acked["alert"]["status"] == "ACKNOWLEDGED"
    twice = (await query(client, 'mutation($id: ID!) { acknowledgeAlert(id: $id) { alert { id } userErrors { field code message } } }', id=alert_id))["acknowledgeAlert"]
    assert twice["alert"] is None and twice["userErrors"][0]["code"] == "INVALID_STATE"
    waived = (await query(client, 'mutation($id: ID!) { waiveAlert(id: $id, reason: "镇党委换届", until: "2030-01-01") { alert { status waiveReason waivedUntil } userErrors { code } } }', id=alert_id))["waiveAlert"]
    assert waived["alert"] == {"status": "WAIVED", "waiveReason": "镇党委换届", "waivedUntil": "2030-01-01"}


async def test_unknown_county_and_alert_are_user_errors(client: httpx.AsyncClient) -> None:
    bad = (await query(client, 'mutation { runCompliance(countyCode: "000000") { run { id } userErrors { field code message } } }'))["runCompliance"]
    assert bad["run"] is None and bad["userErrors"][0]["field"] == ["countyCode"]
    missing = (await query(client, 'mutation { acknowledgeAlert(id: "QWxlcnQ6OTk5OQ==") { alert { id } userErrors { code } } }'))["acknowledgeAlert"]
    assert missing["userErrors"] == [{"code": "NOT_FOUND"}]


async def test_catalog_lists_every_rule_with_parameters(client: httpx.AsyncClient) -> None:
    rules = (await query(client, '{ rules(countyCode: "522728") { id version severity titleZh basis parameters { name value default } } }'))["rules"]
    ids = {r["id"] for r in rules}
    assert {"cadence.thematic_monthly", "cadence.plenary_quarterly", "supervision.monthly_coverage", "supervision.assigned_leader",
            "case.overdue", "case.acceptance_overdue", "case.village_escalation", "roster.grid_worker_missing",
            "roster.household_head_missing", "alert.unacknowledged", "case.due_soon", "cadence.thematic_at_risk"} == ids
    thematic = next(r for r in rules if r["id"] == "cadence.thematic_monthly")
    assert thematic["parameters"] == [{"name": "N", "value": 2, "default": 2}]


WAIVE = "mutation($id: ID!, $reason: String!, $until: Date) { waiveAlert(id: $id, reason: $reason, until: $until) { alert { id } userErrors { field code } } }"


async def test_a_refused_waiver_names_the_argument_at_fault(client: httpx.AsyncClient) -> None:
    """The refusal carries its field (`id`, `reason`, `until`); nothing reads it back out of the message."""
    await load_document(county_document(townships=1))
    await query(client, RUN, asOf="2023-06-01T00:00:00+08:00")
    alert_id = (await query(client, ALERTS))["alerts"]["edges"][0]["node"]["id"]

    async def refused(**variables: object) -> list[dict[str, object]]:
        answer = (await query(client, WAIVE, **variables))["waiveAlert"]
        assert answer["alert"] is None
        return answer["userErrors"]  # type: ignore[no-any-return]

    assert await refused(id=alert_id, reason="  ") == [{"field": ["reason"], "code": "INVALID"}]
    assert await refused(id=alert_id, reason="已批准", until="2020-01-01") == [{"field": ["until"], "code": "INVALID"}]
    assert await refused(id="QWxlcnQ6OTk5OQ==", reason="已批准") == [{"field": ["id"], "code": "NOT_FOUND"}]
    assert await refused(id="Tm90QW5BbGVydDox", reason="已批准") == [{"field": ["id"], "code": "NOT_FOUND"}]
    await query(client, WAIVE, id=alert_id, reason="已批准")
    assert await refused(id=alert_id, reason="再次") == [{"field": ["id"], "code": "INVALID_STATE"}]
