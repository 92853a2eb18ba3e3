"""`reportCase` with a number another township (or county) uses answers as if the number were free of cases:
a number carries the code of a unit in the caller's jurisdiction, so a collision can only be with the caller's own cases."""

from __future__ import annotations

from typing import Any

import httpx

from models.cases import Case
from models.units import Village
from tests.auth.conftest import OTHER_COUNTY, OTHER_TOWNSHIP, TOWNSHIP, VILLAGE, post

REPORT_CASE = """mutation($input: ReportCaseInput!) { reportCase(input: $input) { case { number } userErrors { field code message } } }"""
AT = "2023-06-10T10:00:00+08:00"


def _case(village: str, number: str | None) -> dict[str, Any]:
    given = {"number": number} if number is not None else {}
    return {"input": {"villageCode": village, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT", "reportedAt": AT,
                      "title": "土地纠纷", **given}}


async def _answer(client: httpx.AsyncClient, village: str, number: str | None) -> dict[str, Any]:
    body = await post(client, REPORT_CASE, **_case(village, number))
    assert "errors" not in body, body
    return body["data"]["reportCase"]


def _without_number(answer: dict[str, Any], number: str) -> list[tuple[Any, ...]]:
    """The answer's user errors with the number itself blanked out (two numbers are compared)."""
    return [(tuple(e["field"] or ()), e["code"], e["message"].replace(number, "N")) for e in answer["userErrors"]]


async def test_another_townships_number_reads_like_a_free_one(clients: dict[str, httpx.AsyncClient]) -> None:
    admin, township = clients["ADMIN"], clients["TOWNSHIP"]
    other_village = f"{OTHER_TOWNSHIP}201"
    taken = f"{OTHER_TOWNSHIP}-JF-2023-0001"
    assert (await _answer(admin, other_village, taken))["case"] == {"number": taken}
    neighbour_village = await Village.filter(township__county__code=OTHER_COUNTY).order_by("code").first()
    assert neighbour_village is not None
    petition = f"{OTHER_COUNTY}-XF-2023-0001"
    assert (await _answer(admin, neighbour_village.code, petition))["case"] == {"number": petition}
    imported = await Case.filter(township__county__code=OTHER_COUNTY).exclude(number=petition).first()
    assert imported is not None

    cases_before = await Case.all().count()
    for existing, free in ((taken, f"{OTHER_TOWNSHIP}-JF-2023-0002"), (petition, f"{OTHER_COUNTY}-XF-2023-0002"),
                           (imported.number, "C522701999")):
        refused_existing = await _answer(township, VILLAGE, existing)
        refused_free = await _answer(township, VILLAGE, free)
        assert refused_existing["case"] is None and refused_free["case"] is None
        assert _without_number(refused_existing, existing) == _without_number(refused_free, free), (refused_existing, refused_free)
        assert all(e["code"] != "CONFLICT" for e in refused_existing["userErrors"]), refused_existing
    assert await Case.all().count() == cases_before

    # its own numbers: a free one is written, a taken one is a CONFLICT (a case it can see)
    own = f"{TOWNSHIP}-JF-2023-0009"
    assert (await _answer(township, VILLAGE, own))["case"] == {"number": own}
    again = await _answer(township, VILLAGE, own)
    assert [e["code"] for e in again["userErrors"]] == ["CONFLICT"]
    assert (await _answer(township, VILLAGE, f"{VILLAGE}-2023-1"))["case"] == {"number": f"{VILLAGE}-2023-1"}
    assigned = (await _answer(township, VILLAGE, None))["case"]["number"]
    assert assigned.startswith(f"{VILLAGE}-")


async def test_a_village_token_numbers_within_its_village(clients: dict[str, httpx.AsyncClient]) -> None:
    village = clients["VILLAGE"]
    refused = await _answer(village, VILLAGE, f"{TOWNSHIP}-JF-2023-0001")
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["input", "number"], "INVALID")]
    assert "village" in refused["userErrors"][0]["message"]
    assert (await _answer(village, VILLAGE, f"{VILLAGE}-JF-2023-0001"))["case"] == {"number": f"{VILLAGE}-JF-2023-0001"}
