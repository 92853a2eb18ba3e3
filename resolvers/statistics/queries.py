"""Reading statistics: the seed figures of a county-year and a township's compliance grid."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from rules.engine import evaluate_async
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


PERIOD_RULES = ("cadence.thematic_monthly", "cadence.plenary_quarterly", "supervision.monthly_coverage")


async def township_compliance(*, county_code: str, township_code: str, year: int, zone_name: str) -> TownshipCompliance:
    """Held/required per closed month and quarter; `met` is what the rulesets decide, not a second opinion."""
    end_of_year = local_midnight(date(year + 1, 1, 1), ZoneInfo(zone_name))
    as_of = min(datetime.now(UTC), end_of_year)
    settings = county_rules(county_code)
    facts = await build_facts(scope=Scope(county_code=county_code, township_code=township_code), as_of=as_of, settings=settings)
    period_facts = [f for f in facts.facts if f["kind"] in ("township_month", "township_quarter") and f["period"].startswith(f"{year}-")]
    evaluation = await evaluate_async(facts=period_facts, settings=settings, rule_ids=PERIOD_RULES)
    failed = {(finding["ruleId"], finding["period"]) for finding in evaluation.findings}
    thematic_required = settings.params("cadence.thematic_monthly")["N"]
    plenary_required = settings.params("cadence.plenary_quarterly")["N"]
    months = [
        ComplianceMonth(
            period=f["period"], thematic_held=f["thematic_held"], thematic_required=thematic_required,
            supervised=f["supervised"], covered_by_assigned=f["covered_by_assigned"],
            met=not {("cadence.thematic_monthly", f["period"]), ("supervision.monthly_coverage", f["period"])} & failed,
        )
        for f in period_facts
        if f["kind"] == "township_month"
    ]
    quarters = [
        ComplianceQuarter(
            period=f["period"], plenary_held=f["plenary_held"], plenary_required=plenary_required,
            met=("cadence.plenary_quarterly", f["period"]) not in failed,
        )
        for f in period_facts
        if f["kind"] == "township_quarter"
    ]
    return TownshipCompliance(
        year=year, months=sorted(months, key=lambda m: m.period), quarters=sorted(quarters, key=lambda q: q.period)
    )
