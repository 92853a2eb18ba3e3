"""Who is using a SQLite database file: `lianxi serve` holds a shared lock on it for its whole life, and
`lianxi demo` replaces the file only under an exclusive one, so the demo never deletes a database a
server is answering from.

The lock is `flock(2)` on the database file itself (independent of SQLite's own POSIX byte-range
locks on Linux, so it never blocks a query), taken without waiting: a server refuses to start while
the demo swaps the file in (a moment), and the demo refuses to rebuild while a server runs. The kernel
drops the lock when the process ends, however it ends, so a killed server leaves nothing stale.
PostgreSQL and in-memory databases have no file: nothing is locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class DatabaseInUse(OSError):
    """The SQLite file is held by a server (or being swapped by the demo): one line for the operator."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite://lianxi.db`, `sqlite:///tmp/x.db`); None for other databases and :memory:."""
    if not url.startswith("sqlite://"):
        return None
    path = url.removeprefix("sqlite://").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def _try_lock(path: Path, mode: int, *, create: bool) -> int | None:
    """An open descriptor holding `mode` on the file, or None when another process holds a conflicting lock."""
    fd = os.open(path, os.O_RDONLY | (os.O_CREAT if create else 0), 0o644)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def serving(url: str) -> Iterator[None]:
    """Hold a shared lock on the server's SQLite file while the server runs (created empty when missing: SQLite
    treats an empty file as a new database)."""
    path = sqlite_file(url)
    if path is None:
        yield
        return
    for _ in range(3):
        fd = _try_lock(path, fcntl.LOCK_SH, create=True)
        if fd is None:
            raise DatabaseInUse(f"{path} is being replaced by `lianxi demo` right now: start the server again in a moment")
        if os.path.exists(path) and os.fstat(fd).st_ino == os.stat(path).st_ino:
            break
        os.close(fd)  # the demo swapped a new file in between the open and the lock: lock the new one
    else:
        raise DatabaseInUse(f"{path} keeps being replaced: start the server again in a moment")
    try:
        yield
    finally:
        os.close(fd)


def in_use(path: Path) -> bool:
    """Does a server hold this file now? (False when the file does not exist.)"""
    if not path.exists():
        return False
    fd = _try_lock(path, fcntl.LOCK_EX, create=False)
    if fd is None:
        return True
    os.close(fd)
    return False


@contextmanager
def replacing(path: Path) -> Iterator[None]:
    """Hold the file exclusively while it is replaced (a missing file needs no lock); DatabaseInUse when a server holds it."""
    if not path.exists():
        yield
        return
    fd = _try_lock(path, fcntl.LOCK_EX, create=False)
    if fd is None:
        raise DatabaseInUse(in_use_message(path))
    try:
        yield
    finally:
        os.close(fd)


def in_use_message(path: Path) -> str:
    return (f"a server is using {path}: stop it (or point LIANXI_DATABASE_URL at another file) before rebuilding the demo; "
            "nothing was changed")
