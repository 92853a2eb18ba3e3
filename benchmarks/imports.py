"""Import time and throughput (rows written per second) of lianxi/v1 documents through the real importer."""

from __future__ import annotations

from benchmarks.data import ImportFigure
from benchmarks.figures import Figure

TARGET_SECONDS = 10.0


def figures(imported: list[ImportFigure], *, label: str) -> list[Figure]:
    """One figure for the whole import (all documents), with rows/s; the demo county has a 10 s target."""
    seconds = sum(f.seconds for f in imported)
    rows = sum(f.rows for f in imported)
    figure = Figure(
        name=label, value=seconds, unit="s",
        extra={"rows": rows, "rowsPerSecond": round(rows / seconds) if seconds else 0, "documents": len(imported),
               "slowestDocumentS": round(max(f.seconds for f in imported), 2)},
    )
    if len(imported) == 1:
        figure.target, figure.met = "≤ 10 s", seconds <= TARGET_SECONDS
    return [figure]
