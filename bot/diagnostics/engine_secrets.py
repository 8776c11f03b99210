"""Tokens and secrets in a paste: each token checked, then every secret blanked, and the final scrub.

Readers after the token reader never see a pasted credential (it is replaced by ``[token]``), and
``scrub`` makes sure no finding echoes one anyway: a diagnosis can be shared in a channel, a token
must not be.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING

from bot.diagnostics.engine_text import MAX_ITEMS, MAX_JSON_CHARS, lower
from bot.diagnostics.extract import find_bearer_tokens, find_jwts
from bot.diagnostics.report import Finding
from bot.diagnostics.token import check_token

if TYPE_CHECKING:  # the engine imports this module; the collector is only named here
    from bot.diagnostics.engine import Collector

_SECRET_CUES = ("secret", "token", "password", "assertion", "api_key", "apikey")
_NAMED_SECRET = re.compile(
    r"(?i)(?<![a-z0-9])(?:client_secret|secret|access_token|refresh_token|id_token|token|password|"
    r"client_assertion|api_?key)[\"']?\s*[:=]\s*[\"']?([^\s\"'&,;<>{}\[\]]{12,})")

# Every JWT starts with eyJ (base64url of '{"'); an opaque token is found only after one of these words
# (extract.find_bearer_tokens), so a paste without them is spared both searches.
_BEARER_CUES = ("bearer", "token", "authorization")


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
    # Secrets the token finders do not look for: a JSON value or form field named like a credential
    # ("client_secret": "...", "access_token": "...", password=...). Never checked, never shown.
    if any(w in lowered for w in _SECRET_CUES):
        hidden = [m.group(1) for m in islice(_NAMED_SECRET.finditer(text), MAX_ITEMS)
                  if m.group(1) not in tokens and m.group(1) != "[token]"]
        out.secrets += hidden
        tokens = tokens + hidden
    return blank(tokens, text)


def hide_tail_tokens(whole: str, out: Collector) -> str:
    """The longer JSON prefix of a cut paste, with every token in it blanked (and remembered for the scrub)."""
    text = whole[:MAX_JSON_CHARS]
    more = [t for t in dict.fromkeys(find_jwts(text) + find_bearer_tokens(text)) if t not in out.secrets]
    out.secrets += more
    return blank(out.secrets, text)


def blank(tokens: list[str], text: str) -> str:
    """``text`` with each token replaced by ``[token]``, longest first so no token leaves a piece of another."""
    for token in sorted(tokens, key=len, reverse=True):
        text = text.replace(token, "[token]")
    return text


# -- the final scrub ------------------------------------------------------------------------

_SCRUB_WINDOW = 12
_SCRUB_STEP = _SCRUB_WINDOW // 2


def scrub(findings: list[Finding], secrets: list[str]) -> list[Finding]:
    """Last line of defence: no 12-character run of a pasted token survives in any finding.

    Any 12-character run of a field holds a whole 6-character piece starting at a multiple of 6, so
    the field is first sampled at those offsets against the token's 6-grams; only near a hit are
    the 12-character windows compared. A field with no hit (nearly all) costs len/6 set look-ups.
    """
    windows = {s[i:i + _SCRUB_WINDOW] for s in secrets for i in range(len(s) - _SCRUB_WINDOW + 1)}
    if not windows:
        return findings
    pieces = {s[i:i + _SCRUB_STEP] for s in secrets if len(s) >= _SCRUB_WINDOW
              for i in range(len(s) - _SCRUB_STEP + 1)}

    def clean(value: str) -> str:
        return _redact(value, _secret_starts(value, windows, pieces))

    return [Finding(code=f.code, severity=f.severity, title=clean(f.title), detail=clean(f.detail),
                    fix=tuple(clean(step) for step in f.fix), refs=tuple(clean(r) for r in f.refs),
                    facts={clean(k): clean(v) for k, v in f.facts.items()}) for f in findings]


def _secret_starts(value: str, windows: set[str], pieces: set[str]) -> set[int]:
    """Where in ``value`` a 12-character window of a secret starts (see ``scrub`` for the sampling)."""
    starts: set[int] = set()
    if len(value) < _SCRUB_WINDOW:
        return starts
    for j in range(0, len(value) - _SCRUB_STEP + 1, _SCRUB_STEP):
        if value[j:j + _SCRUB_STEP] in pieces:
            starts.update(i for i in range(max(0, j - _SCRUB_STEP + 1), j + 1)
                          if value[i:i + _SCRUB_WINDOW] in windows)
    return starts


def _redact(value: str, starts: set[int]) -> str:
    """``value`` with every window at ``starts`` (and any overlap of them) replaced by one ``[redacted]``."""
    if not starts:
        return value
    out: list[str] = []
    keep = 0
    for i in sorted(starts):
        if i > keep:
            out.append(value[keep:i])
        if not out or out[-1] != "[redacted]":
            out.append("[redacted]")
        keep = max(keep, i + _SCRUB_WINDOW)
    out.append(value[keep:])
    return "".join(out)
