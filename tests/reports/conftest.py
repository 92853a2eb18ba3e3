"""Helpers for report tests: the CLI, and the digest it prints (the demo is tests/demo_database.py's)."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.cli import run_cli

REPO = Path(__file__).resolve().parents[2]
COUNTY = "522728"
AS_OF = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
AS_OF_ISO = "2024-01-01T00:00:00+08:00"


def lianxi(database_url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run `lianxi ARGS` as a user would, against one database (in-process: tests/cli.py)."""
    env = {**os.environ, "LIANXI_DATABASE_URL": database_url, "LIANXI_ENV": "test", "COLUMNS": "160"}
    return run_cli(*args, env=env, cwd=REPO)


def digest_of(result: subprocess.CompletedProcess[bytes]) -> str:
    """The digest `lianxi report` prints on stderr."""
    line = next(line for line in result.stderr.decode().splitlines() if line.startswith("digest sha256:"))
    return line.split()[1].removeprefix("sha256:")
