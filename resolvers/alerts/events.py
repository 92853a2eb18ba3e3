"""Alert events as a viewer may see them: in mutation payloads and on the `alertChanged` subscription."""

from __future__ import annotations

from collections.abc import Iterable

from models.alerts import Alert as AlertRow
from core.viewer import Viewer, alert_visible
from schema.alerts import Alert, AlertEvent
from core.transaction import AlertEvent as AlertEventRecord


def visible_alert_events(
    viewer: Viewer | None, changes: Iterable[tuple[AlertEventRecord, AlertRow]], township_codes: dict[int, str]
) -> list[AlertEvent]:
    """The changes inside the viewer's jurisdiction, as API objects."""
    if viewer is None:
        return []
    return [
        AlertEvent(kind=event.kind, at=event.at, alert=Alert.from_model(row))
        for event, row in changes
        if alert_visible(viewer, county_code=event.county_code, township_code=township_codes.get(row.township_id),  # type: ignore[attr-defined]
                         subject_code=row.subject_code)
    ]


async def township_codes_of(rows: Iterable[AlertRow]) -> dict[int, str]:
    """Township id → code for the alerts' townships (one query)."""
    from models.units import Township

    ids = {r.township_id for r in rows if r.township_id}  # type: ignore[attr-defined]
    return dict(await Township.filter(id__in=ids).values_list("id", "code")) if ids else {}


async def alert_changes(viewer: Viewer | None, changes: list[tuple[AlertEventRecord, AlertRow]]) -> list[AlertEvent]:
    """A mutation payload's `alertChanges`: what the write did to alerts, as far as the viewer may see."""
    return visible_alert_events(viewer, changes, await township_codes_of(row for _, row in changes))
