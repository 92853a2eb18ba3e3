"""The audit trail as auditors read it: who (token), what, when, before and after."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from models import audit as rows
from schema.connections import Connection
from schema.local_time import county_time
from schema.node import Node
from core.global_ids import to_global_id


@strawberry.input(description="Every given condition must hold. Times are instants (with offset).")
class AuditLogFilter:
    county_code: str | None = None
    entity: str | None = strawberry.field(default=None, description="meeting, case, supervision, alert, ruleRun, document…")
    entity_key: str | None = strawberry.field(default=None, description="Meeting id, case number, alert fingerprint…")
    action: str | None = strawberry.field(default=None, description="The mutation or command: recordMeeting, addCaseEvent, load…")
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@strawberry.type(description="One write, as it was committed. Entries are never changed or removed.")
class AuditEntry(Node):
    at: strawberry.Private[datetime]
    at_local = county_time("at", county=lambda entry: {"county_code": entry.county_code}, required=True,
                           description="When the write was committed, in the county's time zone (the server's default for entries of no county).")
    actor: str = strawberry.field(description="The token's name (API) or `cli:<command>`.")
    token_id: int | None
    action: str
    entity: str
    entity_key: str | None
    county_code: str | None
    before: JSON | None = strawberry.field(description="The record before the write (null when it was created).")
    after: JSON | None = strawberry.field(description="The record after the write. Personal data is stored masked.")

    @classmethod
    def from_model(cls, row: rows.AuditEntry) -> AuditEntry:
        return cls(
            id=to_global_id("AuditEntry", row.id), at=row.at, actor=row.actor, token_id=row.token_id, action=row.action,
            entity=row.entity, entity_key=row.entity_key, county_code=row.county_code, before=row.before, after=row.after,
        )


@strawberry.type(description="A page of audit entries, oldest first.")
class AuditEntryConnection(Connection[AuditEntry]):
    pass
