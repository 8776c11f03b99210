"""What every step of the login-domain check shares: the characters that wrap an entry in a paste, chat
link markup, and how entries are shown in a finding."""

from __future__ import annotations

import re

from bot.diagnostics.text import clip as _clip
from bot.diagnostics.text import marked

# Quotes and brackets people put around a domain; never part of one.
WRAPPERS = "\"'`“”‘’«»()[]<>"
# Slack's link markup: <http://contoso.com|contoso.com> or <mailto:a@b.com|a@b.com>.
SLACK_LINK_RE = re.compile(r"^<(?:[A-Za-z][A-Za-z0-9+.\-]{0,31}:(?://)?)?([^|>]*)(?:\|([^>]*))?>$")

_MAX_FACT = 1500


def clip(text: str, limit: int = 120) -> str:
    """``text`` cut to ``limit`` characters, invisible characters (other than a space) shown as '?'."""
    return _clip(text, limit, show=marked)


def joined(items: list[str], limit: int = _MAX_FACT) -> str:
    """``items`` comma-separated within ``limit`` characters, ending "… and N more" when they do not fit."""
    text = ", ".join(items)
    if len(text) <= limit:
        return text
    shown: list[str] = []
    size = 0
    for item in items:
        if size + len(item) + 2 > limit - 20:
            break
        shown.append(item)
        size += len(item) + 2
    return ", ".join(shown) + f" … and {len(items) - len(shown)} more"


def unwrap_link(s: str) -> str:
    """The label (else the target) of Slack link markup; anything else unchanged."""
    slack = SLACK_LINK_RE.match(s)
    return (slack.group(2) or slack.group(1)) if slack else s
