"""``sso-bot credentials add|list|remove`` and ``sso-bot reminders run-once``: argument parsing, then
the use cases in ``services.credentials`` and ``services.reminders`` (the same ones Slack calls)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import (EXIT_FAILED, EXIT_OK, EXIT_USAGE, band, cli_user, date_arg, left, moment_arg,
                            open_migrated, utc)
from bot.cli.digest import add_digest_commands
from bot.settings import Settings, load_settings

_KINDS = ("scim-token", "client-secret", "saml-cert")
_IDPS = ("entra", "okta", "other")
_MAX_CERT_FILE = 1_000_000


def add_credential_commands(sub) -> None:
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
    add.add_argument("--issued-at", metavar="YYYY-MM-DD", type=date_arg, help="when it was generated (expiry = this "
                     "+ 180 days for SCIM tokens and client secrets, 3 years for SAML certificates)")
    add.add_argument("--expires-at", metavar="YYYY-MM-DD", type=moment_arg, help="its expiry (a date means 00:00 UTC)")
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
        "run-once", help="post every reminder and weekly digest due now, once, then exit (for cron; `serve` does "
                         "this every minute)")
    run_once.add_argument("--dry-run", action="store_true", help="show what is due; post and record nothing")
    run_once.add_argument("--limit", type=int, metavar="N", help="read at most N due credentials this run")
    run_once.add_argument("--pace", type=float, metavar="SECONDS",
                          help="seconds between two messages in one channel (default $SSO_BOT_REMINDER_PACE or 1)")
    run_once.set_defaults(handler=_reminders_run_once)
    add_digest_commands(reminders_sub)



def _workspace(settings: Settings, team: str | None) -> str | None:
    if team:
        return team
    from runtime.offline import bot_workspace

    return bot_workspace(settings)


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
    from bot.reminders import parse_schedule

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

    from services import credentials as service
    from services.ports import DirectAudit

    db = open_migrated(settings)
    try:
        added = service.track(db, DirectAudit(db), team_id=team, label=label, kind=args.kind, idp=args.idp,
                              environment=environment, channel_id=channel, expiry=expiry, user_id=cli_user(),
                              now=now, schedule=parse_schedule(settings.reminder_schedule))
        cred = added.credential
    finally:
        db.dispose()
    verb = "renewed" if added.renewed else "tracking"
    fp = f"; fingerprint {cred.fingerprint}" if cred.fingerprint else ""
    print(f"{verb} {cred.label!r} ({cred.kind}, {cred.idp}) in {cred.channel_id}: expires "
          f"{utc(cred.expires_at)} ({left(cred.expires_at, now)}, {band(cred.expires_at, now)}){fp}")
    if expiry.note:
        print(f"  expiry: {expiry.note}")
    if cred.next_due_at is not None:
        when = "now" if cred.next_due_at <= now else utc(cred.next_due_at)
        print(f"  next reminder due {when}" + (" (and a 'resolved' reply in the old reminder's thread)"
                                               if cred.notice_key else ""))
    return EXIT_OK


def _credentials_list(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime, timezone

    from services import credentials as service

    settings = load_settings()
    db = open_migrated(settings)
    try:
        creds = service.listing(db, team_id=args.team)
    finally:
        db.dispose()
    from bot.reminders import days_left

    now = datetime.now(timezone.utc)
    # days_left: whole days, negative once expired (-1 the day after); "left" is the same in words.
    rows = [{"label": c.label, "kind": c.kind, "idp": c.idp, "environment": c.environment, "channel": c.channel_id,
             "team": c.team_id, "band": band(c.expires_at, now), "expires_at": c.expires_at.isoformat(),
             "days_left": days_left(c.expires_at, now), "left": left(c.expires_at, now), "fingerprint": c.fingerprint,
             "next_reminder": c.next_due_at.isoformat() if c.next_due_at else None} for c in creds]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not rows:
        print("nothing is tracked (add one with: sso-bot credentials add ...)")
        return EXIT_OK
    header = ("BAND", "LABEL", "KIND", "IDP", "ENV", "CHANNEL", "EXPIRES (UTC)", "LEFT", "FINGERPRINT")
    table = [header] + [(r["band"], r["label"], r["kind"], r["idp"], r["environment"] or "-", r["channel"],
                         utc(c.expires_at), r["left"], r["fingerprint"] or "-") for r, c in zip(rows, creds)]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
    return EXIT_OK


def _credentials_remove(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from services import credentials as service
    from services.ports import DirectAudit

    settings = load_settings()
    db = open_migrated(settings)
    try:
        matches = service.by_label(db, args.label, team_id=args.team)
        if not matches:
            print(f"sso-bot credentials remove: no tracked credential is labelled {args.label[:80]!r}", file=sys.stderr)
            return EXIT_FAILED
        if len(matches) > 1:
            teams = ", ".join(c.team_id for c in matches)
            print(f"sso-bot credentials remove: that label is tracked in several workspaces ({teams}); add --team",
                  file=sys.stderr)
            return EXIT_USAGE
        service.remove(db, DirectAudit(db), matches[0], user_id=cli_user(), now=datetime.now(timezone.utc))
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

    configure_logging(settings.log_level)
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)  # a cron job's output: only what matters
    from runtime.compose import run_digests_once, run_reminders_once

    result = run_reminders_once(settings, pace=args.pace, limit=args.limit, dry_run=args.dry_run)
    digests = run_digests_once(settings, pace=args.pace, dry_run=args.dry_run)
    if args.dry_run:
        for item in result.planned:
            what = "resolved reply" if item.notice else f"{item.band} reminder" + (" + recovery thread"
                                                                                 if item.with_recovery else "")
            print(f"would post {what} for {item.label!r} in {item.channel_id} ({item.key})")
        for channel, week in digests.planned:
            print(f"would post the weekly digest in {channel} ({week})")
        print(f"dry run: {len(result.planned) + len(digests.planned)} message(s) due; nothing was posted or recorded")
        return EXIT_OK
    print(result.summary())
    print(digests.summary())
    return EXIT_FAILED if result.failed or digests.failed else EXIT_OK
