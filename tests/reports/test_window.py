"""Which periods and findings a window holds, and the arguments a report refuses (no database)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.reports.build import check_rule_ids
from core.reports.digest import findings_digest
from core.reports.model import ReportFinding
from core.reports.window import ReportInputError, check_window

TZ = ZoneInfo("Asia/Shanghai")


def test_a_window_holds_the_months_and_quarters_it_overlaps() -> None:
    window = check_window(date(2023, 2, 15), date(2023, 4, 1), TZ)

    assert [p.label for p in window.periods("month")] == ["2023-02", "2023-03", "2023-04"]
    assert [p.label for p in window.periods("quarter")] == ["2023-Q1", "2023-Q2"]
    assert window.holds_period("2023-02") and window.holds_period("2023-Q2") and not window.holds_period("2023-05")
    assert window.end == datetime(2023, 4, 2, tzinfo=TZ)


def test_case_findings_belong_when_their_time_limit_ended_by_the_end_of_the_window() -> None:
    window = check_window(date(2023, 1, 1), date(2023, 12, 31), TZ)
    case = {"ruleId": "case.overdue", "period": None}

    assert window.holds(case, datetime(2022, 2, 11, tzinfo=TZ))  # overdue since before the window, still open
    assert window.holds(case, datetime(2024, 1, 1, tzinfo=TZ))  # ended at 24:00 on 31 December
    assert not window.holds(case, datetime(2024, 1, 2, tzinfo=TZ))
    assert window.holds({"ruleId": "roster.grid_worker_missing", "period": None}, None)


@pytest.mark.parametrize(
    ("first", "last", "argument"),
    [
        (date(2023, 5, 1), date(2023, 1, 1), "from"),
        (date(2020, 1, 1), date(2023, 12, 31), "to"),
        (date(1899, 1, 1), date(1899, 2, 1), "from"),  # before core.periods.FIRST_YEAR
    ],
)
def test_bad_windows_name_the_argument(first: date, last: date, argument: str) -> None:
    with pytest.raises(ReportInputError) as raised:
        check_window(first, last, TZ)
    assert raised.value.argument == argument


def test_three_whole_years_are_allowed() -> None:
    window = check_window(date(2021, 1, 1), date(2023, 12, 31), TZ)
    assert (window.first, window.last) == (date(2021, 1, 1), date(2023, 12, 31))


def test_rule_ids_are_checked_and_kept_in_catalog_order() -> None:
    assert check_rule_ids(["case.overdue", "cadence.thematic_monthly"]) == ("cadence.thematic_monthly", "case.overdue")
    assert "alert.unacknowledged" not in check_rule_ids(None)
    with pytest.raises(ReportInputError, match="rules: unknown rule id"):
        check_rule_ids(["cadence.weekly"])


def test_the_digest_is_sha256_of_the_documented_canonical_json() -> None:
    finding = ReportFinding(
        rule_id="cadence.thematic_monthly", rule_version=1, severity="VIOLATION", subject_code="522728109",
        subject_name="沫阳镇", township_code="522728109", township_name="沫阳镇", period="2023-05",
        message="沫阳镇（522728109）2023-05实际召开专题会1次", deadline=None, days_overdue=None,
        fingerprint="cadence.thematic_monthly|522728109|2023-05", evidence={"thematic_held": 1, "parameters": {"N": 2}},
    )
    expected = hashlib.sha256(
        json.dumps([finding.canonical()], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()

    assert findings_digest([finding]) == expected
    assert findings_digest([]) == hashlib.sha256(b"[]").hexdigest()
