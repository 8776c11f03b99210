"""Ticking a step, and drawing a run's messages from the database.

Every tick is saved per item (``storage.checklists.apply_ticks``) before the messages are redrawn
from the database; the redraw repeats while the run's version moved under it, so the last
``chat.update`` Slack receives always shows every tick, however many people click at once and
however many replicas serve them.

A click's listener only acknowledges and queues the click. The saving and drawing run as one job on
``deps.offload`` (a worker process in production), so they never hold the interpreter lock that the
next request's ack needs. Clicks that arrive while a job is running wait in a queue and go out
together in the next job, which saves each of them and then redraws each run they touched once:
a burst of clicks on one run costs one pair of ``chat.update`` calls showing all of them.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import CHUNK, Run, decode_mask, selection_delta, summarise
from handlers.checklists.common import log, reply, team_of, to_run, user_of
from handlers.shared.deps import Deps
from handlers.shared.errors import UserError, report_failure
from runtime.offload import worker_db
from handlers.checklists import views
from storage.checklists import (
    RunClosed,
    RunRecord,
    TickResult,
    apply_ticks,
    group_items,
    load_run,
    run_version,
)

# Redraws per change at most; each repeat means another tick landed while we drew.
_MAX_REDRAWS = 5
# Redraws run at once by the main process (closing, follow-up answers). More at once would only queue
# for the interpreter lock and slow the acks of other requests.
_TICK_SLOTS = 2
# Runs redrawn at once inside a tick job: the chat.update calls mostly wait on the network. Each call opens
# a connection; more at once than a small server's listen backlog (5 in Python's socketserver) costs a
# one-second SYN retry.
_DRAW_THREADS = 4


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
    selected: frozenset[str]
    response_url: str | None = None


def _click(body: dict[str, Any]) -> _Click | None:
    """The click in a checkbox action's payload; None when its block id is not one we drew."""
    action = body["actions"][0]
    parsed = views.parse_tick_block_id(str(action.get("block_id", "")))
    if parsed is None:
        return None
    run_id, group, chunk_index, mask = parsed
    return _Click(run_id=run_id, group=group, chunk_index=chunk_index, mask=mask, team=team_of(body),
                  user=user_of(body), container_ts=(body.get("container") or {}).get("message_ts"),
                  selected=frozenset(str(o.get("value")) for o in action.get("selected_options") or []),
                  response_url=body.get("response_url"))


@dataclass(frozen=True)
class _Redraw:
    """Draw a run again (after a 429 made Slack refuse a drawing); a second refusal is only logged."""

    run_id: str
    groups: tuple[int, ...]
    fallback: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class TickJob:
    """What one tick job does, as plain data a worker process can take: the queued clicks, then the
    queued redraws, with how to reach Slack. The token is never logged (nor shown in a repr)."""

    clicks: tuple[_Click, ...]
    redraws: tuple[_Redraw, ...]
    now: datetime
    base_url: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class ClickOutcome:
    """One click's end, for the audit row and the user: drawn and saved, or an error to show."""

    definition_id: str | None = None  # None: the run vanished while drawing; nothing to audit
    ticked: int = 0
    unticked: int = 0
    error: tuple[str, str] | None = None  # a UserError's message and hint
    unexpected: bool = False  # failed on our side (logged in the job)


@dataclass(frozen=True)
class TickJobResult:
    outcomes: tuple[ClickOutcome, ...]
    retries: tuple[tuple[_Redraw, float], ...]  # runs Slack rate-limited, with the wait it asked for


class _RateLimited(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait


class ChecklistTicks:
    """Ticks (queued to ``deps.offload``) and the main process's redraws (sharing its few busy slots)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._busy = threading.BoundedSemaphore(_TICK_SLOTS)
        self._lock = threading.Lock()
        self._clicks: list[_Click] = []
        self._redraws: list[_Redraw] = []
        self._in_flight = 0
        self._slack: tuple[str, str] | None = None

    @property
    def db(self):
        return self.deps.db

    # -- ticking: queued, saved and drawn by a tick job -------------------------------------

    def tick(self, body: dict[str, Any], client: WebClient) -> None:
        """A checkbox click, after its ack: queue it for a tick job and return at once."""
        click = _click(body)
        if click is None:
            log.warning("checkbox action with an unreadable block id")
            return
        self._queue(client, click=click)

    def _queue(self, client: WebClient | None, *, click: _Click | None = None, redraw: _Redraw | None = None) -> None:
        with self._lock:
            if client is not None:
                self._slack = (client.base_url, client.token or "")
            if click is not None:
                self._clicks.append(click)
            if redraw is not None:
                self._redraws.append(redraw)
            if self._in_flight >= max(1, self.deps.offload.workers):
                return  # the running job's end sends what queued meanwhile
            self._in_flight += 1
            job = self._take()
        self._submit(job)

    def _take(self) -> TickJob:
        """The queued work as one job (the caller holds the lock and has counted it in flight)."""
        base_url, token = self._slack or ("", "")
        job = TickJob(clicks=tuple(self._clicks), redraws=tuple(self._redraws), now=self.deps.clock(),
                      base_url=base_url, token=token)
        self._clicks, self._redraws = [], []
        return job

    def _submit(self, job: TickJob) -> None:
        self.deps.offload.submit(run_tick_job, job, lambda result, error: self._done(job, result, error))

    def _done(self, job: TickJob, result: TickJobResult | None, error: BaseException | None) -> None:
        """In this process, when a tick job ends: audit, tell users about errors, schedule retries, and
        send what queued while the job ran."""
        try:
            if error is not None or result is None:
                for click in job.clicks:
                    report_failure(error or RuntimeError("tick job returned nothing"), _respond(click),
                                   request="block_actions", team=click.team, user=click.user)
            else:
                for click, outcome in zip(job.clicks, result.outcomes):
                    self._settle(click, outcome)
                for redraw, wait in result.retries:
                    self.deps.offload.submit_later(wait, lambda r=redraw: self._queue(None, redraw=r))
        finally:
            with self._lock:
                if self._clicks or self._redraws:
                    following = self._take()
                else:
                    following = None
                    self._in_flight -= 1
            if following is not None:
                self._submit(following)

    def _settle(self, click: _Click, outcome: ClickOutcome) -> None:
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
            return _redraw(self.db, lambda *a: self.update(client, *a, in_slot=True), run_id, list(groups),
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


def _respond(click: _Click):
    from slack_bolt.context.respond import Respond

    return Respond(response_url=click.response_url) if click.response_url else None


# --------------------------------------------------------------------------- the tick job (worker side)

_clients: dict[tuple[str, str], WebClient] = {}
_draw_pool: ThreadPoolExecutor | None = None
_job_lock = threading.Lock()


def _client_for(job: TickJob) -> WebClient:
    key = (job.base_url, job.token)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = WebClient(token=job.token, base_url=job.base_url, timeout=10)
    return client


def _pool() -> ThreadPoolExecutor:
    global _draw_pool
    if _draw_pool is None:
        _draw_pool = ThreadPoolExecutor(max_workers=_DRAW_THREADS, thread_name_prefix="checklist-draw")
    return _draw_pool


def run_tick_job(job: TickJob) -> TickJobResult:
    """Save every queued click (one transaction each), then draw every run they touched once, and post
    the summary of each run a click completed. Runs in a worker process (or inline)."""
    with _job_lock:  # inline, several listener threads may run jobs: keep each job's drawing its own
        return _run_tick_job(job)


def _run_tick_job(job: TickJob) -> TickJobResult:
    db, client = worker_db(), _client_for(job)
    saved: list[TickResult | tuple[str, str] | None] = []
    draws: dict[str, dict[int, str | None]] = {}  # run id -> group -> the clicked message's ts
    for click in job.clicks:
        try:
            saved.append(_save(db, click, job.now))
        except _Refused as refused:
            saved.append(refused.args[0])
            continue  # unknown, or another workspace's: nothing of ours to draw
        except RunClosed:  # drawn below all the same, putting the boxes back as they were
            saved.append(("This checklist is closed.", "Start a new one with `/sso checklist`."))
        groups = draws.setdefault(click.run_id, {})
        if groups.get(click.group) is None:
            groups[click.group] = click.container_ts
    for redraw in job.redraws:
        groups = draws.setdefault(redraw.run_id, {})
        fallback = dict(redraw.fallback)
        for group in redraw.groups:
            groups[group] = groups.get(group) or fallback.get(group)
    first = {click.run_id: result.record for click, result in zip(job.clicks, saved)
             if isinstance(result, TickResult) and result.record is not None}
    retried = {redraw.run_id for redraw in job.redraws}

    def draw(run_id: str) -> tuple[Run | None, float | None]:
        groups = draws[run_id]
        refuse_twice = run_id in retried
        try:
            return _redraw(db, lambda *a: _update(client, *a, give_up=refuse_twice), run_id, list(groups), False,
                           groups, None if run_id in retried else first.get(run_id)), None
        except _RateLimited as limited:
            return None, limited.wait

    # A run saved by several clicks drew its record from the last of them; drawing reads it again anyway.
    drawn = dict(zip(draws, _pool().map(draw, list(draws)) if len(draws) > 1 else map(draw, list(draws))))
    retries = tuple((_Redraw(run_id, tuple(draws[run_id]), tuple((g, ts) for g, ts in draws[run_id].items() if ts)),
                     wait) for run_id, (_, wait) in drawn.items() if wait is not None)
    outcomes = []
    for click, result in zip(job.clicks, saved):
        if not isinstance(result, TickResult):
            outcomes.append(ClickOutcome(error=result))
            continue
        run, wait = drawn[click.run_id]
        if run is None and wait is None:
            outcomes.append(ClickOutcome())
            continue
        if result.completed_now:
            try:
                _post_summary(db, client, click.run_id)
            except UserError as error:
                outcomes.append(ClickOutcome(error=(error.message, error.hint)))
                continue
            except (SlackApiError, OSError):  # Slack refused, or could not be reached
                log.exception("posting a checklist's summary failed")
                outcomes.append(ClickOutcome(unexpected=True))
                continue
        definition_id = run.definition_id if run is not None else result.record.run.definition_id
        outcomes.append(ClickOutcome(definition_id=definition_id, ticked=len(result.ticked),
                                     unticked=len(result.unticked)))
    return TickJobResult(outcomes=tuple(outcomes), retries=retries)


class _Refused(Exception):
    """A click on a run that is gone: carries the UserError's message and hint."""


def _save(db, click: _Click, now: datetime) -> TickResult:
    """Tick and untick what the click changed against what the user saw."""
    items = group_items(db, click.run_id, team_id=click.team, group_index=click.group)
    if items is None:
        raise _Refused(("That checklist is no longer available.", "Start a new one with `/sso checklist`."))
    chunk = items[click.chunk_index * CHUNK:(click.chunk_index + 1) * CHUNK]
    chunk_ids = [item_id for item_id, _ in chunk]
    shown = decode_mask(chunk_ids, click.mask)
    if shown is None:  # not drawn by this build: trust only the saved state
        shown = {item_id for item_id, done in chunk if done}
    to_tick, to_untick = selection_delta(chunk_ids, shown, set(click.selected))
    return apply_ticks(db, click.run_id, tick=to_tick, untick=to_untick, user_id=click.user, now=now)


def _update(client: WebClient, channel: str, ts: str, text: str, blocks: list, *, give_up: bool) -> None:
    """chat.update from a tick job: a 429 stops this run's drawing (``_RateLimited``), and the app process
    queues it again after the wait Slack asked for; once retried, a refusal is only logged."""
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        wait = _retry_after(error)
        if wait is None or give_up:
            log.warning("chat.update of a checklist message failed: %s", error.response.get("error"))
            return
        raise _RateLimited(wait) from None


def _post_summary(db, client: WebClient, run_id: str) -> None:
    record = load_run(db, run_id)  # with the checks run in the thread, for the count
    if record is None:
        return
    run = to_run(record)
    texts = {i.id: i.text for i in run.items}
    reply(client, record, views.summary_text(run), views.render_summary(run, summarise(run), texts))


def _redraw(db, update, run_id: str, groups: list[int], all_groups: bool, fallback: dict[int, str | None],
            first: RunRecord | None) -> Run | None:
    """Draw from the database, and again while the run's version moved under the drawing, so the last
    update Slack gets shows every change. ``first`` is a state already read after the change (a
    tick's own transaction), saving a read."""
    run: Run | None = None
    for _ in range(_MAX_REDRAWS):
        record, first = first or load_run(db, run_id, with_checks=False), None
        if record is None:
            return None
        run = to_run(record)
        for channel, ts, text, blocks in _drawn(record, run, groups, all_groups, fallback):
            update(channel, ts, text, blocks)
        if run_version(db, run_id) == record.run.version:
            break
    return run


def _drawn(record: RunRecord, run: Run, groups: list[int], all_groups: bool,
           fallback: dict[int, str | None]) -> list[tuple[str, str, str, list]]:
    """The chat.update calls that show ``run``: the clicked message(s) first, then the parent's progress."""
    channel, out = record.run.channel_id, []
    for group in range(len(run.groups)) if all_groups else groups:
        ts = next((i.message_ts for i in record.items if i.group_index == group and i.message_ts), None)
        ts = ts or (fallback.get(group) if not all_groups else None)
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
