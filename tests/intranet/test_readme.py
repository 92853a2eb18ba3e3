"""The README runs as written: every GraphQL block is a named operation executed, with the JSON variables after it,
against the demo `make demo` builds; the sample load error and the CLI table match the real program."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli import run_cli
from tests.serving import cli_token, served

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```graphql\n(?P<query>.*?)```(?:\s*```json\n(?P<variables>.*?)```)?", re.S)
OPERATION = re.compile(r"^\s*(query|mutation|subscription)\s+([A-Za-z_]\w*)", re.M)


def graphql_blocks() -> list[tuple[str, str, dict[str, Any]]]:
    """(operation name, query, variables) of every ```graphql block, in README order."""
    blocks = []
    for match in BLOCK.finditer(README):
        query, variables = match["query"], json.loads(match["variables"]) if match["variables"] else {}
        names = OPERATION.findall(query)
        assert len(names) == 1 and query.lstrip().startswith(("query", "mutation", "subscription")), (
            f"README GraphQL block must hold one named operation:\n{query}")
        blocks.append((names[0][1], query, variables))
    return blocks


def lianxi(*args: str, cwd: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    """`lianxi ARGS` as its own process, as `make demo` runs it."""
    env = {**os.environ, "LIANXI_DATABASE_URL": database_url, "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def made_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """What `make demo` leaves behind: the demo loaded and checked in a fresh SQLite file, and its document."""
    folder = tmp_path_factory.mktemp("made-demo")
    url = f"sqlite://{folder / 'lianxi.db'}"
    built = lianxi("demo", "--output", "lianxi-demo-2023.json", cwd=folder, database_url=url)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    shutil.copyfile(folder / "lianxi.db", folder / "just-made.db")  # as `make demo` leaves it, before any example writes
    yield url, folder


def _user_errors(data: Any) -> Iterator[Any]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "userErrors" and value:
                yield value
            yield from _user_errors(value)
    elif isinstance(data, list):
        for item in data:
            yield from _user_errors(item)


@pytest.mark.heavy
def test_every_graphql_block_runs_on_the_demo(made_demo: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = made_demo
    blocks = graphql_blocks()
    assert len(blocks) >= 10 and len({name for name, _, _ in blocks}) == len(blocks)
    token = cli_token(url, "ADMIN")
    with served(url, tmp_path / "server.log") as base:
        for name, query, variables in blocks:
            answer = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables},
                                headers={"Authorization": f"Bearer {token}"}, timeout=120).json()
            assert "errors" not in answer, (name, answer)
            assert not list(_user_errors(answer["data"])), (name, answer)
            assert any(v not in (None, [], {}) for v in answer["data"].values()), (name, answer)
            if name in {"TownshipQuarter", "VillageCases", "OpenViolations", "MeetingWrites"}:
                assert next(iter(answer["data"].values()))["totalCount"] > 0, (name, answer)


def test_the_sample_load_error_is_the_real_one(made_demo: tuple[str, Path]) -> None:
    _, folder = made_demo
    url = f"sqlite://{folder / 'just-made.db'}"  # the demo as just made (the other test's examples write)
    sample = re.search(r"```text\n\$ \.venv/bin/lianxi load bad\.json\n(?P<out>.*?)```", README, re.S)
    assert sample, "README's load-error sample is missing"
    document = json.loads((folder / "lianxi-demo-2023.json").read_text(encoding="utf-8"))
    document["counties"][0]["townships"][3]["code"] = "52272810"  # the mistake the sample shows
    (folder / "bad.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run_cli("load", "bad.json", cwd=folder, env={**os.environ, "LIANXI_DATABASE_URL": url, "COLUMNS": "160"}, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == sample["out"].strip().splitlines()


def test_every_option_in_the_command_table_exists() -> None:
    rows = re.findall(r"^\| `lianxi ([a-z]+(?: [a-z]+)?)([^`]*)`", README, re.M)
    assert {command.split()[0] for command, _ in rows} >= {"serve", "load", "demo", "check", "report", "token"}
    for command, usage in rows:
        asked = run_cli(*command.split(), "--help", cwd=REPO, text=True)
        assert asked.returncode == 0, asked.stderr
        helped = asked.stdout
        for option in re.findall(r"--[a-z][a-z-]*", usage):
            assert option in helped, f"README says `lianxi {command} {option}`, but --help does not know it"
    assert ".venv/bin/lianxi" in README and "source .venv/bin/activate" in README
