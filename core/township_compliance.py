"""`Township.compliance(year)`: the compliance grid of every township of a county for a year, in one evaluation.

One fact build and one durable-rules evaluation per county-year (asked per township, the grid cost
~50 ms each, an N+1 in engine terms); `resolvers.statistics.loaders.CountyComplianceLoader` batches a
request's townships by (county, year) and the schema maps the cells.
"""

from __future__ import annotations

from core import clock
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from rules.compliance import GRID_RULES, MonthCompliance, QuarterCompliance, compliance_grid
from rules.config import RulesConfig
from rules.engine import evaluate_async
from rules.facts import Scope, build_facts
from rules.periods import local_midnight


@dataclass
class TownshipGrid:
    """A township's closed months and quarters of a year, in period order."""

    year: int
    months: list[MonthCompliance] = field(default_factory=list)
    quarters: list[QuarterCompliance] = field(default_factory=list)


async def county_compliance(*, rules: RulesConfig, county_code: str, zone_name: str, year: int, township_codes: list[str]) -> dict[str, TownshipGrid]:
    """Township code → its grid for the year; `met` is what the rulesets decide (rules.compliance)."""
    as_of = min(clock.now(), local_midnight(date(year + 1, 1, 1), ZoneInfo(zone_name)))
    settings = rules.for_county(county_code)
    facts = await build_facts(scope=Scope(county_code=county_code), as_of=as_of, settings=settings, periods_only=True)
    period_facts = [f for f in facts.facts if f["period"].startswith(f"{year}-")]
    evaluation = await evaluate_async(facts=period_facts, settings=settings, as_of=as_of, tz=facts.tz, rule_ids=GRID_RULES)
    months, quarters = compliance_grid(facts=period_facts, findings=evaluation.findings, settings=settings)
    grids = {code: TownshipGrid(year=year) for code in township_codes}
    for month in months:
        grids[month.township_code].months.append(month)
    for quarter in quarters:
        grids[quarter.township_code].quarters.append(quarter)
    return grids
