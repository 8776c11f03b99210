"""``@sso-bot`` mentioned in a thread: diagnose what the thread already holds and answer in the thread.

The thread's messages (``conversations.replies``; the bot's own and the mention's own words aside) are
read as one paste and go through the same use case as ``/sso diagnose``; a HAR capture or a log export
shared in the thread goes through ``sso-bot diagnose --file``'s use case instead, fetched with the bot
token and deleted after reading. The answer is posted in the thread for everyone there, so only the
sealed report is ever shown: what was redacted stays redacted. An export's grouped failures that do not
fit in the answer follow it in the thread as a CSV (``handlers.shared.attachments``). A mention that names
an SP entity ID (``@sso-bot https://app.example.com/saml/metadata``, or ``entity id: urn:…``) has the SAML
Responses in the file compared with it, as the file form's optional field does. Slack retries an
event it thinks was missed; a retry is answered once only (the event id is remembered for a few minutes).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.redaction import SafeReport
from handlers.shared.attachments import attach_failures, does_not_fit
from handlers.shared.deps import Deps
from handlers.shared.downloads import DownloadError, downloaded
from handlers.shared.once import Once
from handlers.shared.report import fallback_text, render_report
from services import diagnose as diagnosis

log = logging.getLogger("sso_bot.mentions")

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_MAX_MESSAGES = 50
_MAX_TEXT = 20_000
_MAX_FILE = 100_000_000
_FILE_TYPES = {"har", "json", "jsonl", "csv", "text", "txt", "xml"}
# The mention's words, when they are only an entity ID, perhaps labelled: Slack sends a URL as <url> or <url|label>.
_ENTITY_ID = re.compile(r"(?:(?:sp\s+)?(?:entity\s*id|audience|sp)\s*[:=]?\s*)?<?((?:https?://|urn:)[^\s|>]{1,1024})(?:\|[^>]*)?>?",
                        re.IGNORECASE)


def register(app: App, deps: Deps) -> None:
    seen = Once()

    @app.event("app_mention")
    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if not seen.first(str(body.get("event_id") or event.get("ts") or "")):
            return
        channel, root = str(event.get("channel", "")), str(event.get("thread_ts") or event.get("ts") or "")
        messages = _thread(client, channel, root)
        report = _diagnose_thread(client, messages, event)
        try:
            client.chat_postMessage(channel=channel, thread_ts=root, text=fallback_text(report),
                                    blocks=render_report(report))
        except SlackApiError as error:
            log.warning("could not answer a mention in %s: %s", channel, error.response.get("error"))
        else:
            if does_not_fit(report):  # an export's causes beyond the message's room: all of them as a CSV
                attach_failures(client, report, channel=channel, thread_ts=root)
        deps.audit.record(team_id=str(body.get("team_id", "")), user_id=str(event.get("user", "")),
                          action="mention.diagnose", input_kinds=tuple(report.inputs), outcome=report.worst.value,
                          detail=",".join(dict.fromkeys(f.code for f in report.findings))[:200])


def _thread(client: WebClient, channel: str, root: str) -> list[dict[str, Any]]:
    try:
        return list(client.conversations_replies(channel=channel, ts=root, limit=_MAX_MESSAGES).get("messages") or [])
    except SlackApiError as error:  # not in the channel, or no history scope: read the mention alone
        log.info("cannot read the thread in %s: %s", channel, error.response.get("error"))
        return []


def _diagnose_thread(client: WebClient, messages: list[dict[str, Any]], event: dict[str, Any]) -> SafeReport:
    shared = [f for m in messages for f in m.get("files") or () if isinstance(f, dict)
              and str(f.get("filetype", "")).lower() in _FILE_TYPES]
    if shared:  # the latest file is the one the mention is about
        report = _read_file(client, shared[-1], audience=_entity_id(str(event.get("text") or "")))
        if report is not None:
            return report
    texts = [_MENTION.sub("", str(m.get("text") or "")).strip() for m in messages
             if not m.get("bot_id") and m.get("ts") != event.get("ts")]
    texts.append(_MENTION.sub("", str(event.get("text") or "")).strip())
    return diagnosis.diagnose("diagnose", "\n".join(t for t in texts if t)[-_MAX_TEXT:])


def _entity_id(mention: str) -> str:
    """The SP entity ID the mention names, when its words are nothing else; otherwise nothing is compared."""
    said = _ENTITY_ID.fullmatch(_MENTION.sub("", mention).strip().rstrip("."))
    return said.group(1) if said else ""


def _read_file(client: WebClient, upload: dict[str, Any], *, audience: str = "") -> SafeReport | None:
    url = str(upload.get("url_private_download") or upload.get("url_private") or "")
    if int(upload.get("size") or 0) > _MAX_FILE:
        return None
    try:
        with downloaded(url, token=client.token or "", api_url=client.base_url, max_bytes=_MAX_FILE) as path:
            report, _refused = diagnosis.diagnose_file(path, expect_audience=audience)
            return report
    except (DownloadError, OSError) as error:
        log.info("could not read a file shared in a thread: %s", type(error).__name__)
        return None
