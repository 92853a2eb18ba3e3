"""`alertChanged(countyCode)`: live alert events over graphql-transport-ws, from every server process."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from core.viewer import alert_visible
from resolvers.alerts.events import Change
from resolvers.context import Context
from resolvers.permissions import Forbidden, viewer_of


async def alert_changed(context: Context, *, county_code: str) -> AsyncGenerator[Change, None]:
    """A county's alert changes as they are committed, those the viewer may see."""
    viewer = viewer_of(context)
    if not viewer.is_admin and viewer.county_code != county_code:
        raise Forbidden(f"Forbidden: county {county_code} is outside the jurisdiction of this {viewer.describe()}.")
    if context.alert_feed is None:
        raise RuntimeError("this server has no alert feed (the app sets one up)")
    async with context.alert_feed(county_code) as subscription:
        async for event, row in subscription:
            township = row.township.code if row.township_id else None  # type: ignore[attr-defined]
            if alert_visible(viewer, county_code=event.county_code, township_code=township):
                yield event, row
