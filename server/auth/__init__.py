"""Authentication: API tokens (issue, verify, revoke) and the HTTP guard in front of /graphql."""

from server.auth.tokens import (
    AuthenticationError,
    TokenInputError,
    authenticate,
    create_demo_tokens,
    issue_token,
    list_tokens,
    revoke_token,
)

__all__ = [
    "AuthenticationError",
    "TokenInputError",
    "authenticate",
    "create_demo_tokens",
    "issue_token",
    "list_tokens",
    "revoke_token",
]
