"""Writing the roster: people, dated role assignments and handovers, and the units they are held in."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from core.errors import WriteRefused
from core.global_ids import to_global_id
from core.roster import units_of
from core.roster.units import UnitFigures, UnitWrite
from models import people as rows
from models.enums import Role as RoleValue
from resolvers.context import Context
from resolvers.people import loaders
from resolvers.roster.mutations.assign_role import assign_role
from resolvers.roster.mutations.common import Held, RoleChange
from resolvers.roster.mutations.create_unit import create_unit
from resolvers.roster.mutations.end_role import end_role
from resolvers.roster.mutations.hand_over_role import hand_over_role
from resolvers.roster.mutations.retire_unit import retire_unit
from resolvers.roster.mutations.update_person import update_person
from resolvers.roster.mutations.update_unit import update_unit
from schema import alerts
from schema.enums import Role, VillageKind
from schema.errors import UserError, to_user_errors
from schema.people import Person
from schema.units import Grid, HouseholdGroup, PartyGroup, Village
from schema.text_types import PersonName, Phone, UnitCode

if TYPE_CHECKING:
    from schema.alerts import AlertEvent

AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]
UnitKind = strawberry.enum(units_of.UnitKind)
Unit = Annotated[Village | Grid | HouseholdGroup | PartyGroup, strawberry.union("Unit")]
UNIT_TYPES: dict[units_of.UnitKind, Any] = {
    units_of.UnitKind.VILLAGE: Village, units_of.UnitKind.GRID: Grid, units_of.UnitKind.HOUSEHOLD_GROUP: HouseholdGroup,
    units_of.UnitKind.PARTY_GROUP: PartyGroup,
}


@strawberry.input(description="Someone not recorded yet: a new grid worker, household head, convener…")
class NewPersonInput:
    name: PersonName
    phone: Phone | None = None


@strawberry.input(description="Give a person a role in a unit for a period (inclusive; open-ended without `to`).")
class AssignRoleInput:
    role: Role
    unit_code: UnitCode = strawberry.field(description="County (bureau roles), township (conveners), grid, household group or party group.")
    person_id: strawberry.ID | None = None
    new_person: NewPersonInput | None = None
    from_: date = strawberry.field(name="from")
    to: date | None = None


@strawberry.input(description="Replace the holder of a single-holder role: the current one ends the day before `on`, the new one starts on `on`.")
class HandOverRoleInput:
    role: Role
    unit_code: UnitCode
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
    name: PersonName | None = None
    phone: Phone | None = None


@strawberry.input(description="A new village (under a township), grid or party group (under a village) or household group (under a grid).")
class CreateUnitInput:
    kind: UnitKind
    parent_code: UnitCode
    # plain text for the policy: its shape is core.unit_codes.code_problem's, which names the one expected, as `lianxi load` does
    code: str = strawberry.field(description="Extends the parent's code as in lianxi/v1 imports (village 12 digits, grid +2, household group +2, party group +P digits).")
    name: PersonName | None = None
    village_kind: VillageKind | None = None
    households: int | None = None
    population: int | None = None
    groups: int | None = None


@strawberry.input(description="Rename a unit or correct its figures; fields left out keep their value.")
class UpdateUnitInput:
    code: UnitCode
    name: PersonName | None = None
    village_kind: VillageKind | None = None
    households: int | None = None
    population: int | None = None
    groups: int | None = None


@strawberry.input(description="Retire a unit (merged or dissolved) from a day; its history stays.")
class RetireUnitInput:
    code: UnitCode
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
    def from_held(cls, held: Held) -> RoleHolding:
        row: rows.RoleAssignment = held.assignment
        return cls(id=to_global_id("RoleAssignment", row.id), role=row.role, unit_code=held.unit_code, valid_from=row.valid_from,
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

    @classmethod
    async def of(cls, context: Context, write: Awaitable[RoleChange]) -> RolePayload:
        """The payload of a role write, or of its refusal."""
        try:
            change = await write
        except WriteRefused as refusal:
            return cls(assignment=None, ended=None, alert_changes=[], user_errors=to_user_errors(refusal))
        return cls(assignment=RoleHolding.from_held(change.assignment),
                   ended=RoleHolding.from_held(change.ended) if change.ended is not None else None,
                   alert_changes=await alerts.alert_events(context, change.alert_changes), user_errors=[])


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

    @classmethod
    async def of(cls, context: Context, write: Awaitable[UnitWrite]) -> UnitPayload:
        """The payload of a unit write, or of its refusal."""
        try:
            written = await write
        except WriteRefused as refusal:
            return cls(unit=None, alert_changes=[], user_errors=to_user_errors(refusal))
        return cls(unit=UNIT_TYPES[written.kind].from_model(written.unit), alert_changes=await alerts.alert_events(context, written.alert_changes),
                   user_errors=[])


def _figures(input: CreateUnitInput | UpdateUnitInput) -> UnitFigures:
    return UnitFigures(input.village_kind, input.households, input.population, input.groups)  # type: ignore[arg-type]


@strawberry.type
class RosterMutation:
    @strawberry.mutation(description="Give a person a role in a unit for a period; single-holder roles never overlap.")
    async def assign_role(self, info: Info[Context, None], input: AssignRoleInput) -> RolePayload:
        return await RolePayload.of(info.context, assign_role(
            info.context, role=RoleValue(input.role), unit_code=input.unit_code, person_id=input.person_id, new_person=input.new_person,
            valid_from=input.from_, valid_to=input.to,
        ))

    @strawberry.mutation(description="Replace a role's holder from a day: the old assignment ends the day before, the new one starts.")
    async def hand_over_role(self, info: Info[Context, None], input: HandOverRoleInput) -> RolePayload:
        return await RolePayload.of(info.context, hand_over_role(
            info.context, role=RoleValue(input.role), unit_code=input.unit_code, on=input.on, person_id=input.person_id,
            new_person=input.new_person,
        ))

    @strawberry.mutation(description="End a role assignment on its last day.")
    async def end_role(self, info: Info[Context, None], input: EndRoleInput) -> RolePayload:
        return await RolePayload.of(info.context, end_role(info.context, assignment_id=str(input.id), last_day=input.last_day))

    @strawberry.mutation(description="Correct a person's name or work phone.")
    async def update_person(self, info: Info[Context, None], input: UpdatePersonInput) -> PersonPayload:
        try:
            person = await update_person(info.context, person_id=str(input.id), name=input.name, phone=input.phone)
        except WriteRefused as refusal:
            return PersonPayload(person=None, user_errors=to_user_errors(refusal))
        return PersonPayload(person=Person.from_model(person), user_errors=[])

    @strawberry.mutation(description="Create a unit under its parent; the code follows the import's rules.")
    async def create_unit(self, info: Info[Context, None], input: CreateUnitInput) -> UnitPayload:
        return await UnitPayload.of(info.context, create_unit(
            info.context, kind=units_of.UnitKind(input.kind), parent_code=input.parent_code, code=input.code, name=input.name,
            figures=_figures(input),
        ))

    @strawberry.mutation(description="Rename a village, grid or party group, or correct a unit's figures.")
    async def update_unit(self, info: Info[Context, None], input: UpdateUnitInput) -> UnitPayload:
        return await UnitPayload.of(info.context, update_unit(info.context, code=input.code, name=input.name, figures=_figures(input)))

    @strawberry.mutation(description="Retire a unit from a day (its live children must be retired first).")
    async def retire_unit(self, info: Info[Context, None], input: RetireUnitInput) -> UnitPayload:
        return await UnitPayload.of(info.context, retire_unit(info.context, code=input.code, on=input.on))
