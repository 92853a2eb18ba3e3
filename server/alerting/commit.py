"""Wires the webhook outbox and the alert hub into every alert write's commit (`core.transaction.on_commit`).

The app and the command line call `install()` at start-up: the outbox rows are written in the
write's transaction, and the hub hears the events once it commits.
"""

from __future__ import annotations

from core.transaction import on_commit
from server.alerting.hub import HUB
from server.alerting.outbox import enqueue_deliveries


def install() -> None:
    """Register the outbox and the hub (idempotent: each is registered once)."""
    on_commit(before=enqueue_deliveries, after=HUB.committed)
