"""The village ledger (社情民意台账): disputes a village collected in a period, by channel and category, with state.

Collected = disputes (kind DISPUTE) reported in the period; mediated = resolved with outcome MEDIATED
by the period's end — the same definitions as the seed figures (`core.statistics`), so a county's
villages add up to its "1,225 collected, 1,203 mediated successfully".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models.cases import Case, CaseEvent
from models.enums import LEVEL_RANK, OPEN_CASE_STATUSES, SUCCESSFUL_OUTCOMES, CaseEventType, CaseKind, CaseLevel, CaseOutcome
from rules.case_timeline import derive_state
from rules.threads import in_thread_above
from core.statistics import resolved_with


@dataclass(frozen=True, slots=True)
class LedgerItem:
    number: str
    village_code: str
    village_name: str
    reported_on: date
    channel: str
    category: str
    title: str
    status: str  # at the period's end
    level: str
    outcome: str | None
    resolved_on: date | None
    escalated_to: str | None  # the highest level it was escalated to by the period's end (信访不上行: ideally none)


@dataclass(frozen=True, slots=True)
class LedgerCount:
    key: str
    collected: int
    mediated: int


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    collected: int
    mediated: int
    resolved: int  # any successful outcome (mediated, settled, explained, withdrawn)
    escalated: int
    open: int


def totals(items: list[LedgerItem]) -> LedgerTotals:
    """Counts over a list of ledger items."""
    success = {o.value for o in SUCCESSFUL_OUTCOMES}
    return LedgerTotals(
        collected=len(items), mediated=sum(1 for i in items if i.outcome == CaseOutcome.MEDIATED),
        resolved=sum(1 for i in items if i.outcome in success), escalated=sum(1 for i in items if i.escalated_to),
        open=sum(1 for i in items if i.status in OPEN_CASE_STATUSES),
    )


def counts_by(items: list[LedgerItem], key: str) -> list[LedgerCount]:
    """Collected and mediated per channel or category, largest first."""
    collected = Counter(getattr(i, key) for i in items)
    mediated = Counter(getattr(i, key) for i in items if i.outcome == CaseOutcome.MEDIATED)
    return [LedgerCount(k, n, mediated[k]) for k, n in sorted(collected.items(), key=lambda kv: (-kv[1], kv[0]))]


Events = dict[int, list[tuple[str, str | None, str | None, datetime]]]


@dataclass(frozen=True, slots=True)
class VillageItems:
    """One village's ledger items of a period and their totals."""

    items: list[LedgerItem]
    totals: LedgerTotals
    by_channel: list[LedgerCount]
    by_category: list[LedgerCount]


async def _read(village_ids: list[int], first: date, last: date, zone: ZoneInfo) -> tuple[list[dict[str, Any]], Events]:
    """The villages' disputes reported on local days [first, last] and their events up to the end of `last`
    (2 statements, one more per 5,000 cases)."""
    start = datetime.combine(first, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    cases = await Case.filter(kind=CaseKind.DISPUTE, village_id__in=village_ids, reported_at__gte=start, reported_at__lt=end).order_by(
        "reported_at", "id").values("id", "village_id", "number", "village__code", "village__name", "reported_at", "channel", "category",
                                    "title", "reported_level")
    events: Events = {c["id"]: [] for c in cases}
    ids = list(events)
    for chunk in range(0, len(ids), 5000):
        for case_id, kind, to_level, outcome, at in await CaseEvent.filter(case_id__in=ids[chunk:chunk + 5000], at__lt=end).order_by(
                "case_id", "seq").values_list("case_id", "type", "to_level", "outcome", "at"):
            events[case_id].append((str(kind), str(to_level) if to_level else None, str(outcome) if outcome else None, at))
    return cases, events


async def ledger_items(*, village_ids: list[int], first: date, last: date, zone: ZoneInfo) -> list[LedgerItem]:
    """The disputes the villages collected on local days [first, last], each as it stood at the end of `last`."""
    cases, events = await _read(village_ids, first, last, zone)
    return await in_thread_above(len(cases), lambda: _items(cases, events, zone))


async def ledgers_by_village(*, village_ids: list[int], first: date, last: date, zone: ZoneInfo) -> dict[int, VillageItems]:
    """Each village's ledger of local days [first, last] (every id asked, empty when it collected nothing), read for
    all the villages at once; the replay and the counting run on a worker thread for a county's worth of cases."""
    cases, events = await _read(village_ids, first, last, zone)
    return await in_thread_above(len(cases), lambda: _by_village(village_ids, cases, _items(cases, events, zone)))


def _by_village(village_ids: list[int], cases: list[dict[str, Any]], items: list[LedgerItem]) -> dict[int, VillageItems]:
    """Items grouped by village in their reading order (oldest report first), with each village's counts."""
    grouped: dict[int, list[LedgerItem]] = {village_id: [] for village_id in village_ids}
    for case, item in zip(cases, items, strict=True):
        grouped[case["village_id"]].append(item)
    return {village_id: village_items(own) for village_id, own in grouped.items()}


def village_items(items: list[LedgerItem]) -> VillageItems:
    """A village's items with their totals and their counts by channel and by category."""
    return VillageItems(items=items, totals=totals(items), by_channel=counts_by(items, "channel"), by_category=counts_by(items, "category"))


def _items(cases: list[dict[str, Any]], events: Events, zone: ZoneInfo) -> list[LedgerItem]:
    """Each case replayed to its state at the period's end (pure Python: a county's year runs on a worker thread)."""
    items = []
    for case in cases:
        timeline = events[case["id"]]
        state = derive_state(CaseLevel(case["reported_level"]), [(CaseEventType(t), CaseLevel(lvl) if lvl else None) for t, lvl, _, _ in timeline])
        outcome = resolved_with(case["reported_level"], [(t, lvl, o) for t, lvl, o, _ in timeline])
        resolved = [at for t, _, _, at in timeline if t == CaseEventType.RESOLVED]
        escalations = [CaseLevel(lvl) for t, lvl, _, _ in timeline if t == CaseEventType.ESCALATED and lvl]
        items.append(LedgerItem(
            number=case["number"], village_code=case["village__code"], village_name=case["village__name"],
            reported_on=case["reported_at"].astimezone(zone).date(), channel=str(case["channel"]), category=str(case["category"]),
            title=case["title"], status=str(state.status), level=str(state.level), outcome=outcome,
            resolved_on=resolved[-1].astimezone(zone).date() if outcome and resolved else None,
            escalated_to=max(escalations, key=LEVEL_RANK.__getitem__).value if escalations else None,
        ))
    return items
