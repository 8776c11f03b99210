"""The grouped failures of an export attached to a thread as a CSV, when the answer cannot show them all.

The upload is Slack's current one (``files_upload_v2``: ``files.getUploadURLExternal``, the bytes to the
upload URL it hands back, then ``files.completeUploadExternal`` with the channel and thread), which needs
the ``files:write`` scope. The CSV is made from the sealed report (``bot.files.failures_csv``), so it
holds what the answer holds and nothing more: masked users, redacted codes and reasons.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.files.failures_csv import failure_groups, failures_csv
from bot.redaction import SafeReport, require_safe
from handlers.shared.limits import MAX_MESSAGE_BLOCKS

log = logging.getLogger("sso_bot.files")

CSV_NAME = "sso-bot-grouped-failures.csv"
# What render_report spends besides findings (header, context, secret note, fold line, buttons), and per finding.
_FIXED_BLOCKS, _PER_FINDING = 5, 2


def does_not_fit(report: SafeReport, max_blocks: int = MAX_MESSAGE_BLOCKS) -> bool:
    """Whether an answer of ``max_blocks`` folds some of the report's grouped failures into one summary line."""
    require_safe(report)
    return bool(failure_groups(report)) and len(report.findings) > (max_blocks - _FIXED_BLOCKS) // _PER_FINDING


def attach_failures(client: WebClient, report: SafeReport, *, channel: str, thread_ts: str) -> bool:
    """Upload the CSV of every cause into the thread; when Slack refuses, say so in the thread instead."""
    causes = len(failure_groups(report))
    try:
        client.files_upload_v2(content=failures_csv(report).encode("utf-8"), filename=CSV_NAME,
                               title=f"Failures grouped by cause ({causes})", channel=channel, thread_ts=thread_ts,
                               initial_comment=f"All {causes} causes, one row each (users masked, as in the answer).")
        return True
    except (SlackClientError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        log.warning("could not attach the grouped failures in %s: %s", channel, reason)
        why = ("the app lacks the files:write permission (reinstall it from its settings page)"
               if reason in ("missing_scope", "not_allowed_token_type") else f"Slack answered {reason}")
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=(
                f":warning: The answer shows only part of the {causes} causes, and I could not attach all of them as "
                f"a CSV: {why}. On your machine, `sso-bot diagnose --file PATH --csv failures.csv` writes the same file."))
        except SlackApiError:
            pass
        return False
