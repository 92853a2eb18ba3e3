"""Writing the roster: people, dated role assignments and handovers, and the units they are held in."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from models import people as rows
from resolvers.context import Context
from resolvers.people import loaders
from core.roster import units_of
from schema.enums import Role, VillageKind
from schema.errors import UserError
from core.global_ids import to_global_id
from schema.people import Person
from schema.units import Grid, HouseholdGroup, PartyGroup, Village

if TYPE_CHECKING:
    from schema.alerts import AlertEvent

AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]
UnitKind = strawberry.enum(units_of.UnitKind)
Unit = Annotated[Village | Grid | HouseholdGroup | PartyGroup, strawberry.union("Unit")]


@strawberry.input(description="Someone not recorded yet: a new grid worker, household head, convener…")
class NewPersonInput:
    name: str
    phone: str | None = None


@strawberry.input(description="Give a person a role in a unit for a period (inclusive; open-ended without `to`).")
class AssignRoleInput:
    role: Role
    unit_code: str = strawberry.field(description="County (bureau roles), township (conveners), grid, household group or party group.")
    person_id: strawberry.ID | None = None
    new_person: NewPersonInput | None = None
    from_: date = strawberry.field(name="from")
    to: date | None = None


@strawberry.input(description="Replace the holder of a single-holder role: the current one ends the day before `on`, the new one starts on `on`.")
class HandOverRoleInput:
    role: Role
    unit_code: str
    on: date
    person_id: strawberry.ID | None = None
    new_person: NewPersonInput | None = None


@strawberry.input(description="End a role assignment on its last day (nobody takes over).")
class EndRoleInput:
    id: strawberry.ID
    last_day: date


@strawberry.input(description="Correct a person's name or work phone; fields left out keep their value.")
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = None
    phone: str | None = None


@strawberry.input(description="A new village (under a township), grid or party group (under a village) or household group (under a grid).")
class CreateUnitInput:
    kind: UnitKind
    parent_code: str
    code: str = strawberry.field(description="Extends the parent's code as in lianxi/v1 imports (village 12 digits, grid +2, household group +2, party group +P digits).")
    name: str | None = None
    village_kind: VillageKind | None = None
    households: int | None = None
    population: int | None = None
    groups: int | None = None


@strawberry.input(description="Rename a unit or correct its figures; fields left out keep their value.")
class UpdateUnitInput:
    code: str
    name: str | None = None
    village_kind: VillageKind | None = None
    households: int | None = None
    population: int | None = None
    groups: int | None = None


@strawberry.input(description="Retire a unit (merged or dissolved) from a day; its history stays.")
class RetireUnitInput:
    code: str
    on: date


@strawberry.type(description="A role held by a person in a unit for a period.")
class RoleHolding:
    id: strawberry.ID
    role: Role
    unit_code: str
    valid_from: date | None
    valid_to: date | None
    person_db_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: rows.RoleAssignment, unit_code: str) -> RoleHolding:
        return cls(id=to_global_id("RoleAssignment", row.id), role=row.role, unit_code=unit_code, valid_from=row.valid_from,
                   valid_to=row.valid_to, person_db_id=row.person_id)  # type: ignore[attr-defined]

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person:
        row = await info.context.loader(loaders.PersonByIdLoader).load(self.person_db_id)
        assert row is not None
        return Person.from_model(row)


@strawberry.type
class RolePayload:
    assignment: RoleHolding | None
    ended: RoleHolding | None = strawberry.field(description="handOverRole / endRole: the assignment that ended.")
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )


@strawberry.type
class PersonPayload:
    person: Person | None
    user_errors: list[UserError]


@strawberry.type
class UnitPayload:
    unit: Unit | None
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )
