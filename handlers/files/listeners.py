"""*Diagnose a file* in Slack: a HAR capture or a log export uploaded in a modal, read by the same use
case as ``sso-bot diagnose --file`` (``services.diagnose.diagnose_file``).

The form is acknowledged at once with "Reading…"; the download (bot token, ``files:read``) and the
analysis run after the ack on the listener pool, into a temporary file deleted as soon as it is read.
The answer replaces the form; only the sealed report is ever shown. When the form was opened in a
channel, or a channel was picked on a form opened from the Home tab, the answer has *Share in channel*: a snapshot of the sealed report is kept (``services.sharing``,
the diagnose feature's snapshot store), posted on the click, and an export's grouped failures that the
message cannot show follow in its thread as a CSV (``handlers.shared.attachments``).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.files.failures_csv import failure_groups
from bot.redaction import SafeReport
from handlers.shared.attachments import attach_failures, does_not_fit
from handlers.files.ids import FileId
from handlers.files.views import (ANSWER_EXTRA_BLOCKS, INPUT_ACTION, MAX_FILE_MB, answer_modal, file_modal,
                                  reading_modal)
from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.downloads import DownloadError, downloaded
from handlers.shared.limits import MAX_VIEW_BLOCKS
from handlers.shared.owned import snapshot_for
from handlers.shared.payload import team_id, user_id
from handlers.shared.report import fallback_text, render_report
from services import diagnose as diagnosis
from services import sharing

log = logging.getLogger("sso_bot.files")


class FileChecks:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.token = client.token or ""
        self.api_url = client.base_url

    def command(self, ctx: CommandContext) -> Outcome:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=file_modal(channel=ctx.channel_id))
        return Outcome(outcome="modal")

    def submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        files = _files(view)
        if not files:
            ack(response_action="errors", errors={FileId.INPUT_BLOCK: "Attach a HAR capture or a log export."})
            return
        upload = files[0]
        name = str(upload.get("name") or "the file")[:120]
        if int(upload.get("size") or 0) > MAX_FILE_MB * 1_000_000:
            ack(response_action="errors", errors={FileId.INPUT_BLOCK: f"That file is over {MAX_FILE_MB} MB: "
                                                  "export a shorter time range, or use sso-bot diagnose --file."})
            return
        channel = str(view.get("private_metadata") or "") or _share_to(view)
        ack(response_action="update", view=reading_modal(name, channel))
        view_id = str((body.get("view") or {}).get("id", ""))
        url = str(upload.get("url_private_download") or upload.get("url_private") or "")
        try:
            with downloaded(url, token=self.token, api_url=self.api_url, max_bytes=MAX_FILE_MB * 1_000_000) as path:
                report, refused = diagnosis.diagnose_file(path, expect_audience=_audience(view))
        except DownloadError as error:
            client.views_update(view_id=view_id, view=file_modal(problem=str(error), channel=channel))
            self._audit(body, "user_error", "download")
            return
        except OSError as error:
            log.warning("could not fetch an uploaded file: %s", type(error).__name__)
            client.views_update(view_id=view_id, view=file_modal(problem="I could not fetch the file from Slack; "
                                                                         "try again in a moment.", channel=channel))
            self._audit(body, "error", "download")
            return
        share_id = None
        if channel and not refused:
            share_id = sharing.keep_for_sharing(self.deps.db, report, team_id=team_id(body), user_id=user_id(body))
        client.views_update(view_id=view_id, view=self._answer(report, channel, share_id))
        inputs, verdict, codes = diagnosis.audit_fields(report)
        self._audit(body, "refused" if refused else verdict, codes, inputs)

    def shared(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """*Share in channel* under an answer in the modal: the kept, sealed report goes to the channel the form
        was opened in; grouped failures the message cannot show follow in its thread as a CSV."""
        ack()
        view = body.get("view") or {}
        channel, view_id = str(view.get("private_metadata") or ""), str(view.get("id") or "")
        kept = snapshot_for(self.deps.db, body, body["actions"][0].get("value"))
        if kept is None or not channel:
            client.views_update(view_id=view_id, view=answer_modal([], note=":warning: That answer is no longer "
                                                                       "kept; run `/sso file` again to share a fresh one."))
            return
        report, user = kept.report, user_id(body)
        try:
            posted = client.chat_postMessage(channel=channel, text=fallback_text(report),
                                             blocks=render_report(report, shared_by=user))
        except SlackApiError as error:
            problem = error.response.get("error")
            note = (":warning: I can't post in that channel yet: invite me with `/invite @sso-bot`, then press "
                    "*Share in channel* again." if problem in ("not_in_channel", "channel_not_found", "is_archived")
                    else f":warning: Slack refused the post ({problem}); try again in a moment.")
            client.views_update(view_id=view_id, view=self._answer(report, channel, kept.id, note=note))
            return
        attached = does_not_fit(report) and attach_failures(client, report, channel=channel, thread_ts=posted["ts"])
        done = f":white_check_mark: Shared in <#{channel}>" + (" with the CSV of every cause in its thread." if attached
                                                               else ".")
        client.views_update(view_id=view_id, view=self._answer(report, channel, None, note=done))
        self.deps.audit.record(team_id=team_id(body), user_id=user, action="file.share", input_kinds=report.inputs,
                               outcome="ok", detail="csv" if attached else "")

    def _answer(self, report: SafeReport, channel: str, share_id: str | None, note: str = ""):
        blocks = render_report(report, max_blocks=MAX_VIEW_BLOCKS - ANSWER_EXTRA_BLOCKS)
        folded = len(failure_groups(report)) if does_not_fit(report, MAX_VIEW_BLOCKS - ANSWER_EXTRA_BLOCKS) else 0
        return answer_modal(blocks, channel=channel, share_id=share_id, causes_folded=folded, note=note)

    def _audit(self, body: dict[str, Any], outcome: str, detail: str, inputs: tuple[str, ...] = ()) -> None:
        self.deps.audit.record(team_id=team_id(body), user_id=user_id(body), action="file.diagnose",
                               input_kinds=inputs, outcome=outcome, detail=detail[:200])


def _files(view: dict[str, Any]) -> list[dict[str, Any]]:
    state = ((view.get("state") or {}).get("values", {}).get(FileId.INPUT_BLOCK, {}).get(INPUT_ACTION) or {})
    return [f for f in state.get("files") or () if isinstance(f, dict)]


def _share_to(view: dict[str, Any]) -> str:
    """The channel picked on a form opened without one (``views._share_to``); empty when none was picked."""
    state = (view.get("state") or {}).get("values", {}).get(FileId.SHARE_TO_BLOCK, {}).get(INPUT_ACTION) or {}
    return str(state.get("selected_conversation") or "")[:40]


def _audience(view: dict[str, Any]) -> str:
    state = (view.get("state") or {}).get("values", {}).get(FileId.AUDIENCE_BLOCK, {}).get(INPUT_ACTION) or {}
    return str(state.get("value") or "").strip()


def register(app: App, deps: Deps) -> None:
    files = FileChecks(deps, app.client)
    deps.hooks.router.add(Subcommand("file", "/sso file",
                                     "Read a HAR capture or a provisioning/System Log export you upload (never kept).",
                                     run=files.command))
    app.view(FileId.MODAL)(files.submitted)
    app.action(FileId.SHARE)(files.shared)

    @app.action(FileId.OPEN_MODAL)
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=file_modal())
