"""Composition of a running app: settings -> database -> Bolt app -> server, and the one shutdown order.

Also the reminder poster for ``sso-bot reminders run-once``, composed from the same parts as the
app's scheduled one.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.diagnostics.scim.template import use_template
from bot.redaction import redact_text
from bot.settings import Settings
from bot.reminders import parse_schedule
from handlers.app import build_app, message_hooks
from handlers.credentials.messages import SlackDigestMessages, SlackMessages
from handlers.shared.slack_api import WebClientPoster
from handlers.shared.deps import Deps
from runtime.http import SlackWsgiApp
from runtime.jobs import BackgroundJobs, ListenerExecutor
from runtime.scheduler import Scheduler
from runtime.server import HttpServer, serve_http, serve_socket_mode
from services.ports import Audit
from services.digests import DigestPoster
from services.reminders import Pacer, ReminderPoster
from storage import Database, open_database
from storage.audit import AuditLog
from storage.migrate import upgrade
from storage.types import utcnow

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
    use_template(settings.scim_url_template)  # the SCIM URL check's shape, for this process and its workers
    db = open_database(settings.database_url)
    try:
        revision = upgrade(db)
    except Exception as error:  # any driver error: say which database, not the password
        raise StartupError(f"cannot migrate the database at {db.url}: {_first_line(error)}") from error
    log.info("database %s at revision %s", db.url, revision)
    deps = make_deps(settings, db, AuditLog(db, scrub=redact_text))
    deps.jobs.warm_up()
    client = WebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=10)
    try:
        app = build_app(deps, client)
    except Exception as error:
        # The worker processes are running already: stop them now, or the interpreter's exit races
        # their pipes and prints a traceback after our one-line message.
        _release(deps)
        if isinstance(error, SlackApiError):
            raise StartupError(f"Slack rejected SLACK_BOT_TOKEN ({error.response.get('error', 'unknown error')}); "
                               "copy the Bot User OAuth Token again from your app's OAuth & Permissions page") from error
        raise StartupError(f"cannot reach the Slack Web API at {settings.slack_api_url}: {_first_line(error)}") from error
    return Runtime(deps=deps, app=app)


def make_deps(settings: Settings, db: Database, audit: AuditLog, *, listener_threads: int | None = None) -> Deps:
    """The listeners' outside world: the database and audit log, Bolt's listener pool, the background
    jobs (``settings.worker_processes`` worker processes; none runs them inline) and the scheduler."""
    return Deps(db=db, audit=audit, settings=settings,
                executor=ListenerExecutor(listener_threads or settings.listener_threads),
                jobs=BackgroundJobs(settings.database_url, settings.worker_processes, inline_db=db,
                                    scim_template=settings.scim_url_template),
                scheduler=Scheduler(utcnow))


def reminder_poster(settings: Settings, db: Database, audit: Audit, *, pace: float | None = None) -> ReminderPoster:
    """The reminder job as ``sso-bot reminders run-once`` runs it: the app's messages and buttons, a
    client without slack_sdk's silent retry (the ledger retries, on the next run)."""
    client = WebClient(token=settings.bot_token or "xoxb-dry-run", base_url=settings.slack_api_url, timeout=10,
                       retry_handlers=[])
    return ReminderPoster(db, WebClientPoster(client), SlackMessages(message_hooks()),
                          parse_schedule(settings.reminder_schedule), audit=audit,
                          pacer=Pacer(settings.reminder_pace if pace is None else pace))


def run_reminders_once(settings: Settings, *, pace: float | None, limit: int | None, dry_run: bool):
    """One reminder tick on the configured database, as ``sso-bot reminders run-once`` runs it (a cron
    job): its own audit writer, flushed and closed before returning."""
    from runtime.offline import open_migrated

    db = open_migrated(settings)
    audit = AuditLog(db, scrub=redact_text)
    try:
        return reminder_poster(settings, db, audit, pace=pace).tick(limit=limit, dry_run=dry_run)
    finally:
        audit.close()
        db.dispose()


def run_digests_once(settings: Settings, *, pace: float | None, dry_run: bool):
    """One digest tick, as ``sso-bot reminders run-once`` runs it after the reminders (same client rules)."""
    from runtime.offline import open_migrated

    db = open_migrated(settings)
    audit = AuditLog(db, scrub=redact_text)
    client = WebClient(token=settings.bot_token or "xoxb-dry-run", base_url=settings.slack_api_url, timeout=10,
                       retry_handlers=[])
    try:
        return DigestPoster(db, WebClientPoster(client), SlackDigestMessages(), audit=audit,
                            pacer=Pacer(settings.reminder_pace if pace is None else pace)).tick(dry_run=dry_run)
    finally:
        audit.close()
        db.dispose()


def run_http(settings: Settings, *, host: str, port: int) -> None:
    runtime = prepare(settings)
    server = HttpServer(runtime.wsgi(settings.signing_secret or ""), host=host, port=port)
    runtime.deps.scheduler.start()
    try:
        serve_http(server, on_ready=lambda p: _ready(f"http://{host}:{p}/slack/events"))
    finally:
        close(runtime)


def run_socket_mode(settings: Settings) -> None:
    runtime = prepare(settings)
    runtime.deps.scheduler.start()
    try:
        serve_socket_mode(runtime.app, settings.app_token or "", on_ready=lambda: _ready("Socket Mode"))
    finally:
        close(runtime)


def close(runtime: Runtime) -> None:
    """The one shutdown order, once nothing new arrives (the server or the Socket Mode connection is
    closed): stop the scheduler, let running listeners finish (they may submit jobs), let background
    jobs and their completions finish (those write audit rows), write the last audit rows, release
    the database."""
    runtime.deps.scheduler.stop()
    log.info("stopping: finishing listeners already running")
    _release(runtime.deps)
    log.info("stopped")


def _release(deps: Deps) -> None:
    """Listeners, then background jobs and their completions, then the audit writer, then the database."""
    deps.executor.shutdown(wait=True, cancel_futures=False)
    deps.jobs.shutdown()
    deps.jobs.wait_idle()
    deps.audit.close()
    deps.db.dispose()


def _ready(where: str) -> None:
    log.info("sso-bot is serving on %s", where)
    print(f"sso-bot is serving on {where} (Ctrl-C or SIGTERM to stop)", file=sys.stderr, flush=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__
