"""A township clerk reads a dispute: its state comes from its timeline, times in local time."""

from __future__ import annotations

import httpx

from server.load.service import load_document
from tests.api.graphql import query
from tests.documents import county_document

CASE_FIELDS = """
number kind category channel level reportedLevel status reportedAt title
village { code } township { code }
parties { name phone idNumber }
events { seq type at toLevel outcome }
meetings { number title }
"""


async def test_escalated_and_mediated_dispute_reads_as_resolved_at_township_level(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=2))
    data = await query(client, f'{{ cases(filter: {{townshipCode: "522728107"}}) {{ totalCount edges {{ node {{ {CASE_FIELDS} }} }} }} }}')
    assert data["cases"]["totalCount"] == 1
    case = data["cases"]["edges"][0]["node"]
    assert case["status"] == "RESOLVED"
    assert (case["reportedLevel"], case["level"]) == ("VILLAGE", "TOWNSHIP")
    assert case["reportedAt"] == "2023-05-02T10:00:00+08:00"
    assert [(e["seq"], e["type"], e["toLevel"], e["outcome"]) for e in case["events"]] == [
        (1, "ESCALATED", "TOWNSHIP", None),
        (2, "RESOLVED", None, "MEDIATED"),
    ]
    assert case["events"][1]["at"] == "2023-06-01T16:00:00+08:00"
    assert case["meetings"] == [{"number": 25, "title": "第二十五次专题会"}]
    assert case["village"]["code"] == "522728107201"


async def test_case_filters_combine(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=3))
    resolved = await query(client, '{ cases(filter: {status: [RESOLVED], kind: DISPUTE, period: "2023-05"}) { totalCount } }')
    assert resolved["cases"]["totalCount"] == 3
    none_open = await query(client, '{ cases(filter: {status: [REPORTED, ACCEPTED]}) { totalCount } }')
    assert none_open["cases"]["totalCount"] == 0
    by_village = await query(client, '{ village(code: "522728001201") { cases { totalCount } } }')
    assert by_village["village"]["cases"]["totalCount"] == 1
