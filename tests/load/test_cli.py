"""`lianxi load FILE` as an operator runs it: exit 0 and a summary table, or exit 1 with every bad path on stderr."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.cli import run_cli
from tests.load.documents import minimal_document, write_document
from tests.load.rows import row_counts

REPO = Path(__file__).resolve().parents[2]


def lianxi_load(database_url: str, path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIANXI_DATABASE_URL": database_url, "LIANXI_ENV": "test", "COLUMNS": "120"}
    return run_cli("load", str(path), env=env, cwd=REPO, text=True)


async def test_a_good_file_loads_and_prints_what_was_created(orm: str, tmp_path: Path) -> None:
    path = write_document(tmp_path / "luodian.json", minimal_document())

    result = lianxi_load(orm, path)

    assert result.returncode == 0, result.stderr
    assert "people" in result.stdout and "created" in result.stdout
    assert (await row_counts())["person"] == 8

    again = lianxi_load(orm, path)
    assert again.returncode == 0, again.stderr
    assert (await row_counts())["person"] == 8


async def test_a_bad_file_exits_1_names_each_path_on_stderr_and_writes_nothing(orm: str, tmp_path: Path) -> None:
    document = minimal_document()
    document["counties"][0]["townships"][0]["code"] = "52272810"
    document["cases"][1]["events"][1]["days"] = 31
    path = write_document(tmp_path / "bad.json", document)

    result = lianxi_load(orm, path)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"lianxi load: {path} rejected, nothing written"
    assert any(line.startswith("counties[0].townships[0].code: ") for line in lines)
    assert any(line.startswith("cases[1].events[1].days: ") for line in lines)
    assert result.stdout == ""
    assert set((await row_counts()).values()) == {0}


async def test_a_file_that_is_not_json_is_refused_with_line_and_column(orm: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "lianxi/v1",\n "people": [}\n', encoding="utf-8")

    result = lianxi_load(orm, path)

    assert result.returncode == 1
    assert f"lianxi load: {path} rejected, nothing written" in result.stderr
    assert "line 2, column 13" in result.stderr
