"""Upserts cases (parties, appended events, derived state), meetings with their links, and mediation visits."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.cases import Case, CaseEvent, CaseParty
from rules.case_timeline import derive_state
from models.meetings import MediationVisit, Meeting
from models.visits import VisitCase, VisitStaff
from server.load.existing import Existing
from server.load.plan import CaseIn, Plan
from server.load.summary import LoadSummary
from server.load.upsert import BATCH, delete_ids, ids_by_key, link_rows, upsert
from server.load.write_units import Ids


async def write_cases(db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids, summary: LoadSummary) -> None:
    """Case rows first (status and level replayed from the full timeline), then parties and new events."""
    touched = {case.number for case in plan.cases if _parties_differ(case, existing) or _new_events(case, existing)}
    wanted: dict[Hashable, dict[str, Any]] = {}
    for case in plan.cases:
        state = derive_state(case.reported_level, ((e.type, e.to_level) for e in case.events))
        wanted[case.number] = {
            "number": case.number, "kind": case.kind, "category": case.category, "channel": case.channel,
            "village_id": ids.village[case.village], "township_id": ids.township[case.township],
            "reported_level": case.reported_level, "level": state.level, "status": state.status,
            "reported_at": case.reported_at, "title": case.title,
        }
    if await upsert(db, Case, wanted, existing.cases, summary["cases"], touch=touched):
        ids.case.update(await ids_by_key(db, Case, "number", wanted))
    await _write_parties(db, plan, existing, ids)
    await _append_events(db, plan, existing, ids, summary)


def _parties_differ(case: CaseIn, existing: Existing) -> bool:
    stored_case = existing.cases.get(case.number)
    if stored_case is None:
        return False
    stored = [(p.name, p.phone, p.id_number) for p in existing.parties.get(stored_case.id, [])]
    return stored != [(p.name, p.phone, p.id_number) for p in case.parties]


def _new_events(case: CaseIn, existing: Existing) -> bool:
    stored_case = existing.cases.get(case.number)
    return stored_case is not None and len(existing.events.get(stored_case.id, [])) < len(case.events)


async def _write_parties(db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids) -> None:
    """Parties are what the document lists, by position: changed ones updated, extra ones removed."""
    new: list[CaseParty] = []
    changed: list[CaseParty] = []
    extra: list[int] = []
    for case in plan.cases:
        case_id = ids.case[case.number]
        stored = existing.parties.get(case_id, []) if case.number in existing.cases else []
        by_position = {row.position: row for row in stored}
        for position, party in enumerate(case.parties, start=1):
            row = by_position.pop(position, None)
            if row is None:
                new.append(CaseParty(case_id=case_id, position=position, name=party.name, phone=party.phone, id_number=party.id_number))
            elif (row.name, row.phone, row.id_number) != (party.name, party.phone, party.id_number):
                row.name, row.phone, row.id_number = party.name, party.phone, party.id_number
                changed.append(row)
        extra.extend(row.id for row in by_position.values())
    await delete_ids(db, CaseParty, extra)
    if new:
        await CaseParty.bulk_create(new, batch_size=BATCH, using_db=db)
    if changed:
        await CaseParty.bulk_update(changed, fields=["name", "phone", "id_number"], batch_size=BATCH, using_db=db)


async def _append_events(db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids, summary: LoadSummary) -> None:
    """Events past the stored ones are appended with the next sequence numbers; stored ones are never touched."""
    new: list[CaseEvent] = []
    for case in plan.cases:
        case_id = ids.case[case.number]
        stored = existing.events.get(case_id, []) if case.number in existing.cases else []
        summary["caseEvents"].unchanged += len(stored)
        seq = max((row.seq for row in stored), default=0)
        for event in case.events[len(stored) :]:
            seq += 1
            new.append(
                CaseEvent(
                    case_id=case_id, seq=seq, type=event.type, at=event.at, to_level=event.to_level, days=event.days,
                    approver_id=ids.person[event.approver] if event.approver else None,
                    outcome=event.outcome, note=event.note,
                )
            )
    if new:
        await CaseEvent.bulk_create(new, batch_size=BATCH, using_db=db)
    summary["caseEvents"].created += len(new)


async def write_meetings(db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids, summary: LoadSummary) -> None:
    """Meeting rows, then their attendees and cases set to exactly what the document lists."""
    desired_people = {m.ext_id: {ids.person[p] for p in m.attendees} for m in plan.meetings}
    desired_cases = {m.ext_id: {ids.case[c] for c in m.cases} for m in plan.meetings}
    touched = set()
    for meeting in plan.meetings:
        stored = existing.meetings.get(meeting.ext_id)
        if stored is not None and (
            existing.attendees.get(stored.id, set()) != desired_people[meeting.ext_id]
            or existing.meeting_cases.get(stored.id, set()) != desired_cases[meeting.ext_id]
        ):
            touched.add(meeting.ext_id)
    wanted: dict[Hashable, dict[str, Any]] = {
        m.ext_id: {
            "ext_id": m.ext_id, "township_id": ids.township[m.township], "kind": m.kind, "status": m.status,
            "number": m.number, "held_at": m.held_at, "title": m.title,
        }
        for m in plan.meetings
    }
    meeting_ids = {key: row.id for key, row in existing.meetings.items()}
    if await upsert(db, Meeting, wanted, existing.meetings, summary["meetings"], touch=touched):
        meeting_ids.update(await ids_by_key(db, Meeting, "ext_id", wanted))
    for table, column, desired, stored_links in (
        ("meeting_attendee", "person_id", desired_people, existing.attendees),
        ("meeting_case", "case_id", desired_cases, existing.meeting_cases),
    ):
        add: list[tuple[int, int]] = []
        drop: list[tuple[int, int]] = []
        for ext_id, targets in desired.items():
            meeting_id = meeting_ids[ext_id]
            current = stored_links.get(meeting_id, set()) if ext_id in existing.meetings else set()
            add.extend((meeting_id, target) for target in sorted(targets - current))
            drop.extend((meeting_id, target) for target in sorted(current - targets))
        await link_rows(db, table, ("meeting_id", column), drop, insert=False)
        await link_rows(db, table, ("meeting_id", column), add, insert=True)


async def write_visits(db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids, summary: LoadSummary) -> None:
    """Mediation visits by id."""
    wanted: dict[Hashable, dict[str, Any]] = {
        v.ext_id: {
            "ext_id": v.ext_id, "village_id": ids.village[v.village], "at": v.at,
            "case_id": ids.case[v.case] if v.case else None, "note": v.note, "outcome": v.outcome,
        }
        for v in plan.visits
    }
    await upsert(db, MediationVisit, wanted, existing.visits, summary["mediationVisits"])
    await _visit_links(db, plan, ids)


async def _visit_links(db: BaseDBAsyncClient, plan: Plan, ids: Ids) -> None:
    """Each listed visit's officials and cases become exactly what the document says."""
    if not plan.visits:
        return
    visit_ids = await ids_by_key(db, MediationVisit, "ext_id", [v.ext_id for v in plan.visits])
    listed = [visit_ids[v.ext_id] for v in plan.visits]
    for table, model, column, desired in (
        ("mediation_visit_staff", VisitStaff, "person_id", {visit_ids[v.ext_id]: {ids.person[p] for p in v.staff} for v in plan.visits}),
        ("mediation_visit_case", VisitCase, "case_id", {visit_ids[v.ext_id]: {ids.case[c] for c in v.cases} for v in plan.visits}),
    ):
        current: dict[int, set[int]] = {}
        for start in range(0, len(listed), BATCH):
            for visit_id, target in await model.filter(visit_id__in=listed[start : start + BATCH]).using_db(db).values_list("visit_id", column):
                current.setdefault(visit_id, set()).add(target)
        add = [(visit, target) for visit, targets in desired.items() for target in sorted(targets - current.get(visit, set()))]
        drop = [(visit, target) for visit, targets in current.items() for target in sorted(targets - desired.get(visit, set()))]
        await link_rows(db, table, ("visit_id", column), drop, insert=False)
        await link_rows(db, table, ("visit_id", column), add, insert=True)
