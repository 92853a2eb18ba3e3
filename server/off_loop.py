"""Run long parsing and validation work on a worker thread, so the event loop keeps answering other requests.

graphql-core parses and validates in pure Python: a 1 MB string literal or comment takes ~250 ms to lex, a
4,000-token document ~50 ms to parse and ~100 ms to validate. On the loop that is a stall for every other
request; on a worker thread the loop gets the GIL back within the switch interval (1 ms here instead of
CPython's 5 ms), so it still answers meanwhile. Short documents stay on the loop: the hop costs more than the work.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

THREAD_ABOVE_CHARS = 2000  # documents (or variables) longer than this are parsed and validated off the event loop
SWITCH_SECONDS = 0.001  # GIL hand-over while long work runs beside the event loop (CPython's default is 5 ms)
_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphql-prepare")  # at most two long documents at once

T = TypeVar("T")


async def off_loop(work: Callable[[], T]) -> T:
    """`work()` on a worker thread; the loop thread gets the GIL back within `SWITCH_SECONDS` while it runs."""
    sys.setswitchinterval(SWITCH_SECONDS)
    return await asyncio.get_running_loop().run_in_executor(_WORKERS, work)
