"""DataLoaders for the administrative hierarchy (one statement per level per request)."""

from __future__ import annotations

from models.units import County, Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village
from resolvers.loading import RowLoader, RowsLoader


class CountyByIdLoader(RowLoader[int, County]):
    model = County


class CountyByCodeLoader(RowLoader[str, County]):
    """By the 6-digit code every unit's code starts with: a unit's county (and time zone) without walking up."""

    model = County
    key = "code"


class TownshipByIdLoader(RowLoader[int, Township]):
    model = Township


class TownshipsByCountyLoader(RowsLoader[int, Township]):
    model = Township
    key = "county_id"


class JointMeetingByTownshipLoader(RowLoader[int, JointMeeting]):
    model = JointMeeting
    key = "township_id"


class VillageByIdLoader(RowLoader[int, Village]):
    model = Village


class VillagesByTownshipLoader(RowsLoader[int, Village]):
    model = Village
    key = "township_id"


class GridByIdLoader(RowLoader[int, Grid]):
    model = Grid


class GridsByVillageLoader(RowsLoader[int, Grid]):
    model = Grid
    key = "village_id"


class HouseholdGroupByIdLoader(RowLoader[int, HouseholdGroup]):
    model = HouseholdGroup


class HouseholdGroupsByGridLoader(RowsLoader[int, HouseholdGroup]):
    model = HouseholdGroup
    key = "grid_id"


class PartyGroupByIdLoader(RowLoader[int, PartyGroup]):
    model = PartyGroup


class PartyGroupsByVillageLoader(RowsLoader[int, PartyGroup]):
    model = PartyGroup
    key = "village_id"
