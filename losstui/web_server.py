"""Provides StoppableServer: textual-serve's web server, stopped by ctrl+c or SIGTERM within a
couple of seconds, taking every app it started with it.

textual-serve's own server did nothing of its own on shutdown: each open tab's websocket handler
kept waiting for the browser's next message, and aiohttp waits up to its shutdown timeout (60 s)
for open handlers, so with a tab open ctrl+c took from 10 s to over 20 s to end the server. Here
shutdown tells each tab's app to quit (as a closed tab does), closes each tab's websocket, kills
an app that has not quit after the grace period, and gives aiohttp the same short timeout.

Imported only when a server starts: it needs textual-serve, an optional extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

from aiohttp import WSCloseCode, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server


class StoppableServer(Server):
    """textual-serve's Server that ends its tabs' apps and websockets when stopped, and records
    the signal that stopped it (`stopped_by`)."""

    def __init__(self, command: str, *, host: str, port: int, title: str, grace: float) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.grace = grace
        self.stopped_by: signal.Signals | None = None
        #: The open tabs: each one's websocket and the service running its app.
        self._tabs: dict[web.WebSocketResponse, AppService] = {}

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; as textual-serve's serve, with the signal recorded and
        aiohttp's shutdown timeout cut from 60 s to the grace period."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, self._stop, number)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=None,
            shutdown_timeout=self.grace,
        )

    def _stop(self, number: signal.Signals) -> None:
        if self.stopped_by is None:  # a second ctrl+c while stopping keeps the first's status
            self.stopped_by = number
        raise GracefulExit()

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        # The one place textual-serve hands over a tab's websocket and app together.
        self._tabs[websocket] = app_service
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            self._tabs.pop(websocket, None)

    async def on_shutdown(self, app: web.Application) -> None:
        """End every open tab: its app told to quit, its websocket closed, within the grace
        period; an app still running after it is killed. Runs before aiohttp waits for the
        tabs' handlers, which then end at once."""
        tabs = list(self._tabs.items())
        if tabs:
            ending = [asyncio.ensure_future(self._end_tab(ws, service)) for ws, service in tabs]
            _, late = await asyncio.wait(ending, timeout=self.grace)
            for task in late:  # a browser that does not answer the close: its socket is dropped
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        for _, service in tabs:
            process = service._process  # textual-serve keeps the app's process only here
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()

    async def _end_tab(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        await service.send_meta({"type": "quit"})  # what the app hears when its tab closes
        process = service._process
        closing = websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
        await asyncio.gather(closing, process.wait() if process is not None else asyncio.sleep(0))
