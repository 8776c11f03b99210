"""What the live checks' readers share: how a finding gets its words, and the findings for a request
that got no answer (refused by the SSRF guard, TLS, DNS, timeouts).

A live finding is its code's knowledge entry (``bot/knowledge/data/live_checks.toml``): the title is the
entry's template filled with what was seen (the request, the status, the host), and the entry gives the
rest: what it means, the likely causes, the fix steps, where to look and the references. The readers
emit a code and facts only, as the knowledge decision in DESIGN.md asks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from bot.diagnostics.explain import check_finding, detail_for
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import clip as _clip
from bot.knowledge import load_knowledge
from bot.live.exchange import Exchange, Failure

__all__ = ["live_finding", "failure_finding", "truncated_finding", "html_page", "HtmlPage", "short_url", "clip"]


def clip(text: str, limit: int = 120) -> str:
    """One line, at most ``limit`` characters."""
    return _clip(str(text), limit, one_line=True)


def short_url(url: str) -> str:
    """``https://host/path`` without the query (which may hold random names) or anything after it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return clip(url, 80)
    if not parts.scheme or not parts.netloc:
        return clip(url, 80)
    return clip(f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}", 160)


def live_finding(code: str, facts: Mapping[str, str] | None = None, *, values: Mapping[str, str] | None = None,
                 severity: Severity | None = None) -> Finding:
    """The finding ``code``: its title is the entry's template filled with ``facts`` (shown) and ``values``
    (only placed in the text), its explanation, fix steps and references are the entry's own."""
    finding = check_finding(code, {k: clip(v, 300) for k, v in (facts or {}).items()}, values=values,
                            severity=severity)
    entry = load_knowledge().get(code)
    explained = entry.causes or entry.where or entry.collect or entry.next_checks
    detail = f"{entry.summary}\n\n{detail_for(entry)}" if explained else entry.summary
    return replace(finding, title=clip(finding.title, 200), detail=detail)


#: The finding for each way a request can go unanswered (``Failure.kind``); any other kind is live-network.
_FAILURE_CODES = {
    "refused": "live-refused", "scheme": "live-not-https", "bad-url": "live-bad-url", "dns": "live-dns",
    "connect": "live-connect", "timeout": "live-timeout", "redirects": "live-redirects",
    "tls-expired": "live-tls-expired", "tls-not-yet-valid": "live-tls-not-yet-valid",
    "tls-self-signed": "live-tls-self-signed", "tls-untrusted": "live-tls-untrusted",
    "tls-hostname": "live-tls-hostname", "tls": "live-tls", "protocol": "live-protocol",
}


def failure_finding(exchange: Exchange, what: str) -> Finding:
    """The finding for a request that got no answer; ``what`` names the request ("the discovery document")."""
    failure = exchange.failure or Failure("network")
    host = failure.host or (urlsplit(exchange.final_url or exchange.url).hostname or "")
    facts = {"request": f"GET {short_url(exchange.final_url or exchange.url)}"}
    if failure.address:
        facts["address"] = failure.address
    if failure.detail:
        facts["reason"] = failure.detail
    return live_finding(_FAILURE_CODES.get(failure.kind, "live-network"), facts, values={"host": host, "what": what})


def truncated_finding(exchange: Exchange, what: str, limit_bytes: int) -> Finding:
    return live_finding("live-too-large", {"request": f"GET {short_url(exchange.final_url or exchange.url)}"},
                        values={"if_cut": "yes", "what": what, "limit_kb": f"{limit_bytes // 1000:,}"})


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_PASSWORD_FIELD = re.compile(r"<input[^>]{0,200}type\s{0,3}=\s{0,3}[\"']?password", re.IGNORECASE)
_SIGN_IN_WORDS = re.compile(r"\b(?:sign[ -]?in|log[ -]?in|logon|single sign-on|authenticate)\b", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlPage:
    title: str
    login: bool


def html_page(exchange: Exchange) -> HtmlPage | None:
    """The page, when the answer is HTML (by its type or its first characters); ``login`` when it looks
    like a sign-in page (a password field, or sign-in words in its title or form)."""
    start = exchange.text(20000)
    opening = start.lstrip().lower()[:200]
    if exchange.media_type not in ("text/html", "application/xhtml+xml") and not (
            opening.startswith("<!doctype html") or opening.startswith("<html")):
        return None
    if exchange.json() is not None:
        return None  # JSON labelled text/html (Okta's reference shows one): a content-type problem, not a page
    match = _TITLE.search(start)
    title = clip(html.unescape(match.group(1)), 80) if match else ""
    login = bool(_PASSWORD_FIELD.search(start)) or bool(_SIGN_IN_WORDS.search(title)) or (
        "<form" in start.lower() and bool(_SIGN_IN_WORDS.search(start)))
    return HtmlPage(title, login)
