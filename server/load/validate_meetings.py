"""Checks joint-meeting sessions (references, numbering per township and kind) and mediation visits."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from models.enums import MeetingKind, MeetingStatus
from server.load.context import Context
from server.load.plan import MeetingIn, VisitIn
from server.load.reader import Obj
from models.visits import VisitOutcome
from core.text_policy import TextKind

MEETING_KEYS = frozenset({"id", "township", "kind", "status", "number", "heldAt", "title", "attendees", "cases"})
VISIT_KEYS = frozenset({"id", "village", "at", "case", "note", "staff", "cases", "outcome"})

Slot = tuple[str, MeetingKind]  # (township code, kind): meetings are numbered within it


def check_meetings(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """meetings[]: each session, then a number for every one that lacks it."""
    pending: list[tuple[str, MeetingIn, int | None]] = []
    for path, raw in items:
        obj = Obj(ctx.problems, path, raw, MEETING_KEYS)
        ext_id = obj.text("id")
        if ext_id is not None and not ctx.unique("meeting id", ext_id, obj.at("id")):
            ext_id = None
        township = obj.text("township")
        if township is not None and township not in ctx.townships and township not in ctx.existing.townships:
            ctx.problems.add(obj.at("township"), f"unknown township {township!r} (not in the document nor in the database)")
            township = None
        kind = obj.enum("kind", MeetingKind)
        status = obj.enum("status", MeetingStatus, default=MeetingStatus.HELD)
        number = obj.integer("number", required=False, minimum=1)
        held_at = obj.datetime("heldAt")
        title = obj.text("title", required=False, max_length=200, kind=TextKind.NAME)
        attendees = _refs(ctx, obj, "attendees", ctx.people, "person")
        cases = _refs(ctx, obj, "cases", ctx.cases, "case")
        if None in (ext_id, township, kind, status, held_at) or attendees is None or cases is None:
            continue
        meeting = MeetingIn(ext_id, township, kind, status, number or 0, held_at, title, attendees, cases)  # type: ignore[arg-type]
        pending.append((path, meeting, number))
    _number(ctx, pending)
    ctx.plan.meetings.extend(meeting for _, meeting, _ in pending)


def _refs(ctx: Context, obj: Obj, key: str, known: set[str], what: str) -> list[str] | None:
    """A list of distinct references that all resolve; None when any does not."""
    refs: list[str] = []
    ok = True
    for path, value in obj.items(key):
        if not isinstance(value, str) or value not in known:
            shown = repr(value) if isinstance(value, str) else f"value {value!r}"
            ctx.problems.add(path, f"unknown {what} {shown} (not in the document nor in the database)")
            ok = False
        elif value in refs:
            ctx.problems.add(path, f"{what} {value!r} is listed twice")
            ok = False
        else:
            refs.append(value)
    return refs if ok else None


def _number(ctx: Context, pending: list[tuple[str, MeetingIn, int | None]]) -> None:
    """Numbers are unique per (township, kind); missing ones continue after the highest in use, in heldAt order."""
    stored_holder: dict[tuple[str, MeetingKind, int], str] = {}
    highest: dict[Slot, int] = defaultdict(int)
    for ext_id, row in ctx.existing.meetings.items():
        township = ctx.existing.key_of("township", row.township_id) or ""  # type: ignore[attr-defined]
        slot = (township, MeetingKind(row.kind))
        stored_holder[(*slot, row.number)] = ext_id
        highest[slot] = max(highest[slot], row.number)
    for path, meeting, number in pending:
        if number is None:
            continue
        slot = (meeting.township, meeting.kind)
        key = (*slot, number)
        holder = stored_holder.get(key)
        if holder is not None and holder != meeting.ext_id:
            ctx.problems.add(f"{path}.number", f"{meeting.kind} number {number} of township {meeting.township} is already used by stored meeting {holder!r}")
        ctx.unique("meeting number", (meeting.township, meeting.kind.value, number), f"{path}.number")
        highest[slot] = max(highest[slot], number)
    unnumbered: dict[Slot, list[MeetingIn]] = defaultdict(list)
    for _, meeting, number in pending:
        if number is not None:
            continue
        stored = ctx.existing.meetings.get(meeting.ext_id)
        stored_township = ctx.existing.key_of("township", stored.township_id) if stored else None  # type: ignore[attr-defined]
        if stored is not None and (stored_township, stored.kind) == (meeting.township, meeting.kind):
            meeting.number = stored.number  # keep the number it already has
        else:
            unnumbered[(meeting.township, meeting.kind)].append(meeting)
    for slot, meetings in unnumbered.items():
        meetings.sort(key=lambda m: m.held_at)
        for offset, meeting in enumerate(meetings, start=1):
            meeting.number = highest[slot] + offset


def check_visits(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """mediationVisits[]: a visit to a known village, optionally about a known case."""
    for path, raw in items:
        obj = Obj(ctx.problems, path, raw, VISIT_KEYS)
        ext_id = obj.text("id")
        if ext_id is not None and not ctx.unique("mediation visit id", ext_id, obj.at("id")):
            ext_id = None
        village = obj.text("village")
        if village is not None and village not in ctx.village_township and village not in ctx.existing.villages:
            ctx.problems.add(obj.at("village"), f"unknown village {village!r} (not in the document nor in the database)")
            village = None
        at = obj.datetime("at")
        if ctx.refuse_retired_village(village, at, obj.at("village")):
            village = None
        case = obj.text("case", required=False)
        if case is not None and case not in ctx.cases:
            ctx.problems.add(obj.at("case"), f"unknown case {case!r} (not in the document nor in the database)")
            case = None
            village = None
        note = obj.text("note", required=False, max_length=200, kind=TextKind.NOTE)
        outcome = obj.enum("outcome", VisitOutcome, required=False)
        staff = _refs(ctx, obj, "staff", ctx.people, "person")
        cases = _refs(ctx, obj, "cases", ctx.cases, "case")
        if ext_id is not None and village is not None and at is not None and staff is not None and cases is not None:
            linked = list(dict.fromkeys(([case] if case else []) + cases))  # `case` (one) and `cases` (several) both link
            ctx.plan.visits.append(VisitIn(ext_id, village, at, linked[0] if linked else None, note, outcome, staff, linked))
