"""An import reads only the stored rows its document names: the n-th county costs what the first did.

Reading a whole table (every person, every household group) after a bulk insert made one county imported
into an 88-county database take 2.9× the same import into an empty one. Counties are the one table read
whole (a few thousand rows nationally: their time zones).
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from server.load.service import load_document
from tests.documents import county_document
from tests.sql import count_statements

WHOLE_TABLES_ALLOWED = {"county"}


def _another_county(code: str) -> dict[str, Any]:
    """The test county with every code and person id rewritten, as a neighbouring county's document would be."""
    text = orjson.dumps(county_document(townships=2, villages=2)).decode()
    text = text.replace("522728", code)
    text = re.sub(r'"(HEAD|LEADER|STAFF|W\d+|H\d+|L\d+|CC\d+|CV\d+)"', lambda m: f'"{code}-{m.group(1)}"', text)
    return orjson.loads(text)  # type: ignore[no-any-return]


async def test_a_second_county_import_reads_no_table_whole(orm: str) -> None:
    await load_document(county_document(townships=3, villages=3))
    with count_statements() as statements:
        summary = await load_document(_another_county("520101"))
    assert summary is not None
    whole = [s for s in statements if s.upper().startswith("SELECT") and " WHERE " not in s.upper()
             and not any(f'FROM "{t}"' in s for t in WHOLE_TABLES_ALLOWED)]
    assert whole == [], "\n".join(whole)
