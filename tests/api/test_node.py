"""Any object's id fetches it again through `node(id)`; a made-up id reads as null."""

from __future__ import annotations

import httpx

from server.load.service import load_document
from tests.api.graphql import query
from tests.documents import county_document


async def test_every_object_round_trips_through_node(client: httpx.AsyncClient) -> None:
    await load_document(county_document(townships=1, villages=1, grids=1, households=1))
    data = await query(client, """{ county(code: "522728") { id townships { id villages { id grids { id householdGroups { id } }
        partyGroups { id } } meetings { edges { node { id } } } cases { edges { node { id } } } } } }""")
    county = data["county"]
    township = county["townships"][0]
    village = township["villages"][0]
    ids = [
        county["id"], township["id"], village["id"], village["grids"][0]["id"],
        village["grids"][0]["householdGroups"][0]["id"], village["partyGroups"][0]["id"],
        township["meetings"]["edges"][0]["node"]["id"], township["cases"]["edges"][0]["node"]["id"],
    ]
    for object_id in ids:
        node = await query(client, "query($id: ID!) { node(id: $id) { id __typename } }", id=object_id)
        assert node["node"]["id"] == object_id


async def test_made_up_ids_read_as_null(client: httpx.AsyncClient) -> None:
    for bogus in ("", "bm90LWEtbm9kZQ==", "VG93bnNoaXA6OTk5OTk=", "%%%", "Q2FzZTph"):
        assert (await query(client, "query($id: ID!) { node(id: $id) { id } }", id=bogus)) == {"node": None}
