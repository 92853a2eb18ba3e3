"""`Village.ledger(period)`: the village's disputes of a local period, counted by channel and category."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.enums import CaseCategory, CaseChannel, CaseLevel, CaseOutcome, CaseStatus
from core.errors import BadInput
from core.periods import check_year
from rules.periods import parse_period
from schema.ledger import LedgerCount, LedgerItem, VillageLedger
from core.ledger import counts_by, ledger_items, totals

_YEAR = re.compile(r"^\d{4}$")


def period_days(label: str, zone: ZoneInfo) -> tuple[date, date]:
    """First and last local day of `2023`, `2023-05` or `2023-Q2`."""
    if _YEAR.match(label):
        year = check_year(int(label), "period")
        return date(year, 1, 1), date(year, 12, 31)
    try:
        period = parse_period(label, zone)
    except ValueError:
        raise BadInput("period", f"expected YYYY, YYYY-MM or YYYY-Qn; got {label!r}") from None
    check_year(period.first.year, "period")
    return period.first, period.last


async def village_ledger(*, village_id: int, period: str | None, zone: ZoneInfo) -> VillageLedger:
    """The ledger of one village for a period (default: the current local year)."""
    label = period or str(datetime.now(zone).year)
    first, last = period_days(label, zone)
    items = await ledger_items(village_ids=[village_id], first=first, last=last, zone=zone)
    total = totals(items)
    return VillageLedger(
        period=label, first_day=first, last_day=last, collected=total.collected, mediated=total.mediated,
        resolved=total.resolved, escalated=total.escalated, open=total.open,
        by_channel=[LedgerCount(key=c.key, collected=c.collected, mediated=c.mediated) for c in counts_by(items, "channel")],
        by_category=[LedgerCount(key=c.key, collected=c.collected, mediated=c.mediated) for c in counts_by(items, "category")],
        items=[LedgerItem(
            number=i.number, reported_on=i.reported_on, channel=CaseChannel(i.channel), category=CaseCategory(i.category),
            title=i.title, status=CaseStatus(i.status), level=CaseLevel(i.level),
            outcome=CaseOutcome(i.outcome) if i.outcome else None, resolved_on=i.resolved_on,
            escalated_to=CaseLevel(i.escalated_to) if i.escalated_to else None,
        ) for i in items],
    )
