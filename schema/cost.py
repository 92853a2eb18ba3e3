"""The work a field does, declared beside the field: `@strawberry.field(..., metadata=work(...))`.

The query cost limit (server/limits.py) counts objects a query may return, multiplied down the tree; a field that
aggregates, solves or replays reads far more than it returns, so it declares its weight here and the limit adds
that weight per call (times the multiplier it is reached with; an aliased mutation adds it once per alias).

The unit is the row-equivalent: one row read from the database, and `ROWS_PER_STATEMENT` for each statement sent
(measured on the demo with SQLite in-process: the county-wide ledger sent 560 statements and read 3,076 rows in
1.4 s, a county-year report read 37,603 rows in 42 statements in 1.7 s — a statement costs about as much Python
as 20–50 rows). A weight is a constant or a function of the field's arguments (as the client sent them, literals
and variables resolved; missing ones as None), because the work depends on them: a report's months, a ledger's
period. tests/cost/test_declared_work.py measures each declared field on the demo and fails when its measured
work exceeds its declared weight, or when a field reads heavily without declaring any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

WORK = "lianxi.work"  # the metadata key the limiter reads
ROWS_PER_STATEMENT = 20

Weigh = Callable[[Mapping[str, Any]], int]


@dataclass(frozen=True)
class Work:
    """A field's declared weight, in row-equivalents per call, and how it was measured (for the docs and the test)."""

    weigh: Weigh
    measured: str
    once: int = 0  # added once per field in the document, whatever its multiplier: a DataLoader's statements per batch

    def weight(self, arguments: Mapping[str, Any]) -> int:
        """The weight of one call with these arguments (each weight function reads unreadable ones as the worst case)."""
        return max(0, int(self.weigh(arguments)))


def work(weight: int | Weigh, *, measured: str, once: int = 0) -> dict[str, Work]:
    """Field metadata declaring its work: `metadata=work(15_000, measured="…")`; `once` is what a batched field
    (one DataLoader batch for all its calls) sends per field of the document, however many objects reach it."""
    if callable(weight):
        return {WORK: Work(weigh=weight, measured=measured, once=once)}
    constant = weight

    def fixed(_arguments: Mapping[str, Any]) -> int:
        return constant

    return {WORK: Work(weigh=fixed, measured=measured, once=once)}


def declared_work(metadata: Mapping[str, Any] | None) -> Work | None:
    """The declared work in a field's metadata, if any."""
    found = (metadata or {}).get(WORK)
    return found if isinstance(found, Work) else None


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
_YEAR = re.compile(r"^\d{4}$")


def period_months(label: Any, *, unknown: int) -> int:
    """Months in a period label `2023`, `2023-Q2`, `2023-05`; `unknown` for anything else (absent, a variable's junk)."""
    if not isinstance(label, str):
        return unknown
    if _MONTH.match(label):
        return 1
    if _QUARTER.match(label):
        return 3
    if _YEAR.match(label):
        return 12
    return unknown


def months_between(first: Any, last: Any, *, unknown: int) -> int:
    """Calendar months touched by [first, last] (ISO dates); `unknown` when either cannot be read or they are reversed."""
    try:
        start, end = date.fromisoformat(str(first)), date.fromisoformat(str(last))
    except ValueError:
        return unknown
    if end < start:
        return unknown
    return (end.year - start.year) * 12 + end.month - start.month + 1
