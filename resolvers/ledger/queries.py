"""`Village.ledger(period)`: the village's disputes of a local period, counted by channel and category."""

from __future__ import annotations

from resolvers.context import Context
from resolvers.ledger.loaders import LedgerKey, LedgersByVillageLoader, VillageLedger


async def village_ledger(context: Context, *, village_id: int, township_id: int, period: str | None) -> VillageLedger:
    """The ledger of one village for a local period of its county (default: the current local year), read in one
    batch with every other village's ledger the request asks for."""
    loader = context.loader(LedgersByVillageLoader).bind(context.township_zones, context.default_zone)
    return await loader.load(LedgerKey(village_id=village_id, township_id=township_id, period=period))
