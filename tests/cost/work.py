"""Count the work a request does in the database: statements sent and rows they returned.

Rows are what a resolver reads and then aggregates in Python, so they are the unit the cost limit's declared
weights are written in (server/limits.py, schema/cost.py). The counter wraps the ORM client's two query methods
(every ORM read and every raw `execute_query` goes through one of them; a depth counter keeps a method that calls
the other from counting twice).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from tortoise import connections

_DEPTH: ContextVar[int] = ContextVar("work_depth", default=0)


@dataclass
class Work:
    """What one block sent to the database."""

    statements: int = 0
    rows: int = 0


def _counting(method: Callable[..., Awaitable[Any]], work: Work, *, dict_rows: bool) -> Callable[..., Awaitable[Any]]:
    async def counted(self: Any, query: str, values: list[Any] | None = None) -> Any:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        try:
            found = await method(self, query, values)
        finally:
            _DEPTH.reset(token)
        if depth == 0 and '"api_token"' not in query:  # token checks are the auth cache's, not the field's
            work.statements += 1
            work.rows += len(found if dict_rows else found[1])
        return found

    return counted


@contextmanager
def count_work() -> Iterator[Work]:
    """Count statements and rows read by the default connection's client class inside the block."""
    work = Work()
    client = type(connections.get("default"))
    saved = client.execute_query, client.execute_query_dict
    client.execute_query = _counting(saved[0], work, dict_rows=False)  # type: ignore[method-assign]
    client.execute_query_dict = _counting(saved[1], work, dict_rows=True)  # type: ignore[method-assign]
    try:
        yield work
    finally:
        client.execute_query, client.execute_query_dict = saved  # type: ignore[method-assign]
