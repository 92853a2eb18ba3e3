"""Real `lianxi serve` processes for tests: started as an operator would, stopped when the test ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from core import clock
from core.clock import CLOCK_ENV
from tests.cli import run_cli


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(db_url: str, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `python -m server.cli serve` on a free port against `db_url`; yields its base URL."""
    port = free_port()
    # a test that fixed its clock (tests/conftest.py FIXED_NOW sets LIANXI_CLOCK): the server's starts where this one is now
    fixed = {CLOCK_ENV: clock.now().isoformat()} if CLOCK_ENV in os.environ else {}
    environment = {**os.environ, "LIANXI_DATABASE_URL": db_url, "LIANXI_SWEEP": "false", **fixed, **(env or {})}
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)], env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded 2-core machine takes long to import the app; only a hang should fail
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}: {log_path.read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"server did not start: {log_path.read_text()}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a busy event loop never runs the SIGTERM handler
            process.kill()
            process.wait(timeout=10)
        log.close()


def cli_token(db_url: str, role: str = "ADMIN", scope: str | None = None) -> str:
    """A token made the way an operator makes one: `lianxi token create` prints it alone on stdout (run in-process)."""
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url}
    command = ["token", "create", "--role", role, "--name", f"served {role.lower()}", *(["--scope", scope] if scope else [])]
    created = run_cli(*command, env=env, text=True)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip()
