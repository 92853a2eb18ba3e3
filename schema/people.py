"""People, the roles they hold and the leadership rotation, as the API shows them."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from models import people as rows
from models import supervision as supervision_rows
from core.global_ids import to_global_id
from core.viewer import mask_phone, sees_contact_phones
from resolvers import permissions
from resolvers.context import Context
from resolvers.people import loaders
from resolvers.units import loaders as unit_loaders
from schema import units
from schema.enums import Role
from schema.node import Node

if TYPE_CHECKING:
    from schema.units import Township

TownshipRef = Annotated["Township", strawberry.lazy("schema.units")]

_UNIT_LOADERS = {
    "county_id": unit_loaders.CountyByIdLoader,
    "township_id": unit_loaders.TownshipByIdLoader,
    "grid_id": unit_loaders.GridByIdLoader,
    "household_group_id": unit_loaders.HouseholdGroupByIdLoader,
    "party_group_id": unit_loaders.PartyGroupByIdLoader,
}


@strawberry.type
class RoleAssignment:
    role: Role
    valid_from: date | None
    valid_to: date | None
    row: strawberry.Private[rows.RoleAssignment]

    @classmethod
    def from_model(cls, row: rows.RoleAssignment) -> RoleAssignment:
        return cls(role=row.role, valid_from=row.valid_from, valid_to=row.valid_to, row=row)

    @strawberry.field
    def id(self) -> strawberry.ID:
        """The id `endRole` takes (and `assignRole`/`handOverRole` return): a loaded assignment can be ended."""
        return to_global_id("RoleAssignment", self.row.id)

    @strawberry.field(description="Code of the unit the role is held in (county, township, grid, household or party group).")
    async def unit_code(self, info: Info[Context, None]) -> str | None:
        for field_name, loader in _UNIT_LOADERS.items():
            unit_id = getattr(self.row, field_name)
            if unit_id is not None:
                unit = await info.context.loader(loader).load(unit_id)
                return unit.code if unit else None
        return None


@strawberry.type
class Person(Node):
    ext_id: str = strawberry.field(description="The person's id in lianxi/v1 documents.")
    name: str
    db_id: strawberry.Private[int]
    phone_number: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, row: rows.Person) -> Person:
        return cls(db_id=row.id, ext_id=row.ext_id, name=row.name, phone_number=row.phone)

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> Person:
        """From a `.values()` row (id, ext_id, name, phone): the prefetch path builds no ORM objects."""
        return cls(db_id=row["id"], ext_id=row["ext_id"], name=row["name"], phone_number=row["phone"])

    @strawberry.field(description="Work phone; masked (139****0000) for auditors.")
    def phone(self, info: Info[Context, None]) -> str | None:
        if sees_contact_phones(info.context.viewer):
            return self.phone_number
        return mask_phone(self.phone_number)

    @strawberry.field(description="Roles held in units inside the token's jurisdiction.")
    async def roles(self, info: Info[Context, None]) -> list[RoleAssignment]:
        assignments = [RoleAssignment.from_model(r) for r in await info.context.loader(loaders.RolesByPersonLoader).load(self.db_id)]
        if permissions.viewer_of(info.context).is_admin:
            return assignments
        codes = await asyncio.gather(*(a.unit_code(info) for a in assignments))
        return [a for a, code in zip(assignments, codes, strict=True) if permissions.sees(info.context, code)]


@strawberry.type
class SupervisionAssignment:
    valid_from: date
    valid_to: date | None
    leader_db_id: strawberry.Private[int]
    township_db_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: supervision_rows.SupervisionAssignment) -> SupervisionAssignment:
        return cls(valid_from=row.valid_from, valid_to=row.valid_to, leader_db_id=row.leader_id, township_db_id=row.township_id)

    @strawberry.field
    async def leader(self, info: Info[Context, None]) -> Person:
        row = await info.context.loader(loaders.PersonByIdLoader).load(self.leader_db_id)
        assert row is not None
        return Person.from_model(row)

    @strawberry.field
    async def township(self, info: Info[Context, None]) -> TownshipRef:
        row = await info.context.loader(unit_loaders.TownshipByIdLoader).load(self.township_db_id)
        assert row is not None
        return units.Township.from_model(row)
