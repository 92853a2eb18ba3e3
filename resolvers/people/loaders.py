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
    """Role assignments of one role per unit; the caller picks the one in force."""

    role: Role

    def query(self, keys: Sequence[int]) -> Any:
        return RoleAssignment.filter(role=self.role, **{f"{self.key}__in": list(keys)}).order_by("valid_from", "id")


class GridWorkersByGridLoader(_RoleHoldersLoader):
    role = Role.GRID_WORKER
    key = "grid_id"


class HeadsByHouseholdGroupLoader(_RoleHoldersLoader):
    role = Role.HOUSEHOLD_HEAD
    key = "household_group_id"


class LeadersByPartyGroupLoader(_RoleHoldersLoader):
    role = Role.PARTY_GROUP_LEADER
    key = "party_group_id"


class BureauRolesByCountyLoader(RowsLoader[int, RoleAssignment]):
    model = RoleAssignment
    key = "county_id"


class ConvenerRolesByTownshipLoader(RowsLoader[int, RoleAssignment]):
    model = RoleAssignment
    key = "township_id"


class SupervisionsByTownshipLoader(RowsLoader[int, SupervisionAssignment]):
    model = SupervisionAssignment
    key = "township_id"

    def query(self, keys: Sequence[int]) -> Any:
        return SupervisionAssignment.filter(township_id__in=list(keys)).order_by("valid_from", "id")
