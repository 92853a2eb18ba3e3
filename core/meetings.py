"""Recording, correcting and cancelling joint meetings; each write re-evaluates its township's rules in its transaction."""

from __future__ import annotations

from core import clock
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.alerts import Alert
from models.enums import MeetingKind, MeetingStatus
from models.meetings import Meeting
from models.units import County, Township
from rules.scope import periods_touched
from rules.config import RulesConfig
from core.audit import Actor, record_audit
from core.compliance import run_compliance
from core.references import NO_MEETING, NO_TOWNSHIP, attendees_of, cases_of_township
from core.transaction import AlertEvent, alert_transaction
from core.writes import Problems

UNSET: Any = object()
MAX_MEETING_NUMBER = 100_000  # 第N次: far beyond any township's count, and well inside a 32-bit column


@dataclass(frozen=True, slots=True)
class MeetingWrite:
    meeting: Meeting
    alert_changes: list[tuple[AlertEvent, Alert]]


@dataclass(frozen=True, slots=True)
class _Township:
    id: int
    code: str
    county_code: str
    county_id: int


async def _township(code: str, problems: Problems) -> _Township | None:
    row = await Township.filter(code=code).values("id", "code", "county__code", "county_id")
    if not row:
        problems.add(["input", "townshipCode"], "NOT_FOUND", NO_TOWNSHIP)
        return None
    return _Township(row[0]["id"], row[0]["code"], row[0]["county__code"], row[0]["county_id"])


def _check_status(problems: Problems, status: MeetingStatus, held_at: datetime) -> None:
    if status is MeetingStatus.HELD:
        problems.not_future(held_at, ["input", "heldAt"], "a HELD meeting")
    else:
        problems.aware(held_at, ["input", "heldAt"])
    if status is MeetingStatus.CANCELLED:
        problems.add(["input", "status"], "INVALID", "use cancelMeeting to cancel a meeting (it records the reason)")


async def snapshot(meeting: Meeting) -> dict[str, Any]:
    """The meeting as the audit trail keeps it (attendees as person ids, cases as numbers)."""
    township = await Township.get(id=meeting.township_id)  # type: ignore[attr-defined]
    attendees = sorted(await meeting.attendees.all().values_list("id", flat=True))
    cases = sorted(await meeting.cases.all().values_list("number", flat=True))
    return {
        "extId": meeting.ext_id, "township": township.code, "kind": meeting.kind, "status": meeting.status,
        "number": meeting.number, "heldAt": meeting.held_at, "title": meeting.title, "attendees": attendees, "cases": cases,
    }


async def _reevaluate(rules: RulesConfig, scope_county: str, township_code: str, actor: Actor, *held_at: datetime) -> None:
    """The month and quarter of each date the write touched (however old), now, inside the caller's transaction:
    the alert changes commit with the write."""
    zone = ZoneInfo(await County.get(code=scope_county).values_list("timezone", flat=True))
    await run_compliance(rules=rules, county_code=scope_county, as_of=clock.now(), periods=periods_touched(township_code, held_at, zone),
                         trigger="WRITE", actor=actor.name)


async def record_meeting(
    *,
    actor: Actor,
    rules: RulesConfig,
    township_code: str,
    kind: MeetingKind,
    status: MeetingStatus,
    held_at: datetime,
    title: str | None,
    attendee_ids: list[int],
    case_numbers: Sequence[str],
    number: int | None,
    problems: Problems,
) -> MeetingWrite:
    """Record a meeting (numbered after the township's last of its kind unless given) and re-evaluate."""
    township = await _township(township_code, problems)
    _check_status(problems, status, held_at)
    clean_title = problems.text(title, ["input", "title"], required=False)
    people = await attendees_of(
        attendee_ids, township_id=township.id, county_id=township.county_id, problems=problems, field=["input", "attendeeIds"]
    ) if township else []
    if number is not None and not 1 <= number <= MAX_MEETING_NUMBER:
        problems.add(["input", "number"], "INVALID", f"meeting numbers run from 1 to {MAX_MEETING_NUMBER}")
    cases = await cases_of_township(case_numbers, township_id=township.id, problems=problems) if township else []
    problems.check()
    assert township is not None
    async with alert_transaction(county_code=township.county_code) as scope:
        top = await Meeting.filter(township_id=township.id, kind=kind).order_by("-number").limit(1).values_list("number", flat=True)
        if number is not None and await Meeting.exists(township_id=township.id, kind=kind, number=number):
            problems.add(["input", "number"], "CONFLICT", f"{kind} number {number} of township {township.code} is already recorded")
            problems.check()
        if number is None and top and top[0] >= MAX_MEETING_NUMBER:
            problems.add(["input", "number"], "INVALID", f"township {township.code} has used every {kind} number up to {MAX_MEETING_NUMBER}")
            problems.check()
        meeting = await Meeting.create(
            ext_id=f"api-{uuid.uuid4().hex[:16]}", township_id=township.id, kind=kind, status=status,
            number=number or (top[0] if top else 0) + 1, held_at=held_at, title=clean_title,
        )
        if people:
            await meeting.attendees.add(*people)
        if cases:
            await meeting.cases.add(*cases)
        await record_audit(actor=actor, action="recordMeeting", entity="meeting", entity_key=meeting.ext_id,
                           county_code=township.county_code, before=None, after=await snapshot(meeting))
        await _reevaluate(rules, township.county_code, township.code, actor, held_at)
    return MeetingWrite(meeting, scope.changed())


async def change_meeting(
    *,
    actor: Actor,
    rules: RulesConfig,
    meeting_id: int,
    action: str,
    problems: Problems,
    status: MeetingStatus | Any = UNSET,
    held_at: datetime | Any = UNSET,
    title: str | None | Any = UNSET,
    attendee_ids: list[int] | Any = UNSET,
    case_numbers: Sequence[str] | Any = UNSET,
    reason: str | None = None,
    id_field: Sequence[str] = ("input", "id"),
) -> MeetingWrite:
    """Correct or cancel a recorded meeting (fields left UNSET keep their value) and re-evaluate its township."""
    located = await Meeting.filter(id=meeting_id).values("township_id", "township__code", "township__county__code", "township__county_id")
    if not located:
        problems.add(id_field, "NOT_FOUND", NO_MEETING)
        problems.check()
    township_id, township_code = located[0]["township_id"], located[0]["township__code"]
    county_code, county_id = located[0]["township__county__code"], located[0]["township__county_id"]
    clean_title = UNSET if title is UNSET else problems.text(title, ["input", "title"], required=False)
    people = None if attendee_ids is UNSET else await attendees_of(
        attendee_ids, township_id=township_id, county_id=county_id, problems=problems, field=["input", "attendeeIds"]
    )
    cases = None if case_numbers is UNSET else await cases_of_township(case_numbers, township_id=township_id, problems=problems)
    if action == "cancelMeeting":
        problems.text(reason, ["reason"], required=True, limit=2000)
    problems.check()
    async with alert_transaction(county_code=county_code) as scope:
        # read again under the county lock: a concurrent cancel or correction is seen, never overwritten
        meeting = await Meeting.filter(id=meeting_id).select_for_update().first()
        if meeting is None:
            problems.add(id_field, "NOT_FOUND", NO_MEETING)
            problems.check()
        assert meeting is not None
        if meeting.status == MeetingStatus.CANCELLED:
            problems.add(id_field, "INVALID_STATE", "this meeting is cancelled; record a new one instead")
        new_status = meeting.status if status is UNSET else status
        new_held_at = meeting.held_at if held_at is UNSET else held_at
        if action != "cancelMeeting" and (status is not UNSET or held_at is not UNSET):
            _check_status(problems, MeetingStatus(new_status), new_held_at)
        problems.check()
        before = await snapshot(meeting)
        old_held_at = meeting.held_at
        meeting.status, meeting.held_at = new_status, new_held_at
        if clean_title is not UNSET:
            meeting.title = clean_title
        await meeting.save(update_fields=["status", "held_at", "title", "updated_at"])
        if people is not None:
            await meeting.attendees.clear()
            if people:
                await meeting.attendees.add(*people)
        if cases is not None:
            await meeting.cases.clear()
            if cases:
                await meeting.cases.add(*cases)
        after = await snapshot(meeting) | ({"reason": reason.strip()} if reason else {})
        await record_audit(actor=actor, action=action, entity="meeting", entity_key=meeting.ext_id,
                           county_code=county_code, before=before, after=after)
        await _reevaluate(rules, county_code, township_code, actor, old_held_at, new_held_at)
    return MeetingWrite(meeting, scope.changed())
