"""A village reports a dispute, the township escalates it, the bureau extends and resolves petitions — under the state machine."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from core import clock
from models.audit import AuditEntry
from models.cases import Case, CaseEvent
from tests.rules.factories import world
from tests.writes import ADD_CASE_EVENT, REPORT_CASE, at, changes, gid, month_start, mutate, recently

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW


def _report(w, **extra):  # type: ignore[no-untyped-def]
    return {
        "villageCode": w.village.code, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT",
        "reportedAt": at(month_start(2)), "title": "宅基地边界纠纷",
        "parties": [{"name": "王小明", "phone": "13900001234", "idNumber": "52272819800101123X"}], **extra,
    }


def _event(number: str, type_: str, when: datetime, **extra):  # type: ignore[no-untyped-def]
    return {"caseNumber": number, "type": type_, "at": when.isoformat(), **extra}


async def test_an_old_dispute_reported_late_is_overdue_at_once_and_resolving_it_resolves_the_alert(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    reported = await mutate(client, REPORT_CASE, input=_report(w, number=f"{w.village.code}-LD-2026-001"))
    assert reported["userErrors"] == [] and reported["case"]["status"] == "REPORTED"
    assert reported["case"]["parties"] == [{"name": "王小明", "phone": "13900001234", "idNumber": "52272819800101123X"}]
    # reported two months ago, 30 days to settle: overdue now, raised in the same response
    assert ("RAISED", None) in changes(reported, "case.overdue")

    resolved = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-LD-2026-001", "RESOLVED", clock.now() - timedelta(minutes=1), outcome="MEDIATED"))
    assert resolved["userErrors"] == [] and resolved["case"]["status"] == "RESOLVED"
    assert changes(resolved, "case.overdue") == {("RESOLVED", None)}
    assert [e["type"] for e in resolved["case"]["events"]] == ["RESOLVED"]


async def test_escalation_goes_only_upward_and_the_level_follows(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    await mutate(client, REPORT_CASE, input=_report(w, number=f"{w.village.code}-LD-1", reportedAt=recently()))
    when = clock.now() - timedelta(minutes=5)
    up = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-LD-1", "ESCALATED", when, toLevel="TOWNSHIP"))
    assert up["userErrors"] == [] and up["case"]["level"] == "TOWNSHIP"
    down = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-LD-1", "ESCALATED", when, toLevel="VILLAGE"))
    assert [(e["field"], e["code"]) for e in down["userErrors"]] == [(["input", "type"], "INVALID_STATE")]
    assert "not above the current level TOWNSHIP" in down["userErrors"][0]["message"]
    assert await CaseEvent.all().count() == 1


async def test_events_obey_the_state_machine_and_the_timeline(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    await mutate(client, REPORT_CASE, input=_report(w, number=f"{w.village.code}-PET-1", kind="PETITION", channel="LETTER", reportedAt=recently()))
    now = clock.now()
    before_report = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "ACCEPTED", now - timedelta(days=60)))
    assert [e["field"] for e in before_report["userErrors"]] == [["input", "at"]]
    no_approver = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "EXTENDED", now, days=10))
    assert {".".join(e["field"]) for e in no_approver["userErrors"]} == {"input.approverId"}
    not_accepted = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "EXTENDED", now, days=10, approverId=gid("Person", w.head.id)))
    assert [e["code"] for e in not_accepted["userErrors"]] == ["INVALID_STATE"]

    accepted = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "ACCEPTED", now - timedelta(minutes=3)))
    assert accepted["case"]["status"] == "ACCEPTED"
    extended = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "EXTENDED", now - timedelta(minutes=2), days=20, approverId=gid("Person", w.head.id)))
    assert extended["userErrors"] == []
    too_long = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "EXTENDED", now - timedelta(minutes=2), days=11, approverId=gid("Person", w.head.id)))
    assert [(".".join(e["field"]), e["code"]) for e in too_long["userErrors"]] == [("input.days", "INVALID")]
    assert "31 days" in too_long["userErrors"][0]["message"]
    earlier = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "RESOLVED", now - timedelta(minutes=4), outcome="SETTLED"))
    assert "append-only" in earlier["userErrors"][0]["message"]

    await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "RESOLVED", now - timedelta(minutes=1), outcome="SETTLED"))
    closed = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "CLOSED", now))
    assert closed["case"]["status"] == "CLOSED"
    again = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "RESOLVED", now, outcome="SETTLED"))
    assert "closed case" in again["userErrors"][0]["message"]
    wrong_field = await mutate(client, ADD_CASE_EVENT, input=_event(f"{w.village.code}-PET-1", "REOPENED", now, outcome="SETTLED"))
    assert [".".join(e["field"]) for e in wrong_field["userErrors"]] == ["input.outcome"]
    assert [e.type for e in await CaseEvent.all().order_by("seq")] == ["ACCEPTED", "EXTENDED", "RESOLVED", "CLOSED"]
    assert (await Case.get(number=f"{w.village.code}-PET-1")).status == "CLOSED"


async def test_bad_reports_name_every_field_and_write_nothing(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    # the input policy (core/text_policy.py) first: every value of the wrong shape, at once, before any data is read
    payload = await mutate(client, REPORT_CASE, input=_report(
        w, villageCode="522728109999", title="", reportedAt=at(month_start(-1)),
        parties=[{"name": "", "phone": "call me", "idNumber": "123"}],
    ))
    assert payload["case"] is None
    assert {".".join(e["field"]) for e in payload["userErrors"]} == {"input.parties.0.phone", "input.parties.0.idNumber"}
    # then every problem the write finds
    payload = await mutate(client, REPORT_CASE, input=_report(
        w, villageCode="522728109999", title="", reportedAt=at(month_start(-1)), parties=[{"name": ""}],
    ))
    assert {".".join(e["field"]) for e in payload["userErrors"]} == {"input.villageCode", "input.title", "input.reportedAt", "input.parties.0.name"}
    assert await Case.all().count() == 0 and await AuditEntry.all().count() == 0


async def test_a_village_token_reports_in_its_village_and_sees_parties_the_audit_keeps_masked(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world(established_on=month_start(3))
    village = await client_for("VILLAGE", w.village.code)
    reported = await mutate(village, REPORT_CASE, input=_report(w, number=f"{w.village.code}-V-1", reportedAt=recently()))
    assert reported["userErrors"] == [] and reported["case"]["parties"][0]["phone"] == "13900001234"
    assert reported["alertChanges"] == []  # village tokens do not read alerts
    entry = await AuditEntry.get(entity="case", entity_key=f"{w.village.code}-V-1")
    assert entry.actor == "test-village" and entry.token_id is not None and entry.before is None
    assert entry.after["parties"] == [{"name": "王**", "phone": "139****1234", "idNumber": "5227**********123X"}]
