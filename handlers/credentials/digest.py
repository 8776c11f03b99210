"""``/sso digest``: a channel's weekly credentials digest, set up where it will be posted.

``/sso digest`` shows this channel's setting; ``/sso digest monday 09:00 [Europe/Berlin]`` switches it on
(any order; Monday 09:00 by default); ``/sso digest off`` switches it off. The time zone is the one
named, else the person's own from Slack's profile (``users.info``): Slack has no workspace time zone to
ask, and the admin setting it up is the one who knows when the team reads it. Admins only, as for
every change to tracked credentials.
"""

from __future__ import annotations


from bot.digest import DigestInputError, parse_digest_schedule
from handlers.credentials.forms import user_zone
from handlers.credentials.feature import CredentialFeature
from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.dates import slack_date
from handlers.shared.limits import escape_mrkdwn
from services import digests


USAGE = "/sso digest [off | <weekday> <hour> [time zone]]"
SUMMARY = ("A weekly summary of this channel's expiring credentials instead of separate yellow reminders, e.g. "
           "`/sso digest monday 09:00 Europe/Berlin`; `off` to stop. Admins only.")
_HOW = ("Switch it on with `/sso digest monday 09:00` (a weekday, a whole hour and optionally a time zone such as "
        "`Europe/Berlin`; yours by default), off with `/sso digest off`.")


def subcommand(feature: CredentialFeature) -> Subcommand:
    return Subcommand("digest", USAGE, SUMMARY, run=lambda ctx: digest_command(feature, ctx))


def digest_command(feature: CredentialFeature, ctx: CommandContext) -> Outcome:
    deps = feature.deps
    words = ctx.args.split()
    if not ctx.channel_id or ctx.channel_id[0] not in "CG":
        _say(ctx, ":information_source: A digest belongs to a channel: run `/sso digest` in the channel that should "
                  "get it (its reminders are the ones summarised).")
        return Outcome(outcome="usage")
    if not words:
        found = digests.current(deps.db, team_id=ctx.team_id, channel_id=ctx.channel_id)
        if found is None or not found.enabled:
            _say(ctx, f":calendar: No weekly digest in this channel: each reminder posts on its own. {_HOW}")
        else:
            _say(ctx, f":calendar: This channel gets its digest {found.schedule.describe()}; the next one "
                      f"{_when(found.next_due_at)}. Yellow reminders wait for it; red and expired ones post at once. "
                      f"{_HOW}")
        return Outcome(outcome="shown")
    if not feature.admins.allowed(ctx.client, ctx.user_id):
        _say(ctx, ":no_entry: Only workspace admins and owners, or people listed in SSO_BOT_ADMINS, can change the "
                  "digest. Anyone can see it with `/sso digest`.")
        return Outcome(outcome="refused")
    now = deps.clock()
    if words[0].lower() == "off" and len(words) == 1:
        stopped = digests.switch_off(deps.db, deps.audit, team_id=ctx.team_id, channel_id=ctx.channel_id,
                                     user_id=ctx.user_id, now=now)
        _say(ctx, ":calendar: Weekly digest switched off: each reminder posts on its own again." if stopped else
             ":calendar: There was no weekly digest in this channel; nothing changed.")
        return Outcome(outcome="off" if stopped else "unchanged")
    default_zone = user_zone(ctx.client, ctx.user_id)
    try:
        schedule = parse_digest_schedule(words, default_zone=str(default_zone) if default_zone else "UTC")
    except DigestInputError as error:
        _say(ctx, f":warning: {escape_mrkdwn(str(error))}")
        return Outcome(outcome="user_error")
    digest = digests.configure(deps.db, deps.audit, team_id=ctx.team_id, channel_id=ctx.channel_id,
                               schedule=schedule, user_id=ctx.user_id, now=now)
    _say(ctx, f":calendar: Weekly digest on: {digest.schedule.describe()}, the first {_when(digest.next_due_at)}. "
              "Yellow reminders for this channel's credentials now wait for it; red, expired and recovery "
              "reminders still post here at once. I need to be in this channel: `/invite @sso-bot`.")
    return Outcome(outcome="on", detail=f"day={schedule.weekday} hour={schedule.hour}")


def _when(moment) -> str:
    return slack_date(moment) if moment is not None else "not scheduled"


def _say(ctx: CommandContext, text: str) -> None:
    ctx.respond(text=text, response_type="ephemeral")
