"""The durable-rules engine: isolated evaluations that leak nothing, record consequence errors, and catch everything."""

from __future__ import annotations

import gc
import threading
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rules.config import RulesConfig
from rules.engine import evaluate, evaluate_async
from rules.facts import NEVER_RETIRED_EPOCH
from rules.workdays import day_number

SETTINGS = RulesConfig().for_county("522728")
SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2023, 6, 1, tzinfo=SHANGHAI)


def run(facts: list[dict]):  # type: ignore[no-untyped-def]
    return evaluate(facts=facts, settings=SETTINGS, as_of=AS_OF, tz=SHANGHAI)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc/self/status on this platform")


def _month(code: str, period: str, held: int, supervised: bool = True, assigned: bool = True) -> dict:
    return {
        "id": f"township_month|{code}|{period}",
        "kind": "township_month",
        "township": code,
        "township_name": "沫阳镇",
        "period": period,
        "thematic_held": held,
        "thematic_meetings": [{"id": 1, "attendees": [{"id": 2, "roles": ["BUREAU_LEADER"]}]}],
        "supervised_meetings": int(supervised),
        "assigned_leader_meetings": int(supervised and assigned),
        "assignee_id": 7,
    }


def _facts(n: int) -> list[dict]:
    facts = [_month(f"5227281{i % 100:02d}", f"2023-{i % 12 + 1:02d}-{i}", i % 3) for i in range(n)]
    facts += [{"id": f"grid|{i}", "kind": "grid", "code": f"g{i}", "township": "522728109", "worker_count": int(i % 7 != 0), "retired_epoch": NEVER_RETIRED_EPOCH} for i in range(n)]
    return facts


def test_each_rule_fires_on_its_constant_test_and_every_other_fact_is_absorbed() -> None:
    facts = [
        _month("522728109", "2023-01", held=1),
        _month("522728109", "2023-02", held=2, supervised=False),
        _month("522728109", "2023-03", held=2, assigned=False),
        {"id": "x|1", "kind": "something_no_rule_knows"},
    ]
    result = run(facts)
    assert result.errors == []
    assert [(f["ruleId"], f["period"]) for f in result.findings] == [
        ("cadence.thematic_monthly", "2023-01"),
        ("supervision.assigned_leader", "2023-03"),
        ("supervision.monthly_coverage", "2023-02"),
    ]
    assert result.findings[0]["evidence"]["thematic_meetings"][0]["attendees"][0]["roles"] == ["BUREAU_LEADER"]


def test_a_failing_consequence_is_recorded_not_swallowed() -> None:
    broken = _month("522728109", "2023-01", held=0)
    del broken["township_name"]  # the message cannot be built
    result = run([broken, _month("522728110", "2023-01", held=0)])
    assert [e["ruleId"] for e in result.errors] == ["cadence.thematic_monthly"]
    assert "KeyError" in result.errors[0]["error"] and result.errors[0]["factId"] == broken["id"]
    assert [f["subjectCode"] for f in result.findings if f["ruleId"] == "cadence.thematic_monthly"] == ["522728110"]


def test_duplicate_fact_ids_are_refused_before_reaching_the_engine() -> None:
    with pytest.raises(ValueError, match="unique"):
        run([_month("522728109", "2023-01", 0), _month("522728109", "2023-01", 0)])


def test_an_empty_evaluation_is_fine() -> None:
    assert run([]).findings == []


def test_two_hundred_evaluations_do_not_leak_memory_or_threads() -> None:
    facts = _facts(300)
    run(facts)  # warm up allocators
    gc.collect()
    threads, before = threading.active_count(), _rss_mb()
    names = set()
    for _ in range(200):
        result = run(facts)
        names.add(result.ruleset_name)
        assert len(result.findings) == 200 + 43 and not result.errors
    gc.collect()
    growth = _rss_mb() - before
    assert len(names) == 200  # one fresh ruleset per evaluation
    assert threading.active_count() == threads  # no durable-rules timer threads
    assert growth < 25, f"RSS grew {growth:.1f} MB over 200 evaluations"


async def test_evaluations_run_off_the_event_loop_and_can_overlap() -> None:
    import asyncio

    results = await asyncio.gather(*(evaluate_async(facts=_facts(50), settings=SETTINGS, as_of=AS_OF, tz=SHANGHAI) for _ in range(8)))
    assert {len(r.findings) for r in results} == {len(results[0].findings)} and not any(r.errors for r in results)


def test_every_catalog_rule_has_exactly_one_ruleset_definition() -> None:
    from rules.catalog import CATALOG
    from rules.rulesets import ALL_RULES

    assert sorted(r.rule_id for r in ALL_RULES) == sorted(CATALOG)


def test_each_rule_lives_in_the_ruleset_file_named_by_its_family() -> None:
    """`cadence.x` is in rules/rulesets/cadence.py, `alert.x` in alerts.py: a rule's file follows from its id."""
    import importlib
    import pkgutil

    import rules.rulesets

    for module in pkgutil.iter_modules(rules.rulesets.__path__):
        family = module.name.removesuffix("s") if module.name in ("alerts", "cases") else module.name
        ids = [r.rule_id for r in importlib.import_module(f"rules.rulesets.{module.name}").RULES]
        assert ids and all(rule_id.split(".")[0] == family for rule_id in ids), (module.name, ids)


def test_rules_compare_measurements_with_the_as_of_given_as_a_constant() -> None:
    fact = {"id": "case|X", "kind": "case", "case_number": "X", "case_kind": "DISPUTE", "status": "REPORTED",
            "level": "TOWNSHIP", "escalation_count": 0, "decision_count": 0, "township": "522728109",
            "due_at": "2023-06-02T00:00:00+08:00", "due_at_epoch": int(datetime(2023, 6, 2, tzinfo=SHANGHAI).timestamp()),
            "due_at_day": day_number(date(2023, 6, 1)),  # the last day, as a day number
            "due_basis": "reported", "handling_days": 30, "extension_days": 0}

    def rules_at(moment: datetime) -> list[str]:
        result = evaluate(facts=[fact], settings=SETTINGS, as_of=moment, tz=SHANGHAI)
        assert result.errors == []
        return [f["ruleId"] for f in result.findings]

    assert rules_at(datetime(2023, 5, 26, 23, 59, tzinfo=SHANGHAI)) == []
    assert rules_at(datetime(2023, 5, 27, tzinfo=SHANGHAI)) == ["case.due_soon"]  # L − d = 5 ≤ W
    assert rules_at(datetime(2023, 6, 1, 23, 59, 59, tzinfo=SHANGHAI)) == ["case.due_soon"]
    assert rules_at(datetime(2023, 6, 2, tzinfo=SHANGHAI)) == ["case.overdue"]
