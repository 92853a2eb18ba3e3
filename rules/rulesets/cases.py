"""`case.*`: case deadlines and escalation, tested on case facts (state and deadlines at the as-of).

`case.due_soon` is the early warning (黄牌, NOTICE): a deadline still ahead (its end instant after `AS_OF`)
whose last day L is at most W days after the as-of's local day d (L − d ≤ W, DESIGN §2): the fact's day
number `<deadline>_day` compared with the constant `AS_OF_DAY_PLUS_W`. Counted in days, not W×24 hours,
so a case due on Friday is warned about from the Sunday before, whatever the hour of the run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from models.enums import OPEN_CASE_STATUSES
from rules.rulesets import Condition, Fact, Params, RuleDef, all_of, any_of, gt, lt, lte

_KIND_ZH = {"DISPUTE": "矛盾纠纷", "PETITION": "信访事项"}
_CASE_KEYS = (
    "case_id", "case_number", "case_kind", "township", "village", "reported_at", "status", "level", "assignee_id"
)


def deadline_zh(iso: str) -> str:
    """A deadline instant (00:00 after the last day) as the county reads it: `2023-06-01 24:00`."""
    moment = datetime.fromisoformat(iso) - timedelta(days=1)
    return f"{moment.date().isoformat()} 24:00"


def _case(fact: Fact) -> str:
    return f"{_KIND_ZH.get(fact['case_kind'], '案件')}{fact['case_number']}"


def _overdue_message(fact: Fact, params: Params) -> str:
    basis = "登记" if fact["due_basis"] == "reported" else "受理"
    extension = f"（含延长{fact['extension_days']}日）" if fact["extension_days"] else ""
    return (
        f"{_case(fact)}自{basis}之日起{fact['handling_days']}日{extension}的办理期限已于"
        f"{deadline_zh(fact['due_at'])}届满，仍未办结"
    )


OPEN = any_of(*({"status": status.value} for status in sorted(OPEN_CASE_STATUSES)))  # models.enums: 未办结
UNDECIDED_PETITION = all_of({"case_kind": "PETITION"}, lt("decision_count", 1))
UNESCALATED_VILLAGE_DISPUTE = all_of({"case_kind": "DISPUTE"}, {"level": "VILLAGE"}, lt("escalation_count", 1))


def past(deadline: str, p: Params) -> Condition:
    """The deadline instant has come: at exactly 24:00 of its last day the case is late."""
    return lte(f"{deadline}_epoch", p["AS_OF"])


_DEADLINES = (("due_at", "办理期限"), ("acceptance_due", "受理告知期限"), ("escalation_due", "村级处置期限"))


def _soon(deadline: str, p: Params) -> Condition:
    """The deadline is still ahead, and its last day no more than W days after the as-of's day."""
    return all_of(gt(f"{deadline}_epoch", p["AS_OF"]), lte(f"{deadline}_day", p["AS_OF_DAY_PLUS_W"]))


def _due_soon_message(fact: Fact, p: Params) -> str:
    ahead = [
        (fact[f"{name}_epoch"], name, label)
        for name, label in _DEADLINES
        if f"{name}_epoch" in fact and fact[f"{name}_epoch"] > p["AS_OF"] and fact[f"{name}_day"] <= p["AS_OF_DAY_PLUS_W"]
    ]
    _, name, label = min(ahead) if ahead else (0, "due_at", "办理期限")
    return f"{_case(fact)}的{label}将于{deadline_zh(fact[name])}届满（{p['W']}日内），请抓紧办理"


RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="case.overdue",
        condition=lambda p: all_of({"kind": "case"}, OPEN, past("due_at", p)),
        subject=lambda f: f["case_number"],
        message=_overdue_message,
        evidence_keys=(
            *_CASE_KEYS,
            "accepted_at",
            "due_basis",
            "handling_days",
            "extensions",
            "extension_days_requested",
            "extension_days",
            "due_at",
        ),
        period=lambda f: None,
    ),
    RuleDef(
        rule_id="case.acceptance_overdue",
        condition=lambda p: all_of({"kind": "case"}, OPEN, UNDECIDED_PETITION, past("acceptance_due", p)),
        subject=lambda f: f["case_number"],
        message=lambda f, p: (
            f"{_case(f)}登记后{p['days']}日内未作出是否受理的决定（期限{deadline_zh(f['acceptance_due'])}届满）"
        ),
        evidence_keys=(*_CASE_KEYS, "decision_count", "acceptance_due"),
        period=lambda f: None,
    ),
    RuleDef(
        rule_id="case.village_escalation",
        condition=lambda p: all_of({"kind": "case"}, OPEN, UNESCALATED_VILLAGE_DISPUTE, past("escalation_due", p)),
        subject=lambda f: f["case_number"],
        message=lambda f, p: (
            f"村级{_case(f)}于{f['reported_at']}登记，超过{p['E']}日仍未化解，也未上报乡镇综治中心"
        ),
        evidence_keys=(*_CASE_KEYS, "escalation_count", "escalations", "escalation_due"),
        period=lambda f: None,
    ),
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
)
