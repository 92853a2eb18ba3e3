"""Personal data is checked the same way on every write path (`reportCase`, `lianxi load`), and no text may hold NUL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from models.cases import CaseParty
from models.people import Person
from models.units import Township
from server.load.service import load_document
from tests.documents import county_document
from tests.reports.conftest import lianxi

BAD_PHONE, BAD_ID = "<script>alert(1)</script>", "' OR 1=1 --"
REPORT_CASE = """mutation($input: ReportCaseInput!) { reportCase(input: $input) { case { number } userErrors { field code message } } }"""


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "import.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


async def test_lianxi_load_names_every_nul_and_writes_nothing(orm: str, tmp_path: Path) -> None:
    document = county_document(townships=1, villages=1, grids=1, households=1)
    document["counties"][0]["townships"][0]["name"] = "沫阳\x00镇"
    document["people"][0]["name"] = "黄\x00元吉"
    document["cases"][0]["title"] = "土地\x00纠纷"
    document["cases"][0]["parties"][0]["idNumber"] = "52272819900101123\x00"
    done = lianxi(orm, "load", str(_write(tmp_path, document)))
    assert done.returncode != 0 and b"Traceback" not in done.stderr, done.stderr
    message = done.stderr.decode()
    for path in ("counties[0].townships[0].name", "people[0].name", "cases[0].title", "cases[0].parties[0].idNumber"):
        assert f"{path}: contains a NUL character" in message, message
    assert await Township.all().count() == 0 and await Person.all().count() == 0


async def test_a_party_is_checked_alike_by_the_import_and_by_report_case(orm: str, tmp_path: Path, client: httpx.AsyncClient) -> None:
    document = county_document(townships=1, villages=1, grids=1, households=1)
    document["cases"][0]["parties"][0].update(phone=BAD_PHONE, idNumber=BAD_ID)
    document["people"][0]["phone"] = BAD_PHONE
    done = lianxi(orm, "load", str(_write(tmp_path, document)))
    assert done.returncode != 0, done.stderr
    message = done.stderr.decode()
    assert "cases[0].parties[0].phone: a phone number has at least 5 ASCII digits 0-9 (and + - or spaces) only" in message, message
    assert "cases[0].parties[0].idNumber: a resident ID number has 17 digits and a check digit or X" in message, message
    assert "people[0].phone: a phone number has at least 5 ASCII digits 0-9 (and + - or spaces) only" in message, message
    assert await CaseParty.all().count() == 0

    document = county_document(townships=1, villages=1, grids=1, households=1)
    await load_document(document)
    village = document["counties"][0]["townships"][0]["villages"][0]["code"]
    answer = (await client.post("/graphql", json={"query": REPORT_CASE, "variables": {"input": {
        "villageCode": village, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT", "level": "VILLAGE",
        "reportedAt": "2023-06-01T10:00:00+08:00", "title": "纠纷", "parties": [{"name": "王五", "phone": BAD_PHONE, "idNumber": BAD_ID}],
    }}})).json()["data"]["reportCase"]
    assert answer["case"] is None
    assert {(".".join(e["field"]), e["message"]) for e in answer["userErrors"]} == {
        ("input.parties.0.phone", "a phone number has at least 5 ASCII digits 0-9 (and + - or spaces) only"),
        ("input.parties.0.idNumber", "a resident ID number has 17 digits and a check digit or X"),
    }
