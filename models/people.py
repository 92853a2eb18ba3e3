"""People and the roles they hold in a unit for a period (bureau, conveners, grid workers, heads)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from tortoise import fields
from tortoise.expressions import Q
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


# Roles several people hold at once in one unit; every other role has one holder per unit on any day
# (DESIGN §1, roster invariants). The database holds it too (migration 0005_roster_invariants, which
# names the constraints below); the roster service maps their IntegrityError to a userError.
MULTI_HOLDER_ROLES = frozenset({Role.BUREAU_LEADER, Role.BUREAU_STAFF})
ONE_HOLDER_CONSTRAINT = "role_assignment_one_holder"
DAYS_IN_ORDER_CONSTRAINT = "role_assignment_days_in_order"


def unit_field_for(role: Role) -> str:
    """The RoleAssignment foreign key a role must use."""
    return ROLE_UNIT_FIELD[role]


class _Dated(Protocol):
    valid_from: date | None
    valid_to: date | None


D = TypeVar("D", bound=_Dated)


# "Who held this role (supervision, assignment) on that day": the one definition. A dated row holds from
# `valid_from` to `valid_to`, both days inclusive, either end open when null. The rules' interval index
# (rules.intervals), the statistics (a database filter), the rotation planner and the API all use these.


def overlaps(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None) -> bool:
    """Whether two inclusive day ranges (open ends allowed) share a day: two holders of one post, a
    row in force during a month."""
    return (a_to is None or b_from is None or b_from <= a_to) and (b_to is None or a_from is None or a_from <= b_to)


def held_on(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    """Whether a dated row is in force on `day`."""
    return overlaps(valid_from, valid_to, day, day)


def held_during(valid_from: date | None, valid_to: date | None, first: date, last: date) -> bool:
    """Whether a dated row is in force on at least one day of [first, last]."""
    return overlaps(valid_from, valid_to, first, last)


def in_force(rows: Iterable[D], on: date) -> list[D]:
    """The rows in force on `on` (`held_on`)."""
    return [row for row in rows if held_on(row.valid_from, row.valid_to, on)]


def in_force_filter(day: date) -> Q:
    """`held_on` as a database filter, for querying the rows in force on `day` (RoleAssignment, SupervisionAssignment)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
