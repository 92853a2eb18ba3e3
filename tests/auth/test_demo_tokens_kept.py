"""A token saved from one `make demo` still works after the next (development); production keeps nothing."""

from __future__ import annotations

import stat
from pathlib import Path

from models.tokens import ApiToken
from core.settings import Settings
from server.auth.tokens import authenticate, create_demo_tokens, demo_scopes
from server.cli.demo_tokens import read_kept, tokens_file, tokens_table, write_kept
from tests.auth.conftest import COUNTY, TOWNSHIP, VILLAGE


async def _scopes() -> dict[str, str | None]:
    return {role.value: scope for role, scope in (await demo_scopes(COUNTY)).items()}


async def test_kept_tokens_are_inserted_again_after_a_rebuild(world: None, tmp_path: Path) -> None:
    first = await create_demo_tokens(COUNTY)
    path = tokens_file(tmp_path / "lianxi.db", Settings(environment="development"))
    assert path == tmp_path / "lianxi.db.tokens.json"
    write_kept(path, first, await _scopes())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    await ApiToken.all().delete()  # what a rebuilt database looks like: no tokens at all

    second = await create_demo_tokens(COUNTY, kept=read_kept(path))

    assert second == first
    scopes = {role: (await authenticate(f"Bearer {token}")).scope_code for role, token in second.items()}
    assert scopes == {"ADMIN": None, "BUREAU": COUNTY, "AUDITOR": COUNTY, "TOWNSHIP": TOWNSHIP, "VILLAGE": VILLAGE}


async def test_a_kept_token_of_another_scope_or_a_damaged_file_gives_new_tokens(world: None, tmp_path: Path) -> None:
    first = await create_demo_tokens(COUNTY)
    path = tmp_path / "lianxi.db.tokens.json"
    write_kept(path, first, {**await _scopes(), "VILLAGE": "522728109999"})
    await ApiToken.all().delete()
    second = await create_demo_tokens(COUNTY, kept=read_kept(path))
    assert second["ADMIN"] == first["ADMIN"] and second["VILLAGE"] != first["VILLAGE"]
    path.write_text("{not json")
    assert read_kept(path) == {}


def test_production_keeps_no_tokens(tmp_path: Path) -> None:
    assert tokens_file(tmp_path / "lianxi.db", Settings(environment="production")) is None
    assert read_kept(None) == {}
    write_kept(None, {"ADMIN": "lx_x"}, {})
    assert list(tmp_path.iterdir()) == []


def test_the_token_table_shows_each_scope() -> None:
    table = tokens_table({"ADMIN": "lx_a", "VILLAGE": "lx_v"}, {"ADMIN": None, "VILLAGE": VILLAGE})
    assert [column.header for column in table.columns] == ["role", "scope", "token"]
    assert list(table.columns[1].cells) == ["(all counties)", VILLAGE]
