"""Boundary stories of the time model (DESIGN §2): what a county bureau sees at the edges of time.

Run on SQLite and PostgreSQL, through the real app (GraphQL over ASGI) or the CLI where the
boundary matters.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from models.alerts import RuleRun
from models.enums import CaseEventType, CaseKind, Role
from rules.config import parse_rules_config
from rules.rulesets import RuleDef, replace_rule, rule_registry
from tests.api.graphql import query
from tests.app_with import client_with, settings_for
from tests.cli import run_cli
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found, snapshot
from tests.writes import ADD_CASE_EVENT, RECORD_MEETING, at, gid, mutate

ROOT = Path(__file__).resolve().parents[2]
TOWN = "522728109"
THEMATIC, PLENARY = "cadence.thematic_monthly", "cadence.plenary_quarterly"
COVERAGE, ASSIGNED = "supervision.monthly_coverage", "supervision.assigned_leader"
RUN = """mutation($code: String!, $asOf: DateTime) { runCompliance(countyCode: $code, asOf: $asOf) {
  run { id asOf errors counts } userErrors { field code message } } }"""


def lianxi(db_url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "LIANXI_DATABASE_URL": db_url, "COLUMNS": "140", **(env or {})}
    return run_cli(*args, env=full_env, cwd=ROOT, text=True)


async def test_the_months_before_the_first_meeting_raise_alerts(orm: str) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 3, 10, 9), attendees=w.team)  # the first record is in March
    await f.meeting(w.township, f.local(2023, 8, 10, 9))  # … and the only other one lies after the as-of
    result = await check(f.local(2023, 4, 1))
    assert [p for _, p in found(result, THEMATIC)] == ["2023-01", "2023-02", "2023-03"]
    assert [p for _, p in found(result, COVERAGE)] == ["2023-01", "2023-02"]
    assert [p for _, p in found(result, PLENARY)] == ["2023-Q1"]


async def test_a_township_that_records_nothing_is_non_compliant(orm: str) -> None:
    w = await f.world()
    await f.township(w.county, code="522728110", name="逢亭镇", established_on=date(2023, 1, 1))
    for month in (1, 2, 3):
        await f.compliant_month(w, 2023, month)
    await f.meeting(w.township, f.local(2023, 2, 15, 9), kind=f.MeetingKind.PLENARY)
    result = await check(f.local(2023, 4, 1))
    assert found(result, THEMATIC) == [("522728110", p) for p in ("2023-01", "2023-02", "2023-03")]
    assert found(result, COVERAGE) == found(result, THEMATIC)
    assert found(result, PLENARY) == [("522728110", "2023-Q1")]


async def test_a_meeting_recorded_three_years_late_resolves_its_alerts_in_the_writes_response(
    client_for, orm: str  # type: ignore[no-untyped-def]
) -> None:
    w = await f.world()
    client = await client_for("BUREAU", "522728")
    done = await mutate(client, RUN, code="522728", asOf=None)  # today: every month since 2023-01 is late
    assert done["userErrors"] == []
    assert f"{THEMATIC}|{TOWN}|2023-05" in await alerts(THEMATIC)
    changes = []
    for day in (date(2023, 5, 10), date(2023, 5, 24)):
        payload = await mutate(client, RECORD_MEETING, input={
            "townshipCode": TOWN, "kind": "THEMATIC", "status": "HELD", "heldAt": at(day),
            "attendeeIds": [gid("Person", p.id) for p in w.team],
        })
        assert payload["userErrors"] == []
        changes += [(c["kind"], c["alert"]["ruleId"], c["alert"]["period"]) for c in payload["alertChanges"]]
    assert ("RESOLVED", COVERAGE, "2023-05") in changes and ("RESOLVED", THEMATIC, "2023-05") in changes
    assert {p for _, _, p in changes} == {"2023-05"}  # only the period the write touched
    current = await alerts()
    assert current[f"{THEMATIC}|{TOWN}|2023-05"].status == "RESOLVED"
    assert current[f"{THEMATIC}|{TOWN}|2023-06"].status == "OPEN"


async def test_a_writing_check_at_an_earlier_as_of_is_refused_and_changes_nothing(client_for, orm: str) -> None:  # type: ignore[no-untyped-def]
    w = await f.world()
    await f.compliant_month(w, 2023, 1)
    assert lianxi(orm, "check", "--county", "522728", "--as-of", "2023-07-01").returncode == 0
    before, runs = await snapshot(), await RuleRun.all().count()
    refused = lianxi(orm, "check", "--county", "522728", "--as-of", "2023-03-01")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    message = refused.stderr.strip()
    assert len(message.splitlines()) == 1 and "lianxi report" in message and "lianxi replay" in message
    client = await client_for("ADMIN")
    payload = await mutate(client, RUN, code="522728", asOf="2023-01-01T00:00:00+08:00")
    assert payload["run"] is None and [e["code"] for e in payload["userErrors"]] == ["EARLIER_THAN_LATEST_RUN"]
    assert "ruleReport" in payload["userErrors"][0]["message"]
    assert await snapshot() == before and await RuleRun.all().count() == runs


async def test_a_rule_whose_consequence_raises_leaves_every_alert_of_that_rule_as_it_was(
    client_for, orm: str  # type: ignore[no-untyped-def]
) -> None:
    w = await f.world()
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=w.team)
    await f.meeting(w.township, f.local(2023, 2, 10, 9), attendees=w.team)
    admin = await client_for("ADMIN")
    assert (await mutate(admin, RUN, code="522728", asOf="2023-03-01T00:00:00+08:00"))["userErrors"] == []
    await f.meeting(w.township, f.local(2023, 1, 20, 9))  # January is now compliant: its alert would resolve
    before = {fp: a.status for fp, a in (await alerts(THEMATIC)).items()}
    assert before == {f"{THEMATIC}|{TOWN}|2023-01": "OPEN", f"{THEMATIC}|{TOWN}|2023-02": "OPEN"}
    real = next(r for r in rule_registry() if r.rule_id == THEMATIC)

    def broken_message(fact, params):  # type: ignore[no-untyped-def]
        raise RuntimeError("message template failed")

    broken = RuleDef(rule_id=THEMATIC, condition=real.condition, subject=real.subject, message=broken_message,
                     evidence_keys=real.evidence_keys)
    with replace_rule(broken):
        payload = await mutate(admin, RUN, code="522728", asOf="2023-04-01T00:00:00+08:00")
    errors = payload["run"]["errors"]
    assert errors and {e["ruleId"] for e in errors} == {THEMATIC} and "message template failed" in errors[0]["error"]
    assert {fp: a.status for fp, a in (await alerts(THEMATIC)).items()} == before  # no resolve, no raise (March)
    assert f"{COVERAGE}|{TOWN}|2023-03" in await alerts(COVERAGE)  # the other rules did their work
    bureau = await client_for("BUREAU", "522728")
    runs = await query(bureau, "{ ruleRuns(countyCode: \"522728\") { edges { node { errors } } } }")
    assert {edge["node"]["errors"] for edge in runs["ruleRuns"]["edges"]} == {None}  # errors are for admins
    printed = lianxi(orm, "check", "--county", "522728", "--as-of", "2023-04-02")
    assert printed.returncode == 0  # without the broken rule: January resolves now
    assert (await alerts(THEMATIC))[f"{THEMATIC}|{TOWN}|2023-01"].status == "RESOLVED"


async def test_an_alert_raised_07_01_10_00_escalates_at_07_05_00_00_local(orm: str) -> None:
    w = await f.world()
    await f.compliant_month(w, 2023, 5)
    await check(f.local(2023, 7, 1, 10))  # June: no meeting → raised 07-01 10:00
    fp = f"{THEMATIC}|{TOWN}|2023-06"
    assert (await alerts())[fp].raised_at == f.local(2023, 7, 1, 10)
    for moment in (f.local(2023, 7, 4, 10), f.local(2023, 7, 4, 23, 59, 59)):
        await check(moment)
        assert (await alerts())[fp].escalated_at is None
    await check(f.local(2023, 7, 5))
    assert (await alerts())[fp].escalated_at == f.local(2023, 7, 5)


async def test_two_leaders_assigned_in_one_month_each_count_on_their_own_days(orm: str) -> None:
    w = await f.world()
    other = await f.township(w.county, code="522728110", name="逢亭镇")
    second = await f.bureau(w.county, Role.BUREAU_LEADER, await f.person("领导丁"))
    await f.SupervisionAssignment.filter(leader=w.leader).update(valid_to=date(2023, 1, 15))
    await f.supervise(w.leader, other, date(2023, 1, 1), date(2023, 1, 15))
    for unit in (w.township, other):  # the rotation hands both townships over on 01-16
        await f.supervise(second, unit, date(2023, 1, 16))
    await f.meeting(w.township, f.local(2023, 1, 10, 9), attendees=[w.leader, w.staff])  # on the first one's days
    await f.meeting(w.township, f.local(2023, 1, 20, 9), attendees=[second, w.staff])  # on the second one's days
    await f.meeting(other, f.local(2023, 1, 10, 9), attendees=[second, w.staff])  # not yet assigned that day
    await f.meeting(other, f.local(2023, 1, 20, 9), attendees=[w.leader, w.staff])  # no longer assigned that day
    result = await check(f.local(2023, 2, 1))
    assert found(result, COVERAGE) == []
    assert found(result, ASSIGNED) == [("522728110", "2023-01")]
    evidence = (await alerts(ASSIGNED))[f"{ASSIGNED}|522728110|2023-01"].evidence
    assert evidence["assigned_leader_meetings"] == 0 and evidence["supervised_meetings"] == 2


async def test_a_countys_extension_cap_reaches_the_rule_and_add_case_event(orm: str) -> None:
    rules = parse_rules_config({"counties": {"522728": {"parameters": {"case.overdue": {"max_extension_days": 10}}}}})
    w = await f.world()
    accepted = f.local(2023, 3, 1, 9)
    await f.case(w.village, f.local(2023, 2, 25, 10), kind=CaseKind.PETITION, number="XF-CAP", events=[
        (CaseEventType.ACCEPTED, accepted, {}),
        (CaseEventType.EXTENDED, f.local(2023, 4, 20, 9), {"days": 20, "approver_id": w.head.id}),  # before the cap
    ])
    # 60 days + min(20, cap 10) from 03-01: last day 05-10, overdue from 05-11 00:00 (with cap 30: 05-20)
    assert found(await check(f.local(2023, 5, 10, 23, 59), write=False, rules=rules), "case.overdue") == []
    assert found(await check(f.local(2023, 5, 11), write=False, rules=rules), "case.overdue") == [("XF-CAP", None)]
    await f.case(w.village, f.local(2023, 2, 25, 10), kind=CaseKind.PETITION, number="XF-NEW",
                 events=[(CaseEventType.ACCEPTED, accepted, {})])
    event = {"caseNumber": "XF-NEW", "type": "EXTENDED", "at": at(date(2023, 4, 20)), "approverId": gid("Person", w.head.id)}
    async with client_with(settings_for(orm, rules=rules), "BUREAU", "522728") as client:
        refused = await mutate(client, ADD_CASE_EVENT, input={**event, "days": 11})
        assert [e["code"] for e in refused["userErrors"]] == ["INVALID"] and "10" in refused["userErrors"][0]["message"]
        allowed = await mutate(client, ADD_CASE_EVENT, input={**event, "days": 10})
        assert allowed["userErrors"] == []
        more = await mutate(client, ADD_CASE_EVENT, input={**event, "at": at(date(2023, 4, 21)), "days": 1})
        assert "at most 10" in more["userErrors"][0]["message"]


async def test_a_scoped_run_before_a_period_ends_leaves_that_periods_alerts_alone(orm: str) -> None:
    await f.world()
    await check(f.local(2023, 3, 1), write=True)
    feb = f"{THEMATIC}|{TOWN}|2023-02"
    assert (await alerts())[feb].status == "OPEN"
    # a scoped write run at an as-of before February ends evaluates nothing of February
    result = await check(f.local(2023, 2, 27), periods=[(TOWN, "2023-01"), (TOWN, "2023-02")], trigger="WRITE")
    assert [c.alert.fingerprint for c in result.changes if c.kind == "RESOLVED"] == []
    assert (await alerts())[feb].status == "OPEN"


SET_START = """mutation($code: String!, $date: Date) { setSupervisedFrom(countyCode: $code, date: $date) {
  county { code supervisedFrom } userErrors { field code message } } }"""


async def test_an_admin_sets_the_supervision_start_and_earlier_periods_are_no_longer_evaluated(
    client_for, orm: str  # type: ignore[no-untyped-def]
) -> None:
    await f.world(established_on=date(2021, 11, 1))
    admin = await client_for("ADMIN")
    assert len(found(await check(f.local(2023, 3, 1), write=False), THEMATIC)) == 16  # 2021-11 … 2023-02
    payload = await mutate(admin, SET_START, code="522728", date="2023-01-01")
    assert payload == {"county": {"code": "522728", "supervisedFrom": "2023-01-01"}, "userErrors": []}
    assert [p for _, p in found(await check(f.local(2023, 3, 1), write=False), THEMATIC)] == ["2023-01", "2023-02"]
    bureau = await client_for("BUREAU", "522728")
    seen = await query(bureau, '{ county(code: "522728") { code supervisedFrom } }')
    assert seen == {"county": {"code": "522728", "supervisedFrom": None}}  # admins only
    refused = await mutate(bureau, SET_START, code="522728", date="2022-01-01")
    assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"]
    unknown = await mutate(admin, SET_START, code="999999", date="2023-01-01")
    assert unknown["userErrors"][0]["field"] == ["countyCode"] and unknown["userErrors"][0]["code"] == "NOT_FOUND"
    future = await mutate(admin, SET_START, code="522728", date="2099-01-01")
    assert future["userErrors"][0]["code"] == "INVALID" and "future" in future["userErrors"][0]["message"]


async def test_the_import_carries_the_supervision_start_and_names_a_bad_one(orm: str) -> None:
    from models.units import County
    from server.load.errors import LoadError
    from server.load.service import load_document
    from tests.documents import county_document

    document = county_document()
    document["counties"][0]["supervisedFrom"] = "2023-01-01"
    await load_document(document)
    assert (await County.get(code="522728")).supervised_from == date(2023, 1, 1)
    del document["counties"][0]["supervisedFrom"]
    await load_document(document)  # absent: the stored start is kept
    assert (await County.get(code="522728")).supervised_from == date(2023, 1, 1)
    document["counties"][0]["supervisedFrom"] = "2023/01/01"
    with pytest.raises(LoadError, match=r"counties\[0\]\.supervisedFrom"):
        await load_document(document)


async def test_a_backdated_meeting_in_an_import_resolves_its_alerts_in_the_same_load(orm: str, tmp_path: Path) -> None:
    from tests.load.documents import TOWNSHIP, minimal_document, write_document

    document = minimal_document()
    document["counties"][0]["supervisedFrom"] = "2023-01-01"
    document["meetings"] = []
    file = write_document(tmp_path / "county.json", document)
    assert lianxi(orm, "load", str(file)).returncode == 0
    assert lianxi(orm, "check", "--county", "522728", "--as-of", "2023-07-01").returncode == 0
    assert (await alerts(THEMATIC))[f"{THEMATIC}|{TOWNSHIP}|2023-05"].status == "OPEN"
    document["meetings"] = [
        {"id": f"M{n}", "township": TOWNSHIP, "kind": "THEMATIC", "status": "HELD", "heldAt": f"2023-05-{day}T09:00:00+08:00"}
        for n, day in ((1, 10), (2, 24))
    ]
    write_document(file, document)
    loaded = lianxi(orm, "load", str(file))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    current = await alerts(THEMATIC)
    assert current[f"{THEMATIC}|{TOWNSHIP}|2023-05"].status == "RESOLVED"
    assert current[f"{THEMATIC}|{TOWNSHIP}|2023-06"].status == "OPEN"  # untouched periods stay as they were


async def test_an_alert_raised_on_national_day_escalates_after_three_calendar_days(orm: str) -> None:
    """`alert.unacknowledged` is Lianxi's own count: calendar days, the national holiday does not move it."""
    w = await f.world()
    await f.compliant_month(w, 2023, 8)
    await check(f.local(2023, 10, 1, 10))  # September: no meeting → raised 10-01 10:00, in the holiday
    fp = f"{THEMATIC}|{TOWN}|2023-09"
    await check(f.local(2023, 10, 4, 23, 59, 59))
    assert (await alerts())[fp].escalated_at is None
    await check(f.local(2023, 10, 5))  # a statutory deadline's 10-04 would move to 10-07 (make-up Saturday): not this
    assert (await alerts())[fp].escalated_at == f.local(2023, 10, 5)
