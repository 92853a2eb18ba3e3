"""Reporting cases and appending to their timeline, under the case state machine (`rules.case_timeline`).

Each write re-evaluates that case's rules inside its transaction, so the alert changes commit with it.
Audit snapshots keep the parties masked: the trail never holds petitioners' personal data in clear.
"""

from __future__ import annotations

from core import clock
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.alerts import Alert
from models.cases import Case, CaseEvent, CaseParty
from models.enums import CaseCategory, CaseChannel, CaseEventType, CaseKind, CaseLevel, CaseOutcome
from models.units import Village
from rules.case_timeline import derive_state, extension_refusal, refusal, replay
from rules.config import RulesConfig
from core.audit import Actor, record_audit
from core.compliance import run_compliance
from core.county_rules import extension_cap
from core.party import MAX_ID_NUMBER, MAX_NAME, MAX_PHONE, normal_id_number, party_problems
from core.references import NO_CASE, NO_VILLAGE, approver_of
from core.roster.retired import refuse_retired
from core.transaction import AlertEvent, alert_transaction
from core.viewer import mask_id_number, mask_name, mask_phone
from core.writes import MAX_NOTE, Problems


@dataclass(frozen=True, slots=True)
class PartyInput:
    name: str
    phone: str | None
    id_number: str | None


@dataclass(frozen=True, slots=True)
class CaseWrite:
    case: Case
    alert_changes: list[tuple[AlertEvent, Alert]]


def snapshot(case: Case, parties: list[CaseParty], events: list[CaseEvent]) -> dict[str, Any]:
    """The case as the audit trail keeps it: parties masked, the timeline as types and times."""
    return {
        "number": case.number, "kind": case.kind, "category": case.category, "channel": case.channel,
        "status": case.status, "level": case.level, "reportedAt": case.reported_at, "title": case.title,
        "parties": [{"name": mask_name(p.name), "phone": mask_phone(p.phone), "idNumber": mask_id_number(p.id_number)} for p in parties],
        "events": [{"seq": e.seq, "type": e.type, "at": e.at, "toLevel": e.to_level, "days": e.days, "outcome": e.outcome} for e in events],
    }


def _parties(problems: Problems, parties: list[PartyInput]) -> list[PartyInput]:
    cleaned = []
    for index, party in enumerate(parties):
        field = ["input", "parties", index]
        name = problems.text(party.name, [*field, "name"], required=True, limit=MAX_NAME)
        phone = problems.text(party.phone, [*field, "phone"], required=False, limit=MAX_PHONE)
        id_number = problems.text(party.id_number, [*field, "idNumber"], required=False, limit=MAX_ID_NUMBER)
        for problem in party_problems(name=None, phone=phone, id_number=id_number):  # NUL in text: Problems.text
            problems.add([*field, problem.field], "INVALID", problem.message)
        cleaned.append(PartyInput(name or "", phone, normal_id_number(id_number)))
    return cleaned


def number_problem(number: str, *, units: tuple[str, ...], scope_code: str | None) -> str | None:
    """Why a case number given by a caller is refused (None: it is acceptable).

    It must start with the code of the case's village, township or county (`units`) and a hyphen, of a unit the caller's
    jurisdiction covers: numbers are then partitioned by jurisdiction, and whether a number is taken can only be learnt
    about one's own cases (a township cannot count another township's cases by trying numbers). The same answer is
    given whether or not a case holds the refused number.
    """
    prefix = number.split("-", 1)[0]
    if "-" in number and prefix in units and (scope_code is None or prefix.startswith(scope_code)):
        return None
    allowed = [code for code in units if scope_code is None or code.startswith(scope_code)] or list(units)
    return (f"a case number starts with the code of the case's {' or '.join(_UNIT_NAMES[len(code)] for code in allowed)} "
            f"and a hyphen, e.g. {allowed[-1]}-JF-2024-0001; leave it out to have one assigned")


_UNIT_NAMES = {12: "village", 9: "township", 6: "county"}


async def report_case(
    *,
    actor: Actor,
    rules: RulesConfig,
    number: str | None,
    kind: CaseKind,
    category: CaseCategory,
    channel: CaseChannel,
    village_code: str,
    level: CaseLevel,
    reported_at: datetime,
    title: str,
    parties: list[PartyInput],
    problems: Problems,
    scope_code: str | None,
) -> CaseWrite:
    """Open a case in a village (numbered by the system unless given) and evaluate its deadlines.

    `scope_code` is the caller's jurisdiction (None: every county). A number given must carry the code of a unit of
    the case within it (`number_problem`), so a CONFLICT can only name a case the caller may see."""
    village = await Village.filter(code=village_code).prefetch_related("township__county").first()
    if village is None:
        problems.add(["input", "villageCode"], "NOT_FOUND", NO_VILLAGE)
    problems.not_future(reported_at, ["input", "reportedAt"], "a report")
    if village is not None and reported_at.utcoffset() is not None:  # the report's local day in the county (DESIGN §2)
        day = reported_at.astimezone(ZoneInfo(village.township.county.timezone)).date()
        refuse_retired(problems, ["input", "villageCode"], code=village.code, retired_on=village.retired_on, day=day)
    clean_title = problems.text(title, ["input", "title"], required=True)
    clean_number = problems.text(number, ["input", "number"], required=False, limit=64)
    clean_parties = _parties(problems, parties)
    if clean_number and village is not None:
        units = (village.code, village.township.code, village.township.county.code)
        if (why := number_problem(clean_number, units=units, scope_code=scope_code)) is not None:
            problems.add(["input", "number"], "INVALID", why)
        elif await Case.exists(number=clean_number):
            problems.add(["input", "number"], "CONFLICT", f"case number {clean_number!r} is already used")
    problems.check()
    assert village is not None and clean_title is not None
    county_code = village.township.county.code
    async with alert_transaction(county_code=county_code) as scope:
        case = await Case.create(
            number=clean_number or f"{village.code}-{reported_at.year}-{uuid.uuid4().hex[:8]}", kind=kind, category=category,
            channel=channel, village_id=village.id, township_id=village.township.id, reported_level=level, level=level,
            reported_at=reported_at, title=clean_title,
        )
        rows = [CaseParty(case_id=case.id, position=i, name=p.name, phone=p.phone, id_number=p.id_number) for i, p in enumerate(clean_parties)]
        if rows:
            await CaseParty.bulk_create(rows)
        await record_audit(actor=actor, action="reportCase", entity="case", entity_key=case.number,
                           county_code=county_code, before=None, after=snapshot(case, rows, []))
        await run_compliance(rules=rules, county_code=county_code, as_of=clock.now(), case_number=case.number, trigger="WRITE", actor=actor.name)
    return CaseWrite(case, scope.changed())


@dataclass(frozen=True, slots=True)
class EventInput:
    type: CaseEventType
    at: datetime
    to_level: CaseLevel | None
    days: int | None
    approver_id: int | None
    outcome: CaseOutcome | None
    note: str | None


def _event_fields(problems: Problems, event: EventInput, cap: int) -> None:
    """Each event type takes its own fields, and only those (as in lianxi/v1)."""
    required = {CaseEventType.ESCALATED: "toLevel", CaseEventType.RESOLVED: "outcome", CaseEventType.EXTENDED: "days"}
    given = {"toLevel": event.to_level, "days": event.days, "approverId": event.approver_id, "outcome": event.outcome}
    owners = {"toLevel": CaseEventType.ESCALATED, "days": CaseEventType.EXTENDED, "approverId": CaseEventType.EXTENDED, "outcome": CaseEventType.RESOLVED}
    for name, value in given.items():
        if value is not None and owners[name] is not event.type:
            problems.add(["input", name], "INVALID", f"only {owners[name]} events take {name}; this one is {event.type}")
    if (name := required.get(event.type)) and given[name] is None:
        problems.add(["input", name], "INVALID", f"a {event.type} event needs {name}")
    if event.type is CaseEventType.EXTENDED:
        if event.approver_id is None:
            problems.add(["input", "approverId"], "INVALID", "an extension needs the approving person")
        if event.days is not None and not 1 <= event.days <= max(cap, 1):
            problems.add(["input", "days"], "INVALID", f"an extension is 1 to {cap} days (the county's max_extension_days)")


async def add_case_event(*, actor: Actor, rules: RulesConfig, case_number: str, event: EventInput, problems: Problems) -> CaseWrite:
    """Append one event to a case's timeline if the state machine allows it; re-evaluate the case."""
    case = await Case.filter(number=case_number).prefetch_related("township__county").first()
    if case is None:
        problems.add(["input", "caseNumber"], "NOT_FOUND", NO_CASE)
        problems.check()
    assert case is not None
    cap = extension_cap(rules.for_county(case.township.county.code))
    _event_fields(problems, event, cap)
    problems.not_future(event.at, ["input", "at"], "an event")
    note = problems.text(event.note, ["input", "note"], required=False, limit=MAX_NOTE)
    if event.approver_id is not None:
        await approver_of(event.approver_id, case=case, county_id=case.township.county.id, problems=problems, field=["input", "approverId"])
    problems.check()
    county_code = case.township.county.code
    async with alert_transaction(county_code=county_code) as scope:
        await Case.filter(id=case.id).select_for_update()
        events = list(await CaseEvent.filter(case_id=case.id).order_by("seq"))
        _in_order(problems, case, events, event)
        state = replay(case.reported_level, ((CaseEventType(e.type), e.to_level, e.days) for e in events))
        if why := refusal(kind=CaseKind(case.kind), status=state.status, level=state.level, event_type=event.type, to_level=event.to_level):
            problems.add(["input", "type"], "INVALID_STATE", why)
        if event.type is CaseEventType.EXTENDED and (too_long := extension_refusal(extended_days=state.extended_days, days=event.days or 0, cap=cap)):
            problems.add(["input", "days"], "INVALID", too_long)
        problems.check()
        before = snapshot(case, list(await CaseParty.filter(case_id=case.id)), events)
        row = await CaseEvent.create(
            case_id=case.id, seq=(events[-1].seq if events else 0) + 1, type=event.type, at=event.at, to_level=event.to_level,
            days=event.days, approver_id=event.approver_id, outcome=event.outcome, note=note,
        )
        derived = derive_state(case.reported_level, [*((e.type, e.to_level) for e in events), (row.type, row.to_level)])
        case.status, case.level = derived.status, derived.level
        await case.save(update_fields=["status", "level", "updated_at"])
        after = snapshot(case, list(await CaseParty.filter(case_id=case.id)), [*events, row])
        await record_audit(actor=actor, action="addCaseEvent", entity="case", entity_key=case.number,
                           county_code=county_code, before=before, after=after)
        await run_compliance(rules=rules, county_code=county_code, as_of=clock.now(), case_number=case.number, trigger="WRITE", actor=actor.name)
    return CaseWrite(case, scope.changed())


def _in_order(problems: Problems, case: Case, events: list[CaseEvent], event: EventInput) -> None:
    """Events come after the report and after the last recorded event (the timeline is append-only)."""
    if event.at < case.reported_at:
        problems.add(["input", "at"], "INVALID", f"{event.at.isoformat()} is before the case was reported ({case.reported_at.isoformat()})")
    elif events and event.at < events[-1].at:
        problems.add(["input", "at"], "INVALID", f"{event.at.isoformat()} is before the last recorded event ({events[-1].at.isoformat()}); the timeline is append-only")
