"""An operator watches Lianxi: /healthz says what runs and what is missing, /metrics scrapes, logs are JSON lines on request."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.serving import cli_token, served

REPO = Path(__file__).resolve().parents[2]
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_health_names_version_database_migrations_and_background_work(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'lianxi.db'}"
    with served(url, tmp_path / "server.log", env={"LIANXI_SWEEP": "true"}) as base:
        health = httpx.get(f"{base}/healthz")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "ok" and body["version"] == "0.1.0" and body["database"] == "ok"
        shipped = len(list((REPO / "models" / "migrations").glob("0*.py")))
        assert body["migrations"] == {"state": "current", "applied": shipped, "pending": []}
        assert body["sweep"] == "running" and body["deliveryWorker"] == "running"

        with sqlite3.connect(tmp_path / "lianxi.db") as db:  # as if a newer release's migration had not been applied
            db.execute("DELETE FROM tortoise_migrations WHERE name = '0001_initial'")
        stale = httpx.get(f"{base}/healthz")
        assert stale.status_code == 503
        assert stale.json()["status"] == "error" and stale.json()["migrations"]["pending"] == ["0001_initial"]


def test_health_says_disabled_for_work_turned_off(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'lianxi.db'}"
    with served(url, tmp_path / "server.log", env={"LIANXI_SWEEP": "false", "LIANXI_DELIVERIES": "false"}) as base:
        body = httpx.get(f"{base}/healthz").json()
    assert body["status"] == "ok" and body["sweep"] == "disabled" and body["deliveryWorker"] == "disabled"


@sqlite_only
async def test_metrics_scrape_latency_by_operation_alerts_outbox_and_rule_runs(demo: str, tmp_path: Path) -> None:
    token = cli_token(demo, "ADMIN")
    with served(demo, tmp_path / "server.log") as base:
        headers = {"Authorization": f"Bearer {token}"}
        ran = httpx.post(f"{base}/graphql", headers=headers, timeout=60, json={
            "query": 'mutation RunChecks { runCompliance(countyCode: "522728", asOf: "2024-01-01T00:00:00+08:00") { run { durationMs } userErrors { code } } }'})
        assert ran.json()["data"]["runCompliance"]["userErrors"] == []
        httpx.post(f"{base}/graphql", headers=headers, json={"query": "query Counties { counties { code } }"})
        scrape = httpx.get(f"{base}/metrics")
    assert scrape.status_code == 200 and scrape.headers["content-type"].startswith("text/plain")
    samples = _samples(scrape.text)
    assert samples[("lianxi_graphql_request_seconds_count", (("operation", "RunChecks"), ("type", "mutation")))] == 1
    assert samples[("lianxi_graphql_request_seconds_count", (("operation", "Counties"), ("type", "query")))] == 1
    assert samples[("lianxi_rule_run_duration_seconds_count", (("trigger", "MANUAL"),))] == 1
    assert samples[("lianxi_rule_run_duration_seconds_sum", (("trigger", "MANUAL"),))] > 0
    open_alerts = {labels: value for (name, labels), value in samples.items() if name == "lianxi_open_alerts"}
    assert open_alerts and all(dict(labels)["severity"] in {"VIOLATION", "WARNING", "NOTICE"} for labels in open_alerts)
    assert sum(open_alerts.values()) == ran_open_alerts(demo)


def ran_open_alerts(database_url: str) -> int:
    with sqlite3.connect(database_url.removeprefix("sqlite://")) as db:
        return int(db.execute("SELECT COUNT(*) FROM alert WHERE status IN ('OPEN', 'ACKNOWLEDGED')").fetchone()[0])


def test_json_logs_are_one_object_per_line(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'lianxi.db'}"
    with served(url, tmp_path / "server.log", env={"LIANXI_LOG_FORMAT": "json"}) as base:
        httpx.get(f"{base}/healthz")
    lines = [line for line in (tmp_path / "server.log").read_text().splitlines() if line and not line.startswith("GraphiQL: ")]
    entries = [json.loads(line) for line in lines]
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    assert any(entry["message"] == "Application startup complete." for entry in entries)
    assert any(entry["logger"] == "uvicorn.access" and "/healthz" in entry["message"] for entry in entries)


def test_access_log_can_be_left_to_the_reverse_proxy(tmp_path: Path) -> None:
    """LIANXI_ACCESS_LOG=false: requests are answered and no access line is written; the server's own lines still are."""
    url = f"sqlite://{tmp_path / 'lianxi.db'}"
    with served(url, tmp_path / "server.log", env={"LIANXI_LOG_FORMAT": "json", "LIANXI_ACCESS_LOG": "false"}) as base:
        assert httpx.get(f"{base}/healthz").status_code == 200
    lines = [line for line in (tmp_path / "server.log").read_text().splitlines() if line and not line.startswith("GraphiQL: ")]
    entries = [json.loads(line) for line in lines]
    assert any(entry["message"] == "Application startup complete." for entry in entries)
    assert not any(entry["logger"] == "uvicorn.access" for entry in entries)
