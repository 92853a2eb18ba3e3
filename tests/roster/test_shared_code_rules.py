"""The import and the roster mutations refuse a bad unit code with the same rule and the same words."""

from __future__ import annotations

import httpx
import pytest

from server.load import load_document
from server.load.errors import LoadError
from tests.load.documents import GRID, VILLAGE, minimal_document
from tests.writes import mutate

CREATE_UNIT = """mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { __typename } userErrors { field code message } } }"""


@pytest.mark.parametrize(("kind", "parent", "bad"), [
    ("GRID", VILLAGE, VILLAGE + "1"), ("GRID", VILLAGE, "52272810920201"),
    ("HOUSEHOLD_GROUP", GRID, GRID + "A1"), ("PARTY_GROUP", VILLAGE, VILLAGE + "Q1"),
])
async def test_a_bad_code_reads_the_same_from_the_import_and_the_api(client: httpx.AsyncClient, kind: str, parent: str, bad: str) -> None:
    await load_document(minimal_document())
    refused = await mutate(client, CREATE_UNIT, input={"kind": kind, "parentCode": parent, "code": bad, "name": None if kind == "HOUSEHOLD_GROUP" else "新单位"})
    [error] = refused["userErrors"]
    assert error["field"] == ["input", "code"]

    document = minimal_document()
    village = document["counties"][0]["townships"][0]["villages"][0]
    if kind == "GRID":
        village["grids"].append({"code": bad, "name": "新单位"})
    elif kind == "HOUSEHOLD_GROUP":
        village["grids"][0]["householdGroups"].append({"code": bad})
    else:
        village["partyGroups"].append({"code": bad, "name": "新单位"})
    with pytest.raises(LoadError) as rejected:
        await load_document(document)
    assert error["message"] in str(rejected.value)
