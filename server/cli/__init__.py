"""The `lianxi` command line: one module per subcommand, each exposing `register(subparsers)`.

Every command reads the database from LIANXI_DATABASE_URL (core.settings), exits 0 on
success, 1 when the work failed for a reason it names (bad input, failed checks), and 2 on
usage errors (argparse) and on set-up a person must fix (a bad setting, a database that cannot
be reached, a busy port: one line on stderr, server/cli/problems.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core.transaction import on_commit
from server.alerting.outbox import enqueue_deliveries
from server.cli import check, demo, load, replay, report, serve, token
from server.cli.problems import explain
from core.settings import SettingsError, load_settings

COMMANDS = (serve, load, demo, check, report, replay, token)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lianxi", description="Lianxi: petition-work joint meeting supervision")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the chosen command, and turn expected failures into exit codes."""
    parser = build_parser()
    args = parser.parse_args(argv)
    on_commit(before=enqueue_deliveries)  # alert writes from the command line reach the webhook outbox too
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        problem = explain(exc, _database_url())
        if problem is None:
            raise
        print(f"lianxi {args.command}: {problem}", file=sys.stderr)
        return 2


def _database_url() -> str | None:
    try:
        return load_settings().database_url
    except SettingsError:
        return None


if __name__ == "__main__":
    sys.exit(main())
