"""Fixtures for the served app: a real `lianxi serve` subprocess and a token made with the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def admin_token(db_url: str) -> str:
    """An ADMIN token made the way an operator makes one: `lianxi token create` prints it alone on stdout."""
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url}
    created = subprocess.run(
        [sys.executable, "-m", "server.cli", "token", "create", "--role", "ADMIN", "--name", "serve test"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    return created.stdout.strip()


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the served process (tests override it, e.g. to turn the sweep on)."""
    return {"LIANXI_SWEEP": "false"}


@pytest.fixture
def server(db_url: str, tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "LIANXI_DATABASE_URL": db_url, **server_env}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"server did not start: {(tmp_path / 'serve.log').read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
