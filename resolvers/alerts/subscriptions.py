"""`alertChanged(countyCode)`: live alert events over graphql-transport-ws, from every server process."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from resolvers.permissions import Forbidden, viewer_of
from core.viewer import alert_visible
from schema.alerts import Alert, AlertEvent


@strawberry.type
class AlertSubscription:
    @strawberry.subscription(description="Alerts of a county as they are raised, reopened, resolved, escalated, acknowledged or waived.")
    async def alert_changed(self, info: Info[Context, None], county_code: str) -> AsyncGenerator[AlertEvent, None]:
        viewer = viewer_of(info)
        if not viewer.is_admin and viewer.county_code != county_code:
            raise Forbidden(f"Forbidden: county {county_code} is outside the jurisdiction of this {viewer.describe()}.")
        if info.context.alert_feed is None:
            raise RuntimeError("this server has no alert feed (the app sets one up)")
        async with info.context.alert_feed(county_code) as subscription:
            async for event, row in subscription:
                township = row.township.code if row.township_id else None  # type: ignore[attr-defined]
                if alert_visible(viewer, county_code=event.county_code, township_code=township):
                    yield AlertEvent(kind=event.kind, at=event.at, alert=Alert.from_model(row))
