"""Compare the redirect URI an app sends with the one registered at the IdP.

RFC 6749 §3.1.2.3 has the authorization server compare the redirect URI in
the request with the registered one, and RFC 6749 §3.1.2 forbids a fragment in
it. Entra ID, Okta and Keycloak compare the two **as strings**: the
equivalences RFC 3986 §6.2 allows (host case, an explicit default port,
percent-encoding case) do not apply. So any character of difference is a
mismatch (AADSTS50011 in Entra, "redirect_uri ... not allowed" in Okta),
which in the product shows up as a 503, a redirect loop, or a sign-in that
passes the metadata test but fails for users.

:func:`check_redirect` names each difference and the character where the two
part; :func:`parse_redirect_pair` finds the pair in free text, and
:func:`check_redirect_text` does both. Pure functions: no network, no clock.

The work lives beside this module: compare (an empty side, a match, a
mismatch and its causes, with :func:`diverge_at`), origin (scheme,
host, port), path (path, query, fragment), parse (the pair in
free text) and shared (references, the usual fix, how values are
shown, how a URI splits). This module is the public face and builds the report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.diagnostics.explain import check_finding
from bot.diagnostics.redirect.compare import compare, diverge_at
from bot.diagnostics.redirect.parse import parse_pair
from bot.diagnostics.redirect.shared import clip
from bot.diagnostics.report import Finding, Report
from bot.diagnostics.text import as_text as _as_text

__all__ = ["check_redirect", "check_redirect_text", "diverge_at", "parse_redirect_pair"]

SUBJECT = "Redirect URI"
_INPUTS = ("redirect_uri_pair",)


def check_redirect(registered: Any, sent: Any, *, now: datetime | None = None) -> Report:
    """Compare ``registered`` with ``sent`` exactly, as RFC 6749 §3.1.2.3 and the IdPs do.

    One finding per kind of difference (scheme, host case, localhost vs
    127.0.0.1, www., port, path case, trailing slash, percent-encoding, query,
    fragment, whitespace), plus ``redirect-mismatch`` with ``diverge_at`` (the
    1-based character position where they part) and an aligned snippet. Equal
    strings give ``redirect-match``. ``now`` is accepted for a uniform check
    signature and not used. Never raises.
    """
    try:
        findings = compare(_as_text(registered), _as_text(sent))
    except Exception:
        findings = [
            check_finding("redirect-unreadable")
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=_INPUTS)


def parse_redirect_pair(text: Any) -> tuple[str, str] | None:
    """``(registered, sent)`` found in free text, or None.

    Understands "registered X, app sends Y", "expected: X actual: Y",
    "configured X but got Y", "X vs Y", the same with the roles the other way
    round ("app sends Y but Z is registered"), and otherwise any two URLs, the
    first taken as the registered one (:func:`check_redirect_text` says so).
    """
    parsed = _parse(text)
    return None if parsed is None else (parsed[0], parsed[1])


def check_redirect_text(text: Any, *, now: datetime | None = None) -> Report:
    """Find the two redirect URIs in ``text`` and compare them (see :func:`check_redirect`)."""
    parsed = _parse(text)
    if parsed is None:
        return Report(subject=SUBJECT, findings=(_pair_not_found(),), inputs=_INPUTS)
    registered, sent, how = parsed
    report = check_redirect(registered, sent, now=now)
    if how == "labelled":
        return report
    return Report(subject=report.subject, findings=report.findings + (_order_assumed(registered, sent),),
                  inputs=report.inputs, secret_seen=report.secret_seen)


def _parse(text: Any) -> tuple[str, str, str] | None:
    """(registered, sent, how) from any pasted value; None when there is no pair or the text defeats the parser."""
    try:
        return parse_pair(_as_text(text))
    except Exception:
        return None


def _pair_not_found() -> Finding:
    return check_finding("redirect-pair-not-found")


def _order_assumed(registered: str, sent: str) -> Finding:
    """Said when the text gave no roles: the differences hold either way, only the labels would swap."""
    return check_finding("redirect-order-assumed", {"registered": clip(registered), "sent": clip(sent)})
