"""`LedgersByVillageLoader`: the ledgers of every village a request asks for, read together per period and county zone.

A county-wide `Village.ledger` used to read each village on its own (3 statements per village: its zone, its cases,
their events — 560 statements on the demo). The loader takes the request's keys at once: one zone lookup for the
townships the request does not know yet, then per (period, zone) one statement for the cases and one per 5,000 cases
for their events (`core.ledger.ledgers_by_village`, whose replay and counting run on a worker thread).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from strawberry.dataloader import DataLoader

from core import clock
from core.errors import BadInput
from core.ledger import VillageItems, ledgers_by_village
from core.periods import check_year
from resolvers.loading import MAX_BATCH
from rules.periods import parse_period

_YEAR = re.compile(r"^[0-9]{4}$")  # ASCII digits only

ZonesOf = Callable[[Iterable[int]], Awaitable[dict[int, ZoneInfo]]]


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


class LedgerKey(NamedTuple):
    village_id: int
    township_id: int
    period: str | None  # as asked: None is the current local year of the village's county


@dataclass(frozen=True)
class VillageLedger:
    """One village's ledger of a period: the disputes as they stood at its end, and their counts."""

    period: str
    first_day: date
    last_day: date
    found: VillageItems


class LedgersByVillageLoader(DataLoader[LedgerKey, VillageLedger]):
    """(village, township, period) → that village's ledger; zones are read through the request's cache (`bind`)."""

    def __init__(self) -> None:
        super().__init__(load_fn=self.batch_load, max_batch_size=MAX_BATCH)
        self._zones_of: ZonesOf | None = None
        self._default_zone = ZoneInfo("UTC")

    def bind(self, zones_of: ZonesOf, default_zone: ZoneInfo) -> LedgersByVillageLoader:
        """Read zones with `Context.township_zones` (which root lookups prime) and fall back to the default zone."""
        self._zones_of, self._default_zone = zones_of, default_zone
        return self

    async def batch_load(self, keys: list[LedgerKey]) -> list[VillageLedger | BaseException]:
        if self._zones_of is None:
            raise TypeError("LedgersByVillageLoader is read through resolvers.ledger.queries.village_ledger")
        zones = await self._zones_of({key.township_id for key in keys})
        results: list[VillageLedger | BaseException | None] = [None] * len(keys)
        groups: dict[tuple[str, date, date, str], list[int]] = defaultdict(list)  # (label, days, zone) → key indexes
        zone_named: dict[str, ZoneInfo] = {}
        for index, key in enumerate(keys):
            zone = zones.get(key.township_id) or self._default_zone
            label = key.period or str(clock.now().astimezone(zone).year)
            try:
                first, last = period_days(label, zone)
            except BadInput as refused:  # a bad period refuses its own keys, as it did village by village
                results[index] = refused
                continue
            zone_named[str(zone)] = zone
            groups[(label, first, last, str(zone))].append(index)
        for (label, first, last, zone_name), indexes in groups.items():
            village_ids = sorted({keys[index].village_id for index in indexes})
            found = await ledgers_by_village(village_ids=village_ids, first=first, last=last, zone=zone_named[zone_name])
            for index in indexes:
                results[index] = VillageLedger(period=label, first_day=first, last_day=last, found=found[keys[index].village_id])
        return [result if result is not None else RuntimeError("ledger not read") for result in results]
