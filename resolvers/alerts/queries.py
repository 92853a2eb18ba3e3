"""Reading alerts: the filtered `alerts` connection, oldest first."""

from __future__ import annotations

from typing import Protocol

from models.alerts import Alert
from models.enums import AlertStatus, Severity
from resolvers.context import Context
from resolvers.pagination import Page, paginate


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
    """One page of alerts matching every given condition, oldest first."""
    query = Alert.all()
    if filter is not None:
        conditions = {
            "county__code": filter.county_code, "rule_id": filter.rule_id, "township__code": filter.township_code,
            "period": filter.period, "severity": filter.severity, "subject_code": filter.subject_code,
        }
        query = query.filter(**{name: value for name, value in conditions.items() if value is not None})
        if filter.status:
            query = query.filter(status__in=list(filter.status))
    return await paginate(query, sort_fields=("id",), parse=(int,), first=first, after=after)
