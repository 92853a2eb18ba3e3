"""`Township.compliance(year)` for every township of a county at once: one fact build and one evaluation per county-year.

Asked per township, the grid cost a fact build and a durable-rules evaluation each (~50 ms, an
N+1 in engine terms); the loader batches the request's townships by (county, year).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from strawberry.dataloader import DataLoader

from models.units import County
from rules.compliance import GRID_RULES, compliance_grid
from rules.engine import evaluate_async
from rules.facts import Scope, build_facts
from rules.periods import local_midnight
from core.county_rules import county_rules
from schema.statistics import ComplianceMonth, ComplianceQuarter, TownshipCompliance


class ComplianceKey(NamedTuple):
    county_id: int
    year: int


ByTownship = dict[str, TownshipCompliance]


async def county_compliance(*, county_code: str, zone_name: str, year: int, township_codes: list[str]) -> ByTownship:
    """Township code → its grid for the year; `met` is what the rulesets decide (rules.compliance)."""
    as_of = min(datetime.now(UTC), local_midnight(date(year + 1, 1, 1), ZoneInfo(zone_name)))
    settings = county_rules(county_code)
    facts = await build_facts(scope=Scope(county_code=county_code), as_of=as_of, settings=settings, periods_only=True)
    period_facts = [f for f in facts.facts if f["period"].startswith(f"{year}-")]
    evaluation = await evaluate_async(facts=period_facts, settings=settings, as_of=as_of, tz=facts.tz, rule_ids=GRID_RULES)
    months, quarters = compliance_grid(facts=period_facts, findings=evaluation.findings, settings=settings)
    grids = {code: TownshipCompliance(year=year, months=[], quarters=[]) for code in township_codes}
    for m in months:
        grids[m.township_code].months.append(ComplianceMonth(
            period=m.period, thematic_held=m.thematic_held, thematic_required=m.thematic_required,
            supervised=m.supervised, covered_by_assigned=m.covered_by_assigned, met=m.met,
        ))
    for q in quarters:
        grids[q.township_code].quarters.append(
            ComplianceQuarter(period=q.period, plenary_held=q.plenary_held, plenary_required=q.plenary_required, met=q.met)
        )
    return grids


class CountyComplianceLoader(DataLoader[ComplianceKey, ByTownship]):
    """(county id, year) → every township's grid; a request reads each county-year once."""

    def __init__(self) -> None:
        super().__init__(load_fn=self.batch_load)

    async def batch_load(self, keys: list[ComplianceKey]) -> list[ByTownship]:
        counties = {c.id: c for c in await County.filter(id__in={k.county_id for k in keys}).prefetch_related("townships")}
        results: list[ByTownship] = []
        for key in keys:
            county = counties[key.county_id]
            codes = [t.code for t in county.townships]
            results.append(
                await county_compliance(county_code=county.code, zone_name=county.timezone, year=key.year, township_codes=codes)
            )
        return results
