"""Which links are error links, and the code each names.

Microsoft's sign-in error page takes the code's number (``https://login.microsoftonline.com/error?code=50011``;
the same page on the China cloud is ``login.partner.microsoftonline.cn``), and Okta's error-code reference
names one code in its anchor or search (``https://developer.okta.com/docs/reference/error-codes/#E0000011``,
the older ``/reference/error_codes/`` path too). Only a link made of nothing but those parts is ours to
unfurl: ``chat.unfurl`` names the link it answers, so a link with anything more (another query parameter, a
user name, a longer anchor) could carry a secret back to Slack, and Slack shows it as it would without sso-bot.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

#: The hosts the manifest's ``app_unfurl_domains`` lists (Slack sends link_shared for these only).
MICROSOFT_HOSTS = frozenset({"login.microsoftonline.com", "login.partner.microsoftonline.cn"})
OKTA_HOSTS = frozenset({"developer.okta.com"})
UNFURL_DOMAINS = tuple(sorted(MICROSOFT_HOSTS | OKTA_HOSTS))

_AADSTS = re.compile(r"(?:AADSTS)?(\d{4,8})", re.IGNORECASE)
_OKTA = re.compile(r"E\d{7}", re.IGNORECASE)
_OKTA_PATHS = ("/docs/reference/error-codes", "/reference/error_codes")
MAX_URL = 300


def error_code(url: str) -> str | None:
    """The code an error link names (``AADSTS50011``, ``E0000011``), or None for any other link."""
    try:
        parts = urlsplit(url) if len(url) <= MAX_URL else None
        if parts is None or parts.scheme != "https" or parts.username or parts.password or parts.port:
            return None
    except ValueError:  # a port that is not a number
        return None
    host, path = (parts.hostname or "").lower(), parts.path.rstrip("/").lower()
    query = parse_qsl(parts.query, keep_blank_values=True)
    if host in MICROSOFT_HOSTS and path == "/error" and not parts.fragment:
        match = _AADSTS.fullmatch(query[0][1]) if len(query) == 1 and query[0][0] == "code" else None
        return f"AADSTS{match.group(1)}" if match else None
    if host in OKTA_HOSTS and path in _OKTA_PATHS and all(key == "q" for key, _ in query) and len(query) <= 1:
        named = {unquote(value).upper() for value in (parts.fragment, *(v for _, v in query)) if value}
        code = named.pop() if len(named) == 1 else ""
        return code if _OKTA.fullmatch(code) else None
    return None
