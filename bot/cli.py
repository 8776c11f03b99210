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
        from bot.redaction import redact_text

        print(f"sso-bot: internal error ({type(error).__name__}: {redact_text(str(error))[:200]}); "
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
    diagnose.add_argument("text", nargs="*", metavar="TEXT", help="what to diagnose; '-' reads standard input; "
                          "the name of an existing file means --file")
    diagnose.add_argument("--file", metavar="PATH", help="a HAR capture of a sign-in, or a CSV/JSON/JSON Lines "
                          "export of Entra provisioning or sign-in logs or Okta's System Log")
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
    _credential_commands(sub)
    from bot.live.cli import add_check_command  # sso-bot check scim|oidc|saml (live, read-only)

    add_check_command(sub)
    return parser


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    socket_mode = args.socket or (not args.http and settings.app_token is not None)
    missing = settings.missing_for_socket() if socket_mode else settings.missing_for_http()
    if missing:
        _print_setup_help(missing, socket_mode)
        return EXIT_USAGE
    from bot.knowledge import load_knowledge
    from bot.logs import configure_logging
    from handlers.runtime import StartupError, run_http, run_socket_mode

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
        f"No Slack at hand? The diagnosis works offline:  {_own_command()} diagnose 'AADSTS50011 ...'",
    ]
    print("\n".join(lines), file=sys.stderr)


def _diagnose(args: argparse.Namespace) -> int:
    from bot.checks import run_check
    from bot.diagnostics.render import render_json, render_text

    if args.file or (len(args.text) == 1 and args.text[0] != "-" and _is_file(args.text[0])):
        return _diagnose_file(args.file or args.text[0], args)
    if not args.text:
        print("usage: sso-bot diagnose [--json] TEXT... | - | --file PATH\nsso-bot diagnose: error: give TEXT, '-' "
              "for standard input, or --file PATH", file=sys.stderr)
        return EXIT_USAGE
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
    report = run_check("diagnose", text, environments=settings.environments, expected_env=args.env,
                       issued_at=args.issued_at)
    if args.json:
        sys.stdout.write(render_json(report))
    else:
        sys.stdout.write(render_text(report, colour=_colour_ok()))
    return EXIT_FAILED if report.failed else EXIT_OK


def _is_file(text: str) -> bool:
    import os

    return len(text) < 4096 and "\n" not in text and os.path.isfile(text)


def _diagnose_file(path: str, args: argparse.Namespace) -> int:
    """``diagnose --file``: a HAR or a log export, read by ``bot.files`` (exit 2 when it cannot be read)."""
    from bot.diagnostics.render import render_json, render_text
    from bot.files import REFUSED_INPUT, analyse_file

    try:
        report = analyse_file(path)
    except OSError as error:
        print(f"sso-bot diagnose: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render_json(report) if args.json else render_text(report, colour=_colour_ok()))
    if REFUSED_INPUT in report.inputs:
        return EXIT_USAGE
    return EXIT_FAILED if report.failed else EXIT_OK


def _read_input(parts: list[str]) -> str:
    if parts == ["-"]:
        from bot.diagnostics.text import as_text  # UTF-16 too: PowerShell writes files and pipes that way

        return as_text(sys.stdin.buffer.read())
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


def _own_command() -> str:
    """How to run this program again: ``sso-bot`` when it is on PATH, else the path it was started by
    (``.venv/bin/sso-bot`` after ``make run``)."""
    import os
    import shutil

    invoked = sys.argv[0] if sys.argv and os.path.basename(sys.argv[0]) == "sso-bot" else ""
    if not invoked or shutil.which("sso-bot") == os.path.abspath(invoked):
        return "sso-bot" if invoked or shutil.which("sso-bot") else "python -m bot"
    return os.path.relpath(invoked)


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


# --------------------------------------------------------------------------- expiring credentials

_KINDS = ("scim-token", "client-secret", "saml-cert")
_IDPS = ("entra", "okta", "other")
_MAX_CERT_FILE = 1_000_000


def _credential_commands(sub) -> None:
    creds = sub.add_parser("credentials", help="track expiring SCIM tokens, client secrets and SAML certificates")
    creds_sub = creds.add_subparsers(title="credentials commands", metavar="ACTION")
    add = creds_sub.add_parser(
        "add", help="track a credential (tracking a label again records a renewal)",
        description="Track a credential's expiry. Secrets come only from standard input (--token-stdin) or a file "
                    "(--cert-file), never from an argument; only a fingerprint and the dates are kept.")
    add.add_argument("--label", required=True, help="a short name, unique in the workspace")
    add.add_argument("--kind", required=True, choices=_KINDS)
    add.add_argument("--idp", required=True, choices=_IDPS)
    add.add_argument("--channel", required=True, metavar="CHANNEL_ID", help="where reminders post, e.g. C0123ABCD")
    add.add_argument("--env", default="", metavar="NAME", help="environment or tenant, e.g. prod")
    add.add_argument("--team", metavar="TEAM_ID", help="workspace id (default: the bot token's, from auth.test)")
    source = add.add_mutually_exclusive_group()
    source.add_argument("--token-stdin", action="store_true",
                        help="read the token from standard input (a JWT carries its expiry)")
    source.add_argument("--cert-file", metavar="FILE", help="a PEM certificate or SAML metadata XML file")
    source.add_argument("--token", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    add.add_argument("--issued-at", metavar="YYYY-MM-DD", type=_date, help="when it was generated (expiry = this "
                     "+ 180 days for SCIM tokens and client secrets, 3 years for SAML certificates)")
    add.add_argument("--expires-at", metavar="YYYY-MM-DD", type=_moment, help="its expiry (a date means 00:00 UTC)")
    add.add_argument("--lifetime-days", type=int, metavar="N", help="override the kind's lifetime for --issued-at")
    add.set_defaults(handler=_credentials_add)

    listing = creds_sub.add_parser("list", help="list tracked credentials with their band and days left")
    listing.add_argument("--team", metavar="TEAM_ID", help="only this workspace")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_credentials_list)

    remove = creds_sub.add_parser("remove", help="stop tracking a credential")
    remove.add_argument("label", metavar="LABEL")
    remove.add_argument("--team", metavar="TEAM_ID", help="the workspace, when the label exists in several")
    remove.set_defaults(handler=_credentials_remove)

    reminders = sub.add_parser("reminders", help="expiry reminders")
    reminders_sub = reminders.add_subparsers(title="reminders commands", metavar="ACTION")
    run_once = reminders_sub.add_parser(
        "run-once", help="post every reminder due now, once, then exit (for cron; `serve` does this every minute)")
    run_once.add_argument("--dry-run", action="store_true", help="show what is due; post and record nothing")
    run_once.add_argument("--limit", type=int, metavar="N", help="read at most N due credentials this run")
    run_once.add_argument("--pace", type=float, metavar="SECONDS",
                          help="seconds between two messages in one channel (default $SSO_BOT_REMINDER_PACE or 1)")
    run_once.set_defaults(handler=_reminders_run_once)


def _moment(value: str):
    from datetime import datetime

    try:
        return _date(value)
    except argparse.ArgumentTypeError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from None


def _cli_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"[:32]
    except Exception:
        return "cli"


def _open_migrated(settings: Settings):
    from storage import open_database
    from storage.migrate import upgrade

    db = open_database(settings.database_url)
    upgrade(db)
    return db


def _workspace(settings: Settings, team: str | None) -> str | None:
    if team:
        return team
    if not settings.bot_token:
        return None
    from slack_sdk import WebClient

    answer = WebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=10).auth_test()
    return str(answer.get("team_id") or "") or None


def _read_secret(args: argparse.Namespace) -> str | None:
    if args.token_stdin:
        if sys.stdin.isatty():
            import getpass

            return getpass.getpass("Paste the token (it is not shown or kept): ")
        return sys.stdin.read(_MAX_CERT_FILE)
    if args.cert_file:
        from pathlib import Path

        path = Path(args.cert_file)
        if path.stat().st_size > _MAX_CERT_FILE:
            raise ValueError(f"{args.cert_file} is larger than 1 MB; give the certificate or metadata file")
        return path.read_text(encoding="utf-8", errors="replace")
    return None


def _credentials_add(args: argparse.Namespace) -> int:
    if args.token is not None:
        print("sso-bot credentials add: never pass a secret as an argument (shell history and process lists keep "
              "it); use --token-stdin, or --cert-file for a certificate. Nothing was stored.", file=sys.stderr)
        return EXIT_USAGE
    from bot.credentials import CredentialInputError, clean_environment, clean_label, expiry_from_input
    from bot.reminders import ReminderState, next_check, parse_schedule

    settings = load_settings()
    channel = args.channel.strip().lstrip("#")
    if not channel or channel[0] not in "CGD" or not channel.isalnum() or not channel.isupper():
        print(f"sso-bot credentials add: --channel takes a channel id such as C0123ABCD (right-click the channel > "
              f"View channel details), got {channel[:24]!r}", file=sys.stderr)
        return EXIT_USAGE
    try:
        label = clean_label(args.label)
        environment = clean_environment(args.env)
        secret = _read_secret(args)
    except (CredentialInputError, OSError, ValueError) as error:
        print(f"sso-bot credentials add: {getattr(error, 'message', None) or error}", file=sys.stderr)
        return EXIT_USAGE
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    try:
        expiry = expiry_from_input(kind=args.kind, now=now, secret=secret, issued=args.issued_at,
                                   expires=args.expires_at, lifetime_days=args.lifetime_days)
    except CredentialInputError as error:
        print(f"sso-bot credentials add: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        del secret
    team = _workspace(settings, args.team)
    if not team:
        print("sso-bot credentials add: which workspace? Give --team T0123ABCD, or set SLACK_BOT_TOKEN so I can ask "
              "Slack (auth.test).", file=sys.stderr)
        return EXIT_USAGE

    from storage.audit import record_audit
    from storage.credentials import add_credential

    schedule = parse_schedule(settings.reminder_schedule)
    db = _open_migrated(settings)
    try:
        user = _cli_user()
        added = add_credential(db, team_id=team, label=label, kind=args.kind, idp=args.idp,
                               environment=environment, channel_id=channel,
                               expires_at=expiry.expires_at, expiry_source=expiry.source,
                               fingerprint=expiry.fingerprint, added_by=user, now=now,
                               next_due_at=next_check(ReminderState(expiry.expires_at), schedule))
        cred = added.credential
        record_audit(db, team_id=team, user_id=user, action="credential.renew" if added.renewed else "credential.track",
                     input_kinds=(args.kind, expiry.source), outcome=_band(cred.expires_at, now),
                     detail=f"credential={cred.id} gen={cred.generation} fp={cred.fingerprint or '-'}")
    finally:
        db.dispose()
    verb = "renewed" if added.renewed else "tracking"
    fp = f"; fingerprint {cred.fingerprint}" if cred.fingerprint else ""
    print(f"{verb} {cred.label!r} ({cred.kind}, {cred.idp}) in {cred.channel_id}: expires "
          f"{_utc(cred.expires_at)} ({_left(cred.expires_at, now)}, {_band(cred.expires_at, now)}){fp}")
    if expiry.note:
        print(f"  expiry: {expiry.note}")
    if cred.next_due_at is not None:
        when = "now" if cred.next_due_at <= now else _utc(cred.next_due_at)
        print(f"  next reminder due {when}" + (" (and a 'resolved' reply in the old reminder's thread)"
                                               if cred.notice_key else ""))
    return EXIT_OK


def _credentials_list(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime, timezone

    from storage.credentials import list_credentials

    settings = load_settings()
    db = _open_migrated(settings)
    try:
        creds = list_credentials(db, team_id=args.team)
    finally:
        db.dispose()
    now = datetime.now(timezone.utc)
    rows = [{"label": c.label, "kind": c.kind, "idp": c.idp, "environment": c.environment, "channel": c.channel_id,
             "team": c.team_id, "band": _band(c.expires_at, now), "expires_at": c.expires_at.isoformat(),
             "left": _left(c.expires_at, now), "fingerprint": c.fingerprint,
             "next_reminder": c.next_due_at.isoformat() if c.next_due_at else None} for c in creds]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not rows:
        print("nothing is tracked (add one with: sso-bot credentials add ...)")
        return EXIT_OK
    header = ("BAND", "LABEL", "KIND", "IDP", "ENV", "CHANNEL", "EXPIRES (UTC)", "LEFT", "FINGERPRINT")
    table = [header] + [(r["band"], r["label"], r["kind"], r["idp"], r["environment"] or "-", r["channel"],
                         _utc(c.expires_at), r["left"], r["fingerprint"] or "-") for r, c in zip(rows, creds)]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
    return EXIT_OK


def _credentials_remove(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from storage.audit import record_audit
    from storage.credentials import find_credential, list_credentials, remove_credential

    settings = load_settings()
    db = _open_migrated(settings)
    try:
        if args.team:
            matches = [c for c in [find_credential(db, args.team, args.label)] if c is not None]
        else:
            key = " ".join(args.label.split()).casefold()
            matches = [c for c in list_credentials(db) if c.label_key == key]
        if not matches:
            print(f"sso-bot credentials remove: no tracked credential is labelled {args.label[:80]!r}", file=sys.stderr)
            return EXIT_FAILED
        if len(matches) > 1:
            teams = ", ".join(c.team_id for c in matches)
            print(f"sso-bot credentials remove: that label is tracked in several workspaces ({teams}); add --team",
                  file=sys.stderr)
            return EXIT_USAGE
        user = _cli_user()
        removed = remove_credential(db, matches[0].id, removed_by=user, now=datetime.now(timezone.utc))
        if removed is not None:
            record_audit(db, team_id=removed.team_id, user_id=user, action="credential.remove",
                         input_kinds=(removed.kind,), outcome="ok",
                         detail=f"credential={removed.id} gen={removed.generation}")
    finally:
        db.dispose()
    print(f"stopped tracking {matches[0].label!r}; no more reminders for it")
    return EXIT_OK


def _reminders_run_once(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not args.dry_run and not settings.bot_token:
        print("sso-bot reminders run-once: SLACK_BOT_TOKEN is not set (use --dry-run to see what is due without "
              "posting)", file=sys.stderr)
        return EXIT_USAGE
    if args.pace is not None and not 0 <= args.pace <= 60:
        print("sso-bot reminders run-once: --pace must be between 0 and 60 seconds", file=sys.stderr)
        return EXIT_USAGE
    from bot.logs import configure_logging
    from bot.reminders import parse_schedule

    configure_logging(settings.log_level)
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)  # a cron job's output: only what matters
    from slack_sdk import WebClient

    from bot.redaction import redact_text
    from handlers.reminder_poster import Pacer, ReminderPoster
    from storage.audit import AuditLog

    db = _open_migrated(settings)
    audit = AuditLog(db, scrub=redact_text)
    try:
        client = WebClient(token=settings.bot_token or "xoxb-dry-run", base_url=settings.slack_api_url, timeout=10,
                           retry_handlers=[])  # the ledger retries, on the next run
        poster = ReminderPoster(db, client, parse_schedule(settings.reminder_schedule), audit=audit,
                                pacer=Pacer(settings.reminder_pace if args.pace is None else args.pace))
        result = poster.tick(limit=args.limit, dry_run=args.dry_run)
    finally:
        audit.close()
        db.dispose()
    if args.dry_run:
        for item in result.planned:
            what = "resolved reply" if item.notice else f"{item.band} reminder" + (" + recovery thread"
                                                                                 if item.with_recovery else "")
            print(f"would post {what} for {item.label!r} in {item.channel_id} ({item.key})")
        print(f"dry run: {len(result.planned)} message(s) due; nothing was posted or recorded")
        return EXIT_OK
    print(result.summary())
    return EXIT_FAILED if result.failed else EXIT_OK


def _band(expires_at, now) -> str:
    from bot.reminders import band_of

    return band_of(expires_at, now).value


def _left(expires_at, now) -> str:
    from bot.reminders import time_left

    phrase = time_left(expires_at, now)
    return phrase[3:] + " left" if phrase.startswith("in ") else f"expired {phrase}"


def _utc(moment) -> str:
    from datetime import timezone

    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
