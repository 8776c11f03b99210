"""Ticking a step, and drawing a run's messages from the database.

Every tick is saved per item (``services.checklists.tick``) before the messages are redrawn from
the database; the redraw repeats while the run's version moved under it, so the last
``chat.update`` Slack receives always shows every tick, however many people click at once and
however many replicas serve them.

A click's listener only acknowledges and queues the click. The saving and drawing run as one job on
``deps.jobs`` (a worker process in production), so they never hold the interpreter lock that the
next request's ack needs. Clicks that arrive while a job is running wait in ``deps.jobs``' coalescing
queue (``runtime.jobs.CoalescingQueue``) and go out together in the next job, which saves each of them and then redraws each run they touched once:
a burst of clicks on one run costs one pair of ``chat.update`` calls showing all of them.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Any, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import Run
from handlers.checklists.common import log
from handlers.checklists.tick_job import (MAX_RATE_LIMIT_WAIT, Click, ClickOutcome, Redraw, TickJob, TickJobResult,
                                          click_of, redraw_run, run_tick_job)
from handlers.shared.deps import Deps
from handlers.shared.errors import UserError, report_failure
from handlers.shared.slack_api import rate_limit_wait

# Redraws run at once by the main process (closing, follow-up answers): see ``runtime.jobs.Slots``.
_REDRAW_SLOTS = 2



class ChecklistTicks:
    """Ticks (queued to ``deps.jobs``) and the main process's redraws (sharing its few busy slots)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._busy = deps.jobs.slots(_REDRAW_SLOTS)
        self._slack: tuple[str, str] = ("", "")
        self._queue = deps.jobs.coalescing(run_tick_job, self._job_of, self._done)

    @property
    def db(self):
        return self.deps.db

    # -- ticking: queued (``deps.jobs``' coalescing queue), then saved and drawn by a tick job ---------

    def tick(self, body: dict[str, Any], client: WebClient) -> None:
        """A checkbox click, after its ack: queue it for a tick job and return at once."""
        click = click_of(body)
        if click is None:
            log.warning("checkbox action with an unreadable block id")
            return
        self._slack = (client.base_url, client.token or "")
        self._queue.put(click)

    def _job_of(self, queued: list[Click | Redraw]) -> TickJob:
        """What queued while the last tick job ran, as one job: every click saved, then every redraw."""
        base_url, token = self._slack
        return TickJob(clicks=tuple(q for q in queued if isinstance(q, Click)),
                       redraws=tuple(q for q in queued if isinstance(q, Redraw)), now=self.deps.clock(),
                       base_url=base_url, token=token)

    def _done(self, job: TickJob, result: TickJobResult | None, error: BaseException | None) -> None:
        """In this process, when a tick job ends: audit, tell users about errors, schedule retries."""
        if error is not None or result is None:
            for click in job.clicks:
                report_failure(error or RuntimeError("tick job returned nothing"), _respond(click),
                               request="block_actions", team=click.team, user=click.user)
            return
        for click, outcome in zip(job.clicks, result.outcomes):
            self._settle(click, outcome)
        for redraw, wait in result.retries:
            self.deps.jobs.submit_later(wait, lambda r=redraw: self._queue.put(r))

    def _settle(self, click: Click, outcome: ClickOutcome) -> None:
        if outcome.error is not None:
            report_failure(UserError(*outcome.error), _respond(click), request="block_actions", team=click.team,
                           user=click.user)
            return
        if outcome.unexpected:
            report_failure(RuntimeError("a checklist tick failed"), _respond(click), request="block_actions",
                           team=click.team, user=click.user)
            return
        if outcome.definition_id is None:
            return
        self.deps.audit.record(team_id=click.team, user_id=click.user, action="checklist.tick",
                               input_kinds=("checklist",), outcome="ok",
                               detail=f"{outcome.definition_id}:+{outcome.ticked}-{outcome.unticked}")

    # -- redrawing in this process (closing, follow-up answers) ----------------------------

    def redraw(self, client: WebClient, run_id: str, *, groups: Iterable[int] = (),
               all_groups: bool = False) -> Run | None:
        """Draw the parent (and the given groups, or all) from the database."""
        with self._busy:
            return redraw_run(self.db, lambda *a: self.update(client, *a, in_slot=True), run_id, list(groups),
                              all_groups, {}, None)

    def update(self, client: WebClient, channel: str, ts: str, text: str, blocks: list, *,
               in_slot: bool = False) -> None:
        """chat.update; on a 429, wait as Slack asks (up to 30 s, giving the busy slot back meanwhile) and try
        once more. Other failures (a deleted message) are logged: the next change draws the message again."""
        for attempt in (1, 2):
            try:
                client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
                return
            except SlackApiError as error:
                wait = rate_limit_wait(error, cap=MAX_RATE_LIMIT_WAIT)
                if wait is None or attempt == 2:
                    log.warning("chat.update of a checklist message failed: %s", error.response.get("error"))
                    return
                with self._busy.given_back() if in_slot else nullcontext():
                    time.sleep(wait)


def _respond(click: Click):
    from slack_bolt.context.respond import Respond

    return Respond(response_url=click.response_url) if click.response_url else None


