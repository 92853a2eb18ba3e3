"""People and dated role assignments: assign, hand over, correct a person; roster rules re-evaluated in the write."""

from __future__ import annotations

from core import clock
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from models.alerts import Alert
from models.enums import Role
from models.people import Person, RoleAssignment, overlaps, unit_field_for
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

# Roles several people hold at once in one unit; every other role has one holder at a time.
MULTI_HOLDER_ROLES = frozenset({Role.BUREAU_LEADER, Role.BUREAU_STAFF})


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


async def _conflicts(problems: Problems, role: Role, unit: Located, person_id: int | None, valid_from: date,
                     valid_to: date | None, *, ignore: int | None = None) -> None:
    """A single-holder role has one holder per day; nobody holds the same role in a unit twice at once."""
    rows = await RoleAssignment.filter(role=role, **{f"{unit_field_for(role)}_id": unit.row.pk}).prefetch_related("person")
    for other in rows:
        if other.id == ignore or not overlaps(other.valid_from, other.valid_to, valid_from, valid_to):
            continue
        if other.person_id == person_id or role not in MULTI_HOLDER_ROLES:  # type: ignore[attr-defined]
            until = other.valid_to or "open-ended"
            problems.add(["input", "from"], "CONFLICT",
                         f"{other.person.name} already holds {role.value} in {unit.row.code} from {other.valid_from or 'the start'} to {until}; "  # type: ignore[attr-defined]
                         "use handOverRole to replace a holder")


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
    async with alert_transaction(county_code=unit.county_code) as scope:
        await _conflicts(problems, role, unit, person.id if person else None, valid_from, valid_to)
        problems.check()
        person = person or await _create_person(new_person)  # type: ignore[arg-type]
        row = await RoleAssignment.create(person_id=person.id, role=role, valid_from=valid_from, valid_to=valid_to,
                                          **{f"{unit_field_for(role)}_id": unit.row.pk})
        await record_audit(actor=actor, action="assignRole", entity="role", entity_key=str(row.id), county_code=unit.county_code,
                           before=None, after=_role_after(row, person, unit) | {"newPerson": new_person is not None})
        await _reevaluate(unit, actor, rules)
    return RoleWrite(row, None, scope.changed())


async def hand_over_role(
    *, actor: Actor, rules: RulesConfig, role: Role, unit_code: str, person_id: int | None, new_person: NewPerson | None, on: date, problems: Problems,
    viewer: Viewer | None = None,
) -> RoleWrite:
    """The holder in force the day before `on` hands over to a person (recorded or new) from `on`, in one write."""
    unit = await _unit(problems, role, unit_code)
    person = await _holder(problems, person_id, new_person, viewer)
    _check_days(problems, on, None)
    if role in MULTI_HOLDER_ROLES:
        problems.add(["input", "role"], "INVALID", f"{role.value} has several holders at once: use assignRole and endRole")
    problems.check()
    assert unit is not None
    async with alert_transaction(county_code=unit.county_code) as scope:
        rows = await RoleAssignment.filter(role=role, **{f"{unit_field_for(role)}_id": unit.row.pk}).select_for_update()
        current = next((r for r in rows if overlaps(r.valid_from, r.valid_to, on - timedelta(days=1), on - timedelta(days=1))), None)
        if current is None:
            problems.add(["input", "unitCode"], "NOT_FOUND", f"nobody holds {role.value} in {unit_code} on {on - timedelta(days=1)}; use assignRole")
        elif person is not None and current.person_id == person.id:  # type: ignore[attr-defined]
            problems.add(["input", "personId"], "INVALID", "this person already holds the role")
        elif current.valid_from is not None and current.valid_from >= on:
            problems.add(["input", "on"], "INVALID", f"the current holder only started on {current.valid_from}")
        problems.check()
        assert current is not None
        before = {"role": role, "unit": unit_code, "person": current.person_id, "from": current.valid_from, "to": current.valid_to}  # type: ignore[attr-defined]
        end_of = current.valid_to
        current.valid_to = on - timedelta(days=1)
        await current.save(update_fields=["valid_to"])
        await _conflicts(problems, role, unit, person.id if person else None, on, end_of, ignore=current.id)
        problems.check()
        person = person or await _create_person(new_person)  # type: ignore[arg-type]
        row = await RoleAssignment.create(person_id=person.id, role=role, valid_from=on, valid_to=end_of,
                                          **{f"{unit_field_for(role)}_id": unit.row.pk})
        await record_audit(actor=actor, action="handOverRole", entity="role", entity_key=str(row.id), county_code=unit.county_code,
                           before=before, after=_role_after(row, person, unit) | {"endedAssignment": current.id})
        await _reevaluate(unit, actor, rules)
    return RoleWrite(row, current, scope.changed())


async def end_role(*, actor: Actor, rules: RulesConfig, assignment_id: int, last_day: date, problems: Problems) -> RoleWrite:
    """End a role assignment on its last day (nobody takes over: the roster rules may raise an alert)."""
    row = await RoleAssignment.filter(id=assignment_id).first()
    if row is None:
        problems.add(["input", "id"], "NOT_FOUND", NO_ROLE_ASSIGNMENT)
        problems.check()
    assert row is not None
    unit = await unit_of_assignment(row)
    if not FIRST_YEAR <= last_day.year <= LAST_YEAR:
        problems.add(["input", "lastDay"], "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {last_day}")
    elif row.valid_from is not None and last_day < row.valid_from:
        problems.add(["input", "lastDay"], "INVALID", f"the assignment starts on {row.valid_from}")
    problems.check()
    async with alert_transaction(county_code=unit.county_code) as scope:
        before = {"role": row.role, "unit": unit.row.code, "person": row.person_id, "from": row.valid_from, "to": row.valid_to}  # type: ignore[attr-defined]
        row.valid_to = last_day
        await row.save(update_fields=["valid_to"])
        await record_audit(actor=actor, action="endRole", entity="role", entity_key=str(row.id), county_code=unit.county_code,
                           before=before, after=before | {"to": last_day})
        await _reevaluate(unit, actor, rules)
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
