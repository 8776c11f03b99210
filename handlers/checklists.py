"""Interactive checklists in Slack threads: /sso checklist, the Start button, ticking, checks,
export, the 401 follow-up and the 24-hour nudge, and the Home tab's open checklists.

A slash command cannot run inside a thread, so a checklist starts with a parent
message in the channel (title, who started it, IdP, progress) and posts its
steps in that message's thread, one message per group. Every tick is saved
per item (``storage.checklists.apply_ticks``) before the messages are redrawn
from the database; the redraw repeats while the run's version moved under it,
so the last ``chat.update`` Slack receives always shows every tick, however
many people click at once and however many replicas serve them.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from typing import Any, Iterable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ButtonElement

from bot.checklist_defs import IDPS, ChecklistDef, ChecklistLibrary, load_checklists, parse_idp
from bot.checklists import (CHUNK, NUDGE_AFTER, CheckRun, Group, Item, Run, checks_from_mapping, decode_mask,
                            export_text, follow_up_due, nudge_due, selection_delta, start_run, suggest_checklist,
                            summarise)
from bot.diagnostics.domains import check_domains
from bot.diagnostics.extract import find_bearer_tokens, find_emails, find_jwts
from bot.diagnostics.redirect import check_redirect_text
from bot.diagnostics.report import Report
from bot.diagnostics.scim_url import check_scim_url
from bot.diagnostics.token import check_token
from bot.settings import Settings
from handlers.commands import CommandContext, Outcome, Router, Subcommand
from handlers.deps import Deps
from handlers.diagnose import explainable_codes
from handlers.errors import UserError
from handlers.home import HomeSections
from handlers.ids import ActionId
from handlers.views import checklists as views
from handlers.views.checklists import ChecklistIds
from handlers.views.modals import INPUT_ACTION, error_modal, result_modal
from handlers.views.report import fallback_text, render_report, verdict
from storage.checklists import (NOTICE_FOLLOW_UP, NOTICE_NUDGE, NewItem, RunClosed, RunRecord, apply_ticks,
                                attach_messages, claim_notice, close_run, count_open_runs, create_run, discard_run,
                                group_items,
                                list_follow_ups_due, list_open_runs, list_quiet_runs, load_run, record_check,
                                record_event, release_notice, run_version)

log = logging.getLogger("sso_bot.checklists")

# Errors that mean the bot cannot post where it was asked to: the user has to invite it.
_NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")
# A notice that failed for one of these will not succeed later either: keep it claimed.
_HOPELESS = _NOT_THERE + ("thread_not_found", "message_not_found", "restricted_action")
# Redraws per change at most; each repeat means another tick landed while we drew.
_MAX_REDRAWS = 5
_HOME_RUNS = 8
# Clicks saved and drawn at once per process (Checklists.tick). More at once would only queue for the
# interpreter lock and slow the acks of other requests; two still keep a process well above Slack's
# own rate limit for chat.update.
_TICK_SLOTS = 2

USAGE = "/sso checklist [401 entra|okta | sso | scim | setup]"
SUMMARY = "Work through a recovery checklist together in a thread (401 recovery, SSO or SCIM checks)."


def _invite_error() -> UserError:
    return UserError("I can't post in this channel yet.",
                     "Invite me with `/invite @sso-bot`, then start the checklist again.")


def to_run(record: RunRecord) -> Run:
    """The core's view of a stored run (its own snapshot, never the current definition)."""
    row = record.run
    groups_raw = json.loads(row.groups_json or "[]")
    groups = tuple(Group(index=n, key=str(g.get("key", n)), title=str(g.get("title", "")),
                         intro=str(g.get("intro", ""))) for n, g in enumerate(groups_raw))
    items = tuple(Item(id=i.item_id, group=i.group_index, text=i.text, detail=i.detail, check=i.check_kind,
                       done=i.done, done_by=i.done_by, done_at=i.done_at) for i in record.items)
    checks = []
    for event in record.checks:
        data = json.loads(event.detail or "{}")
        checks.append(CheckRun(item_id=event.item_id or "", check=str(data.get("check", "")), user_id=event.user_id,
                               at=event.at, findings=checks_from_mapping(data.get("findings", []))))
    return Run(id=row.id, definition_id=row.definition_id, title=row.title, idp=row.idp, started_by=row.started_by,
               started_at=row.started_at, groups=groups, items=items, last_activity_at=row.last_activity_at,
               completed_at=row.completed_at, closed_at=row.closed_at, closed_by=row.closed_by,
               resolution=row.resolution, follow_up_minutes=row.follow_up_minutes, version=row.version,
               checks=tuple(checks))


def checklist_buttons(report: Report) -> list[ButtonElement]:
    """A "Start checklist" button for a diagnosis whose findings map to a checklist (else none)."""
    suggestion = suggest_checklist((f.code, f.severity.value) for f in sorted(report.findings,
                                                                               key=lambda f: -f.severity.rank))
    if suggestion is None:
        return []
    checklist_id, idp = suggestion
    definition = load_checklists().get(checklist_id)
    if definition is None:
        return []
    label = f"Start checklist: {definition.title}" + (f" ({IDPS[idp]})" if idp in IDPS else "")
    return [views.start_button(checklist_id, idp, label)]


class Checklists:
    """The feature, bound to settings and dependencies."""

    def __init__(self, settings: Settings, deps: Deps, library: ChecklistLibrary | None = None) -> None:
        self.settings = settings
        self.deps = deps
        self.library = library or load_checklists()
        self._busy = threading.BoundedSemaphore(_TICK_SLOTS)

    @property
    def db(self):
        return self.deps.db

    # -- starting --------------------------------------------------------------
    def command(self, ctx: CommandContext) -> Outcome:
        words = ctx.args.lower().split()
        if not words or words[0] in ("list", "help"):
            ctx.respond(blocks=views.render_picker(self.library), text=views.picker_text(self.library),
                        response_type="ephemeral")
            return Outcome(outcome="picker")
        definitions = [d for w in words if (d := self.library.find(w)) is not None]
        idps = [i for w in words if (i := parse_idp(w)) is not None]
        leftover = [w for w in words if self.library.find(w) is None and parse_idp(w) is None]
        if len(definitions) != 1 or len(idps) > 1 or leftover:
            choices = ", ".join(f"`{d.command}`" for d in self.library)
            raise UserError("I don't know that checklist.",
                            f"Try one of {choices}, e.g. `/sso checklist 401 okta`, or `/sso checklist` for the list.")
        definition, idp = definitions[0], (idps[0] if idps else None)
        if idp is not None and idp not in definition.idps:
            raise UserError(f"{definition.title} has no steps for {IDPS[idp]}.",
                            f"Try `/sso checklist {definition.command}`.")
        if not definition.accepts_idp(idp):
            ctx.respond(blocks=views.render_idp_picker(definition), text=f"{definition.title}: which IdP?",
                        response_type="ephemeral")
            return Outcome(input_kinds=("checklist",), outcome="picker", detail=definition.id)
        self.start(ctx.client, team_id=ctx.team_id, channel_id=ctx.channel_id, user_id=ctx.user_id,
                   definition=definition, idp=idp)
        return Outcome(input_kinds=("checklist",), outcome="started", detail=f"{definition.id}:{idp or '-'}")

    def start(self, client: WebClient, *, team_id: str, channel_id: str, user_id: str, definition: ChecklistDef,
              idp: str | None) -> Run:
        """Post the parent in the channel and the steps in its thread; the run is saved first."""
        now = self.deps.clock()
        run = start_run(definition, idp, run_id=secrets.token_hex(8), started_by=user_id, now=now)
        create_run(self.db, run_id=run.id, team_id=team_id, channel_id=channel_id, definition_id=run.definition_id,
                   idp=idp, title=run.title,
                   groups=[{"key": g.key, "title": g.title, "intro": g.intro} for g in run.groups],
                   started_by=user_id, follow_up_minutes=run.follow_up_minutes,
                   items=[NewItem(i.id, i.group, i.text, i.detail, i.check) for i in run.items], now=now)
        try:
            parent = client.chat_postMessage(channel=channel_id, text=views.parent_text(run),
                                             blocks=views.render_parent(run))
        except SlackApiError as error:
            discard_run(self.db, run.id)
            if error.response.get("error") in _NOT_THERE:
                raise _invite_error() from error
            raise
        channel, parent_ts = str(parent.get("channel") or channel_id), str(parent["ts"])
        attach_messages(self.db, run.id, parent_ts=parent_ts, group_ts={}, channel_id=channel)
        posted: dict[int, str] = {}
        try:
            for group in run.groups:
                reply = client.chat_postMessage(channel=channel, thread_ts=parent_ts,
                                                text=views.group_text(run, group.index),
                                                blocks=views.render_group(run, group.index))
                posted[group.index] = str(reply["ts"])
        finally:
            attach_messages(self.db, run.id, parent_ts=parent_ts, group_ts=posted)
        log.info("checklist %s started: %s idp=%s groups=%d items=%d", run.id, run.definition_id, idp,
                 len(run.groups), len(run.items))
        return run

    def start_from_button(self, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        action = body["actions"][0]
        try:
            value = json.loads(str(action.get("value") or "{}"))
            checklist_id, idp_word = str(value.get("checklist", "")), value.get("idp")
        except (ValueError, AttributeError):
            raise UserError("That button is out of date.", "Start the checklist with `/sso checklist`.") from None
        definition = self.library.get(checklist_id)
        if definition is None:
            raise UserError("That checklist no longer exists.", "`/sso checklist` lists the ones there are.")
        idp = parse_idp(str(idp_word)) if idp_word else None
        if idp is not None and idp not in definition.idps:
            idp = None
        if not definition.accepts_idp(idp):
            respond(blocks=views.render_idp_picker(definition), text=f"{definition.title}: which IdP?",
                    response_type="ephemeral", replace_original=False)
            return
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if not channel:
            raise UserError("I can't tell which channel to start it in.", "Run `/sso checklist` in the channel.")
        user = str((body.get("user") or {}).get("id", ""))
        run = self.start(client, team_id=_team(body), channel_id=str(channel), user_id=user, definition=definition,
                         idp=idp)
        if str(action.get("block_id", "")).startswith(views.PICK_BLOCK):
            respond(text=f"Started *{run.display_title}* in this channel.", replace_original=True)
        self.deps.audit.record(team_id=_team(body), user_id=user, action="checklist.start", input_kinds=("checklist",),
                               outcome="started", detail=f"{definition.id}:{idp or '-'}")

    # -- ticking -----------------------------------------------------------------
    def tick(self, body: dict[str, Any], client: WebClient) -> None:
        """A checkbox click, after its ack: save the change, then redraw the clicked message and the parent.

        Saving and drawing take one of the process's few busy slots (``_TICK_SLOTS``): a burst of
        clicks then queues here, asleep, instead of competing for the interpreter with the acks of
        other requests, which must reach Slack within 3 seconds.
        """
        action = body["actions"][0]
        parsed = views.parse_tick_block_id(str(action.get("block_id", "")))
        if parsed is None:
            log.warning("checkbox action with an unreadable block id")
            return
        run_id, group, chunk_index, mask = parsed
        team, user = _team(body), str((body.get("user") or {}).get("id", ""))
        container_ts = (body.get("container") or {}).get("message_ts")
        selected = {str(o.get("value")) for o in action.get("selected_options") or []}
        with self._busy:
            items = group_items(self.db, run_id, team_id=team, group_index=group)
            if items is None:
                raise UserError("That checklist is no longer available.", "Start a new one with `/sso checklist`.")
            chunk = items[chunk_index * CHUNK:(chunk_index + 1) * CHUNK]
            chunk_ids = [item_id for item_id, _ in chunk]
            shown = decode_mask(chunk_ids, mask)
            if shown is None:  # not drawn by this build: trust only the saved state
                shown = {item_id for item_id, done in chunk if done}
            to_tick, to_untick = selection_delta(chunk_ids, shown, selected)
            try:
                result = apply_ticks(self.db, run_id, tick=to_tick, untick=to_untick, user_id=user,
                                     now=self.deps.clock())
            except RunClosed:
                self._redraw(client, run_id, [group], False, container_ts, None)  # put the boxes back as they were
                raise UserError("This checklist is closed.", "Start a new one with `/sso checklist`.") from None
            run = self._redraw(client, run_id, [group], False, container_ts, result.record)
        if run is None:
            return
        if result.completed_now:
            self._post_summary(client, run_id)
        self.deps.audit.record(team_id=team, user_id=user, action="checklist.tick", input_kinds=("checklist",),
                               outcome="ok", detail=f"{run.definition_id}:+{len(result.ticked)}-{len(result.unticked)}")

    def redraw(self, client: WebClient, run_id: str, *, groups: Iterable[int] = (),
               all_groups: bool = False) -> Run | None:
        """Draw the parent (and the given groups, or all) from the database."""
        with self._busy:
            return self._redraw(client, run_id, list(groups), all_groups, None, None)

    def _redraw(self, client: WebClient, run_id: str, groups: list[int], all_groups: bool, fallback_ts: str | None,
                first: RunRecord | None) -> Run | None:
        """Draw from the database, and again while the run's version moved under the drawing, so the last
        update Slack gets shows every change. ``first`` is a state already read after the change (a
        tick's own transaction), saving a read. The caller holds a busy slot."""
        run: Run | None = None
        for _ in range(_MAX_REDRAWS):
            record, first = first or load_run(self.db, run_id, with_checks=False), None
            if record is None:
                return None
            run = to_run(record)
            for channel, ts, text, blocks in self._drawn(record, run, groups, all_groups, fallback_ts):
                self._update(client, channel, ts, text, blocks, in_slot=True)
            if run_version(self.db, run_id) == record.run.version:
                break
        return run

    def _drawn(self, record: RunRecord, run: Run, groups: list[int], all_groups: bool,
               fallback_ts: str | None) -> list[tuple[str, str, str, list]]:
        """The chat.update calls that show ``run``: the clicked message(s) first, then the parent's progress."""
        channel, out = record.run.channel_id, []
        for group in range(len(run.groups)) if all_groups else groups:
            ts = next((i.message_ts for i in record.items if i.group_index == group and i.message_ts), None)
            ts = ts or (fallback_ts if not all_groups else None)
            if ts and 0 <= group < len(run.groups):
                out.append((channel, ts, views.group_text(run, group), views.render_group(run, group)))
        if record.run.parent_ts:
            out.append((channel, record.run.parent_ts, views.parent_text(run), views.render_parent(run)))
        return out

    def _update(self, client: WebClient, channel: str, ts: str, text: str, blocks: list, *,
                in_slot: bool = False) -> None:
        """chat.update; on a 429, wait as Slack asks (up to 30 s, giving the busy slot back meanwhile) and try
        once more. Other failures (a deleted message) are logged: the next change draws the message again."""
        for attempt in (1, 2):
            try:
                client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
                return
            except SlackApiError as error:
                wait = _retry_after(error)
                if wait is None or attempt == 2:
                    log.warning("chat.update of a checklist message failed: %s", error.response.get("error"))
                    return
                if in_slot:
                    self._busy.release()
                try:
                    time.sleep(wait)
                finally:
                    if in_slot:
                        self._busy.acquire()

    def _post_summary(self, client: WebClient, run_id: str) -> None:
        record = load_run(self.db, run_id)  # with the checks run in the thread, for the count
        if record is None:
            return
        run = to_run(record)
        texts = {i.id: i.text for i in run.items}
        self._reply(client, record, views.summary_text(run), views.render_summary(run, summarise(run), texts))

    def _reply(self, client: WebClient, record: RunRecord, text: str, blocks: list) -> None:
        """Post in the run's thread."""
        if not record.run.parent_ts:
            return
        try:
            client.chat_postMessage(channel=record.run.channel_id, thread_ts=record.run.parent_ts, text=text,
                                    blocks=blocks)
        except SlackApiError as error:
            if error.response.get("error") in _NOT_THERE:
                raise _invite_error() from error
            raise

    # -- checks ------------------------------------------------------------------
    def open_check(self, body: dict[str, Any], client: WebClient) -> None:
        run_id, _, item_id = str(body["actions"][0].get("value", "")).partition("|")
        record = load_run(self.db, run_id, team_id=_team(body))
        run = to_run(record) if record else None
        item = run.item(item_id) if run else None
        if run is None or item is None or not item.check:
            view = error_modal("That step is no longer available.")
        elif run.is_closed:
            view = error_modal("This checklist is closed.")
        else:
            view = views.check_modal(run, item)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def check_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        text = (((view.get("state") or {}).get("values", {}).get(ChecklistIds.CHECK_INPUT, {})
                 .get(INPUT_ACTION, {}) or {}).get("value") or "")
        if not text.strip():
            ack(response_action="errors", errors={ChecklistIds.CHECK_INPUT: "Paste what to check."})
            return
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        record = load_run(self.db, str(meta.get("run", "")), team_id=_team(body))
        run = to_run(record) if record else None
        item = run.item(str(meta.get("item", ""))) if run else None
        if record is None or run is None or item is None or not item.check:
            ack(response_action="update", view=error_modal("That checklist is no longer available."))
            return
        kind = item.check
        if kind != "token" and (find_jwts(text) or find_bearer_tokens(text)):
            ack(response_action="errors", errors={ChecklistIds.CHECK_INPUT: (
                "That looks like a token. Nothing was posted; check tokens with the token check or `/sso token`.")})
            return
        user = str((body.get("user") or {}).get("id", ""))
        now = self.deps.clock()
        report = self._run_check(kind, text)
        del text  # nothing below needs what was pasted
        if kind == "token":
            ack(response_action="update", view=result_modal("Token check", render_report(report)))
            self._reply(client, record, "Token checked privately",
                        views.render_token_note(item, user, _plain_verdict(report)))
        else:
            ack()
            blocks = [views.render_check_context(item, user, kind),
                      *render_report(report, explainable=explainable_codes(report), max_blocks=49)]
            self._reply(client, record, fallback_text(report), blocks)
        record_check(self.db, record.run.id, item_id=item.id, user_id=user, check_kind=kind,
                     findings=[{"code": f.code, "severity": f.severity.value, "title": f.title}
                               for f in report.findings], now=now)
        self.deps.audit.record(team_id=_team(body), user_id=user, action="checklist.check", input_kinds=report.inputs,
                               outcome=report.worst.value,
                               detail=",".join(dict.fromkeys(f.code for f in report.findings)))

    def _run_check(self, kind: str, text: str) -> Report:
        if kind == "scim_url":
            return check_scim_url(text.strip(), environments=self.settings.environments)
        if kind == "redirect":
            return check_redirect_text(text)
        if kind == "domains":
            emails = find_emails(text)
            listed = text
            for email in emails:
                listed = listed.replace(email, " ")
            return check_domains(listed, email=emails[0] if emails else None)
        if kind == "token":
            return check_token(text.strip(), now=self.deps.clock())
        raise ValueError(f"unknown check {kind!r}")

    # -- export, close, follow-up --------------------------------------------------
    def export(self, body: dict[str, Any], client: WebClient) -> None:
        record = self._record_from_button(body)
        run = to_run(record)
        user = str((body.get("user") or {}).get("id", ""))
        text = export_text(run, self.deps.clock())
        self._reply(client, record, f"Export of {run.display_title}", views.render_export(text))
        record_event(self.db, run.id, kind="export", user_id=user, now=self.deps.clock())

    def close(self, body: dict[str, Any], client: WebClient, resolution: str = "closed") -> bool:
        record = self._record_from_button(body)
        user = str((body.get("user") or {}).get("id", ""))
        closed = close_run(self.db, record.run.id, user_id=user, resolution=resolution, now=self.deps.clock())
        self.redraw(client, record.run.id, all_groups=True)
        return closed

    def resumed(self, body: dict[str, Any], client: WebClient, yes: bool) -> None:
        record = self._record_from_button(body)
        user = str((body.get("user") or {}).get("id", ""))
        container = body.get("container") or {}
        if yes:
            close_run(self.db, record.run.id, user_id=user, resolution="resumed", now=self.deps.clock())
            self.redraw(client, record.run.id, all_groups=True)
        else:
            record_event(self.db, record.run.id, kind="not-resumed", user_id=user, now=self.deps.clock(), touch=True)
        if container.get("message_ts"):
            self._update(client, record.run.channel_id, str(container["message_ts"]),
                         "Provisioning resumed" if yes else "Provisioning not resumed",
                         views.render_follow_up_answer(user, yes))
        if not yes:
            self._reply(client, record, "Next steps", views.render_next_steps(to_run(record)))

    def _record_from_button(self, body: dict[str, Any]) -> RunRecord:
        run_id = str(body["actions"][0].get("value", ""))
        record = load_run(self.db, run_id, team_id=_team(body))
        if record is None:
            raise UserError("That checklist is no longer available.", "Start a new one with `/sso checklist`.")
        return record

    # -- scheduled ----------------------------------------------------------------
    def scheduled(self, client: WebClient, now) -> dict[str, int]:
        """The scheduler's job: 401 follow-ups that are due, then nudges for quiet checklists."""
        asked = nudged = 0
        for record in list_follow_ups_due(self.db, now):
            run = to_run(record)
            if follow_up_due(run, now) and self._notice(client, record, NOTICE_FOLLOW_UP, now,
                                                        views.follow_up_text(), views.render_follow_up(run)):
                asked += 1
        for record in list_quiet_runs(self.db, now, idle=NUDGE_AFTER):
            run = to_run(record)
            if nudge_due(run, now) and self._notice(client, record, NOTICE_NUDGE, now, views.nudge_text(run),
                                                    views.render_nudge(run)):
                nudged += 1
        return {"follow_ups": asked, "nudges": nudged}

    def _notice(self, client: WebClient, record: RunRecord, key: str, now, text: str, blocks: list) -> bool:
        """Post a once-per-run message: claim it in the ledger first, give the claim back if Slack failed."""
        if not claim_notice(self.db, record.run.id, key, now=now):
            return False
        try:
            client.chat_postMessage(channel=record.run.channel_id, thread_ts=record.run.parent_ts, text=text,
                                    blocks=blocks)
        except SlackApiError as error:
            reason = error.response.get("error")
            if reason not in _HOPELESS:
                release_notice(self.db, record.run.id, key)
            log.warning("checklist %s: could not post %s (%s)", record.run.id, key, reason)
            return False
        except Exception:
            release_notice(self.db, record.run.id, key)
            raise
        return True

    # -- Home ---------------------------------------------------------------------
    def home_section(self, team_id: str, _user_id: str) -> list:
        records = list_open_runs(self.db, team_id, limit=_HOME_RUNS)
        more = max(0, count_open_runs(self.db, team_id) - len(records))
        return views.render_home_section([(to_run(r), r.run.channel_id) for r in records], more=more)


def _retry_after(error: SlackApiError) -> float | None:
    """Seconds to wait before retrying a rate-limited call (at most 30), or None if it was not a 429."""
    response = error.response
    if getattr(response, "status_code", None) != 429:
        return None
    headers = {str(k).lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    value = headers.get("retry-after", "1")
    try:
        return max(0.0, min(30.0, float(value[0] if isinstance(value, list) else value)))
    except (TypeError, ValueError):
        return 1.0


def _plain_verdict(report: Report) -> str:
    """The verdict without its emoji, for the one line a token check leaves in the thread."""
    text = verdict(report)
    return text.split(" ", 1)[1] if text.startswith(":") and " " in text else text


def _team(body: dict[str, Any]) -> str:
    team = body.get("team") or {}
    return str(team.get("id") if isinstance(team, dict) else team or body.get("team_id", ""))


def register(app: App, settings: Settings, deps: Deps, router: Router, sections: HomeSections) -> None:
    feature = Checklists(settings, deps)
    router.add(Subcommand("checklist", USAGE, SUMMARY, run=feature.command, aliases=("checklists", "cl")))
    sections.add("checklists", feature.home_section)
    deps.scheduler.add("checklists", lambda now: feature.scheduled(app.client, now))

    @app.action(ActionId.START_CHECKLIST)
    def on_start(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        feature.start_from_button(body, client, respond)

    @app.action(ChecklistIds.TICK)
    def on_tick(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.tick(body, client)

    @app.action(views.RUN_CHECK_PATTERN)
    def on_run_check(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.open_check(body, client)

    @app.view(ChecklistIds.CHECK_MODAL)
    def on_check_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        feature.check_submitted(ack, body, view, client)

    @app.action(ChecklistIds.EXPORT)
    def on_export(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.export(body, client)

    @app.action(ChecklistIds.CLOSE)
    def on_close(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.close(body, client)

    @app.action(ChecklistIds.RESUMED_YES)
    def on_resumed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.resumed(body, client, yes=True)

    @app.action(ChecklistIds.RESUMED_NO)
    def on_not_resumed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.resumed(body, client, yes=False)
