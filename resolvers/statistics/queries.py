"""Reading statistics: the seed figures of a county-year and a township's compliance grid for a year."""

from __future__ import annotations

from core.periods import check_year
from core.statistics import SEED_FIGURES, Figure, seed_figures
from core.township_compliance import TownshipGrid
from resolvers.context import Context
from resolvers.statistics.loaders import ComplianceKey, CountyComplianceLoader


async def county_statistics(context: Context, *, county_code: str, year: int) -> list[Figure]:
    """Every seed-report figure for the county's local year, computed from the database."""
    check_year(year)
    return [f for f in await seed_figures(county_code=county_code, year=year) if f.key in SEED_FIGURES]


async def township_compliance(context: Context, *, county_id: int, township_code: str, year: int) -> TownshipGrid:
    """A township's grid for a year, read with every other township of its county (one evaluation per county-year)."""
    check_year(year)
    by_township = await context.loader(CountyComplianceLoader).load(ComplianceKey(county_id, year))
    return by_township[township_code]
