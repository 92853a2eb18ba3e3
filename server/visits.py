"""Mediation visits counted per village and local month: one definition for the API and the report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo


class VisitCount(NamedTuple):
    village_code: str
    village_name: str
    month: str
    visits: int


def count_by_village_month(rows: Iterable[Mapping[str, Any]], zone: ZoneInfo) -> list[VisitCount]:
    """Rows of (village__code, village__name, at) → visits per (village, local month), by village code then month."""
    names: dict[str, str] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        names[row["village__code"]] = row["village__name"]
        counts[(row["village__code"], row["at"].astimezone(zone).strftime("%Y-%m"))] += 1
    return [VisitCount(code, names[code], month, n) for (code, month), n in sorted(counts.items())]
