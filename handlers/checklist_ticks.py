"""Ticking a step, and drawing a run's messages from the database.

Every tick is saved per item (``storage.checklists.apply_ticks``) before the messages are redrawn
from the database; the redraw repeats while the run's version moved under it, so the last
``chat.update`` Slack receives always shows every tick, however many people click at once and
however many replicas serve them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import CHUNK, Run, decode_mask, selection_delta, summarise
from handlers.checklist_shared import log, reply, team_of, to_run, user_of
from handlers.deps import Deps
from handlers.errors import UserError
from handlers.views import checklists as views
from storage.checklists import RunClosed, RunRecord, TickResult, apply_ticks, group_items, load_run, run_version

# Redraws per change at most; each repeat means another tick landed while we drew.
_MAX_REDRAWS = 5
# Clicks saved and drawn at once per process (ChecklistTicks.tick). More at once would only queue for the
# interpreter lock and slow the acks of other requests; two still keep a process well above Slack's
# own rate limit for chat.update.
_TICK_SLOTS = 2


@dataclass(frozen=True)
class _Click:
    """One checkbox action: which boxes of which message, as drawn (``mask``) and as now selected."""

    run_id: str
    group: int
    chunk_index: int
    mask: str
    team: str
    user: str
    container_ts: str | None
    selected: set[str]


def _click(body: dict[str, Any]) -> _Click | None:
    """The click in a checkbox action's payload; None when its block id is not one we drew."""
    action = body["actions"][0]
    parsed = views.parse_tick_block_id(str(action.get("block_id", "")))
    if parsed is None:
        return None
    run_id, group, chunk_index, mask = parsed
    return _Click(run_id=run_id, group=group, chunk_index=chunk_index, mask=mask, team=team_of(body),
                  user=user_of(body), container_ts=(body.get("container") or {}).get("message_ts"),
                  selected={str(o.get("value")) for o in action.get("selected_options") or []})


class ChecklistTicks:
    """Ticks and redraws, sharing the process's few busy slots."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._busy = threading.BoundedSemaphore(_TICK_SLOTS)

    @property
    def db(self):
        return self.deps.db

    def tick(self, body: dict[str, Any], client: WebClient) -> None:
        """A checkbox click, after its ack: save the change, then redraw the clicked message and the parent.

        Saving and drawing take one of the process's few busy slots (``_TICK_SLOTS``): a burst of
        clicks then queues here, asleep, instead of competing for the interpreter with the acks of
        other requests, which must reach Slack within 3 seconds.
        """
        click = _click(body)
        if click is None:
            log.warning("checkbox action with an unreadable block id")
            return
        with self._busy:
            result = self._save(client, click)
            run = self._redraw(client, click.run_id, [click.group], False, click.container_ts, result.record)
        if run is None:
            return
        if result.completed_now:
            self._post_summary(client, click.run_id)
        self.deps.audit.record(team_id=click.team, user_id=click.user, action="checklist.tick",
                               input_kinds=("checklist",), outcome="ok",
                               detail=f"{run.definition_id}:+{len(result.ticked)}-{len(result.unticked)}")

    def _save(self, client: WebClient, click: _Click) -> TickResult:
        """Tick and untick what the click changed against what the user saw. The caller holds a busy slot."""
        items = group_items(self.db, click.run_id, team_id=click.team, group_index=click.group)
        if items is None:
            raise UserError("That checklist is no longer available.", "Start a new one with `/sso checklist`.")
        chunk = items[click.chunk_index * CHUNK:(click.chunk_index + 1) * CHUNK]
        chunk_ids = [item_id for item_id, _ in chunk]
        shown = decode_mask(chunk_ids, click.mask)
        if shown is None:  # not drawn by this build: trust only the saved state
            shown = {item_id for item_id, done in chunk if done}
        to_tick, to_untick = selection_delta(chunk_ids, shown, click.selected)
        try:
            return apply_ticks(self.db, click.run_id, tick=to_tick, untick=to_untick, user_id=click.user,
                               now=self.deps.clock())
        except RunClosed:
            # Put the boxes back as they were.
            self._redraw(client, click.run_id, [click.group], False, click.container_ts, None)
            raise UserError("This checklist is closed.", "Start a new one with `/sso checklist`.") from None

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
            for channel, ts, text, blocks in _drawn(record, run, groups, all_groups, fallback_ts):
                self.update(client, channel, ts, text, blocks, in_slot=True)
            if run_version(self.db, run_id) == record.run.version:
                break
        return run

    def update(self, client: WebClient, channel: str, ts: str, text: str, blocks: list, *,
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
        reply(client, record, views.summary_text(run), views.render_summary(run, summarise(run), texts))


def _drawn(record: RunRecord, run: Run, groups: list[int], all_groups: bool,
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
