"""The one check that a retired unit takes no record dated on or after its retirement (DESIGN §1, roster invariants).

`retireUnit` sets `retired_on`: the unit is merged or dissolved *from that local day* (rules/facts.py counts
it gone from 00:00 local), so a record dated on that day or later would describe a unit that no longer
exists, and the county's statistics would count it. History stays writable: a case reported or a visit made
before the retirement can still be recorded late. Writes that are not dated (creating a child under the
unit, renaming it, giving a role in it) are refused from the retirement on, whatever the day.

Every service that names a unit calls `refuse_retired` with the unit's code, its `retired_on` and the
record's local day; the message names the unit (the caller named it, so nothing is revealed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.writes import Problems


def retired_problem(*, code: str, retired_on: date | None, day: date | None) -> str | None:
    """Why a record of this unit dated `day` (None: not dated) is refused; None when the unit takes it."""
    if retired_on is None:
        return None
    if day is not None and day < retired_on:
        return None  # history from before the retirement: still recorded
    if day is None:
        return f"{code} was retired on {retired_on}: a retired unit takes no new records"
    return f"{code} was retired on {retired_on}: it takes no record dated {day} (on or after its retirement)"


def refuse_retired(problems: Problems, field: Sequence[str | int], *, code: str, retired_on: date | None, day: date | None) -> bool:
    """Add the refusal to `problems` on `field` when the unit is retired for that day; True when refused."""
    problem = retired_problem(code=code, retired_on=retired_on, day=day)
    if problem is not None:
        problems.add(field, "INVALID", problem)
    return problem is not None
