"""Tokens and secrets in a paste: each token checked, then every secret blanked.

Readers after the token reader never see a pasted credential (it is replaced by ``[token]``). What a
secret is comes from ``bot.redaction``, which also seals the finished report (``bot.checks.run_check``):
no finding leaves the app with a secret in it, whatever a reader did with the paste.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING

from bot.diagnostics.engine.text import MAX_ITEMS, MAX_JSON_CHARS, lower
from bot.diagnostics.extract import find_bearer_tokens, find_jwts
from bot.diagnostics.token import check_token
from bot.redaction import find_secrets

if TYPE_CHECKING:  # the collector is only named here
    from bot.diagnostics.engine.candidates import Collector

# Every JWT starts with eyJ (base64url of '{"'); an opaque token is found only after one of these words
# (extract.find_bearer_tokens), so a paste without them is spared both searches.
_BEARER_CUES = ("bearer", "token", "authorization")
_READ_AS_SAML = frozenset({"saml-response", "saml-request"})


def read_tokens(text: str, out: Collector, *, now: datetime, issued_at: date | datetime | None) -> str:
    """Check every JWT and bearer token, then blank them out so no other reader sees (or echoes) them."""
    lowered = lower(text)
    jwts = find_jwts(text)[:MAX_ITEMS] if "eyJ" in text else []
    bearer = find_bearer_tokens(text)[:MAX_ITEMS] if any(w in lowered for w in _BEARER_CUES) else []
    tokens = list(dict.fromkeys(jwts + bearer))
    out.secrets += tokens
    for token in tokens:
        report = check_token(token, now=now, issued_at=issued_at)
        out.kind("jwt" if token.count(".") == 2 and token.startswith("eyJ") else "opaque_token")
        out.add_report(report, text.find(token))
    # Every other secret (bot.redaction's one notion of them): a JSON value or form field named like a
    # credential, a Slack token, a URL's password, a cookie. Never checked, never read, never shown.
    # SAML messages are the exception: the SAML reader has read them already and the other readers may
    # look at what they decode to; the boundary still keeps their base64 out of every report.
    hidden = [s.value for s in islice(find_secrets(text), MAX_ITEMS * 4)
              if s.value not in tokens and s.kind not in _READ_AS_SAML]
    out.secrets += hidden
    return blank(tokens + hidden, text)


def hide_tail_tokens(whole: str, out: Collector) -> str:
    """The longer JSON prefix of a cut paste, with every token and secret in it blanked."""
    text = whole[:MAX_JSON_CHARS]
    found = find_jwts(text) + find_bearer_tokens(text) + [s.value for s in find_secrets(text)
                                                         if s.kind not in _READ_AS_SAML]
    more = [t for t in dict.fromkeys(found) if t not in out.secrets]
    out.secrets += more
    return blank(out.secrets, text)


def blank(tokens: list[str], text: str) -> str:
    """``text`` with each token replaced by ``[token]``, longest first so no token leaves a piece of another."""
    for token in sorted(tokens, key=len, reverse=True):
        text = text.replace(token, "[token]")
    return text
