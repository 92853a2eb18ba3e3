"""One measured figure beside its lower bound, and the statistics the benchmarks report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Figure:
    """A measurement (median unless `unit` says otherwise) with the bound measured in the same run."""

    name: str
    value: float
    unit: str
    bound: float | None = None
    bound_name: str = ""
    target: str = ""
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.value / self.bound if self.bound else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "value": round(self.value, 4), "unit": self.unit,
            "bound": round(self.bound, 4) if self.bound is not None else None, "boundName": self.bound_name,
            "ratio": round(self.ratio, 2) if self.ratio is not None else None, "target": self.target, "met": self.met,
            **self.extra,
        }


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
