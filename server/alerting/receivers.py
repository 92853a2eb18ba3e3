"""Webhook receivers per county (and severity), read from the TOML file named by LIANXI_WEBHOOKS_CONFIG.

    [[receivers]]
    name = "bureau-wecom"            # unique; shown on each delivery
    county = "522728"                # the county whose alert changes it receives
    kind = "WECOM"                   # ALERTMANAGER (generic JSON, webhook v4), WECOM or DINGTALK
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
    secret = "…"                     # HMAC-SHA256 key (X-Lianxi-Signature; DingTalk: its own `sign`)
    severities = ["VIOLATION"]       # optional: all severities when left out
    events = ["RAISED", "RESOLVED"]  # optional: RAISED, REOPENED, RESOLVED, ESCALATED by default

Mistakes fail at start-up with the receiver and key named.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from models.enums import AlertEventKind, Severity
from core.settings import SettingsError

KINDS = ("ALERTMANAGER", "WECOM", "DINGTALK")
DEFAULT_EVENTS = frozenset({AlertEventKind.RAISED, AlertEventKind.REOPENED, AlertEventKind.RESOLVED, AlertEventKind.ESCALATED})
KEYS = frozenset({"name", "county", "kind", "url", "secret", "severities", "events"})


@dataclass(frozen=True, slots=True)
class Receiver:
    name: str
    county_code: str
    kind: str
    url: str
    secret: str | None
    severities: frozenset[Severity]
    events: frozenset[AlertEventKind]

    def wants(self, *, county_code: str, severity: Severity, kind: AlertEventKind) -> bool:
        return county_code == self.county_code and severity in self.severities and kind in self.events


def _receiver(index: int, raw: Any) -> Receiver:
    where = f"receivers[{index}]"
    if not isinstance(raw, dict):
        raise SettingsError(f"{where} must be a table")
    if unknown := set(raw) - KEYS:
        raise SettingsError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(KEYS)})")
    for key in ("name", "county", "kind", "url"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise SettingsError(f"{where}.{key} is required (a non-empty string)")
    if raw["kind"] not in KINDS:
        raise SettingsError(f"{where}.kind must be one of {', '.join(KINDS)}; got {raw['kind']!r}")
    if not (len(raw["county"]) == 6 and raw["county"].isascii() and raw["county"].isdigit()):
        raise SettingsError(f"{where}.county must be a 6-digit county code; got {raw['county']!r}")
    url = urlsplit(raw["url"])
    if url.scheme not in ("http", "https") or not url.netloc:
        raise SettingsError(f"{where}.url must be an http(s) URL; got {raw['url']!r}")
    secret = raw.get("secret")
    if secret is not None and (not isinstance(secret, str) or not secret):
        raise SettingsError(f"{where}.secret must be a non-empty string")
    return Receiver(
        name=raw["name"], county_code=raw["county"], kind=raw["kind"], url=raw["url"], secret=secret,
        severities=_enum_set(raw, "severities", Severity, where, frozenset(Severity)),
        events=_enum_set(raw, "events", AlertEventKind, where, DEFAULT_EVENTS),
    )


def _enum_set(raw: dict[str, Any], key: str, enum: Any, where: str, default: frozenset[Any]) -> frozenset[Any]:
    if key not in raw:
        return default
    values = raw[key]
    if not isinstance(values, list) or not values:
        raise SettingsError(f"{where}.{key} must be a non-empty list")
    allowed = [member.value for member in enum]
    for value in values:
        if value not in allowed:
            raise SettingsError(f"{where}.{key}: {value!r} is not one of {', '.join(allowed)}")
    return frozenset(enum(value) for value in values)


@lru_cache(maxsize=4)
def load_receivers(path: Path | None) -> tuple[Receiver, ...]:
    """The configured receivers (none without a file); raises SettingsError naming the bad entry."""
    if path is None:
        return ()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"LIANXI_WEBHOOKS_CONFIG {path}: {exc}") from exc
    if unknown := set(document) - {"receivers"}:
        raise SettingsError(f"LIANXI_WEBHOOKS_CONFIG {path}: unknown top-level keys {sorted(unknown)}")
    receivers = tuple(_receiver(i, raw) for i, raw in enumerate(document.get("receivers", [])))
    names = [r.name for r in receivers]
    if duplicated := sorted({n for n in names if names.count(n) > 1}):
        raise SettingsError(f"LIANXI_WEBHOOKS_CONFIG {path}: receiver names must be unique; repeated: {duplicated}")
    return receivers
