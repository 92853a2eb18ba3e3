"""A second `make demo` while the first one serves: refused in one line, the served database untouched, its tokens working."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.serving import cli_token, free_port, served

REPO = Path(__file__).resolve().parents[2]


def _demo(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`lianxi demo` as its own process, the way `make demo` runs it (the build day fixed)."""
    env = {**os.environ, "LIANXI_DATABASE_URL": url, "LIANXI_ENV": "test", "LIANXI_DEMO_TODAY": "2024-01-10", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "server.cli", "demo", "--output", str(tmp_path / "demo.json"), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)


def _state(path: Path) -> tuple[int, str]:
    """The file's inode and the digest of its bytes with its write-ahead log (what a reader would see)."""
    digest = hashlib.sha256(path.read_bytes())
    wal = Path(f"{path}-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return path.stat().st_ino, digest.hexdigest()


def test_a_second_demo_refuses_a_served_database_and_a_busy_port_and_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "lianxi.db"
    url = f"sqlite://{database}"
    log = tmp_path / "serve.log"
    with served(url, log) as base:
        token = cli_token(url)
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, headers=headers).status_code == 200
        before = _state(database)
        port = base.rsplit(":", 1)[1]

        refused = _demo(url, tmp_path, "--no-serve")
        busy = _demo(url, tmp_path, "--serve", "--port", port)

        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert refused.stdout == "" and refused.stderr.count("\n") == 1, refused.stderr
        assert f"a server is using {database}" in refused.stderr
        assert busy.returncode == 2 and busy.stdout == "" and busy.stderr.count("\n") == 1, busy.stderr
        assert f"port {port} on 127.0.0.1 is in use" in busy.stderr
        assert _state(database) == before
        assert not (tmp_path / "demo.json").exists()  # refused before anything was built
        answer = httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, headers=headers)
        assert answer.status_code == 200 and answer.json() == {"data": {"__typename": "Query"}}
    assert "Traceback" not in log.read_text()  # the server and the planner's worker process stopped quietly


def test_a_server_cannot_start_on_a_file_the_demo_is_swapping_in(tmp_path: Path) -> None:
    database = tmp_path / "lianxi.db"
    env = {**os.environ, "LIANXI_DATABASE_URL": f"sqlite://{database}", "LIANXI_SWEEP": "false"}
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"), str(database)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--port", str(free_port())], cwd=REPO, env=env,
                                 capture_output=True, text=True, timeout=60, check=False)
    finally:
        holder.kill()
        holder.communicate()
    assert started.returncode == 2 and started.stderr.count("\n") == 1, started.stderr
    assert "is being replaced by `lianxi demo`" in started.stderr
