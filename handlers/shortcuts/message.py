"""What "Diagnose this message" reads: one Slack message, as the person who used the shortcut sees it.

The message's own words (and those of any attachments a bot posted, which is where alerting tools put
the error) go through ``/sso diagnose``'s use case; a HAR capture or log export attached to it goes
through ``sso-bot diagnose --file``'s, fetched with the bot token (``files:read``) into a temporary
file deleted after reading. Either way the result is a sealed report: nothing here formats text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.diagnostics.extract import unwrap_slack_links
from bot.redaction import SafeReport
from handlers.shared.downloads import DownloadError, downloaded
from services import diagnose as diagnosis

log = logging.getLogger("sso_bot.shortcuts")

MAX_TEXT = 20_000  # a message holds at most 40,000 characters; the end of a long paste is where the error is
MAX_FILE = 100_000_000
FILE_TYPES = frozenset({"har", "json", "jsonl", "csv", "text", "txt"})

_MENTION = re.compile(r"<[@#!][^>]*>")


@dataclass(frozen=True)
class Read:
    """A message's diagnosis, and why a shared file could not be used (shown to the user), if one was."""

    report: SafeReport | None
    file_problem: str = ""


def message_text(message: dict[str, Any]) -> str:
    """The words of ``message`` as typed: mentions dropped, Slack's link markup and escapes undone."""
    parts = [message.get("text")]
    for attachment in message.get("attachments") or ():
        if isinstance(attachment, dict):
            parts += [attachment.get("pretext"), attachment.get("title"), attachment.get("text")]
    text = "\n".join(p for p in parts if isinstance(p, str) and p.strip())
    text = unwrap_slack_links(_MENTION.sub("", text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def readable_file(message: dict[str, Any]) -> dict[str, Any] | None:
    """The last file on ``message`` that sso-bot reads (a HAR or an export), if any."""
    files = [f for f in message.get("files") or () if isinstance(f, dict)
             and str(f.get("filetype", "")).lower() in FILE_TYPES]
    return files[-1] if files else None


def diagnose_message(client: WebClient, message: dict[str, Any]) -> Read:
    """The message's file if it has one sso-bot reads, else its text; ``report`` None when it holds neither."""
    upload = readable_file(message)
    problem = ""
    if upload is not None:
        report, problem = _read_file(client, upload)
        if report is not None:
            return Read(report)
    text = message_text(message)
    if not text:
        return Read(None, problem)
    return Read(diagnosis.diagnose("diagnose", text[-MAX_TEXT:]), problem)


def _read_file(client: WebClient, upload: dict[str, Any]) -> tuple[SafeReport | None, str]:
    if int(upload.get("size") or 0) > MAX_FILE:
        return None, f"The file is larger than {MAX_FILE // 1_000_000} MB, so I read the message's text instead."
    url = str(upload.get("url_private_download") or upload.get("url_private") or "")
    try:
        with downloaded(url, token=client.token or "", api_url=client.base_url, max_bytes=MAX_FILE) as path:
            report, _refused = diagnosis.diagnose_file(path)
            return report, ""
    except DownloadError as error:
        return None, str(error)
    except OSError as error:
        log.info("could not read a file on a shortcut's message: %s", type(error).__name__)
        return None, "I could not fetch the file from Slack, so I read the message's text instead."
