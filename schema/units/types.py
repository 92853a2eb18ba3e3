"""County → township → village → grid → household group, and party groups, as the API shows them.

Downward relations resolve synchronously from `prefetched` when the root of the tree read the
subtree level by level (resolvers/units/tree.py, hung on the objects by schema/units/tree.py);
otherwise they fall back to per-request DataLoaders and return an awaitable. graphql-core's cost
per awaited field dominates big trees, so the sync path is what keeps a full county tree fast.
Classes are defined bottom-up because a field's `graphql_type` names its child type at
class-definition time. Role holders are those in office today in the unit's county
(`resolvers.units.queries.today_at`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from models import units as rows
from models.people import RoleAssignment, in_force
from resolvers import permissions
from resolvers.context import Context
from resolvers.ledger.queries import village_ledger
from resolvers.loading import RowsLoader
from resolvers.people import loaders as people_loaders
from resolvers.people.queries import holder_on, people_on, supervisor_on
from resolvers.selection import below
from resolvers.units import loaders
from resolvers.units.queries import today_at
from schema import cases, meetings, people, statistics
from schema.enums import TownshipKind, VillageKind
from schema.cost import work
from schema.ledger import LEDGER_ONCE, VillageLedger, ledger_weight
from schema.node import Node
from schema.statistics import Statistic, TownshipCompliance
from schema.units import tree

if TYPE_CHECKING:
    from schema.cases import CaseConnection, CaseFilter
    from schema.meetings import MeetingConnection, MeetingFilter
    from schema.people import Person, SupervisionAssignment

T = TypeVar("T")
Resolved = T | Awaitable[T]  # a value when prefetched, else an awaitable graphql-core awaits
Prefetched = strawberry.Private[dict[str, Any] | None]  # relation name → value, set by schema/units/tree.py

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
SupervisionRef = Annotated["SupervisionAssignment", strawberry.lazy("schema.people")]
MeetingConnectionRef = Annotated["MeetingConnection", strawberry.lazy("schema.meetings")]
MeetingFilterRef = Annotated["MeetingFilter", strawberry.lazy("schema.meetings")]
CaseConnectionRef = Annotated["CaseConnection", strawberry.lazy("schema.cases")]
CaseFilterRef = Annotated["CaseFilter", strawberry.lazy("schema.cases")]
HoldersLoader = type[RowsLoader[int, RoleAssignment]]


async def _holder(info: Info[Context, None], loader: HoldersLoader, unit_id: int, unit_code: str) -> Person | None:
    row = await holder_on(info.context, loader, unit_id, await today_at(info.context, unit_code))
    return people.Person.from_model(row) if row is not None else None


async def people_on_duty(info: Info[Context, None], loader: HoldersLoader, unit_id: int, unit_code: str) -> list[Person]:
    found = await people_on(info.context, loader, unit_id, await today_at(info.context, unit_code))
    return [people.Person.from_model(row) for row in found]


@strawberry.type
class PartyGroup(Node):
    code: str
    name: str
    db_id: strawberry.Private[int]
    prefetched: Prefetched = None

    @classmethod
    def from_model(cls, row: rows.PartyGroup) -> PartyGroup:
        return cls(db_id=row.id, code=row.code, name=row.name)

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> PartyGroup:
        return cls(db_id=row["id"], code=row["code"], name=row["name"], prefetched={})

    @strawberry.field(description="The party-group leader (党小组长) in office today.", graphql_type=PersonRef | None)
    def leader(self, info: Info[Context, None]) -> Resolved[Person | None]:
        if self.prefetched is not None and "leader" in self.prefetched:
            return self.prefetched["leader"]  # type: ignore[no-any-return]
        return _holder(info, people_loaders.LeadersByPartyGroupLoader, self.db_id, self.code)


@strawberry.type
class HouseholdGroup(Node):
    code: str
    households: int
    db_id: strawberry.Private[int]
    grid_db_id: strawberry.Private[int]
    prefetched: Prefetched = None

    @classmethod
    def from_model(cls, row: rows.HouseholdGroup) -> HouseholdGroup:
        return cls(
            db_id=row.id, grid_db_id=row.grid_id, code=row.code, households=row.households
        )

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> HouseholdGroup:
        return cls(
            db_id=row["id"], grid_db_id=row["grid_id"], code=row["code"],
            households=row["households"], prefetched={},
        )

    @strawberry.field(description="The household head (联户长) in office today.", graphql_type=PersonRef | None)
    def head(self, info: Info[Context, None]) -> Resolved[Person | None]:
        if self.prefetched is not None and "head" in self.prefetched:
            return self.prefetched["head"]  # type: ignore[no-any-return]
        return _holder(info, people_loaders.HeadsByHouseholdGroupLoader, self.db_id, self.code)

    @strawberry.field(description="Null outside the token's jurisdiction.")
    async def grid(self, info: Info[Context, None]) -> Grid | None:
        row = await info.context.loader(loaders.GridByIdLoader).load(self.grid_db_id)
        return Grid.from_model(row) if row and permissions.sees(info.context, row.code) else None


@strawberry.type
class Grid(Node):
    code: str
    name: str
    db_id: strawberry.Private[int]
    village_db_id: strawberry.Private[int]
    prefetched: Prefetched = None

    @classmethod
    def from_model(cls, row: rows.Grid) -> Grid:
        return cls(db_id=row.id, village_db_id=row.village_id, code=row.code, name=row.name)

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> Grid:
        return cls(
            db_id=row["id"], village_db_id=row["village_id"], code=row["code"],
            name=row["name"], prefetched={},
        )

    @strawberry.field(description="The grid worker (网格员) in office today.", graphql_type=PersonRef | None)
    def worker(self, info: Info[Context, None]) -> Resolved[Person | None]:
        if self.prefetched is not None and "worker" in self.prefetched:
            return self.prefetched["worker"]  # type: ignore[no-any-return]
        return _holder(info, people_loaders.GridWorkersByGridLoader, self.db_id, self.code)

    @strawberry.field(graphql_type=list[HouseholdGroup])
    def household_groups(self, info: Info[Context, None]) -> Resolved[list[HouseholdGroup]]:
        if self.prefetched is not None and "householdGroups" in self.prefetched:
            return self.prefetched["householdGroups"]  # type: ignore[no-any-return]
        return self._load_household_groups(info)

    async def _load_household_groups(self, info: Info[Context, None]) -> list[HouseholdGroup]:
        groups = await info.context.loader(loaders.HouseholdGroupsByGridLoader).load(self.db_id)
        return [HouseholdGroup.from_model(g) for g in groups]

    @strawberry.field(description="Null outside the token's jurisdiction.")
    async def village(self, info: Info[Context, None]) -> Village | None:
        row = await info.context.loader(loaders.VillageByIdLoader).load(self.village_db_id)
        return Village.from_model(row) if row and permissions.sees(info.context, row.code) else None


@strawberry.type
class Village(Node):
    code: str
    name: str
    kind: VillageKind
    households: int
    population: int
    groups: int = strawberry.field(description="村民小组 (village groups)")
    db_id: strawberry.Private[int]
    township_db_id: strawberry.Private[int]
    prefetched: Prefetched = None

    @classmethod
    def from_model(cls, row: rows.Village) -> Village:
        return cls(
            db_id=row.id, township_db_id=row.township_id, code=row.code,
            name=row.name, kind=row.kind, households=row.households, population=row.population, groups=row.groups,
        )

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> Village:
        return cls(
            db_id=row["id"], township_db_id=row["township_id"], code=row["code"],
            name=row["name"], kind=VillageKind(row["kind"]), households=row["households"], population=row["population"],
            groups=row["groups"], prefetched={},
        )

    @strawberry.field(description="Null outside the token's jurisdiction (a village token cannot read its township).")
    async def township(self, info: Info[Context, None]) -> Township | None:
        row = await info.context.loader(loaders.TownshipByIdLoader).load(self.township_db_id)
        return Township.from_model(row) if row and permissions.sees(info.context, row.code) else None

    @strawberry.field(graphql_type=list[Grid])
    def grids(self, info: Info[Context, None]) -> Resolved[list[Grid]]:
        if self.prefetched is not None and "grids" in self.prefetched:
            return self.prefetched["grids"]  # type: ignore[no-any-return]
        return self._load_grids(info)

    async def _load_grids(self, info: Info[Context, None]) -> list[Grid]:
        return [Grid.from_model(g) for g in await info.context.loader(loaders.GridsByVillageLoader).load(self.db_id)]

    @strawberry.field(graphql_type=list[PartyGroup])
    def party_groups(self, info: Info[Context, None]) -> Resolved[list[PartyGroup]]:
        if self.prefetched is not None and "partyGroups" in self.prefetched:
            return self.prefetched["partyGroups"]  # type: ignore[no-any-return]
        return self._load_party_groups(info)

    async def _load_party_groups(self, info: Info[Context, None]) -> list[PartyGroup]:
        groups = await info.context.loader(loaders.PartyGroupsByVillageLoader).load(self.db_id)
        return [PartyGroup.from_model(g) for g in groups]

    @strawberry.field
    async def cases(
        self, info: Info[Context, None], filter: CaseFilterRef | None = None, first: int | None = None, after: str | None = None
    ) -> CaseConnectionRef:
        return await cases.case_connection(info.context, filter=filter, first=first, after=after, village_id=self.db_id)

    @strawberry.field(description="The village ledger (社情民意台账) of a local period `2023`, `2023-05` or `2023-Q2` (default: this year).",
                      metadata=work(ledger_weight, once=LEDGER_ONCE,
                                    measured="demo 2023, batched: 3 statements per period, ~16 rows per village (schema/ledger.py)"))
    async def ledger(self, info: Info[Context, None], period: str | None = None) -> VillageLedger:
        found = await village_ledger(info.context, village_id=self.db_id, township_id=self.township_db_id, period=period)
        return VillageLedger.from_ledger(found)


@strawberry.type
class JointMeeting:
    established_on: date
    township_db_id: strawberry.Private[int]
    township_code: strawberry.Private[str]
    prefetched: Prefetched = None

    @strawberry.field(description="总召集人 and 召集人 in office today.", graphql_type=list[PersonRef])
    def conveners(self, info: Info[Context, None]) -> Resolved[list[Person]]:
        if self.prefetched is not None and "conveners" in self.prefetched:
            return self.prefetched["conveners"]  # type: ignore[no-any-return]
        return people_on_duty(info, people_loaders.ConvenerRolesByTownshipLoader, self.township_db_id, self.township_code)


@strawberry.type
class Township(Node):
    code: str
    name: str
    kind: TownshipKind
    db_id: strawberry.Private[int]
    county_db_id: strawberry.Private[int]
    prefetched: Prefetched = None

    @classmethod
    def from_model(cls, row: rows.Township) -> Township:
        return cls(
            db_id=row.id, county_db_id=row.county_id,
            code=row.code, name=row.name, kind=row.kind,
        )

    @strawberry.field(description="Null outside the token's jurisdiction (a township token cannot read its county).")
    async def county(self, info: Info[Context, None]) -> County | None:
        row = await info.context.loader(loaders.CountyByIdLoader).load(self.county_db_id)
        return County.from_model(row) if row and permissions.sees(info.context, row.code) else None

    @strawberry.field(graphql_type=JointMeeting | None)
    def joint_meeting(self, info: Info[Context, None]) -> Resolved[JointMeeting | None]:
        if self.prefetched is not None and "jointMeeting" in self.prefetched:
            return self.prefetched["jointMeeting"]  # type: ignore[no-any-return]
        return self._load_joint_meeting(info)

    async def _load_joint_meeting(self, info: Info[Context, None]) -> JointMeeting | None:
        row = await info.context.loader(loaders.JointMeetingByTownshipLoader).load(self.db_id)
        return JointMeeting(established_on=row.established_on, township_db_id=self.db_id, township_code=self.code) if row else None

    @strawberry.field(description="Thematic meetings and supervision per closed month, plenaries per closed quarter.",
                      metadata=statistics.COMPLIANCE_WORK)
    async def compliance(self, info: Info[Context, None], year: int) -> TownshipCompliance:
        return await statistics.township_compliance(info.context, county_id=self.county_db_id, township_code=self.code, year=year)

    @strawberry.field(graphql_type=list[Village])
    def villages(self, info: Info[Context, None]) -> Resolved[list[Village]]:
        if self.prefetched is not None and "villages" in self.prefetched:
            return self.prefetched["villages"]  # type: ignore[no-any-return]
        return self._load_villages(info)

    async def _load_villages(self, info: Info[Context, None]) -> list[Village]:
        return [Village.from_model(v) for v in await info.context.loader(loaders.VillagesByTownshipLoader).load(self.db_id)]

    @strawberry.field(
        description="The bureau leader assigned to this township (分片联系) on a day (default today).", graphql_type=PersonRef | None
    )
    async def supervisor(self, info: Info[Context, None], at: date | None = None) -> Person | None:
        on = at or await today_at(info.context, self.code)
        if self.prefetched is not None and "supervision" in self.prefetched:
            holdings = in_force(self.prefetched["supervision"], on)
            return people.Person.from_values(holdings[-1].person) if holdings else None
        leader = await supervisor_on(info.context, township_id=self.db_id, on=on)
        return people.Person.from_model(leader) if leader is not None else None

    @strawberry.field(description="Every rotation assignment of this township, oldest first.")
    async def supervision(self, info: Info[Context, None]) -> list[SupervisionRef]:
        assignments = await info.context.loader(people_loaders.SupervisionsByTownshipLoader).load(self.db_id)
        return [people.SupervisionAssignment.from_model(a) for a in assignments]

    @strawberry.field
    async def meetings(
        self, info: Info[Context, None], filter: MeetingFilterRef | None = None, first: int | None = None, after: str | None = None
    ) -> MeetingConnectionRef:
        return await meetings.meeting_connection(info.context, filter=filter, first=first, after=after,
                                                 township=(self.db_id, self.code), selected=below(info))

    @strawberry.field
    async def cases(
        self, info: Info[Context, None], filter: CaseFilterRef | None = None, first: int | None = None, after: str | None = None
    ) -> CaseConnectionRef:
        return await cases.case_connection(info.context, filter=filter, first=first, after=after, township_id=self.db_id)


@strawberry.type
class County(Node):
    code: str
    name: str
    timezone: str
    db_id: strawberry.Private[int]
    supervised_from_day: strawberry.Private[date | None] = None

    @classmethod
    def from_model(cls, row: rows.County) -> County:
        return cls(db_id=row.id, code=row.code, name=row.name, timezone=row.timezone,
                   supervised_from_day=row.supervised_from)

    @strawberry.field(description=(
        "ADMIN only (null for other tokens): the supervision start — periods starting before it are not evaluated; "
        "null means each township from its joint meeting's establishment. Set with setSupervisedFrom."
    ))
    def supervised_from(self, info: Info[Context, None]) -> date | None:
        return self.supervised_from_day if permissions.viewer_of(info.context).is_admin else None

    @strawberry.field
    async def townships(self, info: Info[Context, None]) -> list[Township]:
        found = await info.context.loader(loaders.TownshipsByCountyLoader).load(self.db_id)
        return await tree.townships_with_subtree(info, permissions.only_visible(info.context, found, lambda t: t.code))

    @strawberry.field(description="The seed report's figures for a year in the county's local time, counted from the database.",
                      metadata=statistics.STATISTICS_WORK)
    async def statistics(self, info: Info[Context, None], year: int) -> list[Statistic]:
        return await statistics.county_statistics(info.context, county_code=self.code, year=year)

    @strawberry.field(description="The county petition bureau (县信访局): head, leadership members and staff in office today.")
    async def bureau(self, info: Info[Context, None]) -> list[PersonRef]:
        return await people_on_duty(info, people_loaders.BureauRolesByCountyLoader, self.db_id, self.code)
