"""Dated assignments (supervision rotation, roles): who held what on a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from models.people import held_during, held_on


class Intervals:
    # Dated assignments keyed by unit: who held what on a day (inclusive ranges, open ends allowed).

    def __init__(self) -> None:
        self._rows: dict[Any, list[tuple[date | None, date | None, int, Any]]] = defaultdict(list)

    def add(self, key: Any, start: date | None, end: date | None, row_id: int, value: Any) -> None:
        self._rows[key].append((start, end, row_id, value))

    def on(self, key: Any, day: date) -> list[Any]:
        """Values in force on `day`, the most recently started first."""
        rows = [r for r in self._rows.get(key, ()) if held_on(r[0], r[1], day)]
        rows.sort(key=lambda r: (r[0] or date.min, r[2]), reverse=True)
        return [r[3] for r in rows]

    def during(self, key: Any, first: date, last: date) -> list[Any]:
        """Values in force on at least one day of [first, last]."""
        rows = [r for r in self._rows.get(key, ()) if held_during(r[0], r[1], first, last)]
        return sorted({r[3] for r in rows})
