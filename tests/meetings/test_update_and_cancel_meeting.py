"""Correcting and cancelling a meeting: alerts follow, and the audit trail keeps before and after."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from models.audit import AuditEntry
from tests.api.graphql import query
from tests.rules.factories import world
from tests.writes import ALERT_CHANGES, RECORD_MEETING, USER_ERRORS, at, changes, gid, label, month_start, mutate

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

UPDATE = f"""mutation($input: UpdateMeetingInput!) {{ updateMeeting(input: $input) {{
  meeting {{ heldAt status title attendees {{ name }} }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!, $reason: String!) {{ cancelMeeting(id: $id, reason: $reason) {{
  meeting {{ status }} {ALERT_CHANGES} {USER_ERRORS} }} }}"""


async def test_cancelling_one_of_two_meetings_reopens_the_month_and_the_audit_shows_it(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    last = month_start(1)
    team = [gid("Person", p.id) for p in w.team]
    ids = []
    for day in (9, 19):
        recorded = await mutate(client, RECORD_MEETING, input={
            "townshipCode": w.township.code, "kind": "THEMATIC", "heldAt": at(last + timedelta(days=day)), "attendeeIds": team,
        })
        ids.append(recorded["meeting"]["id"])
    cancelled = await mutate(client, CANCEL, id=ids[1], reason="暴雨，会议改期")
    assert cancelled["meeting"]["status"] == "CANCELLED"
    assert changes(cancelled, "cadence.thematic_monthly") == {("REOPENED", label(last))}
    twice = await mutate(client, CANCEL, id=ids[1], reason="again")
    assert [e["code"] for e in twice["userErrors"]] == ["INVALID_STATE"]

    # the first meeting really was held a day later, without the staff member
    moved = await mutate(client, UPDATE, input={"id": ids[0], "heldAt": at(last + timedelta(days=10)), "attendeeIds": team[:1], "title": "第1次专题会"})
    assert moved["userErrors"] == [] and moved["meeting"]["attendees"] == [{"name": "领导甲"}]

    trail = await query(client, '{ auditLog(filter: {entity: "meeting"}) { totalCount edges { node { action actor before after } } } }')
    entries = [e["node"] for e in trail["auditLog"]["edges"]]
    assert [e["action"] for e in entries] == ["recordMeeting", "recordMeeting", "cancelMeeting", "updateMeeting"]
    cancel, update = entries[2], entries[3]
    assert cancel["before"]["status"] == "HELD" and cancel["after"]["status"] == "CANCELLED" and cancel["after"]["reason"] == "暴雨，会议改期"
    assert len(update["before"]["attendees"]) == 2 and update["after"]["attendees"] == [w.leader.id]
    assert update["after"]["title"] == "第1次专题会" and update["before"]["heldAt"] != update["after"]["heldAt"]
    assert {e["actor"] for e in entries} == {"test-admin"}
    assert await AuditEntry.filter(action="runCompliance").count() == 0


async def test_an_unknown_meeting_id_is_not_found(client: httpx.AsyncClient) -> None:
    await world()
    payload = await mutate(client, UPDATE, input={"id": gid("Meeting", 424242), "title": "x"})
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
