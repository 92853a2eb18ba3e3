"""Reading statistics: the seed figures of a county-year (compliance grids: resolvers/statistics/loaders.py)."""

from __future__ import annotations

from schema.statistics import Statistic
from core.statistics import SEED_FIGURES, seed_figures


async def county_statistics(*, county_code: str, year: int) -> list[Statistic]:
    """Every seed-report figure for the county's local year, computed from the database."""
    return [
        Statistic(key=f.key, label_zh=f.zh, label_en=f.en, value=f.computed)
        for f in await seed_figures(county_code=county_code, year=year)
        if f.key in SEED_FIGURES
    ]
