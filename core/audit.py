"""The one place that writes the audit trail: who (token), what, when, before and after.

Entries are only ever inserted — no code path updates or deletes them — and each is written in
the transaction of the change it records, so a rolled-back write leaves no entry and a committed
one always has its entry. Snapshots never hold petitioners' personal data unmasked.
"""

from __future__ import annotations

from core import clock
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from models.audit import AuditEntry


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a token's name and id (API), or `cli:<command>`."""

    name: str
    token_id: int | None = None


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_json(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return value


async def record_audit(
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_key: str | None,
    county_code: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry (call it inside the write's transaction).

    `county_code` is the county of what the write touched, whoever wrote it (ADMIN included): the
    county's BUREAU and AUDITOR tokens read their trail by it, so an entry without one would be a
    change nobody in the county can see. A write touching several counties records one entry in each.
    """
    if not county_code:
        raise ValueError(f"an audit entry needs the county of what {action} touched")
    return await AuditEntry.create(
        at=at or clock.now(),
        actor=actor.name[:128],
        token_id=actor.token_id,
        action=action,
        entity=entity,
        entity_key=entity_key,
        county_code=county_code,
        before=_json(before) if before is not None else None,
        after=_json(after) if after is not None else None,
    )
