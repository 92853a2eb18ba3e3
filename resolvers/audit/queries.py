"""The `auditLog` connection: every write, oldest first, for county readers (auditors above all)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.audit import AuditEntry as AuditRow
from resolvers.context import Context
from core.errors import BadInput
from resolvers.pagination import paginate
from core.periods import check_year
from schema.audit import AuditEntry, AuditEntryConnection, AuditLogFilter


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The append-only audit trail: who changed what, when, before and after.")
    async def audit_log(
        self, info: Info[Context, None], filter: AuditLogFilter | None = None, first: int | None = None, after: str | None = None
    ) -> AuditEntryConnection:
        query = AuditRow.all()
        if filter is not None:
            for name, moment in (("since", filter.since), ("until", filter.until)):
                if moment is not None and moment.utcoffset() is None:
                    raise BadInput(f"filter.{name}", "needs a time zone offset, e.g. 2023-05-01T00:00:00+08:00")
                if moment is not None:
                    check_year(moment.year, f"filter.{name}")
            conditions = {
                "county_code": filter.county_code, "entity": filter.entity, "entity_key": filter.entity_key,
                "action": filter.action, "actor": filter.actor, "at__gte": filter.since, "at__lt": filter.until,
            }
            query = query.filter(**{name: value for name, value in conditions.items() if value is not None})
        page = await paginate(query, sort_fields=("id",), parse=(int,), first=first, after=after)
        return AuditEntryConnection.from_page(page, AuditEntry.from_model)
