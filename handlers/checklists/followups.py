"""After the steps: exporting and closing a run, the 401 follow-up ("did provisioning resume?") and its
answer, and the nudge on a checklist left quiet for a day.

The follow-up and the nudge are posted by the scheduler's job, once per run each
(``services.checklists.post_due_notices`` claims each in the ledger first); here they are drawn and posted.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import export_text
from handlers.checklists.common import NOT_THERE, reply, run_from_button, user_of
from handlers.checklists.ticks import ChecklistTicks
from handlers.shared.deps import Deps
from handlers.shared.names import UserNames
import handlers.checklists.views as views
from services import checklists
from services.checklists import PostedRun
from services.ports import Posted

# A notice that failed for one of these will not succeed later either: keep it claimed.
_HOPELESS = NOT_THERE + ("thread_not_found", "message_not_found", "restricted_action")


class ChecklistFollowUps:
    """Export, close, the follow-up and its answer, the nudge; redraws go through the ticks' busy slots."""

    def __init__(self, deps: Deps, ticks: ChecklistTicks) -> None:
        self.deps = deps
        self.ticks = ticks
        self.names = UserNames()  # exports name people: a ticket does not render <@U…>

    @property
    def db(self):
        return self.deps.db

    def export(self, body: dict[str, Any], client: WebClient) -> None:
        state = run_from_button(self.db, body)
        text = export_text(state.run, self.deps.clock(), self.names.resolver(client))
        reply(client, state, f"Export of {state.run.display_title}", views.render_export(text))
        checklists.record_export(self.db, state.run.id, user_id=user_of(body), now=self.deps.clock())

    def close(self, body: dict[str, Any], client: WebClient, resolution: str = "closed") -> bool:
        state = run_from_button(self.db, body)
        closed = checklists.close(self.db, state.run.id, user_id=user_of(body), resolution=resolution,
                                  now=self.deps.clock())
        self.ticks.redraw(client, state.run.id, all_groups=True)
        return closed

    def resumed(self, body: dict[str, Any], client: WebClient, yes: bool) -> None:
        """The answer to the follow-up: yes closes the run as resumed; no keeps it open and posts next steps."""
        state = run_from_button(self.db, body)
        user = user_of(body)
        container = body.get("container") or {}
        checklists.answer_follow_up(self.db, state.run.id, user_id=user, resumed=yes, now=self.deps.clock())
        if yes:
            self.ticks.redraw(client, state.run.id, all_groups=True)
        if container.get("message_ts"):
            self.ticks.update(client, state.channel_id, str(container["message_ts"]),
                              "Provisioning resumed" if yes else "Provisioning not resumed",
                              views.render_follow_up_answer(user, yes))
        if not yes:
            reply(client, state, "Next steps", views.render_next_steps(state.run, self.deps.hooks.next_steps))

    def scheduled(self, client: WebClient, now) -> dict[str, int]:
        """The scheduler's job: 401 follow-ups that are due, then nudges for quiet checklists."""
        return checklists.post_due_notices(self.db, now, lambda key, state: _post_notice(client, key, state))


def _post_notice(client: WebClient, key: str, state: PostedRun) -> Posted:
    """One notice in the run's thread; a failure that will not pass later keeps its claim (``blocked``)."""
    if key == checklists.NOTICE_FOLLOW_UP:
        text, blocks = views.follow_up_text(), views.render_follow_up(state.run)
    else:
        text, blocks = views.nudge_text(state.run), views.render_nudge(state.run)
    try:
        posted = client.chat_postMessage(channel=state.channel_id, thread_ts=state.parent_ts, text=text,
                                         blocks=blocks)
    except SlackApiError as error:
        reason = str(error.response.get("error"))
        return Posted(error=reason, blocked=reason in _HOPELESS)
    return Posted(ts=str(posted.get("ts") or ""))
