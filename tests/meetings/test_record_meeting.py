"""A township records its joint meetings through GraphQL; the cadence rules answer in the same response."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from models.audit import AuditEntry
from models.meetings import Meeting
from tests.api.graphql import query
from tests.rules.factories import township, world
from tests.writes import RECORD_MEETING, at, changes, gid, label, month_start, mutate

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW


def _input(w, day, **extra):  # type: ignore[no-untyped-def]
    return {
        "townshipCode": w.township.code, "kind": "THEMATIC", "heldAt": at(day), "title": "专题会",
        "attendeeIds": [gid("Person", p.id) for p in w.team], **extra,
    }


async def test_two_supervised_thematic_meetings_resolve_last_months_cadence_alert(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    last = month_start(1)
    # a write re-evaluates the periods it touched (the nightly sweep covers the others)
    first = await mutate(client, RECORD_MEETING, input=_input(w, month_start(2) + timedelta(days=9)))
    assert first["userErrors"] == []
    assert first["meeting"]["number"] == 1 and first["meeting"]["status"] == "HELD"
    assert {p["name"] for p in first["meeting"]["attendees"]} == {"领导甲", "业务员乙"}
    assert changes(first, "cadence.thematic_monthly") == {("RAISED", label(month_start(2)))}

    second = await mutate(client, RECORD_MEETING, input=_input(w, last + timedelta(days=9)))
    assert second["meeting"]["number"] == 2 and changes(second, "cadence.thematic_monthly") == {("RAISED", label(last))}
    third = await mutate(client, RECORD_MEETING, input=_input(w, last + timedelta(days=19)))
    assert third["meeting"]["number"] == 3
    assert changes(third, "cadence.thematic_monthly") == {("RESOLVED", label(last))}

    data = await query(client, '{ alerts(filter: {ruleId: "cadence.thematic_monthly"}) { edges { node { period status } } } }')
    statuses = {e["node"]["period"]: e["node"]["status"] for e in data["alerts"]["edges"]}
    assert statuses[label(last)] == "RESOLVED" and statuses[label(month_start(2))] == "OPEN"


async def test_every_problem_of_a_bad_meeting_is_named_and_nothing_is_written(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(2))
    payload = await mutate(client, RECORD_MEETING, input={
        "townshipCode": "522728999", "kind": "THEMATIC", "heldAt": at(month_start(-2)), "title": " ",
        "attendeeIds": [gid("Person", 999_999), "bm90LWFuLWlk", gid("Person", w.leader.id)], "caseNumbers": ["NO-SUCH-CASE"],
    })
    assert payload["meeting"] is None and payload["alertChanges"] == []
    # (attendees are looked up among the township's county's people: with no township, only their ids' shape is checked)
    problems = {(".".join(e["field"]), e["code"]) for e in payload["userErrors"]}
    assert problems == {
        ("input.townshipCode", "NOT_FOUND"), ("input.heldAt", "INVALID"), ("input.attendeeIds.1", "INVALID"),
    }, payload["userErrors"]
    assert await Meeting.all().count() == 0 and await AuditEntry.all().count() == 0


async def test_a_meeting_number_already_recorded_is_a_conflict(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(2))
    await mutate(client, RECORD_MEETING, input=_input(w, month_start(1), number=5))
    again = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1) + timedelta(days=3), number=5))
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [(["input", "number"], "CONFLICT")]
    following = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1) + timedelta(days=4)))
    assert following["meeting"]["number"] == 6
    assert await Meeting.all().count() == 2


async def test_a_meeting_in_a_naive_local_time_is_refused(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(2))
    payload = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1)) | {"heldAt": "2026-01-05T09:00:00"})
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "heldAt"], "INVALID")]
    assert "offset" in payload["userErrors"][0]["message"]


async def test_a_township_token_records_its_own_meetings_only(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world(established_on=month_start(2))
    own = await client_for("TOWNSHIP", w.township.code)
    await township(w.county, code="522728110", name="龙坪镇")
    other = await client_for("TOWNSHIP", "522728110")
    assert (await mutate(own, RECORD_MEETING, input=_input(w, month_start(1))))["userErrors"] == []
    refused = await mutate(other, RECORD_MEETING, input=_input(w, month_start(1)))
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"] and refused["meeting"] is None  # another township reads as none
    auditor = await client_for("AUDITOR", "522728")
    assert [e["code"] for e in (await mutate(auditor, RECORD_MEETING, input=_input(w, month_start(1))))["userErrors"]] == ["FORBIDDEN"]
    assert await Meeting.all().count() == 1


async def test_an_official_of_another_county_cannot_be_linked_to_a_meeting(client: httpx.AsyncClient) -> None:
    from models.enums import Role
    from tests.rules.factories import bureau, county, person

    w = await world(established_on=month_start(3))
    stranger = await bureau(await county(code="522729", name="别县"), Role.BUREAU_LEADER, await person("外县领导"))
    payload = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1)) | {"attendeeIds": [gid("Person", stranger.id)]})
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "attendeeIds", "0"], "NOT_FOUND")]
    assert "外县领导" not in str(payload)


async def test_ids_numbers_and_dates_out_of_range_are_refused_not_crashed(client: httpx.AsyncClient) -> None:
    w = await world(established_on=month_start(3))
    ancient = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1)) | {"heldAt": "0001-01-01T00:00:00+08:00"})
    assert [e["field"] for e in ancient["userErrors"]] == [["input", "heldAt"]]
    far = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1)) | {"status": "SCHEDULED", "heldAt": "9999-12-31T23:00:00-05:00"})
    assert [e["field"] for e in far["userErrors"]] == [["input", "heldAt"]]
    huge = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1)) | {"number": 2147483647})
    assert [e["field"] for e in huge["userErrors"]] == [["input", "number"]]
    overflowing = await mutate(client, RECORD_MEETING, input=_input(w, month_start(1)) | {"attendeeIds": [gid("Person", 99_999_999_999)]})
    assert [e["code"] for e in overflowing["userErrors"]] == ["INVALID"]
    acknowledged = await mutate(client, 'mutation($id: ID!) { acknowledgeAlert(id: $id) { userErrors { code } } }', id=gid("Alert", 99_999_999_999))
    assert [e["code"] for e in acknowledged["userErrors"]] == ["NOT_FOUND"]
    response = await client.post("/graphql", json={"query": '{ auditLog(filter: {since: "0001-01-01T00:00:00+08:00"}) { totalCount } }'})
    assert "filter.since" in response.json()["errors"][0]["message"]
    assert await Meeting.all().count() == 0
