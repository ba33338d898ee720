"""textual-serve's Server and AppService with the seat's guards around them: the token, the
Host and Origin checks, the terminal-size clamp and the session cap. The library's own code
(process spawning, the packet protocol, downloads) is used as it is."""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from simulator.scenario.model import Lang
from simulator.serve.guard import Policy, clamp_size
from simulator.serve.page import SECURITY_HEADERS, refused_page, terminal_page

log = logging.getLogger("calldrill.serve")

COOKIE = "calldrill_seat"
# Browser frames are key presses and resizes: a few hundred bytes. 64 KiB is ample for a paste.
MAX_MESSAGE = 64 * 1024
# A seat whose browser has gone is found by pings; aiohttp drops it when a pong is half this
# late. textual-serve uses 15 s, which drops live seats while a room of 30 starts on 2 cores.
HEARTBEAT = 30.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SeatAppService(AppService):
    """One app process per browser session, with the size it may ask for clamped and a
    settings folder of its own (so one trainee's remembered profile is not the next one's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config_dir = tempfile.mkdtemp(prefix="calldrill-seat-")
        self.sizes: list[tuple[int, int]] = []

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        # Tells the calldrill command it runs the app over pipes, not a terminal.
        environment["CALLDRILL_SEAT"] = "1"
        environment["CALLDRILL_CONFIG"] = self.config_dir
        return environment

    async def start(self, width: int, height: int) -> None:
        width, height = clamp_size(width, height)
        self.sizes.append((width, height))
        await super().start(width, height)

    async def set_terminal_size(self, width: object, height: object) -> None:
        clamped = clamp_size(width, height)
        self.sizes.append(clamped)
        await super().set_terminal_size(*clamped)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def reap(self, grace: float = 5.0) -> None:
        """Wait for the app process to exit (killed after ``grace`` seconds), so no zombie or
        open pipe outlives the session; then remove its settings folder."""
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), grace)
            except TimeoutError:
                process.kill()
                await process.wait()
        shutil.rmtree(self.config_dir, ignore_errors=True)


class SeatServer(Server):
    """The textual-serve server with guards; ``run`` binds, prints the link and serves."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        policy: Policy,
        max_sessions: int,
        lang: Lang,
    ) -> None:
        super().__init__(command, host=host, port=port, title="calldrill")
        self.policy = policy
        self.max_sessions = max_sessions
        self.lang: Lang = lang
        self.services: set[SeatAppService] = set()
        self._seated = 0
        self._stop = asyncio.Event()

    # The app and its guard.

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.policy.host_ok(request.headers.get("Host")):
            return web.Response(status=421, text="unknown host\n")
        if not request.path.startswith("/static/") and not self._token_ok(request):
            return _html(refused_page(), status=403)
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    def _token_ok(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        bearer = auth[7:] if auth[:7].lower() == "bearer " else None
        return self.policy.token_ok(request.query.get("token"), request.cookies.get(COOKIE), bearer)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        token = self.policy.token
        if token is not None and "token" in request.query:
            # The token moves from the address bar to a cookie the page's scripts cannot read.
            moved = web.HTTPSeeOther("/")
            moved.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            moved.headers.update(SECURITY_HEADERS)
            raise moved
        secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
        ws_url = f"{'wss' if secure else 'ws'}://{request.host}/ws"
        raw_size = request.query.get("fontsize", "16")
        font_size = min(max(int(raw_size), 8), 40) if raw_size.isdigit() else 16
        response = _html(terminal_page(ws_url, font_size, self.lang))
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.policy.origin_ok(request.headers.get("Origin"), request.headers.get("Host")):
            raise web.HTTPForbidden(text="foreign origin\n")
        if self._seated >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text="every seat is taken\n")
        # Counted before the first await, so two handshakes cannot both take the last seat.
        self._seated += 1
        try:
            return await self._seat(request)
        finally:
            self._seated -= 1

    async def _seat(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT, max_msg_size=MAX_MESSAGE)
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))
        service: SeatAppService | None = None
        try:
            await websocket.prepare(request)
            service = SeatAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.services.add(service)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except (ValueError, AssertionError, LookupError, TypeError, AttributeError) as error:
            # A malformed frame from the browser ends that session only.
            log.warning("session ended on a bad message: %s", type(error).__name__)
        finally:
            if service is not None:
                await service.stop()
                await service.reap()
                self.services.discard(service)
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its banner here; ``run`` prints the link once the port is known."""

    # Running.

    @property
    def seated(self) -> int:
        """Sessions open now."""
        return self._seated

    def run(self, ready: Callable[[int], None]) -> None:
        """Serve until SIGINT or SIGTERM; ``ready`` gets the port once it is bound."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self._stop.set)
            await self.listen(ready)

        asyncio.run(main())

    async def listen(self, ready: Callable[[int], None]) -> None:
        """Serve in the running loop until ``stop``."""
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, access_log=None, shutdown_timeout=2.0
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            ready(_bound_port(runner, self.port))
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        self._stop.set()


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
