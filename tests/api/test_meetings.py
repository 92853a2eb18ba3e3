"""The bureau lists a township's meetings by period; times are the county's local time."""

from __future__ import annotations

import httpx

from server.load.service import load_document
from tests.api.graphql import query, query_errors
from tests.documents import county_document

MEETINGS = """
query Meetings($filter: MeetingFilter, $first: Int, $after: String) {
  meetings(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id number kind status heldAt title township { code } attendees { name } cases { number status } } }
  }
}
"""


def _with_monthly_meetings(document: dict) -> dict:
    """Add thematic meetings on the 10th and 20th of every 2023 month to the first township."""
    township = document["counties"][0]["townships"][0]["code"]
    for month in range(1, 13):
        for day in (10, 20):
            document["meetings"].append({
                "id": f"T{month}-{day}", "township": township, "kind": "THEMATIC",
                "heldAt": f"2023-{month:02d}-{day:02d}T09:30:00+08:00", "attendees": ["LEADER"],
            })
    return document


async def test_late_evening_meeting_belongs_to_its_local_month(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=1))
    may = await query(client, MEETINGS, filter={"townshipCode": "522728001", "period": "2023-05"})
    june = await query(client, MEETINGS, filter={"townshipCode": "522728001", "period": "2023-06"})
    assert may["meetings"]["totalCount"] == 1
    assert june["meetings"]["totalCount"] == 0
    node = may["meetings"]["edges"][0]["node"]
    assert node["heldAt"] == "2023-05-31T23:30:00+08:00"
    assert node["title"] == "第二十五次专题会" and node["number"] == 25
    assert sorted(p["name"] for p in node["attendees"]) == sorted(["罗杰", "唐盈"])
    assert node["cases"] == [{"number": "C522728001", "status": "RESOLVED"}]


async def test_paging_through_a_year_of_meetings_visits_each_once(client: httpx.AsyncClient) -> None:
    await load_document(_with_monthly_meetings(county_document(townships=1)))
    seen: list[str] = []
    after = None
    while True:
        page = (await query(client, MEETINGS, filter={"period": "2023", "kind": "THEMATIC"}, first=7, after=after))["meetings"]
        assert page["totalCount"] == 25
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 25
    quarter = await query(client, MEETINGS, filter={"period": "2023-Q2"})
    assert quarter["meetings"]["totalCount"] == 7  # 6 on the 10th/20th plus the one at 23:30 on 31 May


async def test_page_size_and_bad_arguments_are_refused_by_name(client: httpx.AsyncClient) -> None:
    errors = await query_errors(client, MEETINGS, first=101)
    assert errors[0]["message"] == "first: must be between 1 and 100; got 101"
    errors = await query_errors(client, MEETINGS, after="not-a-cursor")
    assert errors[0]["message"].startswith("after:")
    errors = await query_errors(client, MEETINGS, filter={"period": "2023-13"})
    assert errors[0]["message"].startswith("period:")


async def test_township_lists_its_own_meetings(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=3))
    data = await query(client, '{ township(code: "522728107") { name meetings { totalCount edges { node { township { code } } } } } }')
    meetings = data["township"]["meetings"]
    assert meetings["totalCount"] == 1
    assert meetings["edges"][0]["node"]["township"]["code"] == "522728107"
