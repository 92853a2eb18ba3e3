"""Many clients write at once through two server processes on PostgreSQL: no lost update, no duplicate number."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from core import clock
from models.audit import AuditEntry
from models.cases import CaseEvent
from models.meetings import Meeting
from tests.rules.factories import case, world
from tests.serving import cli_token, served
from core.global_ids import from_global_id
from tests.meetings.test_update_and_cancel_meeting import CANCEL, UPDATE
from tests.writes import ADD_CASE_EVENT, RECORD_MEETING, at, month_start

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

pytestmark = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)


@pytest.mark.heavy
async def test_concurrent_meetings_get_distinct_numbers_and_concurrent_escalations_apply_once(orm: str, tmp_path: Path) -> None:
    w = await world(established_on=month_start(3))
    dispute = await case(w.village, clock.now() - timedelta(days=3), number="LD-RACE")
    with served(orm, tmp_path / "a.log") as first, served(orm, tmp_path / "b.log") as second:
        token = cli_token(orm)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=first, headers=headers, timeout=60) as a, httpx.AsyncClient(base_url=second, headers=headers, timeout=60) as b:
            meetings = [
                (a if i % 2 else b).post("/graphql", json={"query": RECORD_MEETING, "variables": {"input": {
                    "townshipCode": w.township.code, "kind": "THEMATIC", "heldAt": at(month_start(1) + timedelta(days=i % 28)),
                }}})
                for i in range(20)
            ]
            answers = [r.json() for r in await asyncio.gather(*meetings)]
            assert all(x["data"]["recordMeeting"]["userErrors"] == [] for x in answers), answers
            numbers = sorted(x["data"]["recordMeeting"]["meeting"]["number"] for x in answers)
            assert numbers == list(range(1, 21))

            when = (clock.now() - timedelta(minutes=1)).isoformat()
            escalations = [
                (a if i % 2 else b).post("/graphql", json={"query": ADD_CASE_EVENT, "variables": {"input": {
                    "caseNumber": dispute.number, "type": "ESCALATED", "at": when, "toLevel": "TOWNSHIP"}}})
                for i in range(8)
            ]
            results = [r.json()["data"]["addCaseEvent"] for r in await asyncio.gather(*escalations)]
            assert sum(1 for r in results if not r["userErrors"]) == 1
            assert {e["code"] for r in results for e in r["userErrors"]} == {"INVALID_STATE"}
            # a correction racing a cancellation: both apply in some order, or the correction is refused — never lost
            target = answers[0]["data"]["recordMeeting"]["meeting"]["id"]
            update = a.post("/graphql", json={"query": UPDATE, "variables": {"input": {"id": target, "title": "更正后的标题"}}})
            cancel = b.post("/graphql", json={"query": CANCEL, "variables": {"id": target, "reason": "未召开"}})
            updated, cancelled = [r.json()["data"] for r in await asyncio.gather(update, cancel)]
            assert cancelled["cancelMeeting"]["userErrors"] == []
            row = await Meeting.get(id=from_global_id(target)[1])  # type: ignore[index]
            assert row.status == "CANCELLED"
            if updated["updateMeeting"]["userErrors"]:
                assert [e["code"] for e in updated["updateMeeting"]["userErrors"]] == ["INVALID_STATE"] and row.title != "更正后的标题"
            else:
                assert row.title == "更正后的标题"
    assert await Meeting.all().count() == 20 and await CaseEvent.filter(case_id=dispute.id).count() == 1
    assert await AuditEntry.filter(action="recordMeeting").count() == 20
    assert await AuditEntry.filter(action="addCaseEvent").count() == 1
