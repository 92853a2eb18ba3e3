"""`lianxi load FILE`: import a lianxi/v1 document, all or nothing, and show what changed."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from tortoise.exceptions import DBConnectionError

from core.settings import Settings
from server.cli.commands import help_of
from server.cli.progress import working
from server.db import database
from server.load import LoadError, LoadSummary, load_document, read_document


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `load` subcommand."""
    parser = subparsers.add_parser(
        "load",
        help=help_of("load"),
        description="Import a lianxi/v1 JSON document. Every problem is listed with its JSON path; "
        "if there is any, nothing is written. Loading the same file again changes nothing.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the lianxi/v1 JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Load the file into the configured database; 0 when loaded, 1 when rejected."""
    path: Path = args.file
    try:
        document = read_document(path)  # a file that is not JSON is refused before the database is opened
        with working(f"lianxi load {path}: validating and writing"):
            summary = asyncio.run(_load(settings, document))
    except LoadError as error:
        console = Console(stderr=True, highlight=False, soft_wrap=True)
        console.print(f"lianxi load: {path} rejected, nothing written", markup=False)
        for problem in error.problems:
            console.print(str(problem), markup=False)
        return 1
    except (OSError, DBConnectionError) as error:
        print(f"lianxi load: cannot open the database {_redacted(settings.database_url)}: {error}", file=sys.stderr)
        return 1
    Console(highlight=False).print(summary_table(path, summary))
    return 0


async def _load(settings: Settings, document: dict[str, Any]) -> LoadSummary:
    async with database(settings.database_url):
        return await load_document(document, rules=settings.rules)


def summary_table(path: Path, summary: LoadSummary) -> Table:
    """One row per entity: created, updated, unchanged, removed."""
    table = Table(title=Text(f"lianxi load {path} ({summary.seconds:.2f} s)"))  # a file name is not markup
    table.add_column("entity")
    for column in ("created", "updated", "unchanged", "removed"):
        table.add_column(column, justify="right")
    for name, counts in summary.entities.items():
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged), str(counts.removed))
    return table


def _redacted(url: str) -> str:
    """The database URL without its password, safe to print."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
