"""`--known-at`: a report of what the system knew at an instant, reproduced after later entries and meeting changes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from rules.config import RulesConfig
from models.alerts import Alert
from models.enums import MeetingKind, MeetingStatus
from models.meetings import Meeting
from core.global_ids import from_global_id, to_global_id
from core.reports.service import run_report
from tests.api.graphql import query
from tests.reports.conftest import AS_OF, COUNTY


async def _report(known_at: datetime | None = None) -> tuple[str, set[str], dict[str, Any] | None]:
    report = await run_report(
        rules=RulesConfig(),
        county_code=COUNTY, first_day=date(2023, 1, 1), last_day=date(2023, 12, 31), as_of=AS_OF, known_at=known_at, actor="test"
    )
    return report.digest, {f.fingerprint for f in report.findings}, report.rewind


CANCEL = """mutation($id: ID!, $reason: String!) { cancelMeeting(id: $id, reason: $reason) { userErrors { code message } } }"""
UPDATE = """mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) { userErrors { code message } } }"""
RECORD = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) { meeting { id } userErrors { code message } } }"""


async def _mutate(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    payload = next(iter((await query(client, document, **variables)).values()))
    assert payload["userErrors"] == [], payload
    return payload


async def _meeting(township: str, ext_id: str | None = None, month: int = 5) -> Meeting:
    found = Meeting.filter(township__code=township, kind=MeetingKind.THEMATIC, status=MeetingStatus.HELD)
    if ext_id:
        found = found.filter(ext_id=ext_id)
    else:
        found = found.filter(held_at__gte=datetime(2023, month, 1, tzinfo=UTC), held_at__lt=datetime(2023, month, 28, tzinfo=UTC))
    meeting = await found.first()
    assert meeting is not None
    return meeting


async def test_a_report_known_at_an_instant_ignores_later_entries_and_changes(demo: str, client: httpx.AsyncClient) -> None:
    original, original_findings, _ = await _report()
    await asyncio.sleep(0.01)
    cutoff = datetime.now(UTC)
    await asyncio.sleep(0.01)

    # after the cutoff, clerks cancel a meeting of 沫阳镇 (May met its quota), retitle one that is evidence
    # of a finding (边阳镇, November), and record a meeting 龙坪镇 had missed in February
    cancelled = await _meeting("522728109")
    await _mutate(client, CANCEL, id=to_global_id("Meeting", cancelled.id), reason="会议记录有误")
    retitled = await _meeting("522728108", ext_id="M522728108-T021")
    await _mutate(client, UPDATE, input={"id": to_global_id("Meeting", retitled.id), "title": "更正后的标题"})
    late = await _mutate(client, RECORD, input={"townshipCode": "522728107", "kind": "THEMATIC", "heldAt": "2023-02-20T10:00:00+08:00"})
    alerts = await Alert.all().count()

    now_digest, now_findings, _ = await _report()
    assert now_digest != original
    assert "cadence.thematic_monthly|522728109|2023-05" in now_findings - original_findings
    assert "cadence.thematic_monthly|522728107|2023-02" in original_findings - now_findings

    known_digest, known_findings, rewind = await _report(known_at=cutoff)

    assert known_digest == original and known_findings == original_findings
    assert rewind is not None and rewind["removed"]["meetings"] == 1
    assert rewind["restoredMeetings"] == sorted([cancelled.ext_id, retitled.ext_id])
    # the rewind was rolled back: the real data keeps every change, and the reports wrote no alert
    assert (await Meeting.get(id=cancelled.id)).status == MeetingStatus.CANCELLED
    assert (await Meeting.get(id=retitled.id)).title == "更正后的标题"
    assert await Meeting.filter(id=from_global_id(late["meeting"]["id"])[1]).exists()  # type: ignore[index]
    assert await Alert.all().count() == alerts


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one backend is enough here; PostgreSQL: digest and known-at tests
async def test_nothing_known_before_the_data_was_entered(demo: str) -> None:
    _, findings, rewind = await _report(known_at=datetime(2020, 1, 1, tzinfo=UTC))

    assert rewind is not None and rewind["removed"]["meetings"] == 251 and rewind["removed"]["cases"] == 1290
    assert not any(f.startswith("case.") for f in findings)
    assert await Meeting.all().count() == 251
