"""`cadence.*`: how often each township holds its joint meetings (thematic monthly, plenary quarterly) and
the early warning of an open month short of thematic meetings (黄牌, NOTICE).

The monthly and quarterly rules test township_month / township_quarter facts. `cadence.thematic_at_risk`
tests the township_open_month fact against the run's constants: `AS_OF`, `AS_OF_DAY_PLUS_R` (the as-of's
local day number plus R) and the thematic minimum N of `cadence.thematic_monthly`. The days left are
the days of the month after the as-of's local day (DESIGN §2: June, as-of on the 23rd: 7 days left),
plain calendar days: the fact's `period_last_day_number` ≤ d + R.
"""

from __future__ import annotations

from rules.rulesets import Fact, RuleDef, all_of, gt, lt, lte

PERIOD_KEYS = (  # what every period finding keeps as evidence (also `supervision.*`)
    "township", "township_name", "period", "period_start", "period_end", "period_last_day", "assignee_id"
)


def where(fact: Fact) -> str:
    """The township and period a finding is about, as the message names them: `逢亭镇（522728109）2023-01`."""
    return f"{fact['township_name']}（{fact['township']}）{fact['period']}"


THEMATIC_N = "cadence.thematic_monthly:N"

RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="cadence.thematic_monthly",
        condition=lambda p: all_of({"kind": "township_month"}, lt("thematic_held", p["N"])),
        subject=lambda f: f["township"],
        message=lambda f, p: f"{where(f)}实际召开专题会{f['thematic_held']}次，少于每月{p['N']}次的要求",
        evidence_keys=(*PERIOD_KEYS, "thematic_held", "thematic_meetings", "thematic_not_held"),
    ),
    RuleDef(
        rule_id="cadence.plenary_quarterly",
        condition=lambda p: all_of({"kind": "township_quarter"}, lt("plenary_held", p["N"])),
        subject=lambda f: f["township"],
        message=lambda f, p: f"{where(f)}实际召开全体会{f['plenary_held']}次，少于每季度{p['N']}次的要求",
        evidence_keys=(*PERIOD_KEYS, "plenary_held", "plenary_meetings", "plenary_not_held"),
    ),
    RuleDef(
        rule_id="cadence.thematic_at_risk",
        condition=lambda p: all_of(
            {"kind": "township_open_month"},
            lt("thematic_held_or_scheduled", p[THEMATIC_N]),
            gt("period_end_epoch", p["AS_OF"]),
            lte("period_last_day_number", p["AS_OF_DAY_PLUS_R"]),
        ),
        subject=lambda f: f["township"],
        message=lambda f, p: (
            f"{f['township_name']}（{f['township']}）{f['period']}已召开和已安排的专题会共"
            f"{f['thematic_held_or_scheduled']}次，本月所剩不超过{p['R']}日，少于每月{p[THEMATIC_N]}次的要求"
        ),
        evidence_keys=(
            "township", "township_name", "period", "period_start", "period_end", "assignee_id",
            "thematic_held_or_scheduled", "thematic_meetings",
        ),
    ),
)
