"""A report keeps the event loop turning: its pure-Python steps (facts, findings, grid, digest) run on worker threads.

The database reads stay on the loop; what a report does with the rows held the loop 100–150 ms at a time (issue 24).
Counted, not timed: a coroutine beside the report counts its turns, and each step handed to a thread notes the
count when it starts and ends; while a step runs on its thread the loop must go on turning.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.reports.service import run_report
from rules.config import RulesConfig

TZ = ZoneInfo("Asia/Shanghai")
# the pure-Python steps that must not run on the loop (named by the function that hands them over)
STEPS = {"build_case_facts", "_roster_facts", "period_facts", "_meetings_by_period", "build_facts", "_findings", "build_report"}


@pytest.mark.parametrize("known_at", [None, datetime(2023, 12, 1, tzinfo=TZ)], ids=["asOf", "knownAt"])
async def test_the_loop_keeps_turning_while_a_report_builds_its_facts(demo: str, monkeypatch: pytest.MonkeyPatch,
                                                                        known_at: datetime | None) -> None:
    turns, done = [0], asyncio.Event()
    steps: list[tuple[str, int, int, bool]] = []  # (handed over by, turns at its start, at its end, ran off the loop thread)
    loop_thread = threading.get_ident()
    original = asyncio.to_thread

    async def noted(work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        owner = work.__code__.co_qualname.split(".")[0] if hasattr(work, "__code__") else getattr(work, "__name__", "?")

        def run() -> Any:
            start = turns[0]
            try:
                return work(*args, **kwargs)
            finally:
                steps.append((owner, start, turns[0], threading.get_ident() != loop_thread))

        return await original(run)

    async def turn() -> None:
        while not done.is_set():
            await asyncio.sleep(0)
            turns[0] += 1

    monkeypatch.setattr(asyncio, "to_thread", noted)
    turning = asyncio.create_task(turn())
    try:
        report = await run_report(rules=RulesConfig(), county_code="522728", first_day=date(2023, 1, 1), last_day=date(2023, 12, 31),
                                  as_of=datetime(2024, 1, 1, tzinfo=TZ), known_at=known_at, actor="test")
    finally:
        done.set()
        await turning
    assert report.findings and report.months
    handed_over = {owner for owner, *_ in steps}
    expected = STEPS
    if known_at is not None and not any(f.rule_id.startswith("case.") for f in report.findings):
        expected = STEPS - {"build_case_facts"}  # the rewind removed every case entered after knownAt: none to replay
    assert expected <= handed_over, f"still on the loop: {sorted(expected - handed_over)} (handed over: {sorted(handed_over)})"
    assert all(off for *_, off in steps)
    during = sum(end - start for _, start, end, _ in steps)
    assert during >= len(STEPS), f"the loop turned {during} times while {len(steps)} steps ran on threads"
