"""Checks cases and their timelines: enums, parties, event rules, and that stored events are never rewritten."""

from __future__ import annotations

from typing import Any

from models.cases import CaseEvent
from models.enums import (
    CaseCategory,
    CaseChannel,
    CaseEventType,
    CaseKind,
    CaseLevel,
    CaseOutcome,
)
from rules.case_timeline import advance, extension_refusal, refusal, replay
from core.county_rules import extension_cap
from server.load.context import Context
from server.load.plan import CaseIn, EventIn, PartyIn
from core.party import MAX_ID_NUMBER, MAX_NAME, MAX_PHONE, normal_id_number, party_problems
from core.text_policy import TextKind
from server.load.reader import Obj

CASE_KEYS = frozenset(
    {"number", "kind", "category", "channel", "village", "level", "reportedAt", "title", "parties", "events"}
)
PARTY_KEYS = frozenset({"name", "phone", "idNumber"})
EVENT_KEYS = frozenset({"type", "at", "toLevel", "days", "approver", "outcome", "note"})
# Which event types take which extra keys (`note` is allowed on every event).
EVENT_EXTRAS: dict[str, CaseEventType] = {
    "toLevel": CaseEventType.ESCALATED,
    "days": CaseEventType.EXTENDED,
    "approver": CaseEventType.EXTENDED,
    "outcome": CaseEventType.RESOLVED,
}


def declare_cases(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """Record every case number first, so meetings and visits can refer to cases listed after them."""
    ctx.cases.update(ctx.existing.cases)
    ctx.cases.update(raw["number"] for _, raw in items if isinstance(raw, dict) and isinstance(raw.get("number"), str))


def check_cases(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """cases[]: one case each, with parties and a timeline that obeys the petition rules."""
    for path, raw in items:
        obj = Obj(ctx.problems, path, raw, CASE_KEYS)
        number = obj.text("number")
        if number is not None and not ctx.unique("case number", number, obj.at("number")):
            number = None
        kind = obj.enum("kind", CaseKind)
        category = obj.enum("category", CaseCategory)
        channel = obj.enum("channel", CaseChannel)
        village = obj.text("village")
        township = _township_of(ctx, village)
        if village is not None and township is None:
            ctx.problems.add(obj.at("village"), f"unknown village {village!r} (not in the document nor in the database)")
        level = obj.enum("level", CaseLevel)
        reported_at = obj.datetime("reportedAt")
        if ctx.refuse_retired_village(village, reported_at, obj.at("village")):
            village = None
        title = obj.text("title", max_length=200, kind=TextKind.NAME)
        parties = [_party(ctx, ppath, praw) for ppath, praw in obj.items("parties")]
        events = [(epath, _event(ctx, epath, eraw)) for epath, eraw in obj.items("events")]
        fields = (number, kind, category, channel, village, township, level, reported_at, title)
        if any(value is None for value in fields) or None in parties or any(e is None for _, e in events):
            continue
        assert kind and level and reported_at and number  # narrowed above
        cap = extension_cap(ctx.rules.for_county(township[:6]))  # a township code extends its county's code
        if not _timeline(ctx, kind, level, reported_at, events, obj.at("reportedAt"), cap):
            continue
        if not _extends_stored(ctx, number, events, obj.at("events")):
            continue
        ctx.plan.cases.append(
            CaseIn(number, kind, category, channel, village, township, level, reported_at, title,  # type: ignore[arg-type]
                   [p for p in parties if p is not None], [e for _, e in events if e is not None])
        )


def _township_of(ctx: Context, village: str | None) -> str | None:
    """The township a village belongs to, from the document or the database."""
    if village is None:
        return None
    if village in ctx.village_township:
        return ctx.village_township[village]
    stored = ctx.existing.villages.get(village)
    return ctx.existing.key_of("township", stored.township_id) if stored else None  # type: ignore[attr-defined]


def _party(ctx: Context, path: str, raw: Any) -> PartyIn | None:
    obj = Obj(ctx.problems, path, raw, PARTY_KEYS)
    name = obj.text("name", max_length=MAX_NAME, kind=TextKind.NAME)
    phone = obj.text("phone", required=False, max_length=MAX_PHONE, kind=TextKind.PHONE)
    id_number = obj.text("idNumber", required=False, max_length=MAX_ID_NUMBER)
    problems = party_problems(name=None, phone=phone, id_number=id_number)  # NUL anywhere: validate.nul_problems
    for problem in problems:
        ctx.problems.add(obj.at(problem.field), problem.message)
    return PartyIn(name, phone, normal_id_number(id_number)) if name is not None and not problems else None


def _event(ctx: Context, path: str, raw: Any) -> EventIn | None:
    """One timeline entry; the keys it carries must fit its type."""
    obj = Obj(ctx.problems, path, raw, EVENT_KEYS)
    event_type = obj.enum("type", CaseEventType)
    at = obj.datetime("at")
    if event_type is None or at is None:
        return None
    for key, owner in EVENT_EXTRAS.items():
        if obj.has(key) and event_type is not owner:
            ctx.problems.add(obj.at(key), f"only {owner} events take {key!r}, this one is {event_type}")
    event = EventIn(event_type, at, note=obj.text("note", required=False, max_length=2000, kind=TextKind.NOTE))
    match event_type:
        case CaseEventType.ESCALATED:
            to_level = obj.enum("toLevel", CaseLevel)
            return EventIn(event_type, at, to_level=to_level, note=event.note) if to_level else None
        case CaseEventType.EXTENDED:
            days = obj.integer("days", minimum=1)  # the county's cap is checked on the timeline
            approver = ctx.person(obj.text("approver"), obj.at("approver"))
            if days is None or approver is None:
                return None
            return EventIn(event_type, at, days=days, approver=approver, note=event.note)
        case CaseEventType.RESOLVED:
            outcome = obj.enum("outcome", CaseOutcome)
            return EventIn(event_type, at, outcome=outcome, note=event.note) if outcome else None
    return event


def _timeline(
    ctx: Context,
    kind: CaseKind,
    level: CaseLevel,
    reported_at: Any,
    events: list[tuple[str, EventIn | None]],
    reported_path: str,
    cap: int,
) -> bool:
    """Replay the events: in time order, after the report, each allowed in the state the case is in."""
    before = len(ctx.problems.items)
    state, previous = replay(level, ()), reported_at
    for path, event in events:
        assert event is not None
        if event.at < reported_at:
            ctx.problems.add(f"{path}.at", f"{event.at.isoformat()} is before the case was reported ({reported_at.isoformat()}, {reported_path})")
        elif event.at < previous:
            ctx.problems.add(f"{path}.at", f"{event.at.isoformat()} is earlier than the event before it ({previous.isoformat()}); list events in time order")
        previous = max(previous, event.at)
        why = refusal(kind=kind, status=state.status, level=state.level, event_type=event.type, to_level=event.to_level)
        if why:
            ctx.problems.add(f"{path}.type", why)
        if event.type is CaseEventType.EXTENDED and (too_long := extension_refusal(extended_days=state.extended_days, days=event.days or 0, cap=cap)):
            ctx.problems.add(f"{path}.days", too_long)
        state = advance(state, event.type, to_level=event.to_level, days=event.days)
    return len(ctx.problems.items) == before


def _extends_stored(ctx: Context, number: str, events: list[tuple[str, EventIn | None]], path: str) -> bool:
    """The stored timeline must be a prefix of the document's: events are appended, never changed or removed."""
    stored_case = ctx.existing.cases.get(number)
    stored = ctx.existing.events.get(stored_case.id, []) if stored_case else []
    if len(stored) > len(events):
        ctx.problems.add(
            path,
            f"case {number} has {len(stored)} stored events but the document lists {len(events)}; "
            "events are append-only and cannot be removed",
        )
        return False
    for index, row in enumerate(stored):
        epath, event = events[index]
        if event is None or as_event(ctx, row) != event:
            ctx.problems.add(
                epath,
                f"differs from stored event {index} of case {number} ({row.type} at {row.at.isoformat()}); "
                "events are append-only: keep the stored ones and add new events after them",
            )
            return False
    return True


def as_event(ctx: Context, row: CaseEvent) -> EventIn:
    """A stored event in the document's terms, for comparison."""
    return EventIn(
        CaseEventType(row.type),
        row.at,
        to_level=CaseLevel(row.to_level) if row.to_level else None,
        days=row.days,
        approver=ctx.existing.key_of("person", row.approver_id),  # type: ignore[attr-defined]
        outcome=CaseOutcome(row.outcome) if row.outcome else None,
        note=row.note,
    )
