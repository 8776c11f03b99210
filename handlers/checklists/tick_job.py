"""The tick job: save every queued click, then draw every run they touched once (worker side).

It runs in a worker process (``deps.jobs``) or inline, with plain data in and out; ``ticks`` (the
main-process side) queues the clicks and settles the outcomes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import Run, summarise
from handlers.checklists.common import log, reply, team_of, user_of
from handlers.shared.errors import UserError
from handlers.shared.slack_api import rate_limit_wait
import handlers.checklists.views as views
from services import checklists
from services.checklists import PostedRun, RunClosed, RunGone, Ticked

if TYPE_CHECKING:  # for annotations only: a worker process need not import the app's wiring
    from handlers.shared.deps import Worker


# A 429 while redrawing waits at most this long before the redraw is retried (Slack sends whole seconds).
MAX_RATE_LIMIT_WAIT = 30.0


@dataclass(frozen=True)
class Click:
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


def click_of(body: dict[str, Any]) -> Click | None:
    """The click in a checkbox action's payload; None when its block id is not one we drew."""
    action = body["actions"][0]
    parsed = views.parse_tick_block_id(str(action.get("block_id", "")))
    if parsed is None:
        return None
    run_id, group, chunk_index, mask = parsed
    return Click(run_id=run_id, group=group, chunk_index=chunk_index, mask=mask, team=team_of(body),
                  user=user_of(body), container_ts=(body.get("container") or {}).get("message_ts"),
                  selected=frozenset(str(o.get("value")) for o in action.get("selected_options") or []),
                  response_url=body.get("response_url"))


@dataclass(frozen=True)
class Redraw:
    """Draw a run again (after a 429 made Slack refuse a drawing); a second refusal is only logged."""

    run_id: str
    groups: tuple[int, ...]
    fallback: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class TickJob:
    """What one tick job does, as plain data a worker process can take: the queued clicks, then the
    queued redraws, with how to reach Slack. The token is never logged (nor shown in a repr)."""

    clicks: tuple[Click, ...]
    redraws: tuple[Redraw, ...]
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
    retries: tuple[tuple[Redraw, float], ...]  # runs Slack rate-limited, with the wait it asked for


class RateLimited(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait


# --------------------------------------------------------------------------- the tick job (worker side)

_clients: dict[tuple[str, str], WebClient] = {}
_job_lock = threading.Lock()


def _client_for(job: TickJob) -> WebClient:
    key = (job.base_url, job.token)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = WebClient(token=job.token, base_url=job.base_url, timeout=10)
    return client


def run_tick_job(worker: Worker, job: TickJob) -> TickJobResult:
    """Save every queued click (one transaction each), then draw every run they touched once (several runs
    at once, in the worker's threads: the chat.update calls mostly wait on the network), and post the
    summary of each run a click completed. Runs in a worker process (or inline)."""
    with _job_lock:  # inline, several listener threads may run jobs: keep each job's drawing its own
        return _run_tick_job(worker, job)


def _run_tick_job(worker: Worker, job: TickJob) -> TickJobResult:
    db = worker.db
    client = _client_for(job)
    saved: list[Ticked | tuple[str, str] | None] = []
    draws: dict[str, dict[int, str | None]] = {}  # run id -> group -> the clicked message's ts
    for click in job.clicks:
        try:
            saved.append(checklists.tick(db, run_id=click.run_id, team_id=click.team, group=click.group,
                                         chunk_index=click.chunk_index, mask=click.mask, selected=click.selected,
                                         user_id=click.user, now=job.now))
        except RunGone:
            saved.append(_GONE)
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
    first = {click.run_id: result.state for click, result in zip(job.clicks, saved)
             if isinstance(result, Ticked) and result.state is not None}
    retried = {redraw.run_id for redraw in job.redraws}

    def draw(run_id: str) -> tuple[Run | None, float | None]:
        groups = draws[run_id]
        refuse_twice = run_id in retried
        try:
            return redraw_run(db, lambda *a: _update(client, *a, give_up=refuse_twice), run_id, list(groups), False,
                           groups, None if run_id in retried else first.get(run_id)), None
        except RateLimited as limited:
            return None, limited.wait

    # A run saved by several clicks drew its record from the last of them; drawing reads it again anyway.
    drawn = dict(zip(draws, worker.map(draw, list(draws)) if len(draws) > 1 else map(draw, list(draws))))
    retries = tuple((Redraw(run_id, tuple(draws[run_id]), tuple((g, ts) for g, ts in draws[run_id].items() if ts)),
                     wait) for run_id, (_, wait) in drawn.items() if wait is not None)
    outcomes = []
    for click, result in zip(job.clicks, saved):
        if not isinstance(result, Ticked):
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
        definition_id = run.definition_id if run is not None else result.state.run.definition_id
        outcomes.append(ClickOutcome(definition_id=definition_id, ticked=len(result.ticked),
                                     unticked=len(result.unticked)))
    return TickJobResult(outcomes=tuple(outcomes), retries=retries)


# What a click on a run that is gone (or another workspace's) tells the user.
_GONE = ("That checklist is no longer available.", "Start a new one with `/sso checklist`.")


def _update(client: WebClient, channel: str, ts: str, text: str, blocks: list, *, give_up: bool) -> None:
    """chat.update from a tick job: a 429 stops this run's drawing (``RateLimited``), and the app process
    queues it again after the wait Slack asked for; once retried, a refusal is only logged."""
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        wait = rate_limit_wait(error, cap=MAX_RATE_LIMIT_WAIT)
        if wait is None or give_up:
            log.warning("chat.update of a checklist message failed: %s", error.response.get("error"))
            return
        raise RateLimited(wait) from None


def _post_summary(db, client: WebClient, run_id: str) -> None:
    state = checklists.load(db, run_id)  # with the checks run in the thread, for the count
    if state is None:
        return
    run = state.run
    texts = {i.id: i.text for i in run.items}
    reply(client, state, views.summary_text(run), views.render_summary(run, summarise(run), texts))


def redraw_run(db, update, run_id: str, groups: list[int], all_groups: bool, fallback: dict[int, str | None],
               first: PostedRun | None) -> Run | None:
    """Draw ``groups`` (or all) and the parent from the database until the drawing is current
    (``services.checklists.redraw``); ``update(channel, ts, text, blocks)`` sends each message."""
    def draw(state: PostedRun) -> None:
        for channel, ts, text, blocks in _drawn(state, groups, all_groups, fallback):
            update(channel, ts, text, blocks)

    return checklists.redraw(db, run_id, draw, first)


def _drawn(state: PostedRun, groups: list[int], all_groups: bool,
           fallback: dict[int, str | None]) -> list[tuple[str, str, str, list]]:
    """The chat.update calls that show the run: the clicked message(s) first, then the parent's progress."""
    run, channel, out = state.run, state.channel_id, []
    for group in range(len(run.groups)) if all_groups else groups:
        ts = state.group_ts.get(group) or (fallback.get(group) if not all_groups else None)
        if ts and 0 <= group < len(run.groups):
            out.append((channel, ts, views.group_text(run, group), views.render_group(run, group)))
    if state.parent_ts:
        out.append((channel, state.parent_ts, views.parent_text(run), views.render_parent(run)))
    return out
