"""Early warnings (黄牌, NOTICE): a case deadline within W days, and an open month short of thematic meetings.

Both compare measurements of the facts (deadline instants, the open month's end, meeting counts)
with the run's constants: `AS_OF`, the horizons `AS_OF_PLUS_W` / `AS_OF_PLUS_R` (the as-of moved
W / R calendar days forward in the county's zone) and the thematic minimum N of
`cadence.thematic_monthly`.
"""

from __future__ import annotations

from rules.rulesets import Condition, Fact, Params, RuleDef, all_of, any_of, gt, lt, lte
from rules.rulesets.cases import OPEN, UNDECIDED_PETITION, UNESCALATED_VILLAGE_DISPUTE, _case, deadline_zh

_DEADLINES = (("due_at", "办理期限"), ("acceptance_due", "受理告知期限"), ("escalation_due", "村级处置期限"))
THEMATIC_N = "cadence.thematic_monthly:N"


def _soon(deadline: str, p: Params) -> Condition:
    """The deadline is still ahead, and no more than W days ahead."""
    return all_of(gt(f"{deadline}_epoch", p["AS_OF"]), lte(f"{deadline}_epoch", p["AS_OF_PLUS_W"]))


def _due_soon_message(fact: Fact, p: Params) -> str:
    ahead = [
        (fact[f"{name}_epoch"], name, label)
        for name, label in _DEADLINES
        if f"{name}_epoch" in fact and p["AS_OF"] < fact[f"{name}_epoch"] <= p["AS_OF_PLUS_W"]
    ]
    _, name, label = min(ahead) if ahead else (0, "due_at", "办理期限")
    return f"{_case(fact)}的{label}将于{deadline_zh(fact[name])}届满（{p['W']}日内），请抓紧办理"


RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="case.due_soon",
        condition=lambda p: all_of(
            {"kind": "case"},
            OPEN,
            any_of(
                _soon("due_at", p),
                all_of(UNDECIDED_PETITION, _soon("acceptance_due", p)),
                all_of(UNESCALATED_VILLAGE_DISPUTE, _soon("escalation_due", p)),
            ),
        ),
        subject=lambda f: f["case_number"],
        message=_due_soon_message,
        evidence_keys=(
            "case_id", "case_number", "case_kind", "township", "village", "reported_at", "status", "level",
            "assignee_id", "due_at", "acceptance_due", "escalation_due",
        ),
        period=lambda f: None,
    ),
    RuleDef(
        rule_id="cadence.thematic_at_risk",
        condition=lambda p: all_of(
            {"kind": "township_open_month"},
            lt("thematic_held_or_scheduled", p[THEMATIC_N]),
            gt("period_end_epoch", p["AS_OF"]),
            lte("period_end_epoch", p["AS_OF_PLUS_R"]),
        ),
        subject=lambda f: f["township"],
        message=lambda f, p: (
            f"{f['township_name']}（{f['township']}）{f['period']}已召开和已安排的专题会共"
            f"{f['thematic_held_or_scheduled']}次，本月只剩不到{p['R']}日，少于每月{p[THEMATIC_N]}次的要求"
        ),
        evidence_keys=(
            "township", "township_name", "period", "period_start", "period_end", "assignee_id",
            "thematic_held_or_scheduled", "thematic_meetings",
        ),
    ),
)
