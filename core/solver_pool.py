"""The worker process that solves rotation models, so a CP-SAT solve never runs on the event loop.

One pool per server process, made at the first solve (never at import: `lianxi serve --workers N`
forks its workers from a parent that must not hold a pool), with one worker process started by
`spawn` (a fork of a process running an event loop and threads copies their locks mid-use). Each
uvicorn worker so has at most one solver beside it: N workers, N solves at a time, whatever the
number of requests; later requests wait on the pool, not on the loop. The solve itself is bounded
by deterministic work (`rules.rotation.DETERMINISTIC_LIMIT`), so the wait is bounded too.

`shutdown()` is called by the app's lifespan at exit: queued solves are cancelled, the running one
(bounded) is let finish, and the worker process is joined, so a stopped server leaves no process
behind. A worker process that died (killed, out of memory) is replaced at the next solve.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from rules.rotation import Plan, PlanInput, plan_rotation

_pool: ProcessPoolExecutor | None = None
_guard = threading.Lock()


def _ignore_interrupts() -> None:
    """In the worker process: Ctrl-C reaches the whole process group, but the server decides when the worker
    stops (`shutdown`), so the interrupt must not kill it mid-queue with a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _executor() -> ProcessPoolExecutor:
    """The process's pool, made on first use."""
    global _pool
    with _guard:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_ignore_interrupts)
        return _pool


def _discard(broken: ProcessPoolExecutor) -> None:
    """Forget a broken pool (its process died) so the next solve starts a new one."""
    global _pool
    with _guard:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


async def solve_rotation(data: PlanInput) -> Plan:
    """`plan_rotation(data)` in the worker process; one retry on a fresh process when the worker died."""
    loop = asyncio.get_running_loop()
    for attempt in (1, 2):
        pool = _executor()
        try:
            return await loop.run_in_executor(pool, plan_rotation, data)
        except BrokenProcessPool:
            _discard(pool)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _ready() -> None:
    """Nothing: run once at start-up so the worker process has imported OR-Tools (~2 s) before the first request."""


def warm() -> None:
    """Start the worker process now (the app's lifespan, at start-up); the first plan then waits for no import."""
    _executor().submit(_ready)


def shutdown() -> None:
    """Stop the worker process (the app's lifespan, at exit): queued solves cancelled, the running one finishes."""
    global _pool
    with _guard:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
