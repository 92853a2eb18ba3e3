"""Times in reports: every instant in the county's zone; in text as people write them (2023-07-23 12:02)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

from core.reports.model import Report, ReportAlert

_ALERT_TIMES = ("raised_at", "acknowledged_at", "resolved_at", "escalated_at", "waived_at")


def _in(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return moment.astimezone(zone) if moment is not None else None


def _alert(alert: ReportAlert | None, zone: ZoneInfo) -> ReportAlert | None:
    if alert is None:
        return None
    return dataclasses.replace(alert, **{name: _in(getattr(alert, name), zone) for name in _ALERT_TIMES})


def localized(report: Report) -> Report:
    """The report with as-of, known-at, generated-at and its alerts' times in the county's zone (JSON keeps the offset)."""
    zone = ZoneInfo(report.timezone)
    return dataclasses.replace(
        report,
        as_of=_in(report.as_of, zone), known_at=_in(report.known_at, zone), generated_at=_in(report.generated_at, zone),
        findings=[dataclasses.replace(f, alert=_alert(f.alert, zone)) for f in report.findings],
    )


def written(moment: datetime | str | None, timezone: str) -> str:
    """`2023-07-23 12:02` in the county's zone ("" for none); ISO strings (evidence) are read first."""
    if moment is None or moment == "":
        return ""
    value = datetime.fromisoformat(moment.replace("Z", "+00:00")) if isinstance(moment, str) else moment
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(timezone))
    return value.strftime("%Y-%m-%d %H:%M")
