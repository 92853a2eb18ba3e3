"""People and the roles they hold in a unit for a period (bureau, conveners, grid workers, heads)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from tortoise import fields
from tortoise.models import Model

from models.enums import Role


class Person(Model):
    id = fields.IntField(primary_key=True)
    ext_id = fields.CharField(max_length=64, unique=True)  # the lianxi/v1 "id"
    name = fields.CharField(max_length=64)
    phone = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "person"
        ordering = ["ext_id"]


class RoleAssignment(Model):
    # A person holding a role in exactly one unit from `valid_from` (inclusive) to `valid_to` (inclusive, open when null).
    #
    # Exactly one unit link is set, and it matches the role: bureau roles → county,
    # conveners → township, grid worker → grid, household head → household group,
    # party-group leader → party group (checked on import and by `unit_field_for`).

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "lianxi.Person", related_name="roles", on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(Role, max_length=24)
    county = fields.ForeignKeyField("lianxi.County", null=True, related_name="role_assignments", on_delete=fields.CASCADE)
    township = fields.ForeignKeyField("lianxi.Township", null=True, related_name="role_assignments", on_delete=fields.CASCADE)
    grid = fields.ForeignKeyField("lianxi.Grid", null=True, related_name="role_assignments", on_delete=fields.CASCADE)
    household_group = fields.ForeignKeyField(
        "lianxi.HouseholdGroup", null=True, related_name="role_assignments", on_delete=fields.CASCADE
    )
    party_group = fields.ForeignKeyField(
        "lianxi.PartyGroup", null=True, related_name="role_assignments", on_delete=fields.CASCADE
    )
    valid_from = fields.DateField(null=True)
    valid_to = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "role_assignment"
        indexes = [
            ("role", "grid_id"), ("role", "household_group_id"), ("role", "county_id"), ("role", "party_group_id"),
            ("township_id",), ("person_id",),
        ]


ROLE_UNIT_FIELD: dict[Role, str] = {
    Role.BUREAU_HEAD: "county",
    Role.BUREAU_LEADER: "county",
    Role.BUREAU_STAFF: "county",
    Role.CHIEF_CONVENER: "township",
    Role.CONVENER: "township",
    Role.GRID_WORKER: "grid",
    Role.HOUSEHOLD_HEAD: "household_group",
    Role.PARTY_GROUP_LEADER: "party_group",
}


def unit_field_for(role: Role) -> str:
    """The RoleAssignment foreign key a role must use."""
    return ROLE_UNIT_FIELD[role]


class _Dated(Protocol):
    valid_from: date | None
    valid_to: date | None


D = TypeVar("D", bound=_Dated)


def in_force(rows: Iterable[D], on: date) -> list[D]:
    """The rows whose [valid_from, valid_to] range (inclusive, open ends allowed) contains `on`."""
    return [
        row
        for row in rows
        if (row.valid_from is None or row.valid_from <= on) and (row.valid_to is None or on <= row.valid_to)
    ]
