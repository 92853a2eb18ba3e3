"""The one place that reads configuration: environment variables, validated at start-up.

Invalid values fail fast with a message naming the variable, like Starlette's `Config`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.config import Config

DEFAULT_DATABASE_URL = "sqlite://lianxi.db"
DEFAULT_TIMEZONE = "Asia/Shanghai"


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    environment: str = "development"
    default_timezone: str = DEFAULT_TIMEZONE
    rules_config: Path | None = None
    introspection: bool = True
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_body_bytes: int = 1_000_000
    max_query_cost: int = 50_000
    sweep_enabled: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://", "asyncpg://"))


def _database_url(raw: str) -> str:
    schemes = ("sqlite://", "postgres://", "postgresql://", "asyncpg://")
    if not raw.startswith(schemes):
        raise SettingsError(
            f"LIANXI_DATABASE_URL must start with one of {', '.join(schemes)}; got {raw!r}"
        )
    if raw.startswith("postgresql://"):
        raw = "postgres://" + raw.removeprefix("postgresql://")
    return raw


def _timezone(raw: str, name: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"{name} is not a known IANA time zone: {raw!r}") from exc
    return raw


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and validate every LIANXI_* variable; raise SettingsError on the first bad one."""
    config = Config(environ=dict(os.environ if environ is None else environ))
    environment = config("LIANXI_ENV", default="development")
    if environment not in ("development", "production", "test"):
        raise SettingsError(f"LIANXI_ENV must be development, production or test; got {environment!r}")
    rules_config = config("LIANXI_RULES_CONFIG", default=None)
    if rules_config is not None and not Path(rules_config).is_file():
        raise SettingsError(f"LIANXI_RULES_CONFIG names a file that does not exist: {rules_config}")
    try:
        return Settings(
            database_url=_database_url(config("LIANXI_DATABASE_URL", default=DEFAULT_DATABASE_URL)),
            environment=environment,
            default_timezone=_timezone(
                config("LIANXI_TIMEZONE", default=DEFAULT_TIMEZONE), "LIANXI_TIMEZONE"
            ),
            rules_config=Path(rules_config) if rules_config else None,
            introspection=config("LIANXI_INTROSPECTION", cast=bool, default=True),
            max_query_depth=config("LIANXI_MAX_QUERY_DEPTH", cast=int, default=12),
            max_aliases=config("LIANXI_MAX_ALIASES", cast=int, default=30),
            max_tokens=config("LIANXI_MAX_TOKENS", cast=int, default=4000),
            max_body_bytes=config("LIANXI_MAX_BODY_BYTES", cast=int, default=1_000_000),
            max_query_cost=config("LIANXI_MAX_QUERY_COST", cast=int, default=50_000),
            sweep_enabled=config("LIANXI_SWEEP", cast=bool, default=True),
        )
    except ValueError as exc:
        if isinstance(exc, SettingsError):
            raise
        raise SettingsError(str(exc)) from exc
