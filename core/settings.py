"""The one place that reads configuration: environment variables and the rules file, validated at start-up.

Invalid values fail fast with a message naming the variable (or the rules file's key), like
Starlette's `Config`. `load_settings()` is called once per process, by the entry point (`lianxi …`,
the ASGI factory); everything below receives the `Settings` (and its parsed `rules`) as an argument,
so no run, write or loader reads the environment or a file again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.config import Config

from rules.config import RulesConfig, RulesConfigError, load_rules_config

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
    rules_config: Path | None = None  # where `rules` was read from (None: the catalog defaults)
    rules: RulesConfig = field(default_factory=RulesConfig)  # parsed once, passed to every run and write
    introspection: bool = True
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_body_bytes: int = 1_000_000
    max_query_cost: int = 50_000
    sweep_enabled: bool = True
    response_cache_mb: int = 64
    # LIANXI_FASTPATH: on, what replaces library behaviour for speed (server/fastpath/) answers what it can;
    # off, every request takes strawberry's and tortoise's standard paths (answers are byte-identical either way)
    fastpath: bool = True
    webhooks_config: Path | None = None
    webhook_backoff_seconds: float = 30.0
    webhook_backoff_max_seconds: float = 3600.0
    webhook_retry_hours: float = 48.0
    webhook_timeout_seconds: float = 10.0
    deliveries_enabled: bool = True
    public_url: str = "http://127.0.0.1:8000"
    log_format: str = "text"
    access_log: bool = True
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
    if raw.startswith("sqlite://") and not raw.removeprefix("sqlite://").strip():
        raise SettingsError(
            f"LIANXI_DATABASE_URL {raw!r} names no SQLite file: write sqlite://lianxi.db (relative) or sqlite:///var/lib/lianxi/lianxi.db"
        )
    if raw.startswith("sqlite://") and raw != "sqlite://:memory:":
        folder = Path(raw.removeprefix("sqlite://")).parent
        if not folder.is_dir():
            raise SettingsError(f"LIANXI_DATABASE_URL names a SQLite file in a folder that does not exist: {folder} (create it or choose another path)")
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


def _number(config: Config, name: str, default: int, cast: type[int] | type[float] = int) -> Any:
    """An integer (or decimal) variable; anything else is named with the expected form and the default."""
    raw = config(name, default=None)
    if raw is None:
        return default
    try:
        return cast(raw)
    except ValueError:
        kind = "a whole number" if cast is int else "a number"
        raise SettingsError(f"{name} must be {kind} (default {default}); got {raw!r}: fix it or unset it") from None


def _flag(config: Config, name: str, default: bool) -> bool:
    """A true/false variable (true, false, 1, 0)."""
    raw = config(name, default=None)
    if raw is None:
        return default
    if raw.lower() not in ("true", "false", "1", "0"):
        raise SettingsError(f"{name} must be true or false (default {str(default).lower()}); got {raw!r}")
    return raw.lower() in ("true", "1")


def _switch(config: Config, name: str, default: bool) -> bool:
    """An on/off variable (exactly `on` or `off`, any case)."""
    raw = config(name, default=None)
    if raw is None:
        return default
    if raw.strip().lower() not in ("on", "off"):
        raise SettingsError(f"{name} must be on or off (default {'on' if default else 'off'}); got {raw!r}")
    return raw.strip().lower() == "on"


def _choice(raw: str, name: str, allowed: tuple[str, ...]) -> str:
    if raw not in allowed:
        raise SettingsError(f"{name} must be {' or '.join(allowed)}; got {raw!r}")
    return raw


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
    try:
        rules = load_rules_config(Path(rules_config) if rules_config else None)
    except RulesConfigError as exc:
        raise SettingsError(f"LIANXI_RULES_CONFIG: {exc}") from exc
    cors_origins, cors_origin_regex = _origins(config("LIANXI_CORS_ORIGINS", default=None), environment)
    try:
        return Settings(
            database_url=_database_url(config("LIANXI_DATABASE_URL", default=DEFAULT_DATABASE_URL)),
            environment=environment,
            default_timezone=_timezone(
                config("LIANXI_TIMEZONE", default=DEFAULT_TIMEZONE), "LIANXI_TIMEZONE"
            ),
            rules_config=Path(rules_config) if rules_config else None,
            rules=rules,
            introspection=_flag(config, "LIANXI_INTROSPECTION", True),
            max_query_depth=_number(config, "LIANXI_MAX_QUERY_DEPTH", 12),
            max_aliases=_number(config, "LIANXI_MAX_ALIASES", 30),
            max_tokens=_number(config, "LIANXI_MAX_TOKENS", 4000),
            max_body_bytes=_number(config, "LIANXI_MAX_BODY_BYTES", 1_000_000),
            max_query_cost=_number(config, "LIANXI_MAX_QUERY_COST", 50_000),
            sweep_enabled=_flag(config, "LIANXI_SWEEP", True),
            response_cache_mb=_cache_mb(_number(config, "LIANXI_RESPONSE_CACHE_MB", 64)),
            fastpath=_switch(config, "LIANXI_FASTPATH", True),
            webhooks_config=Path(webhooks_config) if webhooks_config else None,
            webhook_backoff_seconds=_positive(_number(config, "LIANXI_WEBHOOK_BACKOFF_SECONDS", 30.0, float), "LIANXI_WEBHOOK_BACKOFF_SECONDS"),
            webhook_backoff_max_seconds=_positive(_number(config, "LIANXI_WEBHOOK_BACKOFF_MAX_SECONDS", 3600.0, float), "LIANXI_WEBHOOK_BACKOFF_MAX_SECONDS"),
            webhook_retry_hours=_at_least(_number(config, "LIANXI_WEBHOOK_RETRY_HOURS", 48.0, float), 24.0, "LIANXI_WEBHOOK_RETRY_HOURS"),
            webhook_timeout_seconds=_positive(_number(config, "LIANXI_WEBHOOK_TIMEOUT_SECONDS", 10.0, float), "LIANXI_WEBHOOK_TIMEOUT_SECONDS"),
            deliveries_enabled=_flag(config, "LIANXI_DELIVERIES", True),
            public_url=config("LIANXI_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/"),
            log_format=_choice(config("LIANXI_LOG_FORMAT", default="text"), "LIANXI_LOG_FORMAT", ("text", "json")),
            access_log=_flag(config, "LIANXI_ACCESS_LOG", True),
            cors_origins=cors_origins,
            cors_origin_regex=cors_origin_regex,
        )
    except ValueError as exc:
        if isinstance(exc, SettingsError):
            raise
        raise SettingsError(str(exc)) from exc
