"""The ``sso-bot`` command (also ``python -m bot``).

A composition root: it may import the outer layers, but only inside the
sub-command that needs them, so ``sso-bot diagnose`` never loads Slack or SQL
and works on a laptop with no credentials at all.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from bot.settings import Settings, SettingsError, load_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_SETUP_HELP = {
    "SLACK_BOT_TOKEN": "Bot User OAuth Token (xoxb-...): api.slack.com/apps > your app > OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "api.slack.com/apps > your app > Basic Information > App Credentials > Signing Secret",
    "SLACK_APP_TOKEN": "App-level token (xapp-...) for Socket Mode: Basic Information > App-Level Tokens, "
                       "scope connections:write",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except SettingsError as error:
        print(f"sso-bot: configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: say so in one line, keep the traceback for whoever debugs it
        import os
        import traceback

        if os.environ.get("SSO_BOT_DEBUG"):
            traceback.print_exc()
        from bot.logs import redact

        print(f"sso-bot: internal error ({type(error).__name__}: {redact(str(error))[:200]}); "
              "rerun with SSO_BOT_DEBUG=1 for the traceback and report it", file=sys.stderr)
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sso-bot", description="Diagnose SSO and SCIM problems, in Slack or here.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the Slack app (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve POST /slack/events and GET /healthz over HTTP")
    mode.add_argument("--socket", action="store_true", help="connect to Slack over Socket Mode")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP interface to listen on (default: all)")
    serve.set_defaults(handler=_serve)

    diagnose = sub.add_parser(
        "diagnose", help="explain an error, code, URL, token or log line (offline, no Slack needed)",
        description="Explain what you paste: AADSTS/Okta/OAuth/HTTP errors, SCIM URLs, redirect URI pairs, "
                    "tokens (never echoed), domain allowlists, SCIM error bodies and provisioning-log entries.")
    diagnose.add_argument("text", nargs="+", metavar="TEXT", help="what to diagnose; '-' reads standard input")
    diagnose.add_argument("--json", action="store_true", help="print the report as JSON")
    diagnose.add_argument("--issued-at", metavar="YYYY-MM-DD", type=_date,
                          help="when an opaque token was generated (its expiry is that plus 180 days)")
    diagnose.add_argument("--env", metavar="NAME", help="the environment the SCIM URL should belong to "
                          "(names from SSO_BOT_ENVIRONMENTS)")
    diagnose.set_defaults(handler=_diagnose)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION")
    db_upgrade = db_sub.add_parser("upgrade", help="apply migrations to DATABASE_URL (the app also does this at start)")
    db_upgrade.set_defaults(handler=_db_upgrade)
    return parser


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    socket_mode = args.socket or (not args.http and settings.app_token is not None)
    missing = settings.missing_for_socket() if socket_mode else settings.missing_for_http()
    if missing:
        _print_setup_help(missing, socket_mode)
        return EXIT_USAGE
    from bot.logs import configure_logging
    from handlers.runtime import StartupError, run_http, run_socket_mode

    configure_logging(settings.log_level)
    try:
        if socket_mode:
            run_socket_mode(settings)
        else:
            run_http(settings, host=args.host, port=args.port if args.port is not None else settings.port)
    except StartupError as error:
        print(f"sso-bot: cannot start: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _print_setup_help(missing: list[str], socket_mode: bool) -> None:
    mode = "Socket Mode" if socket_mode else "HTTP mode"
    lines = [f"sso-bot cannot start in {mode}: these environment variables are not set:"]
    lines += [f"  {name:<21} {_SETUP_HELP[name]}" for name in missing]
    lines += [
        "",
        "Create the Slack app from manifest.yml first (README: 'Create the Slack app'), then export the values",
        "above, or put them in a .env file that `make run` reads.",
        "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.",
        "",
        "No Slack at hand? The diagnosis works offline:  sso-bot diagnose 'AADSTS50011 ...'",
    ]
    print("\n".join(lines), file=sys.stderr)


def _diagnose(args: argparse.Namespace) -> int:
    from bot.diagnostics.engine import diagnose
    from bot.diagnostics.render import render_json, render_text

    text = _read_input(args.text)
    if not text.strip():
        print("sso-bot diagnose: nothing to diagnose (give TEXT, or '-' with something on standard input)",
              file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings()
    if args.env and args.env not in settings.environments:
        known = ", ".join(settings.environments) or "none: set SSO_BOT_ENVIRONMENTS"
        print(f"sso-bot diagnose: unknown environment {args.env!r} (known: {known})", file=sys.stderr)
        return EXIT_USAGE
    report = diagnose(text, environments=settings.environments, expected_env=args.env, issued_at=args.issued_at)
    if args.json:
        sys.stdout.write(render_json(report))
    else:
        sys.stdout.write(render_text(report, colour=_colour_ok()))
    return EXIT_FAILED if report.failed else EXIT_OK


def _read_input(parts: list[str]) -> str:
    if parts == ["-"]:
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    return " ".join(parts)


def _colour_ok() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _db_upgrade(_args: argparse.Namespace) -> int:
    settings: Settings = load_settings()
    from storage import open_database
    from storage.migrate import upgrade

    db = open_database(settings.database_url)
    try:
        revision = upgrade(db)
    except Exception as error:
        print(f"sso-bot: cannot migrate {db.url}: {str(error).splitlines()[0] if str(error) else error!r}",
              file=sys.stderr)
        return EXIT_FAILED
    finally:
        db.dispose()
    print(f"database {db.url} is at revision {revision}")
    return EXIT_OK


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sso-bot")
    except PackageNotFoundError:
        return "unknown"
