"""Reading statistics: the seed figures of a county-year and a township's compliance grid."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from rules.facts import Scope, build_facts
from rules.periods import local_midnight
from rules.service import county_rules
from schema.statistics import ComplianceMonth, ComplianceQuarter, Statistic, TownshipCompliance
from server.statistics import SEED_FIGURES, seed_figures


async def county_statistics(*, county_code: str, year: int) -> list[Statistic]:
    """Every seed-report figure for the county's local year, computed from the database."""
    return [
        Statistic(key=f.key, label_zh=f.zh, label_en=f.en, value=f.computed)
        for f in await seed_figures(county_code=county_code, year=year)
        if f.key in SEED_FIGURES
    ]


async def township_compliance(*, county_code: str, township_code: str, year: int, zone_name: str) -> TownshipCompliance:
    """Held/required per closed month and quarter of the year, from the same facts the rules evaluate."""

    end_of_year = local_midnight(date(year + 1, 1, 1), ZoneInfo(zone_name))
    as_of = min(datetime.now(UTC), end_of_year)
    settings = county_rules(county_code)
    facts = await build_facts(scope=Scope(county_code=county_code, township_code=township_code), as_of=as_of, settings=settings)
    thematic_required = settings.params("cadence.thematic_monthly")["N"]
    plenary_required = settings.params("cadence.plenary_quarterly")["N"]
    prefix = f"{year}-"
    months = [
        ComplianceMonth(
            period=f["period"], thematic_held=f["thematic_held"], thematic_required=thematic_required,
            supervised=f["supervised"], covered_by_assigned=f["covered_by_assigned"],
            met=f["thematic_held"] >= thematic_required and f["supervised"],
        )
        for f in facts.facts
        if f["kind"] == "township_month" and f["period"].startswith(prefix)
    ]
    quarters = [
        ComplianceQuarter(
            period=f["period"], plenary_held=f["plenary_held"], plenary_required=plenary_required,
            met=f["plenary_held"] >= plenary_required,
        )
        for f in facts.facts
        if f["kind"] == "township_quarter" and f["period"].startswith(prefix)
    ]
    return TownshipCompliance(year=year, months=sorted(months, key=lambda m: m.period), quarters=sorted(quarters, key=lambda q: q.period))
