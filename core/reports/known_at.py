"""`--known-at T`: evaluate what the system knew at T, on the database rewound to T inside a transaction that is always rolled back.

Inside one transaction the report:

1. removes the county's records entered after T (`created_at > T`): meetings, cases (with their
   parties and links), case events, mediation visits, supervision assignments and role
   assignments of the county's units;
2. puts every meeting changed after T back into its state at T: the earliest audit entry after T
   (`entity="meeting"`, actions `updateMeeting` / `cancelMeeting`) holds the meeting as it was
   before that change (`before`: status, heldAt, kind, title, attendees as person ids, cases as numbers);
3. builds facts, runs the rules and counts the statistics exactly as for a normal report;
4. rolls everything back. Nothing is ever committed: the rewind is only what this transaction saw.

The engine itself is untouched (no "as known at" branch in the fact builder), so a known-at report
is evaluated by the same code as any other. Units (townships, villages, grids) and people are
taken as they are now. On SQLite the transaction holds the write lock for the report's duration
(a few seconds for a county): concurrent writers wait.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.audit import AuditEntry
from models.cases import Case, CaseEvent
from models.enums import MeetingKind, MeetingStatus
from models.meetings import MediationVisit, Meeting
from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from core.global_ids import from_global_id

MEETING_CHANGES = ("updateMeeting", "cancelMeeting")


class _Rollback(Exception):
    """Raised at the end of the rewound block so the transaction is rolled back, never committed."""


@dataclass(slots=True)
class Rewind:
    known_at: datetime
    removed: dict[str, int] = field(default_factory=dict)
    restored_meetings: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        return {"knownAt": self.known_at.isoformat(), "removed": dict(self.removed), "restoredMeetings": self.restored_meetings}


@asynccontextmanager
async def rewound(*, county_id: int, known_at: datetime) -> AsyncIterator[Rewind]:
    """Inside the block the county's data reads as it was known at `known_at`; everything is rolled back afterwards."""
    try:
        async with in_transaction():
            rewind = Rewind(known_at=known_at)
            await _remove_later_records(county_id, known_at.astimezone(UTC), rewind)
            await _restore_meetings(county_id, known_at.astimezone(UTC), rewind)
            yield rewind
            raise _Rollback
    except _Rollback:
        pass


async def _remove_later_records(county_id: int, cutoff: datetime, rewind: Rewind) -> None:
    later = {"created_at__gt": cutoff}
    in_county = Q(county_id=county_id) | Q(township__county_id=county_id) | Q(grid__village__township__county_id=county_id) \
        | Q(household_group__grid__village__township__county_id=county_id) | Q(party_group__village__township__county_id=county_id)
    steps: list[tuple[str, Any]] = [
        ("caseEvents", CaseEvent.filter(case__township__county_id=county_id, **later)),
        ("mediationVisits", MediationVisit.filter(village__township__county_id=county_id, **later)),
        ("meetings", Meeting.filter(township__county_id=county_id, **later)),
        ("cases", Case.filter(township__county_id=county_id, **later)),
        ("supervisionAssignments", SupervisionAssignment.filter(township__county_id=county_id, **later)),
        ("roleAssignments", RoleAssignment.filter(in_county, **later)),
    ]
    for name, query in steps:
        ids = await query.values_list("id", flat=True)
        if ids:
            await query.model.filter(id__in=list(ids)).delete()
        rewind.removed[name] = len(ids)


async def _restore_meetings(county_id: int, cutoff: datetime, rewind: Rewind) -> None:
    meetings = {m.ext_id: m for m in await Meeting.filter(township__county_id=county_id)}
    entries = await AuditEntry.filter(
        entity="meeting", action__in=MEETING_CHANGES, at__gt=cutoff, entity_key__in=list(meetings)
    ).order_by("at", "id")
    earliest: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.entity_key is not None and isinstance(entry.before, dict):
            earliest.setdefault(entry.entity_key, entry.before)
    for ext_id in sorted(earliest):
        await _apply(meetings[ext_id], earliest[ext_id])
        rewind.restored_meetings.append(ext_id)


async def _apply(meeting: Meeting, before: dict[str, Any]) -> None:
    """Put one meeting back into a `before` snapshot (fields the snapshot lacks stay as they are)."""
    if "status" in before:
        meeting.status = MeetingStatus(before["status"])
    if "kind" in before:
        meeting.kind = MeetingKind(before["kind"])
    if before.get("heldAt"):
        meeting.held_at = datetime.fromisoformat(before["heldAt"])
    if "title" in before:
        meeting.title = before["title"]
    await meeting.save(update_fields=["status", "kind", "held_at", "title"])
    if "attendees" in before:
        await meeting.attendees.clear()
        people = await _people(before["attendees"] or [])
        if people:
            await meeting.attendees.add(*people)
    if "cases" in before:
        await meeting.cases.clear()
        cases = await Case.filter(number__in=[str(n) for n in before["cases"] or []])
        if cases:
            await meeting.cases.add(*cases)


async def _people(refs: list[Any]) -> list[Person]:
    """Attendees named by row id, by global id (`Person:12`, base64) or by lianxi/v1 id."""
    row_ids: set[int] = set()
    ext_ids: set[str] = set()
    for ref in refs:
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row_ids.add(int(ref))
            continue
        decoded = from_global_id(str(ref))
        if decoded is not None and decoded[0] == "Person":
            row_ids.add(int(decoded[1]))
        else:
            ext_ids.add(str(ref))
    return await Person.filter(Q(id__in=list(row_ids)) | Q(ext_id__in=list(ext_ids)))
