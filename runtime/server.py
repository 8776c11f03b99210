"""Running the app: HTTP under waitress, or Socket Mode, with a graceful stop on SIGTERM.

Slow and idle clients. waitress reads every request whole on one event loop before a worker thread
sees it, so a slow client costs a socket and a few kilobytes, not a thread. What it does not bound
is how long a client may take: its ``channel_timeout`` counts silence, so a client that sends one
byte every few seconds is never closed, and at ``connection_limit`` open connections it stops
accepting, ``/healthz`` included. So here:

- a connection has ``REQUEST_DEADLINE`` seconds from its first byte (or from connecting) to deliver
  a complete request, however it trickles; Slack sends its small requests at once, and gives up on
  an answer after 3 seconds anyway;
- between requests, a kept-alive connection may stay silent ``IDLE_TIMEOUT`` seconds;
- the connection limit follows the process's file limit (thousands, not waitress's 100), with
  ``poll()`` instead of ``select()``, which cannot watch descriptors past 1024;
- headers and bodies are capped near what Slack sends, and a body's first 64 KB is all a
  connection keeps in memory (the rest of a large one waits in a temporary file).

``bench/slow_clients.py`` measures it.
"""

from __future__ import annotations

import logging
import resource
import signal
import threading
import time
from typing import Callable

from slack_bolt import App
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer

from runtime.http import MAX_BODY_BYTES, SlackWsgiApp
from runtime.inbound import Refused, read_socket_mode

log = logging.getLogger("sso_bot.server")

REQUEST_DEADLINE = 5.0
IDLE_TIMEOUT = 30
MAX_HEADER_BYTES = 32_768  # Slack's headers are well under 2 KB; proxies add a few more
IN_MEMORY_BODY = 65_536
MAX_CONNECTIONS = 4096
# Descriptors kept for everything that is not a client: the database, Slack's API, logs, worker pipes.
_RESERVED_FDS = 256


class HttpServer:
    """waitress serving the Slack WSGI app on one port. ``port=0`` picks a free one (tests)."""

    def __init__(self, wsgi: SlackWsgiApp, *, host: str, port: int, threads: int = 16,
                 request_deadline: float = REQUEST_DEADLINE, connection_limit: int | None = None) -> None:
        # waitress's own threads only carry requests to Bolt, which waits for ack(); the
        # listener pool (larger) does the work, so these can stay modest.
        adj = Adjustments(host=host, port=port, threads=threads, ident="sso-bot", clear_untrusted_proxy_headers=True,
                          channel_timeout=IDLE_TIMEOUT, cleanup_interval=1, asyncore_use_poll=True,
                          connection_limit=connection_limit or client_connection_limit(),
                          max_request_header_size=MAX_HEADER_BYTES, max_request_body_size=MAX_BODY_BYTES,
                          inbuf_overflow=IN_MEMORY_BODY)
        self._server = _DeadlineServer(wsgi, adj=adj, sockinfo=adj.listen[0], deadline=request_deadline)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def connection_limit(self) -> int:
        return int(self._server.adj.connection_limit)

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


def client_connection_limit() -> int:
    """How many client connections to hold: what the file limit allows (raised to its hard limit when
    the soft one is lower) less a reserve, between waitress's 100 and ``MAX_CONNECTIONS``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + _RESERVED_FDS
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    available = MAX_CONNECTIONS if soft == resource.RLIM_INFINITY else soft - _RESERVED_FDS
    return max(100, min(MAX_CONNECTIONS, available))


class _TimedParser(HTTPRequestParser):
    """waitress's parser for one request, noting when the request's first byte arrived."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.started = time.time()


class _Channel(HTTPChannel):
    parser_class = _TimedParser


class _DeadlineServer(TcpWSGIServer):
    """waitress's server, which also closes connections too slow to deliver a request (see the module)."""

    channel_class = _Channel

    def __init__(self, application, *, adj: Adjustments, sockinfo, deadline: float) -> None:
        self.deadline = deadline
        super().__init__(application, adj=adj, sockinfo=sockinfo)

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # silent for IDLE_TIMEOUT between requests: closed
        late = [channel for channel in self.active_channels.values() if _overdue(channel, now, self.deadline)]
        for channel in late:
            channel.will_close = True  # the loop closes it on its next pass
        if late:
            log.info("closed %d connection(s) that sent no complete request within %.0f s", len(late), self.deadline)


def _overdue(channel: HTTPChannel, now: float, deadline: float) -> bool:
    if channel.will_close or channel.requests:  # closing already, or a whole request is being answered
        return False
    if channel.request is not None:  # part of a request has come: it has until its first byte + deadline
        return now - channel.request.started > deadline
    # Connected and silent ever since (waitress moves last_activity on every read and write).
    return channel.last_activity == channel.creation_time and now - channel.creation_time > deadline


def serve_http(server: HttpServer, on_ready: Callable[[int], None]) -> None:
    """Serve until SIGTERM or SIGINT (the caller then shuts down in order: ``runtime.compose.close``)."""
    _raise_system_exit_on(signal.SIGTERM)
    on_ready(server.port)
    server.run()  # returns when the signal handler raises SystemExit inside waitress's loop


def serve_socket_mode(app: App, app_token: str, on_ready: Callable[[], None]) -> None:
    """Socket Mode: Slack pushes requests over a WebSocket; no public URL needed."""
    handler = _checked_socket_mode_handler()(app, app_token)
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


def _checked_socket_mode_handler():
    """Bolt's Socket Mode handler with the HTTP edge's shape check (``runtime.inbound``) in front: a
    payload that fails it is acknowledged, so Slack does not send it again, logged, and dropped."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.socket_mode.response import SocketModeResponse

    class CheckedSocketModeHandler(SocketModeHandler):
        def handle(self, client, req) -> None:
            try:
                read_socket_mode(req.type, req.payload)
            except Refused as refused:
                log.info("dropped a malformed Socket Mode %s payload: %s", req.type, refused.reason)
                client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
            super().handle(client, req)

    return CheckedSocketModeHandler


def _raise_system_exit_on(signum: int) -> None:
    def handler(_signum, _frame) -> None:
        raise SystemExit(0)

    signal.signal(signum, handler)
