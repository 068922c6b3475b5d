"""The emulator: one request handler behind both the httpx transport and the loopback server."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from smartlead_sync.emulator import (
    analytics,
    campaign_settings,
    campaigns,
    leads_global,
    leads_import,
    mailboxes,
    sequences,
    ui,
    webhooks,
)
from smartlead_sync.emulator import leads_campaign as leads
from smartlead_sync.emulator.config import EmulatorConfig, Faults
from smartlead_sync.emulator.exchange import (
    ApiFailure,
    Request,
    Response,
    express_not_found,
    json_response,
    text_response,
)
from smartlead_sync.emulator.faults import FaultInjector, FaultPlan, corrupt
from smartlead_sync.emulator.rate_windows import Admission, ServerRateLimiter, seconds_value
from smartlead_sync.emulator.routing import API_PREFIX, Ctx, Route, Router
from smartlead_sync.emulator.stats import EmulatorStats, RequestLogEntry, StatsRecorder
from smartlead_sync.emulator.store import Store
from smartlead_sync.tool_settings import Bucket

ROUTER = Router(
    [
        campaigns.routes,
        campaign_settings.routes,
        sequences.routes,
        leads_import.routes,
        leads.routes,
        leads_global.routes,
        mailboxes.routes,
        webhooks.routes,
        analytics.routes,
    ]
)
UNMATCHED = "UNMATCHED"


class _Dropped(Exception):
    """Carries a handler's answer out of a transaction that must not commit."""

    def __init__(self, result: object) -> None:
        super().__init__("dropped write")
        self.result = result


@dataclass
class _Outcome:
    response: Response
    route: str = UNMATCHED
    buckets: tuple[Bucket, ...] = ()
    fault: str | None = None
    limited_by: str | None = None


class Emulator:
    """A local Smartlead account. Thread-safe; state in SQLite (memory, or `state_path`)."""

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        state_path: Path | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.config = config or EmulatorConfig()
        self._clock = clock or time.time
        self._store = Store(state_path, self._clock)
        self._limiter = ServerRateLimiter(
            self.config.rate_limits, self.config.time_scale, clock or time.monotonic
        )
        self._faults = FaultInjector(self.config.faults)
        self._stats = StatsRecorder()
        self._servers: list[Any] = []

    # ----- entry points -------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request; introspection lives outside /api/v1 under /_emulator."""
        if request.path == "/_emulator" or request.path.startswith("/_emulator/"):
            from smartlead_sync.emulator.introspection import introspect

            return introspect(self, request)
        arrived, started = self._clock(), time.perf_counter()
        self._stats.enter()
        try:
            outcome = self._handle_api(request)
        finally:
            self._stats.leave()
        entry = RequestLogEntry(
            seq=0,
            method=request.method,
            path=request.path,
            route=outcome.route,
            status=outcome.response.status,
            buckets=tuple(b.value for b in outcome.buckets),
            at=arrived,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            fault=outcome.fault,
        )
        self._stats.record(entry, limited_by=outcome.limited_by)
        return outcome.response

    def transport(self) -> httpx.BaseTransport:
        """An in-process httpx transport; any host works, the path starts with /api/v1."""
        from smartlead_sync.emulator.transport import EmulatorTransport

        return EmulatorTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Any:
        """Serve over real HTTP in a background thread; returns a `RunningServer`."""
        from smartlead_sync.emulator.server import start_server

        running = start_server(self, host, port)
        self._servers.append(running)
        return running

    def stats(self) -> EmulatorStats:
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        self._stats.reset()

    def set_faults(self, faults: Faults) -> None:
        """Replace the faults; call numbers restart at 1 with the next request."""
        self._faults.set(faults)

    @property
    def faults(self) -> Faults:
        return self._faults.faults

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for running in self._servers:
            running.close()
        self._servers.clear()
        self._store.close()

    # ----- acting "as the UI would" (see ui.py) ------------------------------------------

    def act(self, action: str, **kwargs: Any) -> Any:
        """Run a UI action by name inside one transaction."""
        with self._store.transaction():
            return ui.ACTIONS[action](self._store, **kwargs)

    def block_email(self, email_or_domain: str, client_id: int | None = None) -> None:
        self.act("block_email", email_or_domain=email_or_domain, client_id=client_id)

    def bounce_email(self, email: str) -> None:
        self.act("bounce_email", email=email)

    def unsubscribe_email(self, email: str) -> None:
        self.act("unsubscribe_email", email=email)

    def set_campaign_status(self, campaign_id: int, status: str) -> None:
        self.act("set_campaign_status", campaign_id=campaign_id, status=status)

    def complete_campaign(self, campaign_id: int) -> None:
        self.act("complete_campaign", campaign_id=campaign_id)

    def edit_campaign(self, campaign_id: int, **fields: Any) -> None:
        self.act("edit_campaign", campaign_id=campaign_id, **fields)

    def edit_step(self, campaign_id: int, seq_number: int, **changes: str | None) -> None:
        self.act("edit_step", campaign_id=campaign_id, seq_number=seq_number, **changes)

    def record_send(self, campaign_id: int, email: str) -> None:
        self.act("record_send", campaign_id=campaign_id, email=email)

    def add_email_account(
        self, email: str, from_name: str = "", client_id: int | None = None
    ) -> int:
        account_id: int = self.act(
            "add_email_account", email=email, from_name=from_name, client_id=client_id
        )
        return account_id

    def add_category(self, name: str, sentiment_type: str = "neutral") -> int:
        category_id: int = self.act("add_category", name=name, sentiment_type=sentiment_type)
        return category_id

    def simulate_sends(self, campaign_id: int, sends: int, **outcomes: Any) -> None:
        """Record `sends` emails of a step (and variant) with outcomes; see sends.py."""
        self.act("simulate_sends", campaign_id=campaign_id, sends=sends, **outcomes)

    def raw_campaign(self, campaign_id: int) -> dict[str, Any]:
        raw: dict[str, Any] = self.act("raw_campaign", campaign_id=campaign_id)
        return raw

    # ----- the API ------------------------------------------------------------------------

    def _handle_api(self, request: Request) -> _Outcome:
        if request.path != API_PREFIX and not request.path.startswith(API_PREFIX + "/"):
            return _Outcome(express_not_found(request.method, request.path))
        api_key = request.query.get("api_key", "")
        known, scope = self.config.scope_of(api_key)
        if not known:
            # §13.1: flat `{message}`; the real text is unknown, so it is configurable.
            return _Outcome(json_response({"message": self.config.unauthorized_message}, 401))
        found = ROUTER.match(request.method, request.path[len(API_PREFIX) :])
        route, params = found if found else (None, {})
        name = route.name if route else UNMATCHED
        buckets = (Bucket.GLOBAL, route.bucket) if route and route.bucket else (Bucket.GLOBAL,)
        plan = self._faults.plan(name)
        if plan.latency:
            time.sleep(plan.latency)
        admission = (
            self._limiter.forced(api_key)
            if plan.force_429
            else self._limiter.admit(api_key, buckets)
        )
        ctx = Ctx(request, params, self._store, self.config, scope)
        outcome = self._respond(route, ctx, plan, admission)
        outcome.route, outcome.buckets = name, buckets
        outcome.response.headers.update(admission.headers)
        return outcome

    def _respond(
        self, route: Route | None, ctx: Ctx, plan: FaultPlan, admission: Admission
    ) -> _Outcome:
        if not admission.allowed:
            return _Outcome(
                self._too_many(admission), fault=plan.label, limited_by=admission.limited_by
            )
        if plan.server_error:  # before anything is committed
            return _Outcome(
                json_response({"error": "Internal Server Error"}, 500), fault=plan.label
            )
        if route is None:
            return _Outcome(express_not_found(ctx.request.method, ctx.request.path))
        response = self._run(route, ctx, keep=not plan.drop_write)
        if plan.bad_body is not None and 200 <= response.status < 300:
            response = corrupt(response, plan.bad_body)
        elif plan.lose_response == "drop":
            response = Response(0, drop_connection=True)
        elif plan.lose_response == "502":
            response = text_response("Bad Gateway", 502)
        return _Outcome(response, fault=plan.label)

    def _run(self, route: Route, ctx: Ctx, *, keep: bool = True) -> Response:
        """Run the handler in one transaction; `keep=False` rolls its writes back after the
        answer was made (the dropped-write fault)."""
        try:
            with self._store.transaction():
                result = route.handler(ctx)
                if not keep:
                    raise _Dropped(result)
        except _Dropped as dropped:
            result = dropped.result
        except ApiFailure as failure:
            return failure.response
        except Exception as exc:  # a bug in the emulator: answer like a crashed server would
            traceback.print_exc()
            return json_response({"error": "Internal Server Error", "message": repr(exc)}, 500)
        return result if isinstance(result, Response) else json_response(result)

    def _too_many(self, admission: Admission) -> Response:
        """429 with `Retry-After` and a flat body (§2.2, §13.12)."""
        scale = self.config.time_scale
        wait = seconds_value(admission.retry_after, scale)
        response = json_response(
            {"message": "Too many requests, please try again later.", "retry_after": wait}, 429
        )
        response.headers["Retry-After"] = str(wait)
        return response
