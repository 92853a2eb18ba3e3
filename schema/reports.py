"""The auditor report as the API shows it (`Query.ruleReport`): types mapped from `core.reports.model`."""

from __future__ import annotations

import dataclasses
from enum import Enum
from datetime import date, datetime
from collections.abc import Mapping
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.reports import model
from core.reports.window import MAX_SPAN_DAYS
from resolvers.context import Context
from resolvers.reports.queries import rule_report
from schema.cost import months_between, work
from schema.statistics import Statistic
from schema.text_types import UnitCode


@strawberry.type(description="A rule as the report used it: version and the parameter values of this county.")
class ReportRule:
    id: str
    version: int
    severity: str | None
    title_zh: str
    title_en: str
    basis: str
    parameters: JSON
    findings: int


@strawberry.type(description="The alert with the finding's fingerprint, as stored when the report was made.")
class ReportAlert:
    # The fields of `core.reports.model.ReportAlert`, under the same names and types (one list of them).
    __annotations__ = {f.name: f.type for f in dataclasses.fields(model.ReportAlert)}


@strawberry.type(description="One finding of the window, with its evidence (natural keys only) and its alert.")
class ReportFinding:
    rule_id: str
    rule_version: int
    severity: str
    subject_code: str
    subject_name: str = strawberry.field(description="Township name, case title, grid name.")
    township_code: str | None
    township_name: str | None
    period: str | None
    message: str
    deadline: datetime | None = strawberry.field(description="Case rules: when the time limit ended (24:00 of its last day).")
    days_overdue: int | None
    fingerprint: str
    evidence: JSON
    alert: ReportAlert | None


@strawberry.type
class ReportRuleSummary:
    rule_id: str
    title_zh: str
    severity: str | None
    findings: int
    townships: int


@strawberry.type
class ReportTownshipSummary:
    code: str
    name: str
    findings: int
    violations: int
    warnings: int
    months_met: int
    months_evaluated: int
    quarters_met: int
    quarters_evaluated: int


@strawberry.enum(description="A grid cell: MET, MISSED, or NOT_REQUIRED (not closed at the as-of, or before the joint meeting existed).")
class ComplianceState(Enum):
    MET = "MET"
    MISSED = "MISSED"
    NOT_REQUIRED = "NOT_REQUIRED"


@strawberry.type
class ReportMonth:
    township_code: str
    township_name: str
    period: str
    state: ComplianceState
    thematic_held: int | None
    thematic_required: int | None
    supervised: bool | None
    covered_by_assigned: bool | None


@strawberry.type
class ReportQuarter:
    township_code: str
    township_name: str
    period: str
    state: ComplianceState
    plenary_held: int | None
    plenary_required: int | None


@strawberry.type(description="A reproducible compliance report: same data and asOf give the same digest on every database.")
class RuleReport:
    county_code: str
    county_name: str
    timezone: str
    from_: date = strawberry.field(name="from")
    to: date
    as_of: datetime
    known_at: datetime | None
    generated_at: datetime
    digest: str = strawberry.field(description="SHA-256 of the canonical JSON of the findings (see README, Reports).")
    run_id: int | None = strawberry.field(description="The recorded RuleRun (trigger REPORT).")
    parameters: JSON
    rules: list[ReportRule]
    findings: list[ReportFinding]
    rule_summaries: list[ReportRuleSummary]
    township_summaries: list[ReportTownshipSummary]
    months: list[ReportMonth]
    quarters: list[ReportQuarter]
    statistics: list[Statistic]
    success_rate: float | None = strawberry.field(description="Disputes mediated successfully / collected in the window, percent.")

    @classmethod
    def from_report(cls, r: model.Report) -> RuleReport:
        zone = ZoneInfo(r.timezone)
        return cls(
            county_code=r.county_code, county_name=r.county_name, timezone=r.timezone, from_=r.first_day, to=r.last_day,
            as_of=_local(r.as_of, zone), known_at=_local(r.known_at, zone), generated_at=_local(r.generated_at, zone),
            digest=r.digest, run_id=r.run_id,
            parameters=r.parameters,
            rules=[ReportRule(**_fields(x)) for x in r.rules],
            findings=[_finding(f, zone) for f in r.findings],
            rule_summaries=[ReportRuleSummary(**_fields(x)) for x in r.rule_summaries],
            township_summaries=[ReportTownshipSummary(**_fields(x)) for x in r.township_summaries],
            months=[ReportMonth(**{**_fields(c), "state": ComplianceState(c.state)}) for c in r.months],
            quarters=[ReportQuarter(**{**_fields(c), "state": ComplianceState(c.state)}) for c in r.quarters],
            statistics=[Statistic(key=s.key, label_zh=s.label_zh, label_en=s.label_en, value=s.value) for s in r.statistics],
            success_rate=r.success_rate,
        )


def _fields(item: Any) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An instant in the report's county zone (reports are of one county)."""
    return moment.astimezone(zone) if moment is not None else None


def _finding(f: model.ReportFinding, zone: ZoneInfo) -> ReportFinding:
    values = _fields(f)
    if f.alert:
        alert = {k: _local(v, zone) if isinstance(v, datetime) else v for k, v in _fields(f.alert).items()}
        values["alert"] = ReportAlert(**alert)
    else:
        values["alert"] = None
    values["deadline"] = _local(datetime.fromisoformat(f.deadline), zone) if f.deadline else None
    return ReportFinding(**values)


# ruleReport reads the county's history (roster, meetings, cases and events, visits), builds facts and evaluates the
# rules. Demo, SQLite, as of 2024-01-01: 2023-05 42 statements, 28,818 rows (29,658 row-equivalents); 2023 42
# statements, 37,603 rows (38,443): a base of ~29,000 and ~800 per month of the window (the demo's ten townships).
# With knownAt the history is rebuilt as it was known (replayed) first: 50 statements, 23,306 rows, but 2.4–2.8 s
# against 1.7 s without it: weighed a quarter more. A window longer than three years is refused before any read.
REPORT_BASE, REPORT_PER_MONTH, REPORT_KNOWN_AT = 29_000, 850, 1.25


def report_weight(arguments: Mapping[str, Any]) -> int:
    """One report: by the months of its window, and a quarter more when it rebuilds history (knownAt)."""
    first, last = arguments.get("from"), arguments.get("to")
    months = months_between(first, last, unknown=12)
    if months > 12 and (date.fromisoformat(str(last)) - date.fromisoformat(str(first))).days + 1 > MAX_SPAN_DAYS:
        return REPORT_BASE // 100  # refused by the window check before it reads anything
    weight = REPORT_BASE + REPORT_PER_MONTH * months
    return int(weight * REPORT_KNOWN_AT) if arguments.get("knownAt") is not None else weight


@strawberry.type
class ReportQuery:
    @strawberry.field(description="Findings of [from, to] (local days, inclusive) evaluated at asOf (default now), with evidence, "
                      "alerts, summaries, compliance grid, statistics and a SHA-256 digest. Writes no alert; the run is recorded.",
                      metadata=work(report_weight, measured="demo as of 2024-01-01: 2023-05 28,818 rows, 2023 37,603 rows"))
    async def rule_report(
        self,
        info: Info[Context, None],
        county_code: UnitCode,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        as_of: datetime | None = None,
        rules: list[str] | None = None,
        known_at: datetime | None = None,
    ) -> RuleReport:
        report = await rule_report(
            info.context, county_code=county_code, first_day=from_, last_day=to, as_of=as_of, rule_ids=rules, known_at=known_at,
        )
        return RuleReport.from_report(report)
