"""Dated assignments (supervision rotation, roles): who held what on a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any


class Intervals:
    # Dated assignments keyed by unit: who held what on a day (inclusive ranges, open ends allowed).

    def __init__(self) -> None:
        self._rows: dict[Any, list[tuple[date | None, date | None, int, Any]]] = defaultdict(list)

    def add(self, key: Any, start: date | None, end: date | None, row_id: int, value: Any) -> None:
        self._rows[key].append((start, end, row_id, value))

    def on(self, key: Any, day: date) -> list[Any]:
        """Values in force on `day`, the most recently started first."""
        rows = [r for r in self._rows.get(key, ()) if (r[0] is None or r[0] <= day) and (r[1] is None or day <= r[1])]
        rows.sort(key=lambda r: (r[0] or date.min, r[2]), reverse=True)
        return [r[3] for r in rows]

    def during(self, key: Any, first: date, last: date) -> list[Any]:
        """Values in force on at least one day of [first, last]."""
        rows = [
            r for r in self._rows.get(key, ()) if (r[0] is None or r[0] <= last) and (r[1] is None or first <= r[1])
        ]
        return sorted({r[3] for r in rows})
