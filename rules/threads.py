"""Pure-Python steps of fact building and reports run on a worker thread, so the event loop keeps answering.

The database reads stay on the loop (they are async and cheap for it); what follows them — turning thousands of
rows into facts, replaying case timelines, normalising a report's evidence — is plain Python that held the loop
100–150 ms at a time for a county report. On a worker thread it still holds the GIL, but CPython hands the GIL
back to the loop every switch interval (set here to 1 ms, as server/off_loop.py does for long documents), so other
requests are answered meanwhile. The steps only read their arguments and return new objects: nothing is shared.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TypeVar

SWITCH_SECONDS = 0.001

T = TypeVar("T")


async def in_thread(work: Callable[[], T]) -> T:
    """`work()` on a worker thread (the default executor); the loop gets the GIL back within `SWITCH_SECONDS`."""
    if sys.getswitchinterval() > SWITCH_SECONDS:
        sys.setswitchinterval(SWITCH_SECONDS)
    return await asyncio.to_thread(work)


THREAD_ABOVE_ROWS = 200  # below this the hop to a thread (~0.1 ms) costs more than the work it moves


async def in_thread_above(rows: int, work: Callable[[], T]) -> T:
    """`work()` on a worker thread when it handles more than `THREAD_ABOVE_ROWS` rows, else right here."""
    return await in_thread(work) if rows > THREAD_ABOVE_ROWS else work()
