"""Reading alerts: the filtered `alerts` connection, oldest first."""

from __future__ import annotations

from typing import Protocol

from models.alerts import Alert
from models.enums import AlertStatus, Severity
from models.select_rows import Condition, count_rows, select_page
from resolvers.context import Context
from resolvers.pagination import Page, after_values, page_of, page_size


class AlertCriteria(Protocol):
    """What `alerts(filter:)` may ask for (the schema's `AlertFilter`)."""

    county_code: str | None
    status: list[AlertStatus] | None
    rule_id: str | None
    township_code: str | None
    period: str | None
    severity: Severity | None
    subject_code: str | None


async def alerts_page(context: Context, *, filter: AlertCriteria | None, first: int | None, after: str | None) -> Page[Alert]:
    """One page of alerts matching every given condition, oldest first, in one plain statement (models/select_rows.py:
    dashboards ask two alert lists per view, and the ORM's query builder cost more CPU than the database)."""
    size = page_size(first)
    sort = after_values(after, ("id",), (int,))
    where: list[Condition] = []
    if filter is not None:
        if filter.county_code is not None:
            where.append(("county_id", "of code", ("county", filter.county_code)))
        if filter.township_code is not None:
            where.append(("township_id", "of code", ("township", filter.township_code)))
        equal = {"rule_id": filter.rule_id, "period": filter.period, "severity": filter.severity, "subject_code": filter.subject_code}
        where += [(column, "=", value) for column, value in equal.items() if value is not None]
        if filter.status:
            where.append(("status", "in", list(filter.status)))
    rows = await select_page(Alert, where=where, order=("id",), after=sort, limit=size + 1)
    return page_of(rows, size=size, sort_fields=("id",), count_rows=lambda: count_rows(Alert, where=where))
