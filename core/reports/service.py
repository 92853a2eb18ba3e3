"""Make a report and record that it was made: one `RuleRun` (trigger REPORT, with its digest) and one audit entry.

Read-only for alerts: the report never calls the reconciler. The run record says who asked,
for which window, as of when, with which parameters and rule versions, and what digest came out.
"""

from __future__ import annotations

from core import clock
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from models.alerts import RuleRun
from models.units import County
from rules.config import RulesConfig
from core.audit import Actor, record_audit
from core.reports.build import build_report, check_rule_ids
from core.reports.known_at import rewound
from core.reports.model import Report
from core.reports.window import ReportInputError, check_window


def _aware(value: datetime | None, argument: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ReportInputError(argument, f"needs a time zone offset (e.g. {value.isoformat()}+08:00)")


async def run_report(
    *,
    rules: RulesConfig,
    county_code: str,
    first_day: date,
    last_day: date,
    as_of: datetime | None = None,
    rule_ids: Sequence[str] | None = None,
    known_at: datetime | None = None,
    actor: str,
    token_id: int | None = None,
) -> Report:
    """Build the report for a county and window at `as_of` (default now), record the run, and return it."""
    as_of = as_of or clock.now()
    _aware(as_of, "asOf")
    _aware(known_at, "knownAt")
    rule_list = check_rule_ids(rule_ids)
    county = await County.get_or_none(code=county_code)
    if county is None:
        raise ReportInputError("countyCode", f"unknown county code {county_code!r}")
    check_window(first_day, last_day, ZoneInfo(county.timezone), as_of=as_of, known_at=known_at)  # before any rewind
    started_wall, started = clock.now(), time.perf_counter()
    if known_at is None:
        report = await build_report(rules=rules, county=county, first_day=first_day, last_day=last_day, as_of=as_of, rule_ids=rule_list)
    else:
        async with rewound(county_id=county.id, known_at=known_at) as rewind:
            report = await build_report(
                rules=rules, county=county, first_day=first_day, last_day=last_day, as_of=as_of, rule_ids=rule_list, known_at=known_at
            )
            report.rewind = rewind.as_record()
    await _record(report, county, rule_list, actor, token_id, started_wall, (time.perf_counter() - started) * 1000)
    return report


async def _record(
    report: Report, county: County, rules: Sequence[str], actor: str, token_id: int | None, started_at: datetime, ms: float
) -> None:
    scope: dict[str, Any] = {"county": county.code, "from": report.first_day.isoformat(), "to": report.last_day.isoformat()}
    if list(rules) != list(check_rule_ids(None)):
        scope["rules"] = list(rules)
    if report.known_at is not None:
        scope["knownAt"] = report.known_at.isoformat()
    async with in_transaction():
        run = await RuleRun.create(
            county_id=county.id, trigger="REPORT", scope=scope, as_of=report.as_of, started_at=started_at,
            duration_ms=ms, parameters=report.parameters, rule_versions=report.rule_versions,
            counts={r.id: {"findings": r.findings} for r in report.rules}, errors=[], actor=actor, digest=report.digest,
        )
        await record_audit(
            actor=Actor(actor, token_id), action="ruleReport", entity="rule_run", entity_key=str(run.id),
            county_code=county.code, before=None,
            after={"digest": report.digest, **{k: v for k, v in scope.items() if k != "county"}, "asOf": report.as_of.isoformat()},
        )
    report.run_id = run.id
