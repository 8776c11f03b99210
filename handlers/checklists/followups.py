"""After the steps: exporting and closing a run, the 401 follow-up ("did provisioning resume?") and its
answer, and the nudge on a checklist left quiet for a day.

The follow-up and the nudge are posted by the scheduler's job, once per run each: the notice is
claimed in the ledger before it is posted, so two replicas never both post it.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import NUDGE_AFTER, export_text, follow_up_due, nudge_due
from handlers.checklists.common import NOT_THERE, log, record_from_button, reply, to_run, user_of
from handlers.checklists.ticks import ChecklistTicks
from handlers.shared.deps import Deps
import handlers.checklists.views as views
from storage.checklists import (NOTICE_FOLLOW_UP, NOTICE_NUDGE, RunRecord, claim_notice, close_run,
                                list_follow_ups_due, list_quiet_runs, record_event, release_notice)

# A notice that failed for one of these will not succeed later either: keep it claimed.
_HOPELESS = NOT_THERE + ("thread_not_found", "message_not_found", "restricted_action")


class ChecklistFollowUps:
    """Export, close, the follow-up and its answer, the nudge; redraws go through the ticks' busy slots."""

    def __init__(self, deps: Deps, ticks: ChecklistTicks) -> None:
        self.deps = deps
        self.ticks = ticks

    @property
    def db(self):
        return self.deps.db

    def export(self, body: dict[str, Any], client: WebClient) -> None:
        record = record_from_button(self.db, body)
        run = to_run(record)
        user = user_of(body)
        text = export_text(run, self.deps.clock())
        reply(client, record, f"Export of {run.display_title}", views.render_export(text))
        record_event(self.db, run.id, kind="export", user_id=user, now=self.deps.clock())

    def close(self, body: dict[str, Any], client: WebClient, resolution: str = "closed") -> bool:
        record = record_from_button(self.db, body)
        user = user_of(body)
        closed = close_run(self.db, record.run.id, user_id=user, resolution=resolution, now=self.deps.clock())
        self.ticks.redraw(client, record.run.id, all_groups=True)
        return closed

    def resumed(self, body: dict[str, Any], client: WebClient, yes: bool) -> None:
        """The answer to the follow-up: yes closes the run as resumed; no keeps it open and posts next steps."""
        record = record_from_button(self.db, body)
        user = user_of(body)
        container = body.get("container") or {}
        if yes:
            close_run(self.db, record.run.id, user_id=user, resolution="resumed", now=self.deps.clock())
            self.ticks.redraw(client, record.run.id, all_groups=True)
        else:
            record_event(self.db, record.run.id, kind="not-resumed", user_id=user, now=self.deps.clock(), touch=True)
        if container.get("message_ts"):
            self.ticks.update(client, record.run.channel_id, str(container["message_ts"]),
                              "Provisioning resumed" if yes else "Provisioning not resumed",
                              views.render_follow_up_answer(user, yes))
        if not yes:
            reply(client, record, "Next steps", views.render_next_steps(to_run(record), self.deps.hooks.next_steps))

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
