"""A bureau loads the demo built on 2026-11-30 and checks it that day: a handful of alerts, each explained."""

from __future__ import annotations

import pytest

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from rules.config import RulesConfig
from models.alerts import Alert
from models.enums import AlertStatus
from rules.catalog import RULES
from core.compliance import run_compliance
from server.demo import plan
from core.statistics import SEED_FIGURES, seed_figures

BUILD_INSTANT = datetime(2026, 11, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
# Open alerts of periods after 2023 and of cases, at 00:00 of 2026-11-30 (see README, "The demo's alerts"):
OPEN_AFTER_2023 = {
    "cadence.thematic_monthly": 2,  # 凤亭乡 2025-02 (second session cancelled, Spring Festival), 龙坪镇 2026-10
    "cadence.plenary_quarterly": 1,  # 红水河镇 2025-Q3
    "supervision.monthly_coverage": 1,  # 边阳镇 2026-06: the leader came without a staff member
    "supervision.assigned_leader": 1,  # 木引镇 2026-09: 王建华 stood in for the assigned 韦国林
    # a land dispute escalated to the county (due 10-21); a petition accepted 08-03 (60 days end 10-02, in the
    # National Day holiday: due 10-08 by the national calendar)
    "case.overdue": 2,
    "case.acceptance_overdue": 1,  # a petition reported 11-09, not accepted by 11-24 (a Tuesday)
    # a neighbour dispute reopened at village level on 11-11, never escalated (E ends Sat 11-21 → Mon 11-23)
    "case.village_escalation": 1,
    "cadence.thematic_at_risk": 1,  # 茂井镇 planned one November session only (early warning, open month)
    "case.due_soon": 0,  # no open case has a deadline whose last day is within five days of 2026-11-30
}
# The planted cases' deadlines as the national calendar moves them (a petition's 10-02 and a Saturday moved).
PLANTED_DEADLINES = {
    ("case.overdue", "522728-XF-2026-0025"): "2026-10-08 24:00",
    ("case.acceptance_overdue", "522728-XF-2026-0037"): "2026-11-24 24:00",
}


@pytest.mark.heavy
async def test_the_demo_checked_on_its_build_day_has_a_handful_of_alerts_each_planted(later_demo: str) -> None:
    result = await run_compliance(rules=RulesConfig(), county_code="522728", as_of=BUILD_INSTANT, trigger="MANUAL", actor="test")

    assert not result.errors
    alerts = await Alert.filter(status=AlertStatus.OPEN).values("rule_id", "period", "subject_code")
    later = Counter(a["rule_id"] for a in alerts if a["period"] is None or a["period"] > "2024")
    in_catalog = {spec.id for spec in RULES}
    assert dict(later) == {rule: n for rule, n in OPEN_AFTER_2023.items() if rule in in_catalog and n}
    messages = {(a["rule_id"], a["subject_code"]): a["message"] for a in await Alert.filter(status=AlertStatus.OPEN).values("rule_id", "subject_code", "message")}
    for key, deadline in PLANTED_DEADLINES.items():
        assert deadline in messages[key], messages[key]
    of_2023 = {(a["rule_id"], a["subject_code"], a["period"]) for a in alerts if a["period"] and a["period"] < "2024"}
    assert of_2023 <= set(plan.expected_period_findings())  # an engine evaluating 2023 finds only the 2023 plan's gaps
    figures = await seed_figures(county_code="522728", year=2023)
    assert {f.key: f.computed for f in figures} == {key: seed.value for key, seed in SEED_FIGURES.items()}
