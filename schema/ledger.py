"""The village ledger (社情民意台账): what a village collected in a period, by channel and category, with its state."""

from __future__ import annotations

from datetime import date

import strawberry

from core import ledger
from resolvers.ledger.queries import VillageLedger as Ledger
from schema.enums import CaseCategory, CaseChannel, CaseLevel, CaseOutcome, CaseStatus


@strawberry.type(description="One dispute in the ledger, as it stood at the end of the period.")
class LedgerItem:
    number: str
    reported_on: date
    channel: CaseChannel
    category: CaseCategory
    title: str
    status: CaseStatus
    level: CaseLevel
    outcome: CaseOutcome | None
    resolved_on: date | None
    escalated_to: CaseLevel | None = strawberry.field(description="Highest level it went up to (to the township centre, 大事不出镇).")

    @classmethod
    def from_item(cls, item: ledger.LedgerItem) -> LedgerItem:
        return cls(
            number=item.number, reported_on=item.reported_on, channel=CaseChannel(item.channel), category=CaseCategory(item.category),
            title=item.title, status=CaseStatus(item.status), level=CaseLevel(item.level),
            outcome=CaseOutcome(item.outcome) if item.outcome else None, resolved_on=item.resolved_on,
            escalated_to=CaseLevel(item.escalated_to) if item.escalated_to else None,
        )


@strawberry.type(description="Collected and mediated-successfully counts for one channel or category.")
class LedgerCount:
    key: str
    collected: int
    mediated: int

    @classmethod
    def counted_by(cls, items: list[ledger.LedgerItem], key: str) -> list[LedgerCount]:
        return [cls(key=c.key, collected=c.collected, mediated=c.mediated) for c in ledger.counts_by(items, key)]


@strawberry.type(description="Disputes collected by a village in a period (线上线下收集矛盾纠纷隐患) and what became of them.")
class VillageLedger:
    period: str
    first_day: date
    last_day: date
    collected: int
    mediated: int = strawberry.field(description="Resolved with outcome MEDIATED (调解成功) by the period's end.")
    resolved: int = strawberry.field(description="Any successful outcome by the period's end.")
    escalated: int = strawberry.field(description="Reported to the township centre or higher (小事不出村 failed).")
    open: int
    by_channel: list[LedgerCount]
    by_category: list[LedgerCount]
    items: list[LedgerItem]

    @classmethod
    def from_ledger(cls, found: Ledger) -> VillageLedger:
        total = found.totals
        return cls(
            period=found.period, first_day=found.first_day, last_day=found.last_day, collected=total.collected,
            mediated=total.mediated, resolved=total.resolved, escalated=total.escalated, open=total.open,
            by_channel=LedgerCount.counted_by(found.items, "channel"), by_category=LedgerCount.counted_by(found.items, "category"),
            items=[LedgerItem.from_item(item) for item in found.items],
        )
