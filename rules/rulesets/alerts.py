"""`alert.unacknowledged`: an open alert not acknowledged within A days is escalated (no new alert).

The alert fact carries `escalate_epoch`: the end of the A-day period counted from the raise like every
day count (start day not counted, ends 24:00 local; `rules.deadlines.due_at`), in plain calendar days: an
operational count of Lianxi's own, not a statutory deadline, so no rest day moves it (DESIGN §2).
"""

from __future__ import annotations

from rules.rulesets import RuleDef, all_of, lte

RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="alert.unacknowledged",
        condition=lambda p: all_of({"kind": "alert"}, lte("escalate_epoch", p["AS_OF"])),
        subject=lambda f: f["subject_code"],
        message=lambda f, p: f"预警（{f['alert_rule_id']}，{f['subject_code']}）发出后{p['A']}日内未签收，升级至县信访局主要负责同志",
        evidence_keys=("alert_id", "fingerprint", "alert_rule_id", "subject_code", "period", "township", "raised_at", "escalate_at"),
    ),
)
