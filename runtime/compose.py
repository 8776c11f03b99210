"""Composition of a running app: settings -> database -> Bolt app -> server."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.redaction import redact_text
from bot.settings import Settings
from handlers.app import build_app
from handlers.shared.deps import Deps
from runtime.executor import ListenerExecutor
from runtime.http import SlackWsgiApp
from runtime.offload import Offload
from runtime.server import HttpServer, serve_http, serve_socket_mode
from storage import open_database
from storage.audit import AuditLog
from storage.migrate import upgrade

log = logging.getLogger("sso_bot")


class StartupError(Exception):
    """The app cannot start; the message says why in one line and what to do."""


@dataclass
class Runtime:
    deps: Deps
    app: App

    def wsgi(self, signing_secret: str) -> SlackWsgiApp:
        """The HTTP face of the app (HTTP mode only: Socket Mode requests are not signed)."""
        return SlackWsgiApp(self.app, self.deps.db, signing_secret)


def prepare(settings: Settings) -> Runtime:
    """Open and migrate the database and build the Bolt app (this calls Slack's auth.test)."""
    db = open_database(settings.database_url)
    try:
        revision = upgrade(db)
    except Exception as error:  # any driver error: say which database, not the password
        raise StartupError(f"cannot migrate the database at {db.url}: {_first_line(error)}") from error
    log.info("database %s at revision %s", db.url, revision)
    offload = Offload(settings.database_url, settings.worker_processes, inline_db=db)
    offload.warm_up()
    deps = Deps(db=db, audit=AuditLog(db, scrub=redact_text), executor=ListenerExecutor(settings.listener_threads),
                offload=offload)
    client = WebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=10)
    try:
        app = build_app(settings, deps, client)
    except SlackApiError as error:
        raise StartupError(f"Slack rejected SLACK_BOT_TOKEN ({error.response.get('error', 'unknown error')}); "
                           "copy the Bot User OAuth Token again from your app's OAuth & Permissions page") from error
    except Exception as error:
        raise StartupError(f"cannot reach the Slack Web API at {settings.slack_api_url}: {_first_line(error)}") from error
    return Runtime(deps=deps, app=app)


def run_http(settings: Settings, *, host: str, port: int) -> None:
    runtime = prepare(settings)
    server = HttpServer(runtime.wsgi(settings.signing_secret or ""), host=host, port=port)
    runtime.deps.scheduler.start()
    serve_http(server, runtime.deps.executor, on_ready=lambda p: _ready(f"http://{host}:{p}/slack/events"))
    _close(runtime)


def run_socket_mode(settings: Settings) -> None:
    runtime = prepare(settings)
    runtime.deps.scheduler.start()
    serve_socket_mode(runtime.app, settings.app_token or "", runtime.deps.executor,
                      on_ready=lambda: _ready("Socket Mode"))
    _close(runtime)


def _close(runtime: Runtime) -> None:
    """After the listeners have finished: stop the scheduler, let offloaded replies finish (their
    completions write audit rows), write the last audit rows, release the database."""
    runtime.deps.scheduler.stop()
    runtime.deps.offload.shutdown()
    runtime.deps.offload.wait_idle()
    runtime.deps.audit.close()
    runtime.deps.db.dispose()


def _ready(where: str) -> None:
    log.info("sso-bot is serving on %s", where)
    print(f"sso-bot is serving on {where} (Ctrl-C or SIGTERM to stop)", file=sys.stderr, flush=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__
