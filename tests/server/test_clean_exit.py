"""What scripts read stays readable: a served app stops without a traceback (the token watch stops before the pool
closes), and `benchmarks/run.py --json` prints nothing but the JSON on stdout (npm's report goes to stderr)."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from benchmarks import run as bench
from server.auth.revocation import POLL_SECONDS, WATCH
from server.auth.tokens import authenticate, issue_token
from server.db import database
from tests.serving import cli_token, served


@pytest.mark.heavy
def test_a_served_app_stops_without_a_traceback(db_url: str, tmp_path: Path) -> None:
    """Tokens in the watch's cache and a poll under way when the server is told to stop: nothing is logged as failed."""
    token = cli_token(db_url, "ADMIN")
    log = tmp_path / "server.log"
    with served(db_url, log) as base:
        for _ in range(3):
            answer = httpx.post(f"{base}/graphql", json={"query": "{ counties { code } }"}, headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, answer.text
        time.sleep(POLL_SECONDS * 1.5)  # the watch has polled at least once: its task is alive at shutdown
    written = log.read_text()
    assert "Application shutdown complete." in written, written[-2000:]
    assert "Traceback" not in written and "token revocation check failed" not in written, written[-4000:]


def test_benchmark_json_is_alone_on_stdout(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """Whatever the measurement prints, and whatever a child process (npm ci) writes to its stdout, lands on stderr."""

    async def noisy(args: argparse.Namespace) -> dict[str, Any]:
        print("progress from the benchmark itself")
        subprocess.run([sys.executable, "-c", "print('added 185 packages in 3s')"], check=True)
        return {"scale": args.scale, "figures": []}

    monkeypatch.setattr(bench, "run", noisy)
    assert bench.main(["--json", "--db", "postgres", "--peer", "postgraphile"]) == 0
    out, err = capfd.readouterr()
    assert orjson.loads(out) == {"scale": "county", "figures": []}
    assert "added 185 packages" in err and "progress from the benchmark itself" in err


async def test_the_token_watch_stops_with_the_database(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A process that opens the ORM, serves or authenticates (the watch starts polling) and closes the ORM again — a
    CLI command, a benchmark's in-process app — leaves no poll behind to fail on the closed pool."""
    async with database(db_url, apply_migrations=False):
        issued = await issue_token("ADMIN", name="watch")
        await authenticate(f"Bearer {issued.token}")
        assert WATCH.cache, "the token is cached: the watch polls"
    await asyncio.sleep(POLL_SECONDS * 1.5)
    assert not [record for record in caplog.records if "token revocation check failed" in record.getMessage()]
    assert WATCH._task is None or WATCH._task.done()
