"""The typed per-request context: settings, the request, and the request's DataLoaders."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable
from contextlib import AbstractAsyncContextManager

from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from models.alerts import Alert
from models.units import Township

from core.viewer import Viewer
from core.audit import Actor
from core.transaction import AlertEvent
from core.settings import Settings

L = TypeVar("L", bound=DataLoader[Any, Any])
R = TypeVar("R")
# A county's live alert events (the server's hub): `async with feed(county_code) as events: async for event, row in events`.
AlertFeed = Callable[[str], AbstractAsyncContextManager[AsyncIterable[tuple[AlertEvent, Alert]]]]


@dataclass
class Loaders:
    """Creates each loader class once per request, so batches and caches never cross requests."""

    _instances: dict[type[Any], Any] = field(default_factory=dict)

    def get(self, loader_class: type[L], settings: Settings | None = None) -> L:
        """The request's instance of `loader_class`; a loader with `uses_rules = True` is built with the
        rules configuration the process read at start-up (`Settings.rules`)."""
        loader = self._instances.get(loader_class)
        if loader is None:
            if getattr(loader_class, "uses_rules", False):
                if settings is None:
                    raise TypeError(f"{loader_class.__name__} needs the settings (its rules configuration)")
                loader = loader_class(settings.rules)  # type: ignore[call-arg]
            else:
                loader = loader_class()
            self._instances[loader_class] = loader
        return loader


@dataclass
class Context:
    request: Request | WebSocket | None
    response: Response | WebSocket | None
    settings: Settings
    viewer: Viewer | None = None  # set by authentication (HTTP gate or websocket connection_init)
    connection_params: dict[str, Any] | None = None  # websocket connection_init payload
    loaders: Loaders = field(default_factory=Loaders)
    alert_feed: AlertFeed | None = None  # set by the server: subscriptions read the hub through it
    _zones: dict[int, ZoneInfo] | None = None
    _county_zones: dict[str, ZoneInfo] = field(default_factory=dict)

    def loader(self, loader_class: type[L]) -> L:
        return self.loaders.get(loader_class, self.settings)

    def prime_county_zone(self, county_code: str, timezone: str) -> None:
        """Remember a county's time zone (resolvers/units/queries.py `today_at` reads it)."""
        self._county_zones.setdefault(county_code, ZoneInfo(timezone))

    def county_zone(self, county_code: str) -> ZoneInfo | None:
        """A county's time zone if this request already read it."""
        return self._county_zones.get(county_code)

    def prime_zone(self, township_id: int, timezone: str) -> None:
        """Remember a township's county time zone read along with something else (a root lookup joins the county)."""
        if self._zones is None:
            self._zones = {}
        self._zones.setdefault(township_id, ZoneInfo(timezone))

    async def township_zones(self, township_ids: Iterable[int]) -> dict[int, ZoneInfo]:
        """Township id → its county's time zone for these townships, each read at most once per request
        (only the townships a page shows: a national database has tens of thousands)."""
        if self._zones is None:
            self._zones = {}
        missing = {i for i in township_ids if i not in self._zones}
        if missing:
            rows = await Township.filter(id__in=sorted(missing)).values_list("id", "county__timezone")
            self._zones.update({row_id: ZoneInfo(zone) for row_id, zone in rows})
        return self._zones

    async def zoned(self, rows: Iterable[R]) -> list[tuple[R, ZoneInfo]]:
        """Each row (one with a `township_id`: a meeting, a case) with the time zone its times are shown in."""
        listed = list(rows)
        zones = await self.township_zones(row.township_id for row in listed)  # type: ignore[attr-defined]
        return [(row, zones.get(row.township_id, self.default_zone)) for row in listed]  # type: ignore[attr-defined]

    async def zone_for_township(self, township_id: int) -> ZoneInfo:
        """The county time zone a township's times are shown in."""
        return (await self.township_zones([township_id])).get(township_id) or self.default_zone

    @property
    def actor(self) -> str:
        """Who is acting, for audit fields (the token's name once authentication is in place)."""
        viewer = getattr(self, "viewer", None)
        return str(getattr(viewer, "name", None) or "api")

    @property
    def audit_actor(self) -> Actor:
        """Who is acting, for the audit trail: the token's name and id."""
        viewer = self.viewer
        return Actor(name=self.actor, token_id=viewer.token_id if viewer is not None else None)

    @property
    def default_zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.default_timezone)
