"""`Township.meetings` has a statement of its own (resolvers/meetings/queries.py `township_meetings_page`): whatever the
filter, the cursor or the viewer, it answers exactly what the general `meetings(filter: {townshipCode})` list answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.load.service import load_document
from tests.conftest import ClientFactory
from tests.documents import county_document

TOWNSHIP = "522728001"
PAGE = """totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id number kind status heldAt title attendees { id extId name phone } cases { number } } }"""
BY_TOWNSHIP = f"""query ($filter: MeetingFilter, $after: String) {{ township(code: "{TOWNSHIP}") {{
  meetings(filter: $filter, first: 2, after: $after) {{ {PAGE} }} }} }}"""
THROUGH_A_CASE = f"""query ($filter: MeetingFilter, $after: String) {{ cases(first: 1) {{ edges {{ node {{ township {{
  meetings(filter: $filter, first: 2, after: $after) {{ {PAGE} }} }} }} }} }} }}"""
GENERAL = f"""query ($filter: MeetingFilter, $after: String) {{ meetings(filter: $filter, first: 2, after: $after) {{ {PAGE} }} }}"""
FILTERS: list[dict[str, Any] | None] = [
    None,
    {"period": "2023-05"},  # 23:30 on 31 May in Shanghai is May there, June 1st 00:30 is not
    {"period": "2023-06"},
    {"period": "2023-Q2", "kind": "THEMATIC", "status": ["HELD"]},
    {"kind": "PLENARY"},
    {"status": ["CANCELLED", "SCHEDULED"]},
    {"heldFrom": "2023-06-01", "heldTo": "2023-06-30"},
]


def _document() -> dict[str, Any]:
    document = county_document(townships=2)
    held = [("2023-05-10T09:00:00+08:00", "THEMATIC", "HELD"), ("2023-05-31T23:30:00+08:00", "THEMATIC", "HELD"),
            ("2023-06-01T00:30:00+08:00", "PLENARY", "HELD"), ("2023-06-15T09:00:00+08:00", "THEMATIC", "CANCELLED"),
            ("2023-06-30T23:59:00+08:00", "THEMATIC", "SCHEDULED"), ("2023-07-01T00:00:00+08:00", "PLENARY", "HELD")]
    for n, (at, kind, status) in enumerate(held):
        document["meetings"].append({
            "id": f"X{n}", "township": TOWNSHIP, "kind": kind, "status": status, "heldAt": at, "number": 100 + n,
            "attendees": ["LEADER", "STAFF"][: 1 + n % 2], "cases": [f"C{TOWNSHIP}"] if n % 2 else [],
        })
    return document


async def _pages(client: httpx.AsyncClient, query: str, filter: dict[str, Any] | None, at: list[str]) -> list[dict[str, Any]]:
    """Every page, following `endCursor`; `at` is where the connection sits in the answer."""
    pages, after = [], None
    while True:
        response = await client.post("/graphql", json={"query": query, "variables": {"filter": filter, "after": after}})
        body = response.json()
        assert "errors" not in body, body
        found: Any = body["data"]
        for key in at:
            found = found[key] if not isinstance(found, list) else found[0][key]
        pages.append(found)
        if found is None or not found["pageInfo"]["hasNextPage"]:
            return pages
        after = found["pageInfo"]["endCursor"]


@pytest.mark.parametrize("role, scope", [("ADMIN", None), ("TOWNSHIP", TOWNSHIP)])
async def test_a_townships_meetings_page_answers_like_the_meetings_list(client_for: ClientFactory, role: str, scope: str | None) -> None:
    await load_document(_document())
    client = await client_for(role, scope)
    for filter in FILTERS:
        ours = await _pages(client, BY_TOWNSHIP, filter, ["township", "meetings"])
        general = await _pages(client, GENERAL, {**(filter or {}), "townshipCode": TOWNSHIP}, ["meetings"])
        assert ours == general, filter
    assert [len(p["edges"]) for p in await _pages(client, BY_TOWNSHIP, {"period": "2023-05"}, ["township", "meetings"])] == [2, 1]


async def test_a_village_clerk_reads_none_of_the_townships_meetings_either_way(client_for: ClientFactory) -> None:
    """The clerk sees a case of its village but not the case's township (null), and the list names no meeting."""
    await load_document(_document())
    clerk = await client_for("VILLAGE", f"{TOWNSHIP}201")
    for filter in (None, {"period": "2023-05"}):
        response = await clerk.post("/graphql", json={"query": THROUGH_A_CASE, "variables": {"filter": filter, "after": None}})
        assert response.json()["data"]["cases"]["edges"][0]["node"]["township"] is None
        assert await _pages(clerk, GENERAL, {**(filter or {}), "townshipCode": TOWNSHIP}, ["meetings"]) == [
            {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}]
