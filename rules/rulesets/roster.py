"""Roster rules: every grid has a grid worker and every household group a head, at the as-of.

A unit retired (merged or dissolved) on or before the as-of needs nobody: `retired_epoch > AS_OF` keeps the live ones.
"""

from __future__ import annotations

from rules.rulesets import RuleDef, all_of, gt, lt

RULES: tuple[RuleDef, ...] = (
    RuleDef(
        rule_id="roster.grid_worker_missing",
        condition=lambda p: all_of({"kind": "grid"}, lt("worker_count", 1), gt("retired_epoch", p["AS_OF"])),
        subject=lambda f: f["code"],
        message=lambda f, p: f"网格{f['code']}没有在岗的网格员",
        evidence_keys=("code", "township", "worker_count", "assignee_id"),
        period=lambda f: None,
    ),
    RuleDef(
        rule_id="roster.household_head_missing",
        condition=lambda p: all_of({"kind": "household_group"}, lt("head_count", 1), gt("retired_epoch", p["AS_OF"])),
        subject=lambda f: f["code"],
        message=lambda f, p: f"联户{f['code']}没有在岗的联户长",
        evidence_keys=("code", "township", "head_count", "assignee_id"),
        period=lambda f: None,
    ),
)
