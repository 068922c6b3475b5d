"""Route table: Express-like path templates, each with the rate-limit bucket it counts against."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from smartlead_sync.emulator.config import EmulatorConfig
from smartlead_sync.emulator.exchange import Request, joi_error
from smartlead_sync.emulator.store import Store
from smartlead_sync.emulator.validation import as_object, parse_json_body
from smartlead_sync.tool_settings import Bucket

API_PREFIX = "/api/v1"


@dataclass
class Ctx:
    """What a handler sees: the request, its path parameters and the account state."""

    request: Request
    params: dict[str, str]
    db: Store
    config: EmulatorConfig
    client_scope: int | None  # set when the API key is scoped to one client (§9)
    _body: Any = field(default=None, init=False)
    _parsed: bool = field(default=False, init=False)

    @property
    def query(self) -> dict[str, str]:
        return dict(self.request.query)

    def int_param(self, name: str) -> int:
        raw = self.params[name]
        if not raw.isdigit():
            raise joi_error(f'"{name}" must be a number', name, "params")
        return int(raw)

    def body(self) -> Any:
        if not self._parsed:
            self._body = parse_json_body(self.request.body)
            self._parsed = True
        return self._body

    def body_object(self) -> dict[str, Any]:
        return as_object(self.body())


Handler = Callable[[Ctx], Any]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # e.g. "/campaigns/{campaign_id}/leads"
    handler: Handler
    bucket: Bucket | None  # the write bucket, besides GLOBAL which every call counts against
    pattern: re.Pattern[str]

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


class RouteTable:
    """Collects routes in declaration order; literal paths must be declared before templates."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self, methods: str, template: str, bucket: Bucket | None = None
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for method in methods.split("|"):
                self.routes.append(Route(method, template, handler, bucket, _compile(template)))
            return handler

        return register


def _compile(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{regex}$")


class Router:
    def __init__(self, tables: Iterable[RouteTable]) -> None:
        self._routes = [route for table in tables for route in table.routes]

    @property
    def routes(self) -> list[Route]:
        return list(self._routes)

    def match(self, method: str, api_path: str) -> tuple[Route, dict[str, str]] | None:
        """Find the route for a path below /api/v1; a trailing slash is ignored, as Express does."""
        path = api_path.rstrip("/") or "/"
        for route in self._routes:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                return route, found.groupdict()
        return None
