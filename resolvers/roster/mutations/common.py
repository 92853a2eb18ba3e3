"""Shared by the roster mutations: payloads of a write or of a refusal."""

from __future__ import annotations

from typing import Any

from resolvers.context import Context
from core.errors import WriteRefused
from core.roster.service import NewPerson, RoleWrite, person_fields
from core.roster.units import UnitWrite
from core.roster.units_of import UnitKind, unit_of_assignment
from core.writes import Problems
from schema.alerts import alert_events
from schema.errors import to_user_errors
from schema.roster import RoleHolding, RolePayload, UnitPayload
from schema.units import Grid, HouseholdGroup, PartyGroup, Village

UNIT_TYPES: dict[UnitKind, Any] = {UnitKind.VILLAGE: Village, UnitKind.GRID: Grid, UnitKind.HOUSEHOLD_GROUP: HouseholdGroup,
                                   UnitKind.PARTY_GROUP: PartyGroup}


def holder_args(problems: Problems, person_id: Any, new_person: Any) -> tuple[int | None, NewPerson | None]:
    """(database id of the named person, or the checked new person)."""
    ids = problems.ids([person_id], "Person", ["input", "personId"]) if person_id is not None else []
    fresh = person_fields(problems, new_person.name, new_person.phone, ["input", "newPerson"]) if new_person is not None else None
    return (ids[0] if ids else None), fresh


async def _holding(row: Any) -> RoleHolding:
    return RoleHolding.from_model(row, (await unit_of_assignment(row)).row.code)  # type: ignore[attr-defined]


async def role_payload(context: Context, written: RoleWrite) -> RolePayload:
    return RolePayload(
        assignment=await _holding(written.assignment),
        ended=await _holding(written.ended) if written.ended is not None else None,
        alert_changes=await alert_events(context, written.alert_changes),
        user_errors=[],
    )


def role_refused(error: WriteRefused) -> RolePayload:
    return RolePayload(assignment=None, ended=None, alert_changes=[], user_errors=to_user_errors(error))


async def unit_payload(context: Context, written: UnitWrite) -> UnitPayload:
    return UnitPayload(unit=UNIT_TYPES[written.kind].from_model(written.unit),
                       alert_changes=await alert_events(context, written.alert_changes), user_errors=[])


def unit_refused(error: WriteRefused) -> UnitPayload:
    return UnitPayload(unit=None, alert_changes=[], user_errors=to_user_errors(error))
