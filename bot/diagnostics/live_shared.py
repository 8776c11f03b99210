"""What the live checks' readers share: how a finding gets its words, and the findings for a request
that got no answer (refused by the SSRF guard, TLS, DNS, timeouts).

A live finding carries a title made of what was seen (the request, the status, the host) and its
code's knowledge entry for the rest: what it means, the likely causes, the fix steps, where to look
and the references (``bot/knowledge/data/live_checks.toml``). So the explanations live in the data,
as the knowledge decision in DESIGN.md asks, and the readers stay small.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.diagnostics.explain import detail_for
from bot.diagnostics.report import Finding, Severity
from bot.knowledge import load_knowledge
from bot.live.exchange import Exchange, Failure

__all__ = ["live_finding", "failure_finding", "truncated_finding", "html_page", "HtmlPage", "short_url", "clip"]


def clip(text: str, limit: int = 120) -> str:
    """One line, at most ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def short_url(url: str) -> str:
    """``https://host/path`` without the query (which may hold random names) or anything after it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return clip(url, 80)
    if not parts.scheme or not parts.netloc:
        return clip(url, 80)
    return clip(f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}", 160)


def live_finding(code: str, severity: Severity, title: str, facts: Mapping[str, str] | None = None) -> Finding:
    """A finding whose explanation, fix steps and references come from the knowledge entry ``code``."""
    entry = load_knowledge().get(code)
    detail, fix, refs = "", (), ()
    if entry is not None:
        explained = entry.causes or entry.where or entry.collect or entry.next_checks
        detail = f"{entry.summary}\n\n{detail_for(entry)}" if explained else entry.summary
        fix, refs = tuple(entry.fix), tuple(entry.refs)
    return Finding(code=code, severity=severity, title=clip(title, 200), detail=detail, fix=fix, refs=refs,
                   facts={k: clip(v, 300) for k, v in (facts or {}).items()})


def failure_finding(exchange: Exchange, what: str) -> Finding:
    """The finding for a request that got no answer; ``what`` names the request ("the discovery document")."""
    failure = exchange.failure or Failure("network")
    host = failure.host or (urlsplit(exchange.final_url or exchange.url).hostname or "")
    facts = {"request": f"GET {short_url(exchange.final_url or exchange.url)}"}
    if failure.address:
        facts["address"] = failure.address
    if failure.detail:
        facts["reason"] = failure.detail
    kind = failure.kind
    if kind == "refused":
        return live_finding("live-refused", Severity.FAIL,
                            f"Not contacted: {host} is not a public address ({what} was not requested)", facts)
    if kind == "scheme":
        return live_finding("live-not-https", Severity.FAIL, f"Not contacted: {what} is on plain http", facts)
    if kind == "bad-url":
        return live_finding("live-bad-url", Severity.FAIL, f"Not contacted: the URL of {what} cannot be used", facts)
    if kind == "dns":
        return live_finding("live-dns", Severity.FAIL, f"{host} does not resolve", facts)
    if kind == "connect":
        return live_finding("live-connect", Severity.FAIL, f"No connection to {host}", facts)
    if kind == "timeout":
        return live_finding("live-timeout", Severity.FAIL, f"{host} did not answer in time ({what})", facts)
    if kind == "redirects":
        return live_finding("live-redirects", Severity.FAIL, f"Too many redirects for {what}", facts)
    if kind == "tls-expired":
        return live_finding("live-tls-expired", Severity.FAIL, f"The TLS certificate of {host} has expired", facts)
    if kind == "tls-not-yet-valid":
        return live_finding("live-tls-not-yet-valid", Severity.FAIL,
                            f"The TLS certificate of {host} is not valid yet", facts)
    if kind == "tls-self-signed":
        return live_finding("live-tls-self-signed", Severity.FAIL, f"{host} presents a self-signed certificate", facts)
    if kind == "tls-untrusted":
        return live_finding("live-tls-untrusted", Severity.FAIL,
                            f"The certificate of {host} does not chain to a trusted CA", facts)
    if kind == "tls-hostname":
        return live_finding("live-tls-hostname", Severity.FAIL,
                            f"The TLS certificate of {host} is for another name", facts)
    if kind == "tls":
        return live_finding("live-tls", Severity.FAIL, f"The TLS handshake with {host} failed", facts)
    if kind == "protocol":
        return live_finding("live-protocol", Severity.FAIL, f"{host} did not answer with valid HTTP", facts)
    return live_finding("live-network", Severity.FAIL, f"The request to {host} failed", facts)


def truncated_finding(exchange: Exchange, what: str, limit_bytes: int) -> Finding:
    return live_finding("live-too-large", Severity.WARN,
                        f"The answer to {what} was cut at {limit_bytes // 1000:,} KB",
                        {"request": f"GET {short_url(exchange.final_url or exchange.url)}"})


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_PASSWORD_FIELD = re.compile(r"<input[^>]{0,200}type\s{0,8}=\s{0,8}[\"']?password", re.IGNORECASE)
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
