"""Auditors read the trail of their county: every write, who made it, before and after; nothing from elsewhere."""

from __future__ import annotations

import pytest

from models.audit import AuditEntry
from core.audit import Actor, record_audit
from tests.api.graphql import query
from tests.rules.factories import world
from tests.writes import RECORD_MEETING, at, gid, month_start, mutate

pytestmark = pytest.mark.fixed_clock  # dates relative to "now" start at tests/conftest.py's FIXED_NOW

TRAIL = "{ auditLog { totalCount edges { node { action entity entityKey countyCode actor tokenId } } } }"


async def test_an_auditor_reads_the_trail_of_the_county_only(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world(established_on=month_start(3))
    bureau = await client_for("BUREAU", w.county.code)
    recorded = await mutate(bureau, RECORD_MEETING, input={
        "townshipCode": w.township.code, "kind": "PLENARY", "heldAt": at(month_start(1)), "attendeeIds": [gid("Person", w.leader.id)],
    })
    await record_audit(actor=Actor("cli:load"), action="load", entity="document", entity_key=None, county_code="520000", before=None, after={})

    auditor = await client_for("AUDITOR", w.county.code)
    trail = (await query(auditor, TRAIL))["auditLog"]
    assert trail["totalCount"] == 1
    entry = trail["edges"][0]["node"]
    assert entry == {
        "action": "recordMeeting", "entity": "meeting", "entityKey": recorded["meeting"]["extId"],
        "countyCode": w.county.code, "actor": "test-bureau", "tokenId": entry["tokenId"],
    } and entry["tokenId"] is not None
    other = (await query(auditor, '{ auditLog(filter: {countyCode: "520000"}) { totalCount } }'))["auditLog"]
    assert other["totalCount"] == 0
    township = await client_for("TOWNSHIP", w.township.code)
    response = await township.post("/graphql", json={"query": TRAIL})
    assert response.json()["errors"][0]["message"].startswith("Forbidden")
    assert await AuditEntry.all().count() == 2


async def test_an_import_is_audited_once_and_a_reload_that_changes_nothing_is_not(orm: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import os

    from tests.cli import run_cli
    from tests.documents import county_document

    path = tmp_path / "county.json"
    path.write_text(json.dumps(county_document()), encoding="utf-8")
    env = {**os.environ, "LIANXI_DATABASE_URL": orm}
    for _ in range(2):
        loaded = run_cli("load", str(path), env=env)
        assert loaded.returncode == 0, loaded.stderr
    [entry] = await AuditEntry.filter(action="load")
    assert entry.actor == "cli:load" and entry.entity == "document" and entry.county_code == "522728"
    assert entry.after["counts"]["townships"]["created"] == 1
