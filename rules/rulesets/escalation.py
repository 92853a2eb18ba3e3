"""`alert.unacknowledged`: an open alert not acknowledged within A days is escalated (no new alert)."""

from __future__ import annotations

from rules.rulesets import RuleDef, all_of, gte

SECONDS_PER_DAY = 86_400

RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="alert.unacknowledged",
        condition=lambda p: all_of({"kind": "alert"}, gte("open_seconds", p["A"] * SECONDS_PER_DAY)),
        subject=lambda f: f["subject_code"],
        message=lambda f, p: f"预警（{f['alert_rule_id']}，{f['subject_code']}）发出后{p['A']}日内未签收，升级至县信访局主要负责同志",
        evidence_keys=("alert_id", "fingerprint", "alert_rule_id", "subject_code", "period", "township", "raised_at"),
    ),
)
