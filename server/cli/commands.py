"""The `lianxi` commands: name → the module that implements it, and its one-line help.

A command's module is imported only when that command runs (`server.cli.main`), like click's lazy
subcommands: `lianxi token list` does not pay for the GraphQL schema or the rules engine, and each
module imports what it needs at its top (no imports inside functions).
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("server.cli.serve", "serve GraphQL (and GraphiQL) at /graphql"),
    "load": ("server.cli.load", "import a lianxi/v1 JSON document (idempotent; rejected whole on any error)"),
    "demo": ("server.cli.demo", "build the Luodian demo up to today, load it into a fresh database, check the seed report's figures"),
    "check": ("server.cli.check", "run the compliance rules and reconcile alerts"),
    "report": ("server.cli.report", "write an auditor report: findings with evidence, compliance grid, statistics, digest"),
    "replay": ("server.cli.replay", "rebuild a county's alert history as the nightly sweeps would have, keeping what people did (dry run unless --apply)"),
    "token": ("server.cli.token", "create, list and revoke API tokens"),
}


def help_of(command: str) -> str:
    return COMMANDS[command][1]
