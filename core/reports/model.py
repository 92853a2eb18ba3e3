"""The auditor report as plain data: what every format (table, JSON, CSV, XLSX, HTML) and the API render.

Built by `core.reports.build`; `as_json` gives the documented JSON form (report.schema.json),
camelCase keys, the same field names as the GraphQL `RuleReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

REPORT_FORMAT = "lianxi-report/v1"

# Cell states of the compliance grid (heatmap colours in HTML/XLSX).
MET, MISSED, NOT_REQUIRED = "MET", "MISSED", "NOT_REQUIRED"


@dataclass(frozen=True, slots=True)
class ReportRule:
    id: str
    version: int
    severity: str | None
    title_zh: str
    title_en: str
    basis: str
    parameters: dict[str, int]
    findings: int  # in this report


@dataclass(frozen=True, slots=True)
class ReportAlert:
    # The alert a finding corresponds to (same fingerprint), as stored when the report was made: the one list of
    # an alert's lifecycle fields (`ALERT_LIFECYCLE`), which `schema.reports.ReportAlert` and `schema.alerts.Alert` reuse.

    status: str
    raised_at: datetime
    assignee_name: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledge_note: str | None
    resolved_at: datetime | None
    escalated_at: datetime | None
    waived_at: datetime | None
    waived_by: str | None
    waive_reason: str | None
    waived_until: date | None


# The stored alert columns a report copies, under the same names (everything but the assignee's name).
ALERT_LIFECYCLE = tuple(f.name for f in fields(ReportAlert) if f.name != "assignee_name")


@dataclass(frozen=True, slots=True)
class ReportFinding:
    rule_id: str
    rule_version: int
    severity: str
    subject_code: str
    subject_name: str
    township_code: str | None
    township_name: str | None
    period: str | None
    message: str
    deadline: str | None  # case rules: the instant the time limit ended (local ISO); null for period rules
    days_overdue: int | None  # case rules: whole days past the deadline at the as-of
    fingerprint: str
    evidence: dict[str, Any]
    alert: ReportAlert | None = None

    def canonical(self) -> dict[str, Any]:
        """What the digest covers: the finding itself, never the alert's changing state."""
        return {
            "ruleId": self.rule_id, "ruleVersion": self.rule_version, "severity": self.severity,
            "subjectCode": self.subject_code, "subjectName": self.subject_name, "townshipCode": self.township_code,
            "townshipName": self.township_name,
            "period": self.period, "message": self.message, "deadline": self.deadline,
            "daysOverdue": self.days_overdue, "fingerprint": self.fingerprint, "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class RuleSummary:
    rule_id: str
    title_zh: str
    severity: str | None
    findings: int
    townships: int  # distinct townships with a finding of this rule


@dataclass(frozen=True, slots=True)
class TownshipSummary:
    code: str
    name: str
    findings: int
    violations: int
    warnings: int
    months_met: int
    months_evaluated: int
    quarters_met: int
    quarters_evaluated: int


@dataclass(frozen=True, slots=True)
class MonthCell:
    township_code: str
    township_name: str
    period: str
    state: str  # MET | MISSED | NOT_REQUIRED (not closed at the as-of, or before the joint meeting existed)
    thematic_held: int | None
    thematic_required: int | None
    supervised: bool | None
    covered_by_assigned: bool | None


@dataclass(frozen=True, slots=True)
class QuarterCell:
    township_code: str
    township_name: str
    period: str
    state: str
    plenary_held: int | None
    plenary_required: int | None


@dataclass(frozen=True, slots=True)
class ReportStatistic:
    key: str
    label_zh: str
    label_en: str
    value: int


@dataclass(frozen=True, slots=True)
class VisitCountRow:
    # Mediation visits to one village in one local month of the window.

    village_code: str
    village_name: str
    month: str
    visits: int


@dataclass(frozen=True, slots=True)
class LedgerRow:
    # One village's ledger (社情民意台账) over the window: disputes collected and what became of them by the window's end.

    village_code: str
    village_name: str
    collected: int
    mediated: int
    resolved: int
    escalated: int
    open: int


@dataclass(slots=True)
class Report:
    county_code: str
    county_name: str
    timezone: str
    first_day: date
    last_day: date
    as_of: datetime
    known_at: datetime | None
    generated_at: datetime
    digest: str
    rules: list[ReportRule] = field(default_factory=list)
    findings: list[ReportFinding] = field(default_factory=list)
    rule_summaries: list[RuleSummary] = field(default_factory=list)
    township_summaries: list[TownshipSummary] = field(default_factory=list)
    months: list[MonthCell] = field(default_factory=list)
    quarters: list[QuarterCell] = field(default_factory=list)
    statistics: list[ReportStatistic] = field(default_factory=list)
    success_rate: float | None = None  # disputes mediated successfully / collected, percent
    parameters: dict[str, Any] = field(default_factory=dict)  # the run's record: rules, calendar
    rule_versions: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None
    rewind: dict[str, Any] | None = None  # with known-at: what was left out or restored (core.reports.known_at)
    visit_counts: list[VisitCountRow] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)  # villages that collected something in the window

    @property
    def month_labels(self) -> list[str]:
        """The months of the window, oldest first (heatmap columns)."""
        return sorted({cell.period for cell in self.months})

    @property
    def township_rows(self) -> list[tuple[str, str]]:
        """(code, name) of every township, by code (heatmap rows)."""
        return sorted({(cell.township_code, cell.township_name) for cell in self.months})


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _iso(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _record(item: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    return {_camel(key): _iso(getattr(item, key)) for key in keys}


def _alert_json(alert: ReportAlert | None) -> dict[str, Any] | None:
    return None if alert is None else _record(alert, _names(ReportAlert))


def as_json(report: Report) -> dict[str, Any]:
    """The report as a JSON document (format `lianxi-report/v1`, see report.schema.json)."""
    finding_keys = tuple(k for k in _names(ReportFinding) if k != "alert")
    return {
        "format": REPORT_FORMAT,
        "county": {"code": report.county_code, "name": report.county_name, "timezone": report.timezone},
        "from": report.first_day.isoformat(),
        "to": report.last_day.isoformat(),
        "asOf": report.as_of.isoformat(),
        "knownAt": _iso(report.known_at),
        "generatedAt": report.generated_at.isoformat(),
        "digest": report.digest,
        "runId": report.run_id,
        "parameters": report.parameters,
        "ruleVersions": report.rule_versions,
        "rules": [_record(r, _names(ReportRule)) for r in report.rules],
        "findings": [{**_record(f, finding_keys), "alert": _alert_json(f.alert)} for f in report.findings],
        "ruleSummaries": [_record(s, _names(RuleSummary)) for s in report.rule_summaries],
        "townshipSummaries": [_record(s, _names(TownshipSummary)) for s in report.township_summaries],
        "months": [_record(c, _names(MonthCell)) for c in report.months],
        "quarters": [_record(c, _names(QuarterCell)) for c in report.quarters],
        "statistics": [_record(s, _names(ReportStatistic)) for s in report.statistics],
        "successRate": report.success_rate,
        "knownAtRewind": report.rewind,
        "visitCounts": [_record(r, _names(VisitCountRow)) for r in report.visit_counts],
        "ledger": [_record(r, _names(LedgerRow)) for r in report.ledger],
    }
