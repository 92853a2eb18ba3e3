"""Set-up mistakes a person makes on a county server: each prints one line naming the variable or resource and what to do, exit 2, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def lianxi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`lianxi ARGS` as a subprocess with these variables on top of a clean LIANXI_* environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LIANXI_")}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=REPO, env={**base, **env},
                          capture_output=True, text=True, timeout=60, check=False)


def assert_one_line(result: subprocess.CompletedProcess[str], *names: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    # the demo's finished phases ("✔ build document (1.0 s)") may come first; the problem is one line
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("✔ ")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"LIANXI_MAX_QUERY_DEPTH": "abc"}, ("LIANXI_MAX_QUERY_DEPTH", "whole number", "'abc'")),
        ({"LIANXI_SWEEP": "yes"}, ("LIANXI_SWEEP", "true or false")),
        ({"LIANXI_DATABASE_URL": "mysql://x"}, ("LIANXI_DATABASE_URL", "sqlite://", "postgres://", "'mysql://x'")),
        ({"LIANXI_ENV": "prod"}, ("LIANXI_ENV", "production", "'prod'")),
        ({"LIANXI_RULES_CONFIG": "/nowhere/rules.toml"}, ("LIANXI_RULES_CONFIG", "/nowhere/rules.toml", "does not exist")),
        ({"LIANXI_WEBHOOKS_CONFIG": "/nowhere/hooks.toml"}, ("LIANXI_WEBHOOKS_CONFIG", "/nowhere/hooks.toml", "does not exist")),
        ({"LIANXI_CORS_ORIGINS": "intranet.example/app"}, ("LIANXI_CORS_ORIGINS", "https://")),
        ({"LIANXI_DATABASE_URL": "sqlite:///nowhere/lianxi.db"}, ("LIANXI_DATABASE_URL", "/nowhere", "does not exist")),
        ({"LIANXI_DATABASE_URL": "sqlite://"}, ("LIANXI_DATABASE_URL", "'sqlite://'", "names no SQLite file")),
    ],
    ids=["depth", "sweep", "scheme", "env", "rules-file", "webhooks-file", "cors", "sqlite-folder", "sqlite-no-file"],
)
@pytest.mark.parametrize("command", [("serve",), ("token", "list")])
def test_a_bad_setting_is_named_in_one_line(command: tuple[str, ...], env: dict[str, str], names: tuple[str, ...]) -> None:
    assert_one_line(lianxi(*command, env=env), f"lianxi {command[0]}:", *names)


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_a_port_out_of_range_is_named_in_one_line(port: str, tmp_path: Path) -> None:
    result = lianxi("serve", "--port", port, env={"LIANXI_DATABASE_URL": f"sqlite://{tmp_path / 'lianxi.db'}"})
    assert_one_line(result, "lianxi serve:", "--port must be between 1 and 65535", port)


def test_an_unreachable_postgresql_is_named_with_what_to_do() -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    line = assert_one_line(lianxi("token", "list", env={"LIANXI_DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/lianxi"}))
    assert f"cannot reach PostgreSQL database 'lianxi' at 127.0.0.1:{port}" in line and "LIANXI_DATABASE_URL" in line


def test_an_unknown_postgresql_host_is_named() -> None:
    line = assert_one_line(lianxi("check", env={"LIANXI_DATABASE_URL": "postgres://postgres@db.invalid:5432/lianxi"}))
    assert "cannot resolve the host" in line and "db.invalid" in line


@pytest.mark.postgres
def test_a_missing_postgresql_database_says_how_to_create_it(postgres_url: str) -> None:
    missing = postgres_url.rsplit("/", 1)[0] + "/lianxi_no_such_database"
    line = assert_one_line(lianxi("serve", env={"LIANXI_DATABASE_URL": missing}))
    assert "does not exist" in line and "createdb lianxi_no_such_database" in line


def test_a_busy_port_is_named_and_nothing_claims_to_serve(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = lianxi("serve", "--port", str(port), env={"LIANXI_DATABASE_URL": f"sqlite://{tmp_path / 'lianxi.db'}"})
    line = assert_one_line(result, f"port {port}", "--port")
    assert "GraphiQL" not in result.stdout and "http://" not in result.stdout and "http://" not in line


def test_an_output_file_in_a_missing_folder_is_named(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'lianxi.db'}"
    subprocess.run([sys.executable, "-m", "server.cli", "token", "list"], cwd=REPO, check=True, capture_output=True, timeout=60,
                   env={**os.environ, "LIANXI_DATABASE_URL": url})  # a migrated, empty database
    result = lianxi("check", "--county", "522728", env={"LIANXI_DATABASE_URL": url})
    assert result.returncode == 1  # an unknown county is bad input (1), not a set-up problem
    missing = tmp_path / "no-such-folder" / "report.html"
    written = lianxi("demo", "--no-load", "--output", str(missing), env={"LIANXI_DATABASE_URL": url})
    assert_one_line(written, str(missing), "No such file or directory", "check the path")
