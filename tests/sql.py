"""Count the SQL statements the ORM sends, to pin DataLoader batching in tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lstrip()
        # token rows are cached and re-checked by a background poll (server/auth/revocation.py): not the request's work
        if message.upper().startswith(_VERBS) and '"api_token"' not in message:
            self.statements.append(message)


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect every statement logged by tortoise's db client inside the block."""
    logger = logging.getLogger("tortoise.db_client")
    counter = _Counter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
