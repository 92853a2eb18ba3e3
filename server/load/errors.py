"""Why an import was refused: every bad value with the JSON path that leads to it."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """One bad value: where it is in the document (`cases[12].events[1].at`) and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(eq=False)
class LoadError(Exception):
    """The document was refused as a whole; nothing was written. Lists every problem found."""

    problems: list[LoadProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class Problems:
    """Collects problems while a document is checked, so the user sees all of them at once."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.items: list[LoadProblem] = []
        self.cap = cap
        self.truncated = False

    def add(self, path: str, message: str) -> None:
        """Record one problem; past the cap only remember that there were more."""
        if len(self.items) >= self.cap:
            self.truncated = True
            return
        self.items.append(LoadProblem(path, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Refuse the document if anything was found."""
        if not self.items:
            return
        problems = list(self.items)
        if self.truncated:
            problems.append(LoadProblem("", f"… more problems not shown (stopped after {self.cap})"))
        raise LoadError(problems)
