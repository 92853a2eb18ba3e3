"""The compliance grid: township × closed month and township × closed quarter, from facts and the rulesets' findings.

One place decides what "met" means, so `Township.compliance` and the auditor reports agree:
a month is met when neither `cadence.thematic_monthly` nor `supervision.monthly_coverage`
fired for it, a quarter when `cadence.plenary_quarterly` did not. Held counts and the
supervision flags are read from the `township_month` / `township_quarter` facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rules.config import CountyRules

GRID_RULES = ("cadence.thematic_monthly", "cadence.plenary_quarterly", "supervision.monthly_coverage")
MONTH_RULES = ("cadence.thematic_monthly", "supervision.monthly_coverage")


@dataclass(frozen=True, slots=True)
class MonthCompliance:
    township_code: str
    township_name: str
    period: str
    thematic_held: int
    thematic_required: int
    supervised: bool
    covered_by_assigned: bool
    met: bool


@dataclass(frozen=True, slots=True)
class QuarterCompliance:
    township_code: str
    township_name: str
    period: str
    plenary_held: int
    plenary_required: int
    met: bool


def compliance_grid(
    *, facts: Iterable[Mapping[str, Any]], findings: Iterable[Mapping[str, Any]], settings: CountyRules
) -> tuple[list[MonthCompliance], list[QuarterCompliance]]:
    """Months and quarters evaluated by a run, sorted by (township, period); `met` follows the findings."""
    failed = {(f["ruleId"], f["subjectCode"], f["period"]) for f in findings if f["ruleId"] in GRID_RULES}
    thematic_required = settings.params("cadence.thematic_monthly")["N"]
    plenary_required = settings.params("cadence.plenary_quarterly")["N"]
    months: list[MonthCompliance] = []
    quarters: list[QuarterCompliance] = []
    for fact in facts:
        code, period = fact.get("township"), fact.get("period")
        if fact["kind"] == "township_month":
            months.append(MonthCompliance(
                township_code=code, township_name=fact["township_name"], period=period,
                thematic_held=fact["thematic_held"], thematic_required=thematic_required,
                supervised=fact["supervised_meetings"] > 0, covered_by_assigned=fact["assigned_leader_meetings"] > 0,
                met=not any((rule_id, code, period) in failed for rule_id in MONTH_RULES),
            ))
        elif fact["kind"] == "township_quarter":
            quarters.append(QuarterCompliance(
                township_code=code, township_name=fact["township_name"], period=period,
                plenary_held=fact["plenary_held"], plenary_required=plenary_required,
                met=("cadence.plenary_quarterly", code, period) not in failed,
            ))
    months.sort(key=lambda m: (m.township_code, m.period))
    quarters.sort(key=lambda q: (q.township_code, q.period))
    return months, quarters
