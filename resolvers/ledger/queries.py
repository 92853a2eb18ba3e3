"""`Village.ledger(period)`: the village's disputes of a local period, counted by channel and category."""

from __future__ import annotations

from core import clock
import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from core.errors import BadInput
from core.ledger import LedgerItem, LedgerTotals, ledger_items, totals
from core.periods import check_year
from resolvers.context import Context
from rules.periods import parse_period

_YEAR = re.compile(r"^[0-9]{4}$")  # ASCII digits only


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


@dataclass(frozen=True)
class VillageLedger:
    """One village's ledger of a period: the disputes as they stood at its end, and their totals."""

    period: str
    first_day: date
    last_day: date
    items: list[LedgerItem]
    totals: LedgerTotals


async def village_ledger(context: Context, *, village_id: int, township_id: int, period: str | None) -> VillageLedger:
    """The ledger of one village for a local period of its county (default: the current local year)."""
    zone = await context.zone_for_township(township_id)
    label = period or str(clock.now().astimezone(zone).year)
    first, last = period_days(label, zone)
    items = await ledger_items(village_ids=[village_id], first=first, last=last, zone=zone)
    return VillageLedger(period=label, first_day=first, last_day=last, items=items, totals=totals(items))
