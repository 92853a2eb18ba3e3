"""The village ledger (社情民意台账): what a village collected in a period, by channel and category, with its state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import strawberry

from core import ledger
from resolvers.ledger.loaders import VillageLedger as Ledger
from schema.cost import ROWS_PER_STATEMENT, period_months
from schema.enums import CaseCategory, CaseChannel, CaseLevel, CaseOutcome, CaseStatus


# Village.ledger is batched (resolvers/ledger/loaders.py): every village a request asks for is read at once per period,
# the townships' zones in one statement (none when the root lookup primed them), the period's cases in one and their
# events in one per 5,000 cases. Measured on the demo (SQLite, branch `ledger`): county-wide 2023: 3 statements and
# 2,900 rows for 186 villages (15.6 rows a village, the busiest 23 cases), 7 statements in all with the tree (560
# before); one village 2023-05: 2 statements + 5 rows (85 with the village's lookup and the cache's version read).
# Weighed `LEDGER_ONCE` per field of the document (the batch's 3 statements and one events chunk more) plus, per
# village, about twice the demo's average rows of the period (cases and their events): one county-wide year
# (300 villages by the limit's estimates) costs ~9,700 with its objects instead of ~36,600.
LEDGER_WORK = {1: 5, 3: 12, 12: 30}
LEDGER_ONCE = 4 * ROWS_PER_STATEMENT


def ledger_weight(arguments: Mapping[str, Any]) -> int:
    """One ledger call: by its period's length (no period means this year)."""
    return LEDGER_WORK.get(period_months(arguments.get("period") or "2000", unknown=12), LEDGER_WORK[12])


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
    def from_counts(cls, counts: list[ledger.LedgerCount]) -> list[LedgerCount]:
        return [cls(key=c.key, collected=c.collected, mediated=c.mediated) for c in counts]


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
    def from_ledger(cls, ledger: Ledger) -> VillageLedger:
        found, total = ledger.found, ledger.found.totals
        return cls(
            period=ledger.period, first_day=ledger.first_day, last_day=ledger.last_day, collected=total.collected,
            mediated=total.mediated, resolved=total.resolved, escalated=total.escalated, open=total.open,
            by_channel=LedgerCount.from_counts(found.by_channel), by_category=LedgerCount.from_counts(found.by_category),
            items=[LedgerItem.from_item(item) for item in found.items],
        )
