"""What every mutation payload carries instead of raising: `userErrors {field code message}`."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from core.errors import WriteRefused


@strawberry.enum(description="Why a write was refused (错误代码): stable, for programs; the message is for people.")
class ErrorCode(StrEnum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID_STATE = "INVALID_STATE"
    FORBIDDEN = "FORBIDDEN"
    EARLIER_THAN_LATEST_RUN = "EARLIER_THAN_LATEST_RUN"
    FUTURE_AS_OF = "FUTURE_AS_OF"


@strawberry.type(description="A problem with a mutation's input or with the state it would change (输入错误).")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field at fault, e.g. [\"input\", \"attendeeIds\", \"0\"]; null when the whole write is refused.")
    code: ErrorCode = strawberry.field(description="What kind of problem it is.")
    message: str = strawberry.field(description="What is wrong and how to put it right, for people.")


def to_user_errors(error: WriteRefused) -> list[UserError]:
    """A refusal as the payload's `userErrors`."""
    return [UserError(field=field, code=code, message=message) for field, code, message in error.problems]
