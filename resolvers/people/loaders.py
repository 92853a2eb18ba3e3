"""DataLoaders for people, the roles they hold in each unit, and the leadership rotation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models.enums import Role
from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from resolvers.loading import RowLoader, RowsLoader


class PersonByIdLoader(RowLoader[int, Person]):
    model = Person


class RolesByPersonLoader(RowsLoader[int, RoleAssignment]):
    model = RoleAssignment
    key = "person_id"


class _RoleHoldersLoader(RowsLoader[int, RoleAssignment]):
    """Role assignments of one role per unit with the person joined in; the caller picks the one in force.

    Joining the person (rather than a second PersonByIdLoader batch) keeps the statement count of
    a tree fixed: batches from different depths could otherwise coalesce or not, by timing.
    """

    role: Role

    def query(self, keys: Sequence[int]) -> Any:
        return (
            RoleAssignment.filter(role=self.role, **{f"{self.key}__in": list(keys)})
            .select_related("person")
            .order_by("valid_from", "id")
        )


class GridWorkersByGridLoader(_RoleHoldersLoader):
    role = Role.GRID_WORKER
    key = "grid_id"


class HeadsByHouseholdGroupLoader(_RoleHoldersLoader):
    role = Role.HOUSEHOLD_HEAD
    key = "household_group_id"


class LeadersByPartyGroupLoader(_RoleHoldersLoader):
    role = Role.PARTY_GROUP_LEADER
    key = "party_group_id"


class _UnitRolesLoader(RowsLoader[int, RoleAssignment]):
    """Every role held in a unit, with its person joined in (one statement, never a second batch)."""

    model = RoleAssignment

    def query(self, keys: Sequence[int]) -> Any:
        return RoleAssignment.filter(**{f"{self.key}__in": list(keys)}).select_related("person").order_by("id")


class BureauRolesByCountyLoader(_UnitRolesLoader):
    key = "county_id"


class ConvenerRolesByTownshipLoader(_UnitRolesLoader):
    key = "township_id"


class SupervisionsByTownshipLoader(RowsLoader[int, SupervisionAssignment]):
    model = SupervisionAssignment
    key = "township_id"

    def query(self, keys: Sequence[int]) -> Any:
        return SupervisionAssignment.filter(township_id__in=list(keys)).select_related("leader").order_by("valid_from", "id")
