"""Expected failures that clients may see verbatim; every other exception is masked by the server."""

from __future__ import annotations


class ExpectedError(Exception):
    """An error whose message is safe and useful to show to a client (bad input, not found…)."""

    code = "BAD_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(ExpectedError):
    """An argument has a value the API cannot use; names the argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class WriteRefused(ExpectedError):
    """A write's input or the state it would change is not acceptable; every problem found, each with its field."""

    code = "INVALID"

    def __init__(self, problems: list[tuple[list[str], str, str]]) -> None:
        super().__init__("; ".join(f"{'.'.join(path)}: {message}" for path, _, message in problems))
        self.problems = problems

    @classmethod
    def one(cls, field: list[str], code: str, message: str) -> WriteRefused:
        return cls([(field, code, message)])
