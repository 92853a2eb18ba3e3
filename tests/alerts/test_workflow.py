"""The whole workflow through GraphQL alone, as the issue's users live it, against a real server."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from core import clock
from tests.alerts.wsclient import subscriber
from tests.rules.factories import world
from tests.serving import cli_token, served
from tests.writes import ADD_CASE_EVENT, RECORD_MEETING, REPORT_CASE, at, gid, label, month_start

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

WATCH = "subscription($county: String!) { alertChanged(countyCode: $county) { kind alert { id ruleId period subjectCode status } } }"


async def _post(http: httpx.AsyncClient, document: str, **variables: object) -> dict:  # type: ignore[type-arg]
    body = (await http.post("/graphql", json={"query": document, "variables": variables})).json()
    assert "errors" not in body, body
    payload = next(iter(body["data"].values()))
    assert not payload.get("userErrors"), payload
    return payload


async def test_a_month_of_meetings_a_dispute_escalated_alerts_watched_acknowledged_and_audited(orm: str, tmp_path: Path) -> None:
    w = await world(established_on=month_start(3))
    team = [gid("Person", p.id) for p in w.team]
    last = month_start(1)
    with served(orm, tmp_path / "serve.log") as base:
        tokens = {
            "bureau": cli_token(orm, "BUREAU", w.county.code), "township": cli_token(orm, "TOWNSHIP", w.township.code),
            "village": cli_token(orm, "VILLAGE", w.village.code), "auditor": cli_token(orm, "AUDITOR", w.county.code),
        }
        clients = {role: httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {t}"}) for role, t in tokens.items()}
        try:
            async with subscriber(base, tokens["bureau"]) as ws:
                await ws.subscribe(WATCH, county=w.county.code)
                await ws.subscribed()
                # the township records last month: one thematic meeting only (the second one is missing)
                await _post(clients["township"], RECORD_MEETING, input={
                    "townshipCode": w.township.code, "kind": "THEMATIC", "heldAt": at(last + timedelta(days=9)), "attendeeIds": team})
                # a village reports a dispute reported 40 days ago; the township escalates it
                reported = (clock.now() - timedelta(days=40)).astimezone().isoformat()
                await _post(clients["village"], REPORT_CASE, input={
                    "villageCode": w.village.code, "number": f"{w.village.code}-WF-1", "kind": "DISPUTE", "category": "NEIGHBOUR",
                    "channel": "COURTYARD_MEETING", "reportedAt": reported, "title": "邻里排水纠纷"})
                await _post(clients["township"], ADD_CASE_EVENT, input={
                    "caseNumber": f"{w.village.code}-WF-1", "type": "ESCALATED", "at": (clock.now() - timedelta(hours=1)).isoformat(), "toLevel": "TOWNSHIP"})

                heard: dict[tuple[str, str | None], dict] = {}  # type: ignore[type-arg]
                while not {("cadence.thematic_monthly", label(last)), ("case.overdue", None)} <= set(heard):
                    message = await asyncio.wait_for(ws.receive(), 10)
                    event = message["payload"]["data"]["alertChanged"]
                    heard[(event["alert"]["ruleId"], event["alert"]["period"])] = event
                overdue = heard[("case.overdue", None)]
                assert overdue["kind"] == "RAISED" and overdue["alert"]["subjectCode"] == f"{w.village.code}-WF-1"

                await _post(clients["bureau"], 'mutation($id: ID!) { acknowledgeAlert(id: $id, note: "已督办") { alert { status } userErrors { code } } }',
                            id=overdue["alert"]["id"])
                while True:
                    event = (await asyncio.wait_for(ws.receive(), 10))["payload"]["data"]["alertChanged"]
                    if event["kind"] == "ACKNOWLEDGED":
                        assert event["alert"]["id"] == overdue["alert"]["id"]
                        break

            trail = (await clients["auditor"].post("/graphql", json={"query": "{ auditLog(first: 100) { edges { node { action actor entityKey } } } }"})).json()
            actions = [(e["node"]["action"], e["node"]["actor"]) for e in trail["data"]["auditLog"]["edges"]]
            assert actions == [
                ("recordMeeting", "served township"), ("reportCase", "served village"),
                ("addCaseEvent", "served township"), ("acknowledgeAlert", "served bureau"),
            ]
        finally:
            for http in clients.values():
                await http.aclose()
