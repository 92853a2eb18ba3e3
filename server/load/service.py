"""The import's entry points: read a lianxi/v1 file, validate it whole, write it in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from rules.config import RulesConfig
from core.audit import Actor
from server.load.errors import LoadError, LoadProblem
from server.load.summary import LoadSummary
from server.load.write import validate_and_write


CLI_LOAD = Actor("cli:load")
CATALOG_DEFAULTS = RulesConfig()  # no rules file: the catalog's parameters and the national calendar


def read_document(path: Path) -> dict[str, Any]:
    """Parse the file as JSON (UTF-8, BOM tolerated); errors name the file and, for bad JSON, the line and column."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError([LoadProblem(str(path), f"cannot read the file: {exc.strerror or exc}")]) from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise LoadError([LoadProblem(str(path), f"not UTF-8 text at line {line}, column {column}")]) from exc
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise LoadError([LoadProblem(str(path), f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]) from exc
    if not isinstance(document, dict):
        raise LoadError([LoadProblem(str(path), "the document must be a JSON object with \"format\": \"lianxi/v1\"")])
    return document


async def load_document(
    document: Mapping[str, Any], *, actor: Actor = CLI_LOAD, rules: RulesConfig = CATALOG_DEFAULTS
) -> LoadSummary:
    """Validate the document against itself and the database, then upsert it; LoadError means nothing was written.

    `rules` is the configuration the process read at start-up (`Settings.rules`; `lianxi load` passes it);
    a script or test that configures nothing loads against the catalog defaults.
    """
    return await validate_and_write(document, actor=actor, rules=rules)


async def load_file(path: Path, *, actor: Actor = CLI_LOAD, rules: RulesConfig = CATALOG_DEFAULTS) -> LoadSummary:
    """Read and load one lianxi/v1 file."""
    return await load_document(read_document(path), actor=actor, rules=rules)
