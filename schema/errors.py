"""What every mutation payload carries instead of raising: `userErrors {field code message}`."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A problem with a mutation's input or with the state it would change.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field at fault, when there is one.")
    code: str = strawberry.field(description="Stable code: INVALID, NOT_FOUND, FORBIDDEN, CONFLICT…")
    message: str
