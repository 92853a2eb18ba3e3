"""Figures the bureau reports (the seed report's statistics) and a township's meeting compliance grid."""

from __future__ import annotations

import strawberry

from core.statistics import Figure
from core.township_compliance import TownshipGrid
from resolvers.context import Context
from resolvers.statistics import queries
from rules.compliance import MonthCompliance, QuarterCompliance
from schema.cost import work

# Township.compliance(year) builds the county-year's period facts once per county-year (one load shared by every
# township of the county in the request). Demo 2023, SQLite: one township 11 statements, 953 rows (1,173
# row-equivalents); all ten 12 statements, 963 rows. Weighed per call as if each call loaded its county-year.
COMPLIANCE_WORK = work(1_500, measured="demo 2023, one township: 11 statements, 953 rows; county-wide: 12, 963")
# County.statistics(year) counts the seed report's figures from the county-year's rows. Demo 2023, SQLite:
# 19 statements, 13,044 rows (13,424 row-equivalents).
STATISTICS_WORK = work(15_000, measured="demo 2023: 19 statements, 13,044 rows")


@strawberry.type(description="One statistic of the seed report, counted from the database for a year.")
class Statistic:
    key: str
    label_zh: str
    label_en: str
    value: int

    @classmethod
    def from_figure(cls, figure: Figure) -> Statistic:
        return cls(key=figure.key, label_zh=figure.zh, label_en=figure.en, value=figure.computed)


@strawberry.type(description="A closed month of a township: thematic meetings held against the required number.")
class ComplianceMonth:
    period: str
    thematic_held: int
    thematic_required: int
    supervised: bool = strawberry.field(description="A bureau leader (or head) and a staff member attended a held thematic meeting.")
    covered_by_assigned: bool = strawberry.field(description="…and the attending leader was one assigned to the township.")
    met: bool

    @classmethod
    def from_cell(cls, m: MonthCompliance) -> ComplianceMonth:
        return cls(
            period=m.period, thematic_held=m.thematic_held, thematic_required=m.thematic_required,
            supervised=m.supervised, covered_by_assigned=m.covered_by_assigned, met=m.met,
        )


@strawberry.type(description="A closed quarter of a township: plenaries held against the required number.")
class ComplianceQuarter:
    period: str
    plenary_held: int
    plenary_required: int
    met: bool

    @classmethod
    def from_cell(cls, q: QuarterCompliance) -> ComplianceQuarter:
        return cls(period=q.period, plenary_held=q.plenary_held, plenary_required=q.plenary_required, met=q.met)


@strawberry.type(description="Closed months and quarters of a year (periods not yet closed, or before the joint meeting was established, are left out).")
class TownshipCompliance:
    year: int
    months: list[ComplianceMonth]
    quarters: list[ComplianceQuarter]

    @classmethod
    def from_grid(cls, grid: TownshipGrid) -> TownshipCompliance:
        return cls(
            year=grid.year, months=[ComplianceMonth.from_cell(m) for m in grid.months],
            quarters=[ComplianceQuarter.from_cell(q) for q in grid.quarters],
        )


async def township_compliance(context: Context, *, county_id: int, township_code: str, year: int) -> TownshipCompliance:
    """`Township.compliance(year)`."""
    grid = await queries.township_compliance(context, county_id=county_id, township_code=township_code, year=year)
    return TownshipCompliance.from_grid(grid)


async def county_statistics(context: Context, *, county_code: str, year: int) -> list[Statistic]:
    """`County.statistics(year)`."""
    return [Statistic.from_figure(f) for f in await queries.county_statistics(context, county_code=county_code, year=year)]
