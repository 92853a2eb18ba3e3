"""The one place that reads configuration: environment variables, validated at start-up.

Invalid values fail fast with a message naming the variable, like Starlette's `Config`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.config import Config

DEFAULT_DATABASE_URL = "sqlite://lianxi.db"
DEFAULT_TIMEZONE = "Asia/Shanghai"
# Development and test servers accept browser apps served from this machine, on any port.
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"


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
    response_cache_mb: int = 64
    webhooks_config: Path | None = None
    webhook_backoff_seconds: float = 30.0
    webhook_backoff_max_seconds: float = 3600.0
    webhook_retry_hours: float = 48.0
    webhook_timeout_seconds: float = 10.0
    deliveries_enabled: bool = True
    public_url: str = "http://127.0.0.1:8000"
    cors_origins: tuple[str, ...] = ()
    cors_origin_regex: str | None = None
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


def _positive(value: float, name: str) -> float:
    if not value > 0:
        raise SettingsError(f"{name} must be a positive number; got {value}")
    return value


def _at_least(value: float, minimum: float, name: str) -> float:
    if not value >= minimum:
        raise SettingsError(f"{name} must be at least {minimum:g} (undelivered notifications are retried that long); got {value}")
    return value


def _cache_mb(value: int) -> int:
    if value < 0:
        raise SettingsError(f"LIANXI_RESPONSE_CACHE_MB must be 0 (off) or more megabytes; got {value}")
    return value


def _origins(raw: str | None, environment: str) -> tuple[tuple[str, ...], str | None]:
    """LIANXI_CORS_ORIGINS: exact origins (`https://app.county.gov.cn`), comma-separated; unset: localhost in development only."""
    if raw is None:
        return ((), LOCAL_ORIGINS if environment == "development" else None)
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if origin != "*" and not re.fullmatch(r"https?://[^/\s?#]+", origin):
            raise SettingsError(
                f"LIANXI_CORS_ORIGINS must list origins like https://app.example.cn (scheme and host, no path); got {origin!r}"
            )
    return (origins, None)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and validate every LIANXI_* variable; raise SettingsError on the first bad one."""
    config = Config(environ=dict(os.environ if environ is None else environ))
    environment = config("LIANXI_ENV", default="development")
    if environment not in ("development", "production", "test"):
        raise SettingsError(f"LIANXI_ENV must be development, production or test; got {environment!r}")
    rules_config = config("LIANXI_RULES_CONFIG", default=None)
    if rules_config is not None and not Path(rules_config).is_file():
        raise SettingsError(f"LIANXI_RULES_CONFIG names a file that does not exist: {rules_config}")
    webhooks_config = config("LIANXI_WEBHOOKS_CONFIG", default=None)
    if webhooks_config is not None and not Path(webhooks_config).is_file():
        raise SettingsError(f"LIANXI_WEBHOOKS_CONFIG names a file that does not exist: {webhooks_config}")
    cors_origins, cors_origin_regex = _origins(config("LIANXI_CORS_ORIGINS", default=None), environment)
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
            response_cache_mb=_cache_mb(config("LIANXI_RESPONSE_CACHE_MB", cast=int, default=64)),
            webhooks_config=Path(webhooks_config) if webhooks_config else None,
            webhook_backoff_seconds=_positive(config("LIANXI_WEBHOOK_BACKOFF_SECONDS", cast=float, default=30.0), "LIANXI_WEBHOOK_BACKOFF_SECONDS"),
            webhook_backoff_max_seconds=_positive(config("LIANXI_WEBHOOK_BACKOFF_MAX_SECONDS", cast=float, default=3600.0), "LIANXI_WEBHOOK_BACKOFF_MAX_SECONDS"),
            webhook_retry_hours=_at_least(config("LIANXI_WEBHOOK_RETRY_HOURS", cast=float, default=48.0), 24.0, "LIANXI_WEBHOOK_RETRY_HOURS"),
            webhook_timeout_seconds=_positive(config("LIANXI_WEBHOOK_TIMEOUT_SECONDS", cast=float, default=10.0), "LIANXI_WEBHOOK_TIMEOUT_SECONDS"),
            deliveries_enabled=config("LIANXI_DELIVERIES", cast=bool, default=True),
            public_url=config("LIANXI_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/"),
            cors_origins=cors_origins,
            cors_origin_regex=cors_origin_regex,
        )
    except ValueError as exc:
        if isinstance(exc, SettingsError):
            raise
        raise SettingsError(str(exc)) from exc
