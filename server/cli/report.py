"""`lianxi report`: not built yet (see the open issues)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="(not available yet)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    print("lianxi report: not available yet", flush=True)
    return 1
