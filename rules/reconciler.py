"""The one place that turns findings into alerts, by fingerprint (DESIGN §2 "Alerts").

- a new fingerprint raises an OPEN alert (raised_at = as-of);
- an existing alert is kept; its message, evidence, severity or assignee are updated only if changed;
- an OPEN or ACKNOWLEDGED alert whose subject and period the run evaluated and whose finding disappeared
  is RESOLVED (nothing outside the run's evaluated subjects and periods is touched);
- a RESOLVED alert whose finding returns is REOPENED (raised again at the as-of);
- a WAIVED alert is left alone until its waiver expires (then it is reopened or resolved like any other);
- `alert.unacknowledged` findings set `escalated_at` on the alert they name (no new alert).

Every timestamp written is the as-of, so replaying a run gives the same alerts. The unique
fingerprint constraint backs the "no duplicate" promise; a concurrent insert on PostgreSQL
(IntegrityError) is handled by re-reading the row inside a savepoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.alerts import Alert, RuleRun
from models.enums import AlertStatus, Severity
from rules.catalog import CATALOG, PERIOD_RULES
from rules.facts import FactSet
from rules.scope import AT_RISK_RULE
from rules.periods import local_date

ESCALATION_RULE = "alert.unacknowledged"
_CHUNK = 500


class ChangeKind(StrEnum):
    RAISED = "RAISED"
    RESOLVED = "RESOLVED"
    REOPENED = "REOPENED"
    ESCALATED = "ESCALATED"
    UPDATED = "UPDATED"


@dataclass(frozen=True, slots=True)
class Change:
    alert: Alert
    kind: ChangeKind


def fingerprint(finding: Mapping[str, Any]) -> str:
    """`rule|subject|period` for period rules, `rule|subject` otherwise (case rules: `rule|caseNumber`)."""
    if finding["ruleId"] in PERIOD_RULES:
        return f"{finding['ruleId']}|{finding['subjectCode']}|{finding['period']}"
    return f"{finding['ruleId']}|{finding['subjectCode']}"


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _waiver_active(alert: Alert, facts: FactSet) -> bool:
    return alert.waived_until is None or local_date(facts.as_of, facts.tz) <= alert.waived_until


async def _evaluated_alerts(facts: FactSet, rule_ids: Iterable[str]) -> list[Alert]:
    """The unresolved alerts of the rules whose subject and period this run evaluated.

    Resolved alerts are left out (they pile up over the years); a returning finding finds its row by
    fingerprint. An explicit (write) scope reads its alerts by fingerprint; a county or township run reads
    the unresolved alerts and keeps those it evaluated — never an alert of a later period, another subject,
    or a period before the county's supervision start.
    """
    rules = sorted(rule_ids)
    if facts.scope.explicit:
        fps = facts.evaluated.fingerprints()
        rows: list[Alert] = []
        for start in range(0, len(fps), _CHUNK):
            rows += await Alert.filter(fingerprint__in=fps[start : start + _CHUNK], rule_id__in=rules).exclude(
                status=AlertStatus.RESOLVED
            )
        if AT_RISK_RULE in rules and facts.evaluated.at_risk_townships:  # early warnings of months that closed
            known = {a.id for a in rows}
            rows += [a for a in await Alert.filter(
                county_id=facts.county_id, rule_id=AT_RISK_RULE,
                township_id__in=[facts.township_ids[c] for c in sorted(facts.evaluated.at_risk_townships)],
            ).exclude(status=AlertStatus.RESOLVED) if a.id not in known]
    else:
        query = Alert.filter(county_id=facts.county_id, rule_id__in=rules).exclude(status=AlertStatus.RESOLVED)
        if facts.scope.township_code is not None:
            query = query.filter(township_id=facts.township_ids[facts.scope.township_code])
        rows = list(await query)
    return [a for a in rows if facts.evaluates(a.rule_id, a.subject_code, a.period)]


async def reconcile(
    *, facts: FactSet, findings: list[dict[str, Any]], evaluated_rules: Iterable[str], run: RuleRun | None
) -> list[Change]:
    """Bring the alerts of the evaluated scope in line with the findings; return what changed.

    `evaluated_rules`: the rules whose results count (a rule that reported an engine error is left out by
    the caller, so none of its alerts is raised, confirmed or resolved by this run).
    """
    as_of = facts.as_of
    evaluated_rules = set(evaluated_rules)
    alert_rules = {r for r in evaluated_rules if CATALOG[r].raises_alerts}
    wanted = {fingerprint(f): f for f in findings if f["ruleId"] in alert_rules}
    existing = {a.fingerprint: a for a in await _evaluated_alerts(facts, alert_rules)}
    missing = [fp for fp in wanted if fp not in existing]
    for start in range(0, len(missing), _CHUNK):
        for alert in await Alert.filter(fingerprint__in=missing[start : start + _CHUNK]):
            existing[alert.fingerprint] = alert

    changes: list[Change] = []
    new: list[Alert] = []
    for fp, finding in wanted.items():
        alert = existing.get(fp)
        if alert is None:
            new.append(_new_alert(fp, finding, facts, run))
        elif (kind := _apply_finding(alert, finding, facts, run)) is not None:
            await alert.save()
            changes.append(Change(alert, kind))
    changes += await _insert(new, wanted, facts, run)

    for fp, alert in existing.items():
        if fp in wanted or alert.rule_id not in alert_rules:
            continue
        if alert.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED) or (
            alert.status == AlertStatus.WAIVED and not _waiver_active(alert, facts)
        ):
            alert.status, alert.resolved_at, alert.updated_at, alert.last_run = AlertStatus.RESOLVED, as_of, as_of, run
            await alert.save(update_fields=["status", "resolved_at", "updated_at", "last_run_id"])
            changes.append(Change(alert, ChangeKind.RESOLVED))

    if ESCALATION_RULE in evaluated_rules:
        changes += await _escalate([f for f in findings if f["ruleId"] == ESCALATION_RULE], facts, run, changes)
    return changes


def _fields(finding: Mapping[str, Any], facts: FactSet) -> dict[str, Any]:
    severity = Severity(finding["severity"])
    township = finding.get("townshipCode")
    return {
        "rule_version": finding["ruleVersion"],
        "severity": severity,
        "message": finding["message"],
        "evidence": _json(finding["evidence"]),
        "assignee_id": finding.get("assigneeId"),
        "notify_head": severity == Severity.VIOLATION,
        "township_id": facts.township_ids.get(township) if township else None,
    }


def _new_alert(fp: str, finding: Mapping[str, Any], facts: FactSet, run: RuleRun | None) -> Alert:
    return Alert(
        fingerprint=fp,
        rule_id=finding["ruleId"],
        status=AlertStatus.OPEN,
        county_id=facts.county_id,
        subject_code=finding["subjectCode"],
        period=finding["period"],
        raised_at=facts.as_of,
        updated_at=facts.as_of,
        last_run=run,
        **_fields(finding, facts),
    )


def _apply_finding(alert: Alert, finding: Mapping[str, Any], facts: FactSet, run: RuleRun | None) -> ChangeKind | None:
    """Update one existing alert for a finding that holds; None when nothing changes."""
    as_of = facts.as_of
    kind: ChangeKind | None = None
    if alert.status == AlertStatus.WAIVED and _waiver_active(alert, facts):
        return None
    if alert.status in (AlertStatus.WAIVED, AlertStatus.RESOLVED):
        # raised again now: the acknowledgement clock restarts (the waiver fields stay as history)
        alert.status, alert.raised_at, alert.resolved_at = AlertStatus.OPEN, as_of, None
        alert.acknowledged_at = alert.acknowledged_by = alert.acknowledge_note = alert.escalated_at = None
        kind = ChangeKind.REOPENED
    for name, value in _fields(finding, facts).items():
        if getattr(alert, name) != value:
            setattr(alert, name, value)
            kind = kind or ChangeKind.UPDATED
    if kind is not None:
        alert.updated_at, alert.last_run = as_of, run
    return kind


async def _insert(
    new: list[Alert], wanted: Mapping[str, Mapping[str, Any]], facts: FactSet, run: RuleRun | None
) -> list[Change]:
    """Insert new alerts in bulk; if a concurrent run got there first, fall back to one savepoint per row."""
    if not new:
        return []
    try:
        async with in_transaction():
            await Alert.bulk_create(new, batch_size=_CHUNK)
    except IntegrityError:
        return await _insert_one_by_one(new, wanted, facts, run)
    changes = []
    fps = [a.fingerprint for a in new]
    for start in range(0, len(fps), _CHUNK):
        for alert in await Alert.filter(fingerprint__in=fps[start : start + _CHUNK]):
            changes.append(Change(alert, ChangeKind.RAISED))
    changes.sort(key=lambda c: c.alert.id)
    return changes


async def _insert_one_by_one(
    new: list[Alert], wanted: Mapping[str, Mapping[str, Any]], facts: FactSet, run: RuleRun | None
) -> list[Change]:
    changes = []
    for alert in new:
        try:
            async with in_transaction():
                await alert.save()
            changes.append(Change(alert, ChangeKind.RAISED))
        except IntegrityError:
            current = await Alert.get(fingerprint=alert.fingerprint)
            if (kind := _apply_finding(current, wanted[alert.fingerprint], facts, run)) is not None:
                await current.save()
                changes.append(Change(current, kind))
    return changes


async def _escalate(
    findings: list[dict[str, Any]], facts: FactSet, run: RuleRun | None, changes: list[Change]
) -> list[Change]:
    """Set escalated_at on the open, unacknowledged alerts the rule named, so the bureau head sees them."""
    touched = {c.alert.id for c in changes if c.kind in (ChangeKind.RESOLVED, ChangeKind.REOPENED)}
    ids = [f["evidence"]["alert_id"] for f in findings if f["evidence"]["alert_id"] not in touched]
    escalated = []
    for start in range(0, len(ids), _CHUNK):
        for alert in await Alert.filter(id__in=ids[start : start + _CHUNK], status=AlertStatus.OPEN, escalated_at=None):
            if alert.acknowledged_at is not None:
                continue
            alert.escalated_at, alert.updated_at, alert.last_run = facts.as_of, facts.as_of, run
            await alert.save(update_fields=["escalated_at", "updated_at", "last_run_id"])
            escalated.append(Change(alert, ChangeKind.ESCALATED))
    return escalated
