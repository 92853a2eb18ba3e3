"""schema.graphql is what clients generate code from: it must match the running schema."""

from __future__ import annotations

from pathlib import Path

from schema.export import SDL_PATH, sdl


def test_committed_schema_graphql_is_current() -> None:
    assert Path(SDL_PATH).read_text(encoding="utf-8") == sdl(), "schema.graphql is stale: run `make schema`"
