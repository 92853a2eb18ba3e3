"""People and dated role assignments: assign, hand over, correct a person; roster rules re-evaluated in the write."""

from __future__ import annotations

from core import clock
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NoReturn

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.alerts import Alert
from models.enums import Role
from models.people import (
    DAYS_IN_ORDER_CONSTRAINT, MULTI_HOLDER_ROLES, ONE_HOLDER_CONSTRAINT, Person, RoleAssignment, in_force_filter, overlaps, unit_field_for,
)
from rules.config import RulesConfig
from core.audit import Actor, record_audit
from core.compliance import run_compliance
from core.party import phone_problem
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_PERSON, NO_ROLE_ASSIGNMENT, NO_UNIT, person_in_reach
from core.roster.places import Places, places_of
from core.roster.retired import refuse_retired
from core.roster.units_of import Located, kind_of_role, locate, unit_of_assignment
from core.transaction import AlertEvent, alert_transaction
from core.viewer import Viewer, mask_name, mask_phone, person_edit_refusal
from core.writes import Problems

@dataclass(frozen=True, slots=True)
class NewPerson:
    name: str
    phone: str | None


@dataclass(frozen=True, slots=True)
class RoleWrite:
    assignment: RoleAssignment
    ended: RoleAssignment | None
    alert_changes: list[tuple[AlertEvent, Alert]]


@dataclass(frozen=True, slots=True)
class PersonWrite:
    person: Person
    alert_changes: list[tuple[AlertEvent, Alert]]


def person_fields(problems: Problems, name: str | None, phone: str | None, field: list[str]) -> NewPerson:
    """A person's name (required, ≤ 64) and work phone (digits, + - and spaces), as case parties are checked."""
    clean_name = problems.text(name, [*field, "name"], required=True, limit=64)
    clean_phone = problems.text(phone, [*field, "phone"], required=False, limit=32)
    if (problem := phone_problem(clean_phone)) is not None:  # the one party check (reportCase, lianxi load)
        problems.add([*field, "phone"], "INVALID", problem)
    return NewPerson(clean_name or "", clean_phone)


def person_snapshot(person: Person) -> dict[str, Any]:
    """A person as the audit trail keeps them (name and phone masked)."""
    return {"extId": person.ext_id, "name": mask_name(person.name), "phone": mask_phone(person.phone)}


def _check_days(problems: Problems, valid_from: date, valid_to: date | None) -> None:
    for name, day in (("from", valid_from), ("to", valid_to)):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.add(["input", name], "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {day}")
    if valid_to is not None and valid_to < valid_from:
        problems.add(["input", "to"], "INVALID", f"the assignment ends ({valid_to}) before it starts ({valid_from})")


async def _unit(problems: Problems, role: Role, unit_code: str) -> Located | None:
    kind = kind_of_role(role)
    unit = await locate(kind, unit_code)
    if unit is None:
        problems.add(["input", "unitCode"], "NOT_FOUND", f"{NO_UNIT} (a {role.value} is held in a {kind.value.lower().replace('_', ' ')})")
    else:  # a role is not dated by one day: a retired unit takes none (core.roster.retired)
        refuse_retired(problems, ["input", "unitCode"], code=unit_code, retired_on=getattr(unit.row, "retired_on", None), day=None)
    return unit


async def _holder(problems: Problems, person_id: int | None, new_person: NewPerson | None, viewer: Viewer | None) -> Person | None:
    """The recorded person named, if the token may name them (`person_in_reach`); elsewhere reads as missing."""
    if (person_id is None) == (new_person is None):
        problems.add(["input", "personId"], "INVALID", "give either personId (someone already recorded) or newPerson")
        return None
    if person_id is None:
        return None
    person = await Person.filter(id=person_id).first() if await person_in_reach(person_id, viewer) else None
    if person is None:
        problems.add(["input", "personId"], "NOT_FOUND", NO_PERSON)
    return person


async def _reevaluate(unit: Located, actor: Actor, rules: RulesConfig) -> None:
    """The unit's township (or, for bureau roles, the county) at once, in the write's transaction."""
    await run_compliance(rules=rules, county_code=unit.county_code, as_of=clock.now(), township_code=unit.township_code,
                         trigger="WRITE", actor=actor.name)


async def _create_person(new_person: NewPerson) -> Person:
    return await Person.create(ext_id=f"api-{uuid.uuid4().hex[:16]}", name=new_person.name, phone=new_person.phone)


async def _conflicts(problems: Problems, role: Role, unit: Located, person_id: int | None, valid_from: date | None,
                     valid_to: date | None, *, field: list[str], hint: str, ignore: int | None = None) -> None:
    """A single-holder role has one holder per day; nobody holds the same role in a unit twice at once.

    `field` is the input field of the write that sets the days at fault (assignRole: from, handOverRole: on,
    endRole: lastDay), so the clerk is told what to change in the form they filled in.
    """
    rows = await RoleAssignment.filter(role=role, **{f"{unit_field_for(role)}_id": unit.row.pk}).prefetch_related("person")
    for other in rows:
        if other.id == ignore or not overlaps(other.valid_from, other.valid_to, valid_from, valid_to):
            continue
        if other.person_id == person_id or role not in MULTI_HOLDER_ROLES:  # type: ignore[attr-defined]
            until = other.valid_to or "open-ended"
            problems.add(field, "CONFLICT",
                         f"{other.person.name} already holds {role.value} in {unit.row.code} from {other.valid_from or 'the start'} to {until}; {hint}")  # type: ignore[attr-defined]


def _refused_by_database(problems: Problems, error: IntegrityError, field: list[str], role: Role, unit: Located) -> NoReturn:
    """The database's roster constraints (migration 0005) as a userError: the backstop when two writes raced past the checks.

    Another IntegrityError is not a roster invariant and is raised as it is.
    """
    if ONE_HOLDER_CONSTRAINT in str(error):
        problems.add(field, "CONFLICT", f"someone else holds {role.value} in {unit.row.code} on one of these days "  # type: ignore[attr-defined]
                                        "(another write changed this unit's roster at the same moment); reload the roster and try again")
    elif DAYS_IN_ORDER_CONSTRAINT in str(error):
        problems.add(field, "INVALID", "the assignment would end before it starts")
    else:
        raise error
    problems.check()
    raise AssertionError("unreachable")  # problems.check() raised


def _role_after(row: RoleAssignment, person: Person, unit: Located) -> dict[str, Any]:
    return {"role": row.role, "unit": unit.row.code, "person": person.ext_id, "from": row.valid_from, "to": row.valid_to}  # type: ignore[attr-defined]


async def assign_role(
    *, actor: Actor, rules: RulesConfig, role: Role, unit_code: str, person_id: int | None, new_person: NewPerson | None,
    valid_from: date, valid_to: date | None, problems: Problems, viewer: Viewer | None = None,
) -> RoleWrite:
    """Give a person (recorded or new) a role in a unit for a period; single-holder roles never overlap."""
    unit = await _unit(problems, role, unit_code)
    person = await _holder(problems, person_id, new_person, viewer)
    _check_days(problems, valid_from, valid_to)
    problems.check()
    assert unit is not None
    try:
        async with alert_transaction(county_code=unit.county_code) as scope:
            await _conflicts(problems, role, unit, person.id if person else None, valid_from, valid_to, field=["input", "from"],
                             hint="use handOverRole to replace a holder")
            problems.check()
            person = person or await _create_person(new_person)  # type: ignore[arg-type]
            row = await RoleAssignment.create(person_id=person.id, role=role, valid_from=valid_from, valid_to=valid_to,
                                              **{f"{unit_field_for(role)}_id": unit.row.pk})
            await record_audit(actor=actor, action="assignRole", entity="role", entity_key=str(row.id), county_code=unit.county_code,
                               before=None, after=_role_after(row, person, unit) | {"newPerson": new_person is not None})
            await _reevaluate(unit, actor, rules)
    except IntegrityError as error:
        _refused_by_database(problems, error, ["input", "from"], role, unit)
    return RoleWrite(row, None, scope.changed())


async def _handed_over_already(problems: Problems, role: Role, unit: Located, current: RoleAssignment, on: date) -> None:
    """The holder of the day before `on` has already stopped: a handover now would write nothing true (DESIGN §1).

    A successor already in force on `on` (a second handover of the same day, or one a clerk made at the same
    moment) is a CONFLICT; with nobody holding from `on` the role is vacant, which assignRole fills.
    """
    successor = await RoleAssignment.filter(in_force_filter(on), role=role, **{f"{unit_field_for(role)}_id": unit.row.pk}) \
        .prefetch_related("person").first()
    if successor is not None:
        problems.add(["input", "on"], "CONFLICT",
                     f"{successor.person.name} already holds {role.value} in {unit.row.code} from {successor.valid_from} "  # type: ignore[attr-defined]
                     f"(handed over already?); to replace them, hand over from a later day")
    else:
        problems.add(["input", "on"], "INVALID",
                     f"{current.person.name}'s assignment already ends on {current.valid_to} and nobody holds {role.value} from {on}; "  # type: ignore[attr-defined]
                     "use assignRole to fill the role")


async def hand_over_role(
    *, actor: Actor, rules: RulesConfig, role: Role, unit_code: str, person_id: int | None, new_person: NewPerson | None, on: date, problems: Problems,
    viewer: Viewer | None = None,
) -> RoleWrite:
    """The holder in force the day before `on` hands over to a person (recorded or new) from `on`, in one write.

    Refused (never a success that did nothing) when that holder has already stopped by `on`: a second
    handover of the same day, or one that a concurrent clerk has just made (the county's transaction lock
    serialises them; the database's one-holder constraint is the backstop).
    """
    unit = await _unit(problems, role, unit_code)
    person = await _holder(problems, person_id, new_person, viewer)
    _check_days(problems, on, None)
    if role in MULTI_HOLDER_ROLES:
        problems.add(["input", "role"], "INVALID", f"{role.value} has several holders at once: use assignRole and endRole")
    problems.check()
    assert unit is not None
    day_before = on - timedelta(days=1)
    try:
        async with alert_transaction(county_code=unit.county_code) as scope:
            rows = await RoleAssignment.filter(role=role, **{f"{unit_field_for(role)}_id": unit.row.pk}).select_for_update()
            current = next((r for r in rows if overlaps(r.valid_from, r.valid_to, day_before, day_before)), None)
            if current is None:
                problems.add(["input", "unitCode"], "NOT_FOUND", f"nobody holds {role.value} in {unit_code} on {day_before}; use assignRole")
            elif person is not None and current.person_id == person.id:  # type: ignore[attr-defined]
                problems.add(["input", "personId"], "INVALID", "this person already holds the role")
            elif current.valid_to is not None and current.valid_to < on:
                await current.fetch_related("person")
                await _handed_over_already(problems, role, unit, current, on)
            problems.check()
            assert current is not None
            before = {"role": role, "unit": unit_code, "person": current.person_id, "from": current.valid_from, "to": current.valid_to}  # type: ignore[attr-defined]
            end_of = current.valid_to
            current.valid_to = day_before
            await current.save(update_fields=["valid_to"])
            await _conflicts(problems, role, unit, person.id if person else None, on, end_of, ignore=current.id, field=["input", "on"],
                             hint="hand over from a day when nobody else holds it")
            problems.check()
            person = person or await _create_person(new_person)  # type: ignore[arg-type]
            row = await RoleAssignment.create(person_id=person.id, role=role, valid_from=on, valid_to=end_of,
                                              **{f"{unit_field_for(role)}_id": unit.row.pk})
            await record_audit(actor=actor, action="handOverRole", entity="role", entity_key=str(row.id), county_code=unit.county_code,
                               before=before, after=_role_after(row, person, unit) | {"endedAssignment": current.id})
            await _reevaluate(unit, actor, rules)
    except IntegrityError as error:
        _refused_by_database(problems, error, ["input", "on"], role, unit)
    return RoleWrite(row, current, scope.changed())


async def end_role(*, actor: Actor, rules: RulesConfig, assignment_id: int, last_day: date, problems: Problems) -> RoleWrite:
    """End a role assignment on its last day (nobody takes over: the roster rules may raise an alert).

    The last day may move either way (a correction), but never before the first day, never into a
    successor's days (two holders of a single-holder role) and never onto the day it already ends on
    (a write that would change nothing is refused, not answered with success and audited).
    """
    row = await RoleAssignment.filter(id=assignment_id).first()
    if row is None:
        problems.add(["input", "id"], "NOT_FOUND", NO_ROLE_ASSIGNMENT)
        problems.check()
    assert row is not None
    unit = await unit_of_assignment(row)
    role = Role(row.role)
    if not FIRST_YEAR <= last_day.year <= LAST_YEAR:
        problems.add(["input", "lastDay"], "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {last_day}")
    elif row.valid_from is not None and last_day < row.valid_from:
        problems.add(["input", "lastDay"], "INVALID", f"the assignment starts on {row.valid_from}")
    problems.check()
    try:
        async with alert_transaction(county_code=unit.county_code) as scope:
            await RoleAssignment.filter(id=row.id).select_for_update()  # a concurrent end or handover of this row waits for us
            await row.refresh_from_db(fields=["valid_to"])
            if row.valid_to == last_day:
                problems.add(["input", "lastDay"], "INVALID", f"the assignment already ends on {last_day}: nothing to change")
            await _conflicts(problems, role, unit, row.person_id, row.valid_from, last_day, ignore=row.id, field=["input", "lastDay"],  # type: ignore[attr-defined]
                             hint="end this assignment before that day")
            problems.check()
            before = {"role": row.role, "unit": unit.row.code, "person": row.person_id, "from": row.valid_from, "to": row.valid_to}  # type: ignore[attr-defined]
            row.valid_to = last_day
            await row.save(update_fields=["valid_to"])
            await record_audit(actor=actor, action="endRole", entity="role", entity_key=str(row.id), county_code=unit.county_code,
                               before=before, after=before | {"to": last_day})
            await _reevaluate(unit, actor, rules)
    except IntegrityError as error:
        _refused_by_database(problems, error, ["input", "lastDay"], role, unit)
    return RoleWrite(row, row, scope.changed())


async def update_person(*, actor: Actor, viewer: Viewer | None, person_id: int, name: str | None, phone: str | None,
                        problems: Problems) -> PersonWrite:
    """Correct a person's name or work phone (fields left None keep their value).

    The row is shared by every place the person serves, so a token must cover all of them
    (`core.viewer.person_edit_refusal`: the county bureau edits shared people), and the edit is audited
    in the log of every county those places lie in — ADMIN edits included, so the county sees them.
    """
    person = await Person.filter(id=person_id).first()
    places = await places_of(person.id) if person is not None else Places(frozenset())
    if person is None:
        problems.add(["input", "id"], "NOT_FOUND", NO_PERSON)
    elif (refusal := person_edit_refusal(viewer, places.codes)) is not None:
        problems.add(["input", "id"], "FORBIDDEN", refusal)
    elif not places.codes:
        problems.add(["input", "id"], "INVALID", "this person serves in no county yet (no role, rotation, meeting or visit): "
                     "give them a role first, so that the change is audited where they serve")
    fields = person_fields(problems, name if name is not None else (person.name if person else ""), phone, ["input"])
    if person is not None and fields.name == person.name and (phone is None or fields.phone == person.phone):
        # a write that changes nothing is refused, never answered with a success (and an audit row) that did nothing
        problems.add(["input"], "INVALID", "nothing to change: the name and phone given are the ones already recorded")
    problems.check()
    assert person is not None
    async with in_transaction():
        before = person_snapshot(person)
        person.name = fields.name
        if phone is not None:
            person.phone = fields.phone
        await person.save(update_fields=["name", "phone"])
        for county_code in places.counties:
            await record_audit(actor=actor, action="updatePerson", entity="person", entity_key=person.ext_id, county_code=county_code,
                               before=before, after=person_snapshot(person))
    return PersonWrite(person, [])
