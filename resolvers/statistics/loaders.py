"""`Township.compliance(year)` for every township of a county at once (the grid itself: `core.township_compliance`)."""

from __future__ import annotations

from typing import NamedTuple

from strawberry.dataloader import DataLoader

from core.township_compliance import TownshipGrid, county_compliance
from models.units import County
from rules.config import RulesConfig


class ComplianceKey(NamedTuple):
    county_id: int
    year: int


ByTownship = dict[str, TownshipGrid]


class CountyComplianceLoader(DataLoader[ComplianceKey, ByTownship]):
    """(county id, year) → every township's grid; a request reads each county-year once."""

    uses_rules = True  # built by the request context with the configuration read at start-up

    def __init__(self, rules: RulesConfig) -> None:
        super().__init__(load_fn=self.batch_load)
        self.rules = rules

    async def batch_load(self, keys: list[ComplianceKey]) -> list[ByTownship]:
        counties = {c.id: c for c in await County.filter(id__in={k.county_id for k in keys}).prefetch_related("townships")}
        results: list[ByTownship] = []
        for key in keys:
            county = counties[key.county_id]
            codes = [t.code for t in county.townships]
            results.append(
                await county_compliance(rules=self.rules, county_code=county.code, zone_name=county.timezone, year=key.year, township_codes=codes)
            )
        return results
