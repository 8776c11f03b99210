"""Running the app: HTTP under waitress, or Socket Mode, with a graceful stop on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Callable

from slack_bolt import App
from waitress import wasyncore
from waitress.server import create_server

from handlers.executor import ListenerExecutor
from handlers.http import SlackWsgiApp

log = logging.getLogger("sso_bot.server")


class HttpServer:
    """waitress serving the Slack WSGI app on one port. ``port=0`` picks a free one (tests)."""

    def __init__(self, wsgi: SlackWsgiApp, *, host: str, port: int, threads: int = 16) -> None:
        # waitress's own threads only carry requests to Bolt, which waits for ack(); the
        # listener pool (larger) does the work, so these can stay modest.
        self._server = create_server(wsgi, host=host, port=port, threads=threads, ident="sso-bot",
                                     clear_untrusted_proxy_headers=True, channel_timeout=30)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def run(self) -> None:
        self._server.run()

    def stop(self) -> None:
        """Stop from another thread (tests): close every socket so the loop in ``run`` ends."""
        server = self._server
        # The trigger runs the thunk on the loop's own thread, so no socket is closed under select().
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:  # the loop already closed its trigger: nothing is left to race with
            wasyncore.close_all(server._map)
        server.task_dispatcher.shutdown(timeout=5)


def serve_http(server: HttpServer, executor: ListenerExecutor, on_ready: Callable[[int], None]) -> None:
    """Serve until SIGTERM or SIGINT, then let running listeners finish."""
    _raise_system_exit_on(signal.SIGTERM)
    on_ready(server.port)
    try:
        server.run()  # returns when the signal handler raises SystemExit inside waitress's loop
    finally:
        log.info("stopping: finishing listeners already running")
        executor.shutdown(wait=True, cancel_futures=False)
        log.info("stopped")


def serve_socket_mode(app: App, app_token: str, executor: ListenerExecutor, on_ready: Callable[[], None]) -> None:
    """Socket Mode: Slack pushes requests over a WebSocket; no public URL needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)
    stopping = threading.Event()

    def stop(_signum, _frame) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    handler.connect()
    on_ready()
    stopping.wait()
    log.info("stopping: closing the Socket Mode connection")
    handler.close()
    executor.shutdown(wait=True, cancel_futures=False)


def _raise_system_exit_on(signum: int) -> None:
    def handler(_signum, _frame) -> None:
        raise SystemExit(0)

    signal.signal(signum, handler)
