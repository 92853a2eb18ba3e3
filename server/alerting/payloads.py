"""What a receiver is sent: Alertmanager's webhook v4 JSON, or WeCom / DingTalk group-robot markdown.

Built when the change is committed (the outbox row keeps the payload), so a retry a day later
still says what happened then. Alertmanager knows only `firing` and `resolved`: RAISED, REOPENED
and ESCALATED fire (the event is in the labels), RESOLVED resolves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.enums import AlertEventKind
from rules.catalog import CATALOG

ZERO_TIME = "0001-01-01T00:00:00Z"  # Alertmanager's "no end" for firing alerts
EVENT_ZH = {
    AlertEventKind.RAISED: "新告警",
    AlertEventKind.REOPENED: "告警重新出现",
    AlertEventKind.RESOLVED: "告警已解除",
    AlertEventKind.ESCALATED: "告警未确认，已升级",
    AlertEventKind.ACKNOWLEDGED: "告警已确认",
    AlertEventKind.WAIVED: "告警已豁免",
}


@dataclass(frozen=True, slots=True)
class AlertNotice:
    """An alert as it stood at the change, with the names a message needs."""

    alert_id: int
    fingerprint: str
    rule_id: str
    severity: str
    status: str
    event: AlertEventKind
    at: datetime
    county_code: str
    county_name: str
    township_code: str | None
    township_name: str | None
    subject_code: str
    period: str | None
    message: str
    assignee: str | None
    raised_at: datetime
    resolved_at: datetime | None
    timezone: str


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(notice: AlertNotice, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(notice.timezone)).strftime("%Y-%m-%d %H:%M")


def alertmanager(notice: AlertNotice, *, receiver: str, public_url: str) -> dict[str, Any]:
    """Alertmanager webhook payload version 4, one alert per notification."""
    status = "resolved" if notice.event is AlertEventKind.RESOLVED else "firing"
    labels = {
        "alertname": notice.rule_id,
        "severity": notice.severity.lower(),
        "county": notice.county_code,
        "subject": notice.subject_code,
        "event": notice.event.value,
        **({"township": notice.township_code} if notice.township_code else {}),
        **({"period": notice.period} if notice.period else {}),
    }
    annotations = {
        "summary": CATALOG[notice.rule_id].title_zh if notice.rule_id in CATALOG else notice.rule_id,
        "description": notice.message,
        **({"assignee": notice.assignee} if notice.assignee else {}),
        **({"township_name": notice.township_name} if notice.township_name else {}),
    }
    group_labels = {"alertname": notice.rule_id, "county": notice.county_code}
    return {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="{notice.rule_id}", county="{notice.county_code}"}}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": receiver,
        "groupLabels": group_labels,
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": public_url,
        "alerts": [
            {
                "status": status,
                "labels": labels,
                "annotations": annotations,
                "startsAt": _utc(notice.raised_at),
                "endsAt": _utc(notice.resolved_at) if status == "resolved" and notice.resolved_at else ZERO_TIME,
                "generatorURL": f"{public_url}/graphql",
                "fingerprint": hashlib.sha256(notice.fingerprint.encode()).hexdigest()[:16],
            }
        ],
    }


def markdown(notice: AlertNotice) -> tuple[str, str]:
    """(title, body) in the markdown both robots render."""
    title = f"{EVENT_ZH[notice.event]}：{CATALOG[notice.rule_id].title_zh if notice.rule_id in CATALOG else notice.rule_id}"
    colour = "info" if notice.event is AlertEventKind.RESOLVED else "warning"
    place = notice.township_name or notice.county_name
    lines = [
        f"### {title}",
        f"> 地区：<font color=\"{colour}\">{notice.county_name} {place if place != notice.county_name else ''}</font>".rstrip(),
        f"> 级别：{'违规' if notice.severity == 'VIOLATION' else '提醒'}（{notice.severity}）",
        f"> 对象：{notice.subject_code}" + (f"　期间：{notice.period}" if notice.period else ""),
        f"> 内容：{notice.message}",
        f"> 责任人：{notice.assignee or '未指定'}",
        f"> 时间：{_local(notice, notice.at)}（{notice.timezone}）",
    ]
    return title, "\n".join(lines)


def wecom(notice: AlertNotice) -> dict[str, Any]:
    """WeCom (企业微信) group robot: msgtype markdown."""
    _, body = markdown(notice)
    return {"msgtype": "markdown", "markdown": {"content": body}}


def dingtalk(notice: AlertNotice) -> dict[str, Any]:
    """DingTalk (钉钉) group robot: msgtype markdown with a title."""
    title, body = markdown(notice)
    return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}


def build_payload(notice: AlertNotice, *, receiver_kind: str, receiver: str, public_url: str) -> dict[str, Any]:
    """The body for one receiver kind."""
    if receiver_kind == "WECOM":
        return wecom(notice)
    if receiver_kind == "DINGTALK":
        return dingtalk(notice)
    return alertmanager(notice, receiver=receiver, public_url=public_url)
