"""Meeting cadence and county supervision rules, tested on township_month / township_quarter facts."""

from __future__ import annotations

from rules.rulesets import Fact, RuleDef, all_of, gte, lt

_PERIOD_KEYS = ("township", "township_name", "period", "period_start", "period_end", "period_last_day", "assignee_id")


def _where(fact: Fact) -> str:
    return f"{fact['township_name']}（{fact['township']}）{fact['period']}"


RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="cadence.thematic_monthly",
        condition=lambda p: all_of({"kind": "township_month"}, lt("thematic_held", p["N"])),
        subject=lambda f: f["township"],
        message=lambda f, p: f"{_where(f)}实际召开专题会{f['thematic_held']}次，少于每月{p['N']}次的要求",
        evidence_keys=(*_PERIOD_KEYS, "thematic_held", "thematic_meetings", "thematic_not_held"),
    ),
    RuleDef(
        rule_id="cadence.plenary_quarterly",
        condition=lambda p: all_of({"kind": "township_quarter"}, lt("plenary_held", p["N"])),
        subject=lambda f: f["township"],
        message=lambda f, p: f"{_where(f)}实际召开全体会{f['plenary_held']}次，少于每季度{p['N']}次的要求",
        evidence_keys=(*_PERIOD_KEYS, "plenary_held", "plenary_meetings", "plenary_not_held"),
    ),
    RuleDef(
        rule_id="supervision.monthly_coverage",
        condition=lambda p: all_of({"kind": "township_month"}, lt("supervised_meetings", 1)),
        subject=lambda f: f["township"],
        message=lambda f, p: (
            f"{_where(f)}没有一次专题会有县信访局“领导班子成员+业务人员”现场督导"
            f"（实际召开专题会{f['thematic_held']}次）"
        ),
        evidence_keys=(*_PERIOD_KEYS, "thematic_held", "thematic_meetings", "supervised_meetings", "supervised_meeting_ids"),
    ),
    RuleDef(
        rule_id="supervision.assigned_leader",
        condition=lambda p: all_of(
            {"kind": "township_month"}, gte("supervised_meetings", 1), lt("assigned_leader_meetings", 1)
        ),
        subject=lambda f: f["township"],
        message=lambda f, p: f"{_where(f)}专题会督导已覆盖，但没有一次督导会议由会议当日分片联系该乡镇的领导班子成员出席",
        evidence_keys=(
            *_PERIOD_KEYS,
            "supervised_meetings",
            "supervised_meeting_ids",
            "covering_leader_ids",
            "assigned_leader_ids",
            "assigned_leader_meetings",
            "thematic_meetings",
        ),
    ),
)
