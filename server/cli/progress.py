"""A live line on stderr for long CLI work (big loads, reports over years): what is running and for how long.

Shown only on a terminal, and gone when the work ends, so piped output and tests see nothing of it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner, a pulsing bar and the elapsed time beside `description` while the body runs (terminals only)."""
    if not sys.stderr.isatty():
        yield
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        progress.add_task(description, total=None)
        yield
