"""Validates and writes a document inside one transaction, so a refused document leaves no trace."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.audit import Actor, record_audit
from server.load.errors import LoadError, LoadProblem
from server.load.existing import Existing, read_existing
from server.load.plan import Plan
from server.load.summary import LoadSummary
from server.load.validate import validate_document
from server.load.write_activity import write_cases, write_meetings, write_visits
from server.load.write_units import write_units


async def write_plan(db: BaseDBAsyncClient, plan: Plan, existing: Existing) -> LoadSummary:
    """Upsert everything the plan holds, sequentially on one connection; returns the counts."""
    summary = LoadSummary()
    ids = await write_units(db, plan, existing, summary)
    await write_cases(db, plan, existing, ids, summary)
    await write_meetings(db, plan, existing, ids, summary)
    await write_visits(db, plan, existing, ids, summary)
    return summary


async def validate_and_write(document: Mapping[str, Any], *, actor: Actor) -> LoadSummary:
    """One transaction: read what is stored, validate the whole document against it, then write; all or nothing."""
    started = time.perf_counter()
    try:
        async with in_transaction() as db:
            existing = await read_existing(db, document)
            plan = validate_document(document, existing)  # raises LoadError: the transaction rolls back
            summary = await write_plan(db, plan, existing)
            if summary.changed:
                await _audit(actor, document, summary)
    except IntegrityError as exc:  # another writer committed the same keys between our read and our write
        raise LoadError([LoadProblem("", f"the database changed while loading ({exc}); load the file again")]) from exc
    summary.seconds = time.perf_counter() - started
    return summary


async def _audit(actor: Actor, document: Mapping[str, Any], summary: LoadSummary) -> None:
    """One entry per import that changed something: the counts per entity (the document itself is the file)."""
    counties = [c.get("code") for c in document.get("counties", []) if isinstance(c, dict)]
    await record_audit(
        actor=actor, action="load", entity="document", entity_key=None,
        county_code=counties[0] if len(counties) == 1 and isinstance(counties[0], str) else None,
        before=None, after={"counties": counties, "counts": summary.as_dict()},
    )
