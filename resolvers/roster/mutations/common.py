"""Shared by the roster mutations: reading the holder arguments and ids, and what a role write returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.global_ids import from_global_id
from core.roster.service import NewPerson, RoleWrite, person_fields
from core.roster.units_of import unit_of_assignment
from core.transaction import AlertEvent
from core.writes import Problems
from models.alerts import Alert
from models.people import RoleAssignment


class PersonFields(Protocol):
    """A new person as the client gives it (the schema's NewPersonInput)."""

    name: str
    phone: str | None


@dataclass(frozen=True)
class Held:
    """A role assignment and the code of the unit it is held in."""

    assignment: RoleAssignment
    unit_code: str


@dataclass(frozen=True)
class RoleChange:
    """What a role write did: the assignment written, the one it ended, and the alerts it changed."""

    assignment: Held
    ended: Held | None
    alert_changes: list[tuple[AlertEvent, Alert]]


def holder_args(problems: Problems, person_id: str | None, new_person: PersonFields | None) -> tuple[int | None, NewPerson | None]:
    """(database id of the named person, or the checked new person)."""
    ids = problems.ids([person_id], "Person", ["input", "personId"]) if person_id is not None else []
    fresh = person_fields(problems, new_person.name, new_person.phone, ["input", "newPerson"]) if new_person is not None else None
    return (ids[0] if ids else None), fresh


def db_id(global_id: str, type_name: str) -> int:
    """The database id behind a global id of `type_name`; 0 (names nothing: NOT_FOUND, as an id out of reach) otherwise."""
    decoded = from_global_id(global_id)
    return decoded[1] if decoded and decoded[0] == type_name else 0


async def _held(row: RoleAssignment) -> Held:
    return Held(row, (await unit_of_assignment(row)).row.code)  # type: ignore[attr-defined]


async def role_change(written: RoleWrite) -> RoleChange:
    """A role write with the unit codes of its assignments."""
    ended = await _held(written.ended) if written.ended is not None else None
    return RoleChange(assignment=await _held(written.assignment), ended=ended, alert_changes=written.alert_changes)
