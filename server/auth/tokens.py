"""API tokens: `lx_<lookup>_<secret>`, stored as a SHA-256 hash, checked in constant time.

Rows are cached per process (server/auth/revocation.py: dropped on revocation in any process within
seconds, and at the token's expiry); the secret is checked against the cached hash on every request.

The lookup part (12 hex characters) finds the row; the secret (256 random bits from `secrets`)
is never stored. SHA-256 rather than a password hash (argon2, bcrypt): those exist to slow down
guessing of *low-entropy* passwords; a 256-bit random secret cannot be guessed whatever the hash,
and argon2 would cost ~50 ms on every request (GitHub and others store random tokens the same way).
"""

from __future__ import annotations

from core import clock
import dataclasses
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from collections.abc import Mapping
from typing import Any

from models.enums import TokenRole
from models.tokens import ApiToken
from models.units import County, Township, Village
from core.viewer import SCOPE_LENGTH, Viewer
from server.auth.revocation import WATCH, CachedToken, announce_revocation

PREFIX = "lx_"
LOOKUP_HEX = 12
# last_used_at is written at most this often per token, so reads do not turn into writes.
TOUCH_INTERVAL = timedelta(minutes=1)


class TokenInputError(ValueError):
    """Bad input to create or revoke a token (unknown scope, wrong role…); the message says which."""


class AuthenticationError(Exception):
    """No usable credentials; the message is safe to send to the client."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: int
    token: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parse(token: str) -> tuple[str, str] | None:
    """`lx_<lookup>_<secret>` → (lookup, secret); None for anything else."""
    if not token.startswith(PREFIX):
        return None
    lookup, sep, secret = token[len(PREFIX):].partition("_")
    if not sep or len(lookup) != LOOKUP_HEX or not secret or len(secret) > 128:
        return None
    if any(c not in "0123456789abcdef" for c in lookup):
        return None
    return lookup, secret


async def _scope_unit(role: TokenRole, scope: str | None) -> str | None:
    """Check that the scope is an existing unit of the level the role works at; returns it."""
    length = SCOPE_LENGTH[role]
    if length is None:
        if scope:
            raise TokenInputError("ADMIN tokens have no scope; leave out --scope")
        return None
    level, model = {6: ("county", County), 9: ("township", Township), 12: ("village", Village)}[length]
    if not scope:
        raise TokenInputError(f"{role.value} tokens need --scope: a {length}-digit {level} code")
    if len(scope) != length or not (scope.isascii() and scope.isdigit()):
        raise TokenInputError(f"{role.value} tokens are scoped to a {level}: --scope must be a {length}-digit {level} code; got {scope!r}")
    if not await model.exists(code=scope):
        raise TokenInputError(f"no {level} with code {scope}")
    return scope


async def issue_token(
    role: TokenRole | str, *, scope: str | None = None, name: str | None = None, expires_days: int | None = None
) -> IssuedToken:
    """Create a token and return it in clear (the only time it exists in clear)."""
    try:
        role = TokenRole(role)
    except ValueError:
        raise TokenInputError(f"unknown role {role!r}; one of {', '.join(r.value for r in TokenRole)}") from None
    scope = await _scope_unit(role, scope.strip() if scope else None)
    if expires_days is not None and expires_days < 1:
        raise TokenInputError(f"--expires must be a positive number of days; got {expires_days}")
    name = (name or "").strip() or f"{role.value.lower()}{'-' + scope if scope else ''}"
    if len(name) > 128:
        raise TokenInputError("--name is longer than 128 characters")
    lookup = secrets.token_hex(LOOKUP_HEX // 2)
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    row = await ApiToken.create(
        name=name, role=role, scope_code=scope, lookup=lookup, token_hash=_digest(secret),
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    return IssuedToken(id=row.id, token=f"{PREFIX}{lookup}_{secret}")


async def authenticate(authorization: str | None, *, now: datetime | None = None) -> Viewer:
    """`Bearer lx_…` → the token's Viewer; raises AuthenticationError with a client-safe reason."""
    if not authorization:
        raise AuthenticationError("missing bearer token: send `Authorization: Bearer <token>`")
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise AuthenticationError("the Authorization header must be `Bearer <token>`")
    parsed = _parse(credentials.strip())
    if parsed is None:
        raise AuthenticationError("invalid token")
    lookup, secret = parsed
    cached = WATCH.cached(lookup)
    row = cached or await _read(lookup)
    # Compare even when no row matched, so timing does not tell whether a lookup exists.
    expected = row.token_hash if row is not None else _digest(secrets.token_urlsafe(32))
    if not hmac.compare_digest(expected, _digest(secret)) or row is None:
        raise AuthenticationError("invalid token")
    now = now or clock.now()
    if row.expires_at is not None and row.expires_at <= now:
        raise AuthenticationError("token expired")
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_INTERVAL:
        await ApiToken.filter(id=row.id).update(last_used_at=now)
        row = dataclasses.replace(row, last_used_at=now)
    if row is not cached:  # read or touched just now (a cache hit was already moved to the end)
        WATCH.remember(lookup, row)
    return Viewer(role=TokenRole(row.role), scope_code=row.scope_code, token_id=row.id, name=row.name, expires_at=row.expires_at)


async def _read(lookup: str) -> CachedToken | None:
    """The token row (None when unknown); a revoked token raises at once — revoked rows are never cached."""
    row = await ApiToken.get_or_none(lookup=lookup)
    if row is None:
        return None
    if row.revoked_at is not None:
        raise AuthenticationError("token revoked")
    return CachedToken(row.id, row.token_hash, str(row.role), row.scope_code, row.name, row.expires_at, row.last_used_at)


async def revoke_token(token_id: int) -> ApiToken:
    """Revoke a token by id and tell every server process (its open sockets close within seconds).

    Revoking a token twice is refused (the first revocation time is kept), so a typo'd id is noticed.
    """
    row = await ApiToken.get_or_none(id=token_id)
    if row is None:
        raise TokenInputError(f"no token with id {token_id}")
    if row.revoked_at is not None:
        raise TokenInputError(f"token {token_id} ({row.name}) was already revoked at {row.revoked_at:%Y-%m-%d %H:%M UTC}")
    row.revoked_at = clock.now()
    await row.save(update_fields=["revoked_at"])
    await announce_revocation(row.id)
    return row


async def list_tokens() -> list[dict[str, Any]]:
    """Every token without its secret or hash, oldest first."""
    fields = ("id", "name", "role", "scope_code", "created_at", "expires_at", "last_used_at", "revoked_at")
    return list(await ApiToken.all().order_by("id").values(*fields))


async def create_demo_tokens(county_code: str, *, kept: Mapping[str, tuple[str | None, str]] | None = None) -> dict[str, str]:
    """One token per role for trying the demo (role → token): the county, 沫阳镇 and 江亭村 when they exist.

    Falls back to the county's first township and that township's first village. `kept` (role → (scope, token)):
    the previous build's tokens (server/cli/demo_tokens.py, development only), inserted again with the same
    hash when the role's scope is unchanged, so a token saved in GraphiQL or a script keeps working.
    """
    scopes = await demo_scopes(county_code)
    # Each demo run replaces the previous run's demo tokens instead of piling them up.
    await ApiToken.filter(name__startswith="demo-", revoked_at=None).update(revoked_at=clock.now())
    tokens: dict[str, str] = {}
    for role, scope in scopes.items():
        if role is not TokenRole.ADMIN and scope is None:
            continue
        previous = (kept or {}).get(role.value)
        if previous is not None and previous[0] == scope and await _restore(role, scope, previous[1]):
            tokens[role.value] = previous[1]
            continue
        issued = await issue_token(role, scope=scope, name=f"demo-{role.value.lower()}")
        tokens[role.value] = issued.token
    return tokens


async def demo_scopes(county_code: str) -> dict[TokenRole, str | None]:
    """The unit each demo token is scoped to (None: ADMIN, or no such unit in the county)."""
    township = await Township.get_or_none(code="522728109", county__code=county_code) or await Township.filter(
        county__code=county_code
    ).order_by("code").first()
    village = None
    if township is not None:
        village = await Village.filter(name="江亭村", township_id=township.id).first() or await Village.filter(
            township_id=township.id
        ).order_by("code").first()
    return {
        TokenRole.ADMIN: None,
        TokenRole.BUREAU: county_code,
        TokenRole.AUDITOR: county_code,
        TokenRole.TOWNSHIP: township.code if township else None,
        TokenRole.VILLAGE: village.code if village else None,
    }


async def _restore(role: TokenRole, scope: str | None, token: str) -> bool:
    """Insert a kept demo token again (same lookup, same hash); False when it is malformed or its lookup is taken."""
    parsed = _parse(token)
    if parsed is None or await ApiToken.exists(lookup=parsed[0]):
        return False
    await ApiToken.create(name=f"demo-{role.value.lower()}", role=role, scope_code=scope, lookup=parsed[0], token_hash=_digest(parsed[1]))
    return True
