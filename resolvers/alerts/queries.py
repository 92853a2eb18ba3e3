"""Reading alerts: the filtered `alerts` connection, newest first."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.alerts import Alert as AlertRow
from resolvers.context import Context
from resolvers.pagination import paginate
from schema.alerts import Alert, AlertConnection, AlertFilter



@strawberry.type
class AlertsQuery:
    @strawberry.field(description="Alerts raised by the rules, oldest first; filter by status, rule, township, period, severity.")
    async def alerts(
        self, info: Info[Context, None], filter: AlertFilter | None = None, first: int | None = None, after: str | None = None
    ) -> AlertConnection:
        query = AlertRow.all()
        if filter is not None:
            conditions = {
                "county__code": filter.county_code, "rule_id": filter.rule_id, "township__code": filter.township_code,
                "period": filter.period, "severity": filter.severity, "subject_code": filter.subject_code,
            }
            query = query.filter(**{name: value for name, value in conditions.items() if value is not None})
            if filter.status:
                query = query.filter(status__in=list(filter.status))
        page = await paginate(query, sort_fields=("id",), parse=(int,), first=first, after=after)
        return AlertConnection.from_page(page, Alert.from_model)
