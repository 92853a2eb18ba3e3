"""Prometheus metrics at /metrics (prometheus_client).

Two kinds: request latency per GraphQL operation is measured in each process (with several
`lianxi serve --workers`, prometheus_client's multi-process mode: `PROMETHEUS_MULTIPROC_DIR`, set
by `lianxi serve` when unset); alerts, outbox and rule runs are counted from the database at scrape
time, so every process answers the same figures.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types.graphql import OperationType
from tortoise import connections

REQUEST_SECONDS = Histogram(
    "lianxi_graphql_request_seconds",
    "Time to execute a GraphQL operation, by operation name and type (query, mutation, subscription).",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_MAX_NAMES = 256  # operation names come from clients: a bounded label set
_seen: set[str] = set()


def operation_label(name: str | None) -> str:
    """The operation name as a label: `anonymous`, or `other` past the cap or when it is not a GraphQL name."""
    if not name:
        return "anonymous"
    if not _NAME.fullmatch(name) or (name not in _seen and len(_seen) >= _MAX_NAMES):
        return "other"
    _seen.add(name)
    return name


_series: dict[tuple[str | None, OperationType | None], Histogram] = {}


def observe_operation(name: str | None, kind: OperationType | None, seconds: float) -> None:
    """Count one executed operation's duration in REQUEST_SECONDS (called by server/request_extension.py); each
    label pair's series is looked up once (prometheus_client's `labels` takes a lock and builds a key per call)."""
    series = _series.get((name, kind))
    if series is None:
        series = REQUEST_SECONDS.labels(operation_label(name), kind.value if kind is not None else "unknown")
        if len(_series) < _MAX_NAMES * 4:  # names come from clients: bounded, like the label set itself
            _series[(name, kind)] = series
    series.observe(seconds)


class _Snapshot:
    """A collector that yields metric families read from the database just before the scrape."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        yield from self.families


async def database_families() -> list[Metric]:
    """Open alerts by rule and severity, outbox backlog and failures by receiver, rule-run durations by trigger."""
    db = connections.get("default")
    alerts = GaugeMetricFamily("lianxi_open_alerts", "Alerts OPEN or ACKNOWLEDGED, by rule and severity.", labels=["rule", "severity"])
    _, rows = await db.execute_query(
        "SELECT rule_id, severity, COUNT(*) AS n FROM alert WHERE status IN ('OPEN', 'ACKNOWLEDGED') GROUP BY rule_id, severity ORDER BY rule_id, severity"
    )
    for row in rows:
        alerts.add_metric([row["rule_id"], row["severity"]], row["n"])
    backlog = GaugeMetricFamily("lianxi_outbox_backlog", "Webhook notifications not delivered yet (PENDING), by receiver.", labels=["receiver"])
    failed = GaugeMetricFamily("lianxi_outbox_failed", "Webhook notifications given up on (FAILED), by receiver.", labels=["receiver"])
    _, rows = await db.execute_query(
        "SELECT receiver, status, COUNT(*) AS n FROM webhook_delivery WHERE status IN ('PENDING', 'FAILED') GROUP BY receiver, status ORDER BY receiver"
    )
    for row in rows:
        (backlog if row["status"] == "PENDING" else failed).add_metric([row["receiver"]], row["n"])
    runs = SummaryMetricFamily("lianxi_rule_run_duration_seconds", "Recorded rule-engine runs and their total duration, by trigger.", labels=["trigger"])
    _, rows = await db.execute_query('SELECT "trigger", COUNT(*) AS n, SUM(duration_ms) AS ms FROM rule_run GROUP BY "trigger" ORDER BY "trigger"')
    for row in rows:
        runs.add_metric([row["trigger"]], count_value=row["n"], sum_value=(row["ms"] or 0) / 1000)
    return [alerts, backlog, failed, runs]


def _process_registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


async def metrics(request: Request) -> Response:
    """GET /metrics in Prometheus' text format."""
    snapshot = CollectorRegistry(auto_describe=False)
    snapshot.register(_Snapshot(await database_families()))
    body = generate_latest(_process_registry()) + generate_latest(snapshot)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
