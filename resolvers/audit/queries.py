"""The `auditLog` connection: every write, oldest first, for county readers (auditors above all)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.errors import BadInput
from core.periods import check_year
from models.audit import AuditEntry
from resolvers.context import Context
from resolvers.pagination import Page, paginate


class AuditCriteria(Protocol):
    """What `auditLog(filter:)` may ask for (the schema's `AuditLogFilter`)."""

    county_code: str | None
    entity: str | None
    entity_key: str | None
    action: str | None
    actor: str | None
    since: datetime | None
    until: datetime | None


async def audit_page(context: Context, *, filter: AuditCriteria | None, first: int | None, after: str | None) -> Page[AuditEntry]:
    """One page of audit entries matching every given condition, oldest first; `since`/`until` need an offset."""
    query = AuditEntry.all()
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
    return await paginate(query, sort_fields=("id",), parse=(int,), first=first, after=after)
