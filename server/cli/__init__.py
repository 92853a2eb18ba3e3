"""The `lianxi` command line: one module per subcommand, each exposing `register(subparsers)`.

`main` reads the settings once (`core.settings.load_settings`: the environment and the rules file,
validated) and hands them to the command's handler as `handler(args, settings)`; no command reads
the environment again. Every command uses the database of LIANXI_DATABASE_URL, exits 0 on
success, 1 when the work failed for a reason it names (bad input, failed checks), and 2 on
usage errors (argparse) and on set-up a person must fix (a bad setting, a database that cannot
be reached, a busy port: one line on stderr, server/cli/problems.py).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from core.transaction import on_commit
from server.alerting.outbox import Outbox
from server.cli.commands import COMMANDS
from server.cli.problems import explain
from core.settings import Settings, load_settings


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command listed; only `command`'s module is imported, to add its options."""
    parser = argparse.ArgumentParser(prog="lianxi", description="Lianxi: petition-work joint meeting supervision")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if name == command:
            importlib.import_module(module).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the line (its first word that is not an option), if it is one."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the chosen command, and turn expected failures into exit codes."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    settings: Settings | None = None
    try:
        settings = load_settings()
        on_commit(before=Outbox(settings))  # alert writes from the command line reach the webhook outbox too
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        problem = explain(exc, settings.database_url if settings is not None else None)
        if problem is None:
            raise
        print(f"lianxi {args.command}: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
