"""Build an auditor report: the engine run read-only at an as-of, kept to a window, with names, alerts, grid and statistics.

The same path as any run (`rules.facts.build_facts` → `rules.engine.evaluate_async`), never the
reconciler: a report writes no alert. The engine evaluates only the months and quarters overlapping
the window (a 2023 report made in 2026 evaluates 2023's periods, not 2024–2026's), so the cost follows
the window, not the distance to the as-of; cases, roster and alerts are as of the as-of. Ordering is deterministic:
findings by (rule id, subject, period), summaries by rule catalog order and township code,
grid cells by (township, period).
"""

from __future__ import annotations

from core import clock
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models.alerts import Alert
from models.cases import Case
from models.meetings import MediationVisit
from models.people import Person
from models.units import County, Grid, Township, Village
from rules.catalog import CATALOG, PERIOD_MONTH, PERIOD_QUARTER, RULES, rule_versions
from rules.compliance import compliance_grid
from rules.config import CountyRules, RulesConfig
from rules.deadlines import days_past
from rules.engine import evaluate_async
from rules.facts import FactSet, Scope, build_facts
from rules.periods import local_midnight
from rules.reconciler import ESCALATION_RULE, fingerprint
from rules.threads import in_thread, in_thread_above
from core.ledger import LedgerItem, ledger_items, totals
from core.reports.digest import findings_digest
from core.reports.evidence import all_person_ids, normalise
from core.reports.grid import month_cells, quarter_cells, township_summaries
from core.reports.model import (
    ALERT_LIFECYCLE, LedgerRow, MonthCell, QuarterCell, Report, ReportAlert, ReportFinding, ReportRule, ReportStatistic, RuleSummary, VisitCountRow,
)
from core.reports.window import ReportInputError, Window, check_window
from core.statistics import figures_between
from core.visits import count_by_village_month

REPORTED_RULES = tuple(spec.id for spec in RULES if spec.id != ESCALATION_RULE)  # escalation is alert bookkeeping


def check_rule_ids(rule_ids: Collection[str] | None) -> tuple[str, ...]:
    """The rules a report covers (all but the escalation rule by default); unknown ids raise ReportInputError."""
    if not rule_ids:
        return REPORTED_RULES
    unknown = sorted(set(rule_ids) - set(REPORTED_RULES))
    if unknown:
        raise ReportInputError("rules", f"unknown rule id(s) {', '.join(unknown)} (known: {', '.join(REPORTED_RULES)})")
    return tuple(r for r in REPORTED_RULES if r in set(rule_ids))


async def build_report(
    *,
    rules: RulesConfig,
    county: County,
    first_day: date,
    last_day: date,
    as_of: datetime,
    rule_ids: Sequence[str] = REPORTED_RULES,
    known_at: datetime | None = None,
) -> Report:
    """Everything a report shows, read from the database as it is (or as rewound by `known_at`)."""
    tz = ZoneInfo(county.timezone)
    window = check_window(first_day, last_day, tz, as_of=as_of, known_at=known_at)
    settings = rules.for_county(county.code)
    facts = await report_facts(county, window, as_of, settings)
    evaluation = await evaluate_async(facts=facts.facts, settings=settings, as_of=as_of, tz=tz)
    if evaluation.errors:
        raise RuntimeError(f"rule engine errors: {evaluation.errors[:3]}")
    townships = dict(await Township.filter(county_id=county.id).order_by("code").values_list("code", "name"))
    findings = await _findings(evaluation.findings, set(rule_ids), window, as_of, settings, townships)
    month_grid, quarter_grid = await in_thread(lambda: _grids(facts, evaluation.findings, settings, townships, window))
    figures = await figures_between(county_code=county.code, first=first_day, last=last_day)
    by_rule = Counter(f.rule_id for f in findings)
    collected = next((f.computed for f in figures if f.key == "disputes_collected"), 0)
    mediated = next((f.computed for f in figures if f.key == "disputes_mediated"), 0)
    digest, rule_summaries, summaries = await in_thread(lambda: (  # the digest's canonical JSON of every finding, and sums
        findings_digest(findings), _rule_summaries(findings, rule_ids), township_summaries(findings, month_grid, quarter_grid, townships)))
    return Report(
        county_code=county.code, county_name=county.name, timezone=county.timezone,
        first_day=first_day, last_day=last_day, as_of=as_of, known_at=known_at,
        generated_at=clock.now().astimezone(tz), digest=digest,
        rules=[_rule(r, settings, by_rule[r]) for r in rule_ids],
        findings=findings,
        rule_summaries=rule_summaries, township_summaries=summaries,
        months=month_grid, quarters=quarter_grid,
        statistics=[ReportStatistic(key=f.key, label_zh=f.zh, label_en=f.en, value=f.computed) for f in figures],
        success_rate=round(100 * mediated / collected, 1) if collected else None,
        parameters=settings.as_record(), rule_versions=rule_versions(),
        visit_counts=await _visit_counts(county.id, first_day, last_day, tz),
        ledger=await _ledger(county.id, first_day, last_day, tz),
    )


def _grids(
    facts: FactSet, findings: list[dict[str, Any]], settings: CountyRules, townships: dict[str, str], window: Window,
) -> tuple[list[MonthCell], list[QuarterCell]]:
    """The compliance grid township × month and × quarter of the window (pure Python, run off the event loop)."""
    months, quarters = compliance_grid(facts=facts.facts, findings=findings, settings=settings)
    return month_cells(months, townships, window.periods(PERIOD_MONTH)), quarter_cells(quarters, townships, window.periods(PERIOD_QUARTER))


async def report_facts(county: County, window: Window, as_of: datetime, settings: CountyRules) -> FactSet:
    """What the engine evaluates for a report: period facts for the window's months and quarters only."""
    return await build_facts(scope=Scope(county_code=county.code), as_of=as_of, settings=settings, periods_within=(window.first, window.last))


async def _visit_counts(county_id: int, first_day: date, last_day: date, tz: ZoneInfo) -> list[VisitCountRow]:
    """Mediation visits per village and local month of the window."""
    start, end = local_midnight(first_day, tz), local_midnight(last_day + timedelta(days=1), tz)
    rows = await MediationVisit.filter(village__township__county_id=county_id, at__gte=start.astimezone(UTC), at__lt=end.astimezone(UTC)).values(
        "village__code", "village__name", "at")
    return await in_thread_above(len(rows), lambda: [VisitCountRow(*count) for count in count_by_village_month(rows, tz)])


async def _ledger(county_id: int, first_day: date, last_day: date, tz: ZoneInfo) -> list[LedgerRow]:
    """Each village's ledger totals over the window (villages that collected nothing are left out)."""
    villages = await Village.filter(township__county_id=county_id).order_by("code").values_list("id", flat=True)
    items = await ledger_items(village_ids=list(villages), first=first_day, last=last_day, zone=tz)
    return await in_thread_above(len(items), lambda: _ledger_rows(items))


def _ledger_rows(items: list[LedgerItem]) -> list[LedgerRow]:
    """Per-village totals of the window's ledger items."""
    by_village: dict[tuple[str, str], list[LedgerItem]] = {}
    for item in items:
        by_village.setdefault((item.village_code, item.village_name), []).append(item)
    rows = []
    for (code, name), own in sorted(by_village.items()):
        total = totals(own)
        rows.append(LedgerRow(code, name, total.collected, total.mediated, total.resolved, total.escalated, total.open))
    return rows


def _rule(rule_id: str, settings: CountyRules, count: int) -> ReportRule:
    spec = CATALOG[rule_id]
    return ReportRule(
        id=spec.id, version=spec.version, severity=str(spec.severity) if spec.severity else None,
        title_zh=spec.title_zh, title_en=spec.title_en, basis=spec.basis,
        parameters=dict(settings.params(rule_id)), findings=count,
    )


def _rule_summaries(findings: list[ReportFinding], rule_ids: Sequence[str]) -> list[RuleSummary]:
    summaries = []
    for rule_id in rule_ids:
        spec = CATALOG[rule_id]
        mine = [f for f in findings if f.rule_id == rule_id]
        summaries.append(RuleSummary(
            rule_id=rule_id, title_zh=spec.title_zh, severity=str(spec.severity) if spec.severity else None,
            findings=len(mine), townships=len({f.township_code for f in mine if f.township_code}),
        ))
    return summaries


_DEADLINE_OF_RULE = {"case.overdue": "due_at", "case.acceptance_overdue": "acceptance_due",
                     "case.village_escalation": "escalation_due"}


def deadline_of(finding: dict[str, Any], settings: CountyRules, tz: ZoneInfo) -> datetime | None:
    """When a case finding's time limit ended (24:00 of the last day): the deadline the engine computed
    (`rules.case_facts.case_deadlines`, working calendar included) and kept in the evidence; None for other rules."""
    key = _DEADLINE_OF_RULE.get(finding["ruleId"])
    value = finding["evidence"].get(key) if key else None
    return datetime.fromisoformat(value) if value else None


async def _findings(
    raw: list[dict[str, Any]], wanted: set[str], window: Window, as_of: datetime, settings: CountyRules, townships: dict[str, str]
) -> list[ReportFinding]:
    kept = []
    for finding in raw:
        if finding["ruleId"] not in wanted:
            continue
        deadline = deadline_of(finding, settings, window.tz)
        if window.holds(finding, deadline):
            kept.append((finding, deadline))
    person_ids = await in_thread_above(len(kept), lambda: all_person_ids(f["evidence"] for f, _ in kept))
    people = {
        row["id"]: {"ext_id": row["ext_id"], "name": row["name"]}
        for row in await Person.filter(id__in=list(person_ids)).values("id", "ext_id", "name")
    }
    names = await _subject_names([f for f, _ in kept], townships)
    alerts = await _alerts([fingerprint(f) for f, _ in kept])
    return await in_thread(lambda: _report_findings(kept, names, townships, people, alerts, window, as_of))


def _report_findings(
    kept: list[tuple[dict[str, Any], datetime | None]], names: dict[str, str], townships: dict[str, str],
    people: dict[int, dict[str, Any]], alerts: dict[str, ReportAlert], window: Window, as_of: datetime,
) -> list[ReportFinding]:
    """The findings as the report shows them, evidence normalised (thousands of findings: pure Python, off the loop)."""
    result = [
        ReportFinding(
            rule_id=f["ruleId"], rule_version=f["ruleVersion"], severity=f["severity"], subject_code=f["subjectCode"],
            subject_name=names.get(f["subjectCode"], f["subjectCode"]), township_code=f.get("townshipCode"),
            township_name=townships.get(f.get("townshipCode") or ""), period=f["period"], message=f["message"],
            deadline=deadline.astimezone(window.tz).isoformat() if deadline else None,
            days_overdue=days_past(deadline, as_of, window.tz) if deadline else None,
            fingerprint=fingerprint(f), evidence=normalise(f["evidence"], people), alert=alerts.get(fingerprint(f)),
        )
        for f, deadline in kept
    ]
    result.sort(key=lambda f: (f.rule_id, f.subject_code, f.period or ""))
    return result


async def _subject_names(findings: list[dict[str, Any]], townships: dict[str, str]) -> dict[str, str]:
    """Subject code → what people call it: township name, case title, grid name, household group (code)."""
    by_kind: dict[str, set[str]] = {}
    for finding in findings:
        by_kind.setdefault(CATALOG[finding["ruleId"]].subject, set()).add(finding["subjectCode"])
    names = {code: name for code, name in townships.items() if code in by_kind.get("township", set())}
    if cases := by_kind.get("case"):
        names |= dict(await Case.filter(number__in=list(cases)).values_list("number", "title"))
    if grids := by_kind.get("grid"):
        names |= dict(await Grid.filter(code__in=list(grids)).values_list("code", "name"))
    names |= {code: f"联户 {code}" for code in by_kind.get("household_group", set())}
    return names


async def _alerts(fingerprints: list[str]) -> dict[str, ReportAlert]:
    if not fingerprints:
        return {}
    rows = await Alert.filter(fingerprint__in=fingerprints).values("fingerprint", "assignee__name", *ALERT_LIFECYCLE)
    return {
        row["fingerprint"]: ReportAlert(
            **{**{name: row[name] for name in ALERT_LIFECYCLE}, "status": str(row["status"])}, assignee_name=row["assignee__name"],
        )
        for row in rows
    }
