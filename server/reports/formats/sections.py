"""The report as titled tables of plain cells: what the table, CSV and XLSX formats lay out (one section each).

Headers are bilingual (中文 English). Cells are str, int, float or None; evidence is also given
as compact JSON in the findings section so nothing is lost in the flat formats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from schema.labels import label as zh_label
from server.reports.formats.local import written
from core.reports.model import Report, ReportAlert, ReportFinding

Cell = str | int | float | None

STATE_ZH = {value: zh_label("ComplianceState", value) for value in ("MET", "MISSED", "NOT_REQUIRED")}


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def _yes(value: bool | None) -> str | None:
    return None if value is None else ("是" if value else "否")


def _alert_cells(alert: ReportAlert | None, timezone: str) -> tuple[Cell, ...]:
    if alert is None:
        return (None, None, None, None)
    ack = f"{written(alert.acknowledged_at, timezone)} {alert.acknowledged_by or ''}".strip() if alert.acknowledged_at else None
    waiver = None
    if alert.waived_at:
        until = f"（至{alert.waived_until.isoformat()}）" if alert.waived_until else ""
        waiver = f"{alert.waive_reason or ''}{until} {alert.waived_by or ''}".strip()
    return (zh_label("AlertStatus", alert.status), alert.assignee_name, ack, waiver)


ROLE_ZH = {"BUREAU_HEAD": "局长", "BUREAU_LEADER": "局领导", "BUREAU_STAFF": "业务人员"}


def _attendee(person: dict[str, Any]) -> str:
    roles = "、".join(ROLE_ZH.get(r, r) for r in person.get("roles", []))
    return f"{person['name']}（{roles}）" if roles else str(person["name"])


def _meeting_line(meeting: dict[str, Any], timezone: str) -> str:
    """`第7次 2023-02-16 09:30 出席：王建华（局领导）、杨丽（业务人员）、张平成` (attendees only for thematic meetings)."""
    when = written(meeting.get("held_at"), timezone)
    number = f"第{meeting['number']}次" if meeting.get("number") else meeting.get("ext_id", "")
    if "attendees" not in meeting:
        return f"{number} {when}"
    return f"{number} {when} 出席：{'、'.join(_attendee(p) for p in meeting['attendees']) or '无记录'}"


def evidence_text(finding: ReportFinding, timezone: str) -> str:
    """The evidence in one readable line: meetings counted with dates and bureau attendees, or deadlines (local times)."""
    e = finding.evidence
    parts: list[str] = []
    for key, label in (("thematic_meetings", "专题会"), ("plenary_meetings", "全体会")):
        if key in e:
            meetings = e[key]
            lines = "；".join(_meeting_line(m, timezone) for m in meetings) or "无"
            parts.append(f"实际召开{label}{len(meetings)}次：{lines}")
    if e.get("covering_leaders"):
        parts.append("督导领导：" + "、".join(p["name"] for p in e["covering_leaders"] if p))
    if "assigned_leaders" in e:
        parts.append("分片联系领导：" + ("、".join(p["name"] for p in e["assigned_leaders"] if p) or "无"))
    if e.get("reported_at"):
        parts.append(f"登记 {written(e['reported_at'], timezone)}")
    if e.get("accepted_at"):
        parts.append(f"受理 {written(e['accepted_at'], timezone)}")
    if finding.deadline:
        parts.append(f"期限届满 {written(finding.deadline, timezone)}，超期{finding.days_overdue}日")
    if e.get("extension_days"):
        parts.append(f"延长{e['extension_days']}日")
    if "status" in e and "case_number" in e:
        parts.append(f"状态 {zh_label('CaseStatus', e['status'])}，层级 {zh_label('CaseLevel', e.get('level'))}")
    return "；".join(parts)


def sections(report: Report) -> list[Section]:
    """Summary, rules, findings, per-rule and per-township summaries, month and quarter grids, statistics."""
    summary = [
        ("县 County", f"{report.county_name}（{report.county_code}）"),
        ("起 From", report.first_day.isoformat()), ("止 To", report.last_day.isoformat()),
        ("时区 Time zone", report.timezone),
        ("评估时点 As of", written(report.as_of, report.timezone)),
        ("已知时点 Known at", written(report.known_at, report.timezone) or "—"),
        ("生成时间 Generated at", written(report.generated_at, report.timezone)),
        ("发现数 Findings", len(report.findings)),
        ("调解成功率 Success rate %", report.success_rate),
        ("运行记录 Run id", report.run_id),
        ("摘要 SHA-256 digest", report.digest),
    ]
    return [
        Section("summary", "报告概要 Summary", ("项目 Item", "值 Value"), summary),
        Section("rules", "规则 Rules", ("规则 Rule", "版本 Version", "级别 Severity", "名称 Title", "参数 Parameters", "发现 Findings", "依据 Basis"), [
            (r.id, r.version, r.severity, r.title_zh, ", ".join(f"{k}={v}" for k, v in r.parameters.items()) or None, r.findings, r.basis)
            for r in report.rules
        ]),
        Section("findings", "发现 Findings", (
            "规则 Rule", "级别 Severity", "对象代码 Subject code", "对象 Subject", "乡镇 Township", "期间 Period", "说明 Message",
            "期限 Deadline", "超期天数 Days overdue", "预警状态 Alert status", "责任领导 Assignee", "签收 Acknowledged", "豁免 Waiver",
            "证据 Evidence", "证据 JSON Evidence JSON",
        ), [
            (f.rule_id, f.severity, f.subject_code, f.subject_name, f.township_name, f.period, f.message,
             written(f.deadline, report.timezone) or None,
             f.days_overdue, *_alert_cells(f.alert, report.timezone), evidence_text(f, report.timezone),
             json.dumps(f.evidence, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
            for f in report.findings
        ]),
        Section("by_rule", "按规则汇总 By rule", ("规则 Rule", "名称 Title", "级别 Severity", "发现 Findings", "涉及乡镇 Townships"), [
            (s.rule_id, s.title_zh, s.severity, s.findings, s.townships) for s in report.rule_summaries
        ]),
        Section("by_township", "按乡镇汇总 By township", (
            "代码 Code", "乡镇 Township", "发现 Findings", "违规 Violations", "警告 Warnings",
            "达标月 Months met", "评估月 Months evaluated", "达标季 Quarters met", "评估季 Quarters evaluated",
        ), [
            (s.code, s.name, s.findings, s.violations, s.warnings, s.months_met, s.months_evaluated, s.quarters_met, s.quarters_evaluated)
            for s in report.township_summaries
        ]),
        Section("months", "月度专题会与督导 Months", (
            "代码 Code", "乡镇 Township", "月份 Month", "结果 State", "召开专题会 Thematic held", "要求 Required",
            "现场督导 Supervised", "分片领导督导 By assigned leader",
        ), [
            (c.township_code, c.township_name, c.period, STATE_ZH[c.state], c.thematic_held, c.thematic_required,
             _yes(c.supervised), _yes(c.covered_by_assigned))
            for c in report.months
        ]),
        Section("quarters", "季度全体会 Quarters", (
            "代码 Code", "乡镇 Township", "季度 Quarter", "结果 State", "召开全体会 Plenaries held", "要求 Required",
        ), [
            (c.township_code, c.township_name, c.period, STATE_ZH[c.state], c.plenary_held, c.plenary_required)
            for c in report.quarters
        ]),
        Section("statistics", "统计 Statistics", ("指标 Key", "名称 Figure", "English", "数值 Value"), [
            *((s.key, s.label_zh, s.label_en, s.value) for s in report.statistics),
            ("success_rate_percent", "调解成功率(%)", "mediation success rate (%)", report.success_rate),
        ]),
        Section("visits", "深入村组调解 Mediation visits", ("代码 Code", "村 Village", "月份 Month", "次数 Visits"), [
            (r.village_code, r.village_name, r.month, r.visits) for r in report.visit_counts
        ]),
        Section("ledger", "社情民意台账 Village ledgers", (
            "代码 Code", "村 Village", "收集 Collected", "调解成功 Mediated", "化解 Resolved", "上报乡镇 Escalated", "未结 Open",
        ), [
            (r.village_code, r.village_name, r.collected, r.mediated, r.resolved, r.escalated, r.open) for r in report.ledger
        ]),
    ]
