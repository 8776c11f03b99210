"""*Diagnose a file* in Slack: a HAR capture or a log export uploaded in a modal, read by the same use
case as ``sso-bot diagnose --file`` (``services.diagnose.diagnose_file``).

The form is acknowledged at once with "Reading…"; the download (bot token, ``files:read``) and the
analysis run after the ack on the listener pool, into a temporary file deleted as soon as it is read.
The answer replaces the form; only the sealed report is ever shown, stored nowhere.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.shared.downloads import DownloadError, downloaded
from handlers.files.ids import FileId
from handlers.files.views import INPUT_ACTION, MAX_FILE_MB, file_modal, reading_modal
from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.modals import result_modal
from handlers.shared.payload import team_id, user_id
from handlers.shared.report import render_report
from services import diagnose as diagnosis

log = logging.getLogger("sso_bot.files")


class FileChecks:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.token = client.token or ""
        self.api_url = client.base_url

    def command(self, ctx: CommandContext) -> Outcome:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=file_modal())
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
        ack(response_action="update", view=reading_modal(name))
        view_id = str((body.get("view") or {}).get("id", ""))
        url = str(upload.get("url_private_download") or upload.get("url_private") or "")
        try:
            with downloaded(url, token=self.token, api_url=self.api_url, max_bytes=MAX_FILE_MB * 1_000_000) as path:
                report, refused = diagnosis.diagnose_file(path)
        except DownloadError as error:
            client.views_update(view_id=view_id, view=file_modal(problem=str(error)))
            self._audit(body, "user_error", "download")
            return
        except OSError as error:
            log.warning("could not fetch an uploaded file: %s", type(error).__name__)
            client.views_update(view_id=view_id, view=file_modal(problem="I could not fetch the file from Slack; "
                                                                         "try again in a moment."))
            self._audit(body, "error", "download")
            return
        client.views_update(view_id=view_id, view=result_modal("File", render_report(report)))
        inputs, verdict, codes = diagnosis.audit_fields(report)
        self._audit(body, "refused" if refused else verdict, codes, inputs)

    def _audit(self, body: dict[str, Any], outcome: str, detail: str, inputs: tuple[str, ...] = ()) -> None:
        self.deps.audit.record(team_id=team_id(body), user_id=user_id(body), action="file.diagnose",
                               input_kinds=inputs, outcome=outcome, detail=detail[:200])


def _files(view: dict[str, Any]) -> list[dict[str, Any]]:
    state = ((view.get("state") or {}).get("values", {}).get(FileId.INPUT_BLOCK, {}).get(INPUT_ACTION) or {})
    return [f for f in state.get("files") or () if isinstance(f, dict)]


def register(app: App, deps: Deps) -> None:
    files = FileChecks(deps, app.client)
    deps.hooks.router.add(Subcommand("file", "/sso file",
                                     "Read a HAR capture or a provisioning/System Log export you upload (never kept).",
                                     run=files.command))
    app.view(FileId.MODAL)(files.submitted)

    @app.action(FileId.OPEN_MODAL)
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=file_modal())
