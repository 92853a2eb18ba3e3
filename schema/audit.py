"""The audit trail as auditors read it: who (token), what, when, before and after."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from models import audit as rows
from resolvers.audit.queries import audit_page
from resolvers.context import Context
from schema.connections import Connection
from schema.local_time import county_time
from schema.node import Node
from schema.text_types import UnitCode


@strawberry.input(description="Every given condition must hold. Times are instants (with offset).")
class AuditLogFilter:
    county_code: UnitCode | None = None
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
            db_id=row.id, at=row.at, actor=row.actor, token_id=row.token_id, action=row.action,
            entity=row.entity, entity_key=row.entity_key, county_code=row.county_code, before=row.before, after=row.after,
        )


@strawberry.type(description="A page of audit entries, oldest first.")
class AuditEntryConnection(Connection[AuditEntry]):
    pass


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The append-only audit trail: who changed what, when, before and after.")
    async def audit_log(
        self, info: Info[Context, None], filter: AuditLogFilter | None = None, first: int | None = None, after: str | None = None
    ) -> AuditEntryConnection:
        page = await audit_page(info.context, filter=filter, first=first, after=after)
        return AuditEntryConnection.from_page(page, AuditEntry.from_model)
