"""`supervision.*`: the county bureau's on-site supervision of thematic meetings (township_month facts)."""

from __future__ import annotations

from rules.rulesets import RuleDef, all_of, gte, lt
from rules.rulesets.cadence import PERIOD_KEYS, where

RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="supervision.monthly_coverage",
        condition=lambda p: all_of({"kind": "township_month"}, lt("supervised_meetings", 1)),
        subject=lambda f: f["township"],
        message=lambda f, p: (
            f"{where(f)}没有一次专题会有县信访局“领导班子成员+业务人员”现场督导"
            f"（实际召开专题会{f['thematic_held']}次）"
        ),
        evidence_keys=(*PERIOD_KEYS, "thematic_held", "thematic_meetings", "supervised_meetings", "supervised_meeting_ids"),
    ),
    RuleDef(
        rule_id="supervision.assigned_leader",
        condition=lambda p: all_of(
            {"kind": "township_month"}, gte("supervised_meetings", 1), lt("assigned_leader_meetings", 1)
        ),
        subject=lambda f: f["township"],
        message=lambda f, p: f"{where(f)}专题会督导已覆盖，但没有一次督导会议由会议当日分片联系该乡镇的领导班子成员出席",
        evidence_keys=(
            *PERIOD_KEYS,
            "supervised_meetings",
            "supervised_meeting_ids",
            "covering_leader_ids",
            "assigned_leader_ids",
            "assigned_leader_meetings",
            "thematic_meetings",
        ),
    ),
)
