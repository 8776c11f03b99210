"""``sso-bot serve`` (the Slack app, Socket Mode or HTTP) and ``sso-bot db upgrade``."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, own_command
from bot.settings import Settings, load_settings

_SETUP_HELP = {
    "SLACK_BOT_TOKEN": "Bot User OAuth Token (xoxb-...): api.slack.com/apps > your app > OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "api.slack.com/apps > your app > Basic Information > App Credentials > Signing Secret",
    "SLACK_APP_TOKEN": "App-level token (xapp-...) for Socket Mode: Basic Information > App-Level Tokens, "
                       "scope connections:write",
}


def add_serve_command(sub) -> None:
    serve = sub.add_parser("serve", help="run the Slack app (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve POST /slack/events and GET /healthz over HTTP")
    mode.add_argument("--socket", action="store_true", help="connect to Slack over Socket Mode")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP interface to listen on (default: all)")
    serve.set_defaults(handler=_serve)


def add_db_command(sub) -> None:
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION")
    db_upgrade = db_sub.add_parser("upgrade", help="apply migrations to DATABASE_URL (the app also does this at start)")
    db_upgrade.set_defaults(handler=_db_upgrade)


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    socket_mode = args.socket or (not args.http and settings.app_token is not None)
    missing = settings.missing_for_socket() if socket_mode else settings.missing_for_http()
    if missing:
        chosen = args.socket or args.http or settings.app_token is not None
        print(setup_help(settings, socket_mode) if chosen else first_run_help(settings), file=sys.stderr)
        return EXIT_USAGE
    from bot.knowledge import load_knowledge
    from bot.logs import configure_logging
    from runtime.compose import StartupError, run_http, run_socket_mode

    configure_logging(settings.log_level)
    load_knowledge(validate=True)  # the server start always validates the knowledge (and refreshes its cache)
    try:
        if socket_mode:
            run_socket_mode(settings)
        else:
            run_http(settings, host=args.host, port=args.port if args.port is not None else settings.port)
    except StartupError as error:
        print(f"sso-bot: cannot start: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def setup_help(settings: Settings, socket_mode: bool) -> str:
    """What to set for the mode that was chosen (``--socket``/``--http``, or an app token that picks Socket Mode)."""
    mode = "Socket Mode" if socket_mode else "HTTP mode"
    missing = settings.missing_for_socket() if socket_mode else settings.missing_for_http()
    lines = [f"sso-bot cannot start in {mode}: these environment variables are not set:"]
    lines += [f"  {name:<21} {_SETUP_HELP[name]}" for name in missing]
    return "\n".join(lines + _CLOSING).replace("{command}", own_command())


def first_run_help(settings: Settings) -> str:
    """No mode chosen and the variables are not all there: lead with Socket Mode, which manifest.yml turns on
    and which needs no public URL, and say what HTTP mode needs instead."""
    lines = ["sso-bot cannot start yet. manifest.yml turns on Socket Mode (no public URL needed), which needs:"]
    lines += [f"  {name:<21} {_SETUP_HELP[name]}" for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
              if name in settings.missing_for_socket()]
    lines += ["", "For HTTP mode instead (a public https URL; turn Socket Mode off in the manifest), set "
              "SLACK_BOT_TOKEN and", f"  {'SLACK_SIGNING_SECRET':<21} {_SETUP_HELP['SLACK_SIGNING_SECRET']}",
              "and run `sso-bot serve --http`."]
    return "\n".join(lines + _CLOSING).replace("{command}", own_command())


_CLOSING = [
    "",
    "Create the Slack app from manifest.yml first (README: 'Create the Slack app'), then export the values",
    "above, or put them in a .env file that `make run` reads.",
    "",
    "No Slack at hand? The diagnosis works offline:  {command} diagnose 'AADSTS50011 ...'",
]




def _db_upgrade(_args: argparse.Namespace) -> int:
    settings: Settings = load_settings()
    from runtime.offline import MigrationFailed, migrate

    try:
        url, revision = migrate(settings)
    except MigrationFailed as error:
        print(f"sso-bot: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"database {url} is at revision {revision}")
    return EXIT_OK

