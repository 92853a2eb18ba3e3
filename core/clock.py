"""The one clock: every "now" Lianxi reads comes from here, so tests and demos can fix it.

A result depends on the data and the as-of, never on the wall clock (DESIGN §2); what does read
the present (the default as-of of a run, the refusal of a future as-of, token expiry, webhook
backoff, the demo's build day) reads `now()`. Two seams, one for each kind of caller:

- in-process (tests): `with frozen(instant): ...` fixes the clock; `with started_at(instant):`
  sets it to `instant` and lets it run from there.
- across processes (served apps and CLI subprocesses in tests, reproducible demos):
  `LIANXI_CLOCK=2026-12-07T10:00:00+08:00` starts the process's clock at that instant and lets
  it run. A malformed value fails fast with a message naming the variable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["CLOCK_ENV", "ClockError", "frozen", "local_today", "now", "started_at"]

CLOCK_ENV = "LIANXI_CLOCK"


class ClockError(ValueError):
    """`LIANXI_CLOCK` is not an ISO instant with an offset."""


def _parse(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ClockError(f"{CLOCK_ENV} is not an ISO date-time: {raw!r} (e.g. 2026-12-07T10:00:00+08:00)") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(f"{CLOCK_ENV} needs an offset (e.g. {raw}+08:00): {raw!r}")
    return moment.astimezone(UTC)


class _Clock:
    """The process's clock: the real one, optionally shifted (started at an instant) or frozen."""

    __slots__ = ("fixed", "shift")

    def __init__(self) -> None:
        self.fixed: datetime | None = None
        self.shift = timedelta(0)
        raw = os.environ.get(CLOCK_ENV, "").strip()
        if raw:
            self.shift = _parse(raw) - datetime.now(UTC)

    def read(self) -> datetime:
        if self.fixed is not None:
            return self.fixed
        if self.shift:
            return datetime.now(UTC) + self.shift
        return datetime.now(UTC)


_clock = _Clock()


def now() -> datetime:
    """The present instant, aware, in UTC."""
    return _clock.read()


def local_today(zone: ZoneInfo | str) -> date:
    """Today's date in a county's time zone."""
    return now().astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date()


def epoch_seconds() -> float:
    """The present as seconds since the epoch (for operational buckets and backoff arithmetic)."""
    return now().timestamp() if (_clock.fixed is not None or _clock.shift) else time.time()


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ClockError(f"the clock takes an aware instant (with an offset), got {instant!r}")
    return instant.astimezone(UTC)


@contextmanager
def frozen(instant: datetime) -> Iterator[None]:
    """Fix the clock at `instant` inside the block (tests)."""
    saved = (_clock.fixed, _clock.shift)
    _clock.fixed = _aware(instant)
    try:
        yield
    finally:
        _clock.fixed, _clock.shift = saved


@contextmanager
def started_at(instant: datetime) -> Iterator[None]:
    """Set the clock to `instant` and let it run from there inside the block (tests of served work)."""
    saved = (_clock.fixed, _clock.shift)
    _clock.fixed, _clock.shift = None, _aware(instant) - datetime.now(UTC)
    try:
        yield
    finally:
        _clock.fixed, _clock.shift = saved
