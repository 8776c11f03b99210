"""``sso-bot reminders digest set|off|list``: a channel's weekly digest from the command line, through the
same use cases as ``/sso digest`` (``services.digests``)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, cli_user, open_migrated, utc
from bot.settings import load_settings

_EXAMPLES = """examples:
  sso-bot reminders digest set --channel C0123ABCD --day monday --hour 9 --tz Europe/Berlin
  sso-bot reminders digest list --json
  sso-bot reminders digest off --channel C0123ABCD
"""


def add_digest_commands(reminders_sub) -> None:
    digest = reminders_sub.add_parser(
        "digest", help="a channel's weekly summary of its expiring credentials (instead of separate yellow posts)",
        description="While a channel's weekly digest is on, its yellow reminders wait for the digest; red, 1-day, "
                    "expiry and recovery reminders still post at once.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    digest_sub = digest.add_subparsers(title="digest commands", metavar="ACTION")
    on = digest_sub.add_parser("set", help="switch a channel's digest on, or change when it is sent")
    on.add_argument("--channel", required=True, metavar="CHANNEL_ID", help="the channel, e.g. C0123ABCD")
    on.add_argument("--day", default="monday", help="weekday (default monday)")
    on.add_argument("--hour", default="9", help="whole hour, 0-23 or 9am/5pm (default 9)")
    on.add_argument("--tz", default="UTC", metavar="ZONE", help="IANA time zone, e.g. Europe/Berlin (default UTC)")
    on.add_argument("--team", metavar="TEAM_ID", help="workspace id (default: the bot token's, from auth.test)")
    on.set_defaults(handler=_digest_set)
    off = digest_sub.add_parser("off", help="switch a channel's digest off")
    off.add_argument("--channel", required=True, metavar="CHANNEL_ID")
    off.add_argument("--team", metavar="TEAM_ID")
    off.set_defaults(handler=_digest_off)
    listing = digest_sub.add_parser("list", help="the channels whose digest is on, and when the next is sent")
    listing.add_argument("--team", metavar="TEAM_ID", help="only this workspace")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_digest_list)


def _workspace(args: argparse.Namespace, settings) -> str | None:
    if args.team:
        return args.team
    from runtime.offline import bot_workspace

    return bot_workspace(settings)


def _channel(value: str) -> str | None:
    channel = value.strip().lstrip("#")
    return channel if channel[:1] in ("C", "G") and channel.isalnum() and channel.isupper() else None


def _digest_set(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from bot.digest import DigestInputError, parse_digest_schedule
    from services import digests
    from services.ports import DirectAudit

    settings = load_settings()
    channel = _channel(args.channel)
    if channel is None:
        print(f"sso-bot reminders digest set: --channel takes a channel id such as C0123ABCD, got "
              f"{args.channel[:24]!r}", file=sys.stderr)
        return EXIT_USAGE
    try:
        schedule = parse_digest_schedule([args.day, args.hour, args.tz])
    except DigestInputError as error:
        print(f"sso-bot reminders digest set: {error}", file=sys.stderr)
        return EXIT_USAGE
    team = _workspace(args, settings)
    if not team:
        print("sso-bot reminders digest set: which workspace? Give --team T0123ABCD, or set SLACK_BOT_TOKEN",
              file=sys.stderr)
        return EXIT_USAGE
    db = open_migrated(settings)
    try:
        digest = digests.configure(db, DirectAudit(db), team_id=team, channel_id=channel, schedule=schedule,
                                   user_id=cli_user(), now=datetime.now(timezone.utc))
    finally:
        db.dispose()
    print(f"weekly digest on in {channel}: {digest.schedule.describe()}; the first at {utc(digest.next_due_at)}")
    return EXIT_OK


def _digest_off(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from services import digests
    from services.ports import DirectAudit

    settings = load_settings()
    channel = _channel(args.channel)
    team = _workspace(args, settings)
    if channel is None or not team:
        print("sso-bot reminders digest off: give --channel C0123ABCD (and --team, or SLACK_BOT_TOKEN)",
              file=sys.stderr)
        return EXIT_USAGE
    db = open_migrated(settings)
    try:
        stopped = digests.switch_off(db, DirectAudit(db), team_id=team, channel_id=channel, user_id=cli_user(),
                                     now=datetime.now(timezone.utc))
    finally:
        db.dispose()
    if stopped is None:
        print(f"sso-bot reminders digest off: {channel} has no weekly digest", file=sys.stderr)
        return EXIT_FAILED
    print(f"weekly digest off in {channel}: each reminder posts on its own again")
    return EXIT_OK


def _digest_list(args: argparse.Namespace) -> int:
    from services import digests

    settings = load_settings()
    db = open_migrated(settings)
    try:
        found = digests.listing(db, team_id=args.team)
    finally:
        db.dispose()
    rows = [{"team": d.team_id, "channel": d.channel_id, "weekday": d.schedule.weekday, "hour": d.schedule.hour,
             "timezone": d.schedule.timezone, "schedule": d.schedule.describe(),
             "next_at": d.next_due_at.isoformat() if d.next_due_at else None,
             "last_sent_at": d.last_sent_at.isoformat() if d.last_sent_at else None} for d in found]
    if args.json:
        print(json.dumps(rows, indent=2))
    elif not rows:
        print("no weekly digest is on (switch one on with: sso-bot reminders digest set --channel C…)")
    else:
        for row, d in zip(rows, found):
            print(f"{row['channel']}  {row['schedule']}  next {utc(d.next_due_at) if d.next_due_at else '-'}")
    return EXIT_OK
