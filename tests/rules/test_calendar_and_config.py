"""Periods, Civil Code deadlines and the per-county rules file, without a database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.config import RulesConfigError, load_rules_config, parse_rules_config
from rules.deadlines import days_past, due_at, is_past
from rules.periods import closed_periods, evaluable, month_of, parse_period, quarter_of
from rules.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_periods_have_stable_labels_and_local_bounds() -> None:
    may = month_of(date(2023, 5, 17), TZ)
    assert may.label == "2023-05" and may.start == at(2023, 5, 1) and may.end == at(2023, 6, 1)
    assert may.last == date(2023, 5, 31)
    q2 = quarter_of(date(2023, 5, 17), TZ)
    assert q2.label == "2023-Q2" and q2.start == at(2023, 4, 1) and q2.end == at(2023, 7, 1)
    assert [m.label for m in q2.months()] == ["2023-04", "2023-05", "2023-06"]
    assert quarter_of(date(2023, 12, 31), TZ).end == at(2024, 1, 1)
    assert parse_period("2023-Q4", TZ).first == date(2023, 10, 1) and parse_period("2023-02", TZ).last == date(2023, 2, 28)
    with pytest.raises(ValueError):
        parse_period("2023-13", TZ)


def test_a_period_is_closed_at_its_end_and_evaluable_from_establishment_on_its_first_day() -> None:
    months = [p.label for p in closed_periods("month", since=date(2023, 1, 15), as_of=at(2023, 4, 1), tz=TZ)]
    assert months == ["2023-01", "2023-02", "2023-03"]
    assert [p.label for p in closed_periods("month", since=date(2023, 1, 15), as_of=at(2023, 3, 31, 23, 59), tz=TZ)] == [
        "2023-01",
        "2023-02",
    ]
    assert evaluable(month_of(date(2023, 2, 1), TZ), date(2023, 2, 1))
    assert not evaluable(month_of(date(2023, 2, 1), TZ), date(2023, 2, 2))
    assert not evaluable(month_of(date(2023, 2, 1), TZ), None)


def test_civil_code_counting_does_not_count_the_start_day_and_ends_at_24_00() -> None:
    due = due_at(at(2023, 5, 2, 10), 30, TZ)
    assert due == at(2023, 6, 2)  # end of 06-01
    assert not is_past(due, due - timedelta(seconds=1)) and is_past(due, due + timedelta(seconds=1))
    assert days_past(due, at(2023, 6, 2, 8), TZ) == 1 and days_past(due, at(2023, 6, 1, 23), TZ) == 0
    # 23:30 local on 05-02 is 15:30 UTC the same day; 00:30 local on 05-03 is still 05-02 in UTC
    assert due_at(at(2023, 5, 3, 0, 30), 30, TZ) == at(2023, 6, 3)


def test_a_last_day_on_holidays_moves_to_the_next_working_day() -> None:
    county = WorkCalendar(kind="plain", add=frozenset({date(2023, 10, d) for d in range(1, 7)}))
    assert due_at(at(2023, 9, 1, 9), 30, TZ, calendar=county) == at(2023, 10, 8)  # last day 10-01 → 10-07
    assert due_at(at(2023, 9, 1, 9), 29, TZ, calendar=county) == at(2023, 10, 1)  # 09-30 is a working day here


def test_the_rules_file_overrides_per_county_and_falls_back_to_defaults(tmp_path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        'holidays = ["2023-10-02"]\n'
        '[parameters."case.overdue"]\nD = 20\n'
        '[counties."522728"]\nholidays = ["2023-10-03"]\n'
        '[counties."522728".parameters."cadence.thematic_monthly"]\nN = 3\n',
        encoding="utf-8",
    )
    config = load_rules_config(path)
    luodian, other = config.for_county("522728"), config.for_county("520000")
    assert luodian.params("cadence.thematic_monthly") == {"N": 3} and luodian.params("case.overdue")["D"] == 20
    assert luodian.calendar.add == {date(2023, 10, 3)} and other.calendar.add == {date(2023, 10, 2)}  # `holidays` = add
    assert other.params("cadence.thematic_monthly") == {"N": 2}
    assert luodian.as_record()["calendar"]["add"] == ["2023-10-03"]
    assert load_rules_config(None).for_county("522728").params("alert.unacknowledged") == {"A": 3}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"counties": {"522728": {"parameters": {"cadence.monthly": {"N": 3}}}}}, 'counties.522728.parameters."cadence.monthly": unknown rule id'),
        ({"counties": {"522728": {"parameters": {"cadence.thematic_monthly": {"M": 3}}}}}, ".M: unknown parameter (the rule takes: N)"),
        ({"counties": {"522728": {"parameters": {"cadence.thematic_monthly": {"N": "3"}}}}}, ".N must be a whole number"),
        ({"counties": {"522728": {"parameters": {"cadence.thematic_monthly": {"N": 0}}}}}, ".N must be between 1 and 31"),
        ({"counties": {"522728": {"holidays": ["2023-02-30"]}}}, "counties.522728.holidays[0] is not a date"),
        ({"counties": {"52272": {}}}, "counties.52272: a county code has 6 digits"),
        ({"counties": {"522728": {"holiday": []}}}, "counties.522728.holiday: unknown key"),
        ({"parameters": {"case.overdue": 30}}, 'parameters."case.overdue" must be a table'),
    ],
)
def test_a_bad_value_in_the_rules_file_names_its_key(document: dict, message: str) -> None:
    with pytest.raises(RulesConfigError) as info:
        parse_rules_config(document)
    assert message in str(info.value)


def test_an_unreadable_rules_file_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[counties\n", encoding="utf-8")
    with pytest.raises(RulesConfigError, match="not valid TOML"):
        load_rules_config(path)
