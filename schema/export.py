"""Write the SDL to schema.graphql (`make schema`); a test fails when the committed file is stale."""

from __future__ import annotations

from pathlib import Path

from schema.build import build_schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    return build_schema().as_str() + "\n"


if __name__ == "__main__":
    SDL_PATH.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")
