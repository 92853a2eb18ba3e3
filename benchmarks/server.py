"""A real `lianxi serve` (uvicorn) subprocess on a free port, and tokens made with the CLI, as an operator would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "LIANXI_DATABASE_URL": database_url, "LIANXI_SWEEP": "false", "PYTHONPATH": str(ROOT), **(extra or {})}


def create_token(*, database_url: str, role: str = "ADMIN", scope: str | None = None) -> str:
    """`lianxi token create`: the token alone on stdout."""
    command = [sys.executable, "-m", "server.cli", "token", "create", "--role", role, "--name", f"bench {role.lower()}"]
    if scope:
        command += ["--scope", scope]
    created = subprocess.run(command, env=_env(database_url), cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return created.stdout.strip()


@contextmanager
def served(
    *, database_url: str, response_cache: bool = True, workers: int = 1, pids: list[int] | None = None, access_log: bool = True,
) -> Iterator[str]:
    """Base URL of a running server (response cache on or off, 1+ worker processes, uvicorn's access log on or off);
    stopped (by its own pid) on exit.

    `pids` gets the server's process id (for CPU accounting through /proc).
    """
    port = _free_port()
    log_path = Path(tempfile.gettempdir()) / "lianxi-bench-serve.log"  # kept for a look after a failed run
    with log_path.open("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env=_env(database_url, {**({} if response_cache else {"LIANXI_RESPONSE_CACHE_MB": "0"}),
                                    "LIANXI_ACCESS_LOG": "true" if access_log else "false"}),
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        if pids is not None:
            pids.append(process.pid)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                log.seek(0)
                raise RuntimeError(f"server did not start:\n{log.read()}")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)
