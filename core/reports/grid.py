"""The report's compliance grid: every township × every month (and quarter) of the window, evaluated or not.

`rules.compliance` gives the periods the engine evaluated; the periods it did not (not closed at
the as-of, or before the township's joint meeting existed) become NOT_REQUIRED cells, so the
heatmap is a full rectangle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rules.compliance import MonthCompliance, QuarterCompliance
from rules.periods import Period
from core.reports.model import MET, MISSED, NOT_REQUIRED, MonthCell, QuarterCell, ReportFinding, TownshipSummary


def month_cells(evaluated: Iterable[MonthCompliance], townships: Mapping[str, str], months: list[Period]) -> list[MonthCell]:
    """One cell per township (by code) × month of the window."""
    known = {(m.township_code, m.period): m for m in evaluated}
    cells = []
    for code, name in sorted(townships.items()):
        for period in months:
            m = known.get((code, period.label))
            if m is None:
                cells.append(MonthCell(code, name, period.label, NOT_REQUIRED, None, None, None, None))
            else:
                cells.append(MonthCell(
                    code, name, period.label, MET if m.met else MISSED,
                    m.thematic_held, m.thematic_required, m.supervised, m.covered_by_assigned,
                ))
    return cells


def quarter_cells(evaluated: Iterable[QuarterCompliance], townships: Mapping[str, str], quarters: list[Period]) -> list[QuarterCell]:
    """One cell per township (by code) × quarter of the window."""
    known = {(q.township_code, q.period): q for q in evaluated}
    cells = []
    for code, name in sorted(townships.items()):
        for period in quarters:
            q = known.get((code, period.label))
            if q is None:
                cells.append(QuarterCell(code, name, period.label, NOT_REQUIRED, None, None))
            else:
                cells.append(QuarterCell(code, name, period.label, MET if q.met else MISSED, q.plenary_held, q.plenary_required))
    return cells


def township_summaries(
    findings: list[ReportFinding], months: list[MonthCell], quarters: list[QuarterCell], townships: Mapping[str, str]
) -> list[TownshipSummary]:
    """Findings by severity and periods met, per township (by code)."""
    result = []
    for code, name in sorted(townships.items()):
        mine = [f for f in findings if f.township_code == code]
        my_months = [c for c in months if c.township_code == code and c.state != NOT_REQUIRED]
        my_quarters = [c for c in quarters if c.township_code == code and c.state != NOT_REQUIRED]
        result.append(TownshipSummary(
            code=code, name=name, findings=len(mine),
            violations=sum(1 for f in mine if f.severity == "VIOLATION"),
            warnings=sum(1 for f in mine if f.severity == "WARNING"),
            months_met=sum(1 for c in my_months if c.state == MET), months_evaluated=len(my_months),
            quarters_met=sum(1 for c in my_quarters if c.state == MET), quarters_evaluated=len(my_quarters),
        ))
    return result
