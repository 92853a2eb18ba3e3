"""Alert events as a viewer may see them: in mutation payloads and on the `alertChanged` subscription.

Domain data — (event, alert row) pairs; `schema.alerts.AlertEvent.from_change` maps each one.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.transaction import AlertEvent
from core.viewer import Viewer, alert_visible
from models.alerts import Alert
from models.units import Township

Change = tuple[AlertEvent, Alert]  # what happened to an alert, and the alert as it is now


def visible_changes(viewer: Viewer | None, changes: Iterable[Change], township_codes: dict[int, str]) -> list[Change]:
    """The changes inside the viewer's jurisdiction, in order."""
    if viewer is None:
        return []
    return [
        (event, row)
        for event, row in changes
        if alert_visible(viewer, county_code=event.county_code, township_code=township_codes.get(row.township_id),  # type: ignore[attr-defined]
                         subject_code=row.subject_code)
    ]


async def township_codes_of(rows: Iterable[Alert]) -> dict[int, str]:
    """Township id → code for the alerts' townships (one query)."""
    ids = {r.township_id for r in rows if r.township_id}  # type: ignore[attr-defined]
    return dict(await Township.filter(id__in=ids).values_list("id", "code")) if ids else {}


async def alert_changes(viewer: Viewer | None, changes: list[Change]) -> list[Change]:
    """A mutation payload's `alertChanges`: what the write did to alerts, as far as the viewer may see."""
    return visible_changes(viewer, changes, await township_codes_of(row for _, row in changes))
