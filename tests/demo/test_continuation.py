"""The demo after 2023: the 2023 part untouched, the cadence kept, deadlines kept except the planted few."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest

from core import clock
from server.cli.demo import _day, build_day
from server.demo import plan, plan_later
from server.demo.generate import build_luodian
from core.statistics import SEED_FIGURES, document_figures
from tests.demo.conftest import BUILD_DAY

TZ = ZoneInfo("Asia/Shanghai")
INSTANT = datetime(2026, 11, 30, tzinfo=TZ)
END_2023 = datetime(2024, 1, 1, tzinfo=TZ)


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(TZ)


def part_before(doc: dict[str, Any], end: datetime) -> dict[str, Any]:
    """What a document says about the time before `end`: dated items, timelines and assignments clipped there."""
    last = (end - timedelta(days=1)).date().isoformat()
    county = doc["counties"][0]

    def clip(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for entry in entries:
            if entry.get("from", "") <= last:
                out.append({**entry, "to": min(entry.get("to", last), last)})
        return out

    cases = []
    for case in doc["cases"]:
        if _local(case["reportedAt"]) < end:
            cases.append({**case, "events": [e for e in case["events"] if _local(e["at"]) < end]})
    return {
        "people": [p for p in doc["people"] if p["id"] in {r["person"] for r in clip(county["bureau"])} or p["id"] <= "P08900"],
        "bureau": clip(county["bureau"]),
        "townships": county["townships"],
        "supervision": sorted(clip(county["supervision"]), key=lambda e: (e["township"], e["from"])),
        "meetings": sorted((m for m in doc["meetings"] if _local(m["heldAt"]) < end), key=lambda m: m["id"]),
        "cases": sorted(cases, key=lambda c: c["number"]),
        "visits": [v for v in doc["mediationVisits"] if _local(v["at"]) < end],
    }


def test_the_2023_part_of_the_demo_is_exactly_the_2023_document(document: dict[str, Any], later_document: dict[str, Any]) -> None:
    assert part_before(later_document, END_2023) == part_before(document, END_2023)
    assert document_figures(later_document) == {key: seed.value for key, seed in SEED_FIGURES.items()}


def test_the_county_says_its_records_are_complete_from_2023() -> None:
    doc = build_luodian(date(2024, 1, 20))
    assert doc["counties"][0]["supervisedFrom"] == "2023-01-01"


def test_the_same_build_day_gives_the_same_bytes_and_a_later_day_keeps_the_history() -> None:
    early = build_luodian(date(2024, 3, 15))
    assert orjson.dumps(early) == orjson.dumps(build_luodian(date(2024, 3, 15)))
    later = build_luodian(date(2024, 5, 2))
    cut = datetime(2024, 3, 15, tzinfo=TZ)
    same, grown = part_before(early, cut), part_before(later, cut)
    assert same["meetings"] == grown["meetings"] and same["visits"] == grown["visits"]
    assert [c["number"] for c in same["cases"]] == [c["number"] for c in grown["cases"]]


def test_nothing_lies_after_the_build_instant_but_scheduled_meetings(later_document: dict[str, Any]) -> None:
    assert all(_local(m["heldAt"]) < INSTANT or m["status"] == "SCHEDULED" for m in later_document["meetings"])
    assert all(_local(m["heldAt"]) < INSTANT for m in later_document["meetings"] if m["status"] == "HELD")
    assert all(_local(c["reportedAt"]) < INSTANT for c in later_document["cases"])
    assert all(_local(e["at"]) < INSTANT for c in later_document["cases"] for e in c["events"])
    assert all(_local(v["at"]) < INSTANT for v in later_document["mediationVisits"])
    county = later_document["counties"][0]
    assert all(e["from"] <= BUILD_DAY.isoformat() for e in county["supervision"] + county["bureau"] if "from" in e)


def test_the_open_month_is_planned_as_scheduled_meetings() -> None:
    doc = build_luodian(date(2024, 2, 1))  # February opens with both sessions of every township still ahead
    february = [m for m in doc["meetings"] if m["heldAt"].startswith("2024-02") and m["kind"] == "THEMATIC"]
    assert len(february) == 20 and {m["status"] for m in february} == {"SCHEDULED"}
    assert not any(m["cases"] for m in february)


def test_townships_keep_the_cadence_except_the_planted_misses(later_document: dict[str, Any]) -> None:
    held = [m for m in later_document["meetings"] if m["status"] == "HELD" and _local(m["heldAt"]) >= END_2023]
    thematic = Counter((m["township"], _local(m["heldAt"]).year, _local(m["heldAt"]).month) for m in held if m["kind"] == "THEMATIC")
    plenary = Counter((m["township"], _local(m["heldAt"]).year, (_local(m["heldAt"]).month - 1) // 3 + 1)
                      for m in held if m["kind"] == "PLENARY")
    months = [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13) if (y, m) < (2026, 11)]
    short = {(t.code, y, m) for t in plan.TOWNSHIPS for y, m in months if thematic[(t.code, y, m)] < 2}
    assert short == {k for k in plan_later.ONE_THEMATIC if k[1:] < (2026, 11)}
    quarters = [(y, q) for y in (2024, 2025, 2026) for q in range(1, 5) if (y, q) < (2026, 4)]
    assert {(t.code, y, q) for t in plan.TOWNSHIPS for y, q in quarters if not plenary[(t.code, y, q)]} == plan_later.NO_PLENARY
    cancelled = [m for m in later_document["meetings"] if m["status"] == "CANCELLED" and _local(m["heldAt"]) >= END_2023]
    assert len(cancelled) == 2 and all(m["title"].endswith("（取消）") for m in cancelled)


def test_supervision_follows_the_rotation_with_one_leader_per_township_every_day(later_document: dict[str, Any]) -> None:
    entries = later_document["counties"][0]["supervision"]
    day = date(2023, 1, 1)
    while day < BUILD_DAY:
        iso = day.isoformat()
        per_township = Counter(e["township"] for e in entries if e["from"] <= iso and iso <= e.get("to", "9999"))
        assert set(per_township) == {p.code for p in plan.TOWNSHIPS} and set(per_township.values()) == {1}, day
        day += timedelta(days=1)
    assert len(entries) == len(plan.SUPERVISION) + len(plan_later.ROTATIONS)
    bureau = {b["person"]: b for b in later_document["counties"][0]["bureau"]}
    assert bureau["P00007"]["to"] == "2025-06-30" and bureau["P08901"]["from"] == "2025-07-01"


def _due(case: dict[str, Any]) -> list[tuple[str, datetime]]:
    """An independent reading of the case rules' deadlines (DESIGN §2, defaults): (rule, end of the last day)."""
    def end_of(start: datetime, n: int) -> datetime:
        day = start.astimezone(TZ).date() + timedelta(days=n + 1)
        return datetime(day.year, day.month, day.day, tzinfo=TZ)

    events = case["events"]
    if any(e["type"] in ("RESOLVED", "REJECTED", "CLOSED") for e in events[-1:]):
        return []
    reported = _local(case["reportedAt"])
    if case["kind"] == "DISPUTE":
        out = [("case.overdue", end_of(reported, 30))]
        if case["level"] == "VILLAGE" and not any(e["type"] == "ESCALATED" for e in events):
            out.append(("case.village_escalation", end_of(reported, 15)))
        return out
    accepted = next((_local(e["at"]) for e in events if e["type"] == "ACCEPTED"), None)
    if accepted is None:
        return [("case.acceptance_overdue", end_of(reported, 15))]
    extension = sum(e["days"] for e in events if e["type"] == "EXTENDED")
    return [("case.overdue", end_of(accepted, 60 + extension))]


def test_open_cases_keep_their_deadlines_except_the_four_planted(later_document: dict[str, Any]) -> None:
    late = Counter(rule for c in later_document["cases"] for rule, due in _due(c) if due <= INSTANT)
    assert late == {"case.overdue": 2, "case.acceptance_overdue": 1, "case.village_escalation": 1}
    open_cases = [c for c in later_document["cases"] if _due(c)]
    assert 5 < len(open_cases) < 100  # the build day catches some cases while they are being handled
    reported = Counter(_local(c["reportedAt"]).year for c in later_document["cases"] if c["kind"] == "DISPUTE")
    assert 1150 <= reported[2024] <= 1300 and 1150 <= reported[2025] <= 1300


def test_the_build_day_comes_from_the_option_then_the_environment_then_shanghai_today() -> None:
    assert build_day(date(2025, 3, 1), {"LIANXI_DEMO_TODAY": "2026-11-30"}) == date(2025, 3, 1)
    assert build_day(None, {"LIANXI_DEMO_TODAY": "2026-11-30"}) == date(2026, 11, 30)
    with clock.frozen(datetime(2026, 12, 7, 23, 30, tzinfo=TZ)):  # late evening in Shanghai: still the 7th there
        assert build_day(None, {}) == date(2026, 12, 7)
    with clock.frozen(datetime(2026, 12, 7, 16, 30, tzinfo=UTC)):  # 00:30 on the 8th in Shanghai, the 7th in UTC
        assert build_day(None, {}) == date(2026, 12, 8)
    with pytest.raises(argparse.ArgumentTypeError, match="2024-01-01 or later"):
        _day("2023-12-31")
    with pytest.raises(SystemExit, match="LIANXI_DEMO_TODAY"):
        build_day(None, {"LIANXI_DEMO_TODAY": "30/11/2026"})


def test_later_timelines_are_ordered_and_valid(later_document: dict[str, Any]) -> None:
    from models.enums import CaseEventType, CaseOutcome

    for case in later_document["cases"]:
        reported = _local(case["reportedAt"])
        times = [_local(e["at"]) for e in case["events"]]
        assert times == sorted(times) and all(t > reported for t in times), case["number"]
        for event in case["events"]:
            assert event["type"] in CaseEventType.__members__
            assert ("outcome" in event) == (event["type"] == "RESOLVED")
            assert "outcome" not in event or event["outcome"] in CaseOutcome.__members__
            if event["type"] == "EXTENDED":
                assert event["days"] == 30 and event["approver"] == plan.BUREAU_HEAD[0]
    later = [c for c in later_document["cases"] if _local(c["reportedAt"]) >= END_2023]
    assert all(c["number"].split("-")[-2] == str(_local(c["reportedAt"]).year) for c in later)
    assert any(e["type"] == "EXTENDED" for c in later for e in c["events"])
    assert any(e["type"] == "CLOSED" for c in later for e in c["events"])
    assert any(e["type"] == "REJECTED" for c in later for e in c["events"])
