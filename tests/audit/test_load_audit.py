"""An import is audited in the trail of every county it touches: one document with two counties is seen by both."""

from __future__ import annotations

from models.audit import AuditEntry
from server.load.service import load_document
from tests.auth.conftest import neighbour_document
from tests.documents import county_document


async def test_a_document_of_two_counties_is_audited_once_in_each(orm: str) -> None:
    document = county_document(townships=1, villages=1, grids=1, households=1)
    other = neighbour_document()
    document["people"] += other["people"]
    document["counties"] += other["counties"]
    document["meetings"] += other["meetings"]
    document["cases"] += other["cases"]
    await load_document(document)
    entries = await AuditEntry.filter(action="load").order_by("county_code").values_list("county_code", "after")
    assert [county for county, _ in entries] == ["522701", "522728"]
    assert all(after["counties"] == ["522701", "522728"] for _, after in entries)
    await load_document(document)  # nothing changed: nothing audited
    assert await AuditEntry.filter(action="load").count() == 2
