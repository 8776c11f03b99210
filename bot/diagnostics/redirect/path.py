"""The redirect URI comparison, the rest of the URI: path, query and fragment.

A path difference is named as precisely as possible (a trailing slash, then percent-encoding,
then letter case, else a different path); a fragment is reported even when both sides agree,
because RFC 6749 §3.1.2 forbids it outright.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from bot.diagnostics.redirect.shared import (FIX_REGISTER, REF_ENTRA_REPLY_URL, REF_RFC3986_COMPARE,
                                             REF_RFC6749_COMPARE, REF_RFC6749_REDIRECT, Uri, clip)
from bot.diagnostics.report import Finding, Severity

_PCT_RE = re.compile(r"%[0-9a-fA-F]{2}")


def path_differences(pa: str, pb: str, facts: dict[str, str]) -> list[Finding]:
    """A trailing-slash finding, then what else tells the paths apart once the final slash is set aside."""
    if pa == pb:
        return []
    findings: list[Finding] = []
    path_facts = {**facts, "registered_path": clip(pa or "(empty)", 160), "sent_path": clip(pb or "(empty)", 160)}
    if pa.endswith("/") != pb.endswith("/"):
        findings.append(_trailing_slash(pa, pb, path_facts))
        pa, pb = pa.rstrip("/"), pb.rstrip("/")
    if pa != pb:
        findings.extend(_spelling(pa, pb, path_facts))
    return findings


def _trailing_slash(pa: str, pb: str, facts: dict[str, str]) -> Finding:
    with_slash = "registered" if pa.endswith("/") else "sent"
    bare_host = "" if (pa.rstrip("/") or pb.rstrip("/")) else (
        " Note that for a URI with no path, Entra adds the '/' itself when it redirects back (query and "
        "fragment response modes), so the app may see the slash either way."
    )
    return Finding(
        code="redirect-trailing-slash",
        severity=Severity.FAIL,
        title=f"Trailing slash only in the {with_slash} URI",
        detail=f"'{clip(pa or '(empty)', 80)}' vs '{clip(pb or '(empty)', 80)}'. A trailing slash makes a different "
        "string, and the IdP rejects it." + bare_host,
        fix=("Add or remove the final slash so both are the same.", *FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE,),
        facts=facts,
    )


def _spelling(pa: str, pb: str, facts: dict[str, str]) -> list[Finding]:
    """Different paths: only in how they are percent-encoded, only in letter case, both, or altogether."""
    ua, ub = _hex_upper(pa), _hex_upper(pb)
    if ua == ub:
        return [_percent(facts, "the same escapes written with lower- and upper-case hex digits (%2f vs %2F)")]
    da, db = unquote(ua), unquote(ub)
    if da == db:
        what = "one writes a character percent-encoded (such as %2F) where the other has it as is (/)"
        return [_percent(facts, what)]
    if pa.lower() == pb.lower():
        return [_path_case(pa, pb, facts)]
    if da.lower() == db.lower():
        return [_percent(facts, "percent-encoding differs"), _path_case(pa, pb, facts)]
    return [
        Finding(
            code="redirect-path",
            severity=Severity.FAIL,
            title="Different paths",
            detail=f"'{clip(pa or '(empty)', 100)}' vs '{clip(pb or '(empty)', 100)}'. The callback path the app "
            "sends is not the one registered.",
            fix=FIX_REGISTER,
            refs=(REF_RFC6749_COMPARE,),
            facts=facts,
        )
    ]


def _hex_upper(path: str) -> str:
    return _PCT_RE.sub(lambda m: m.group(0).upper(), path)


def _percent(facts: dict[str, str], what: str) -> Finding:
    return Finding(
        code="redirect-percent-encoding",
        severity=Severity.FAIL,
        title="Percent-encoding differs",
        detail=f"The paths decode to the same text but are written differently: {what}. RFC 3986 §6.2.2 treats "
        "some of these as equivalent; the IdP compares the raw string and does not.",
        fix=("Copy the exact string the app sends (from the IdP error or a HAR trace) into the registration.",
             *FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
        facts=facts,
    )


def _path_case(pa: str, pb: str, facts: dict[str, str]) -> Finding:
    return Finding(
        code="redirect-path-case",
        severity=Severity.FAIL,
        title="The path differs in letter case",
        detail=f"'{clip(pa, 100)}' vs '{clip(pb, 100)}'. Paths are case-sensitive (RFC 3986 §6.2.2.1), and so is "
        "the IdP's comparison.",
        fix=("Use the exact case in both places; copy rather than retype.", *FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
        facts=facts,
    )


def query_differences(a: Uri, b: Uri, facts: dict[str, str]) -> list[Finding]:
    if a.query == b.query:
        return []
    qa = "(none)" if a.query is None else "?" + a.query
    qb = "(none)" if b.query is None else "?" + b.query
    return [
        Finding(
            code="redirect-query",
            severity=Severity.FAIL,
            title="The query strings differ",
            detail=f"Registered: {clip(qa, 120)}; sent: {clip(qb, 120)}. The query is part of the compared string. "
            "Entra accepts a query in a redirect URI only for apps that sign in work or school accounts; "
            "per-request values belong in the state parameter.",
            fix=FIX_REGISTER,
            refs=(REF_RFC6749_REDIRECT, REF_ENTRA_REPLY_URL),
            facts={**facts, "registered_query": clip(qa, 120), "sent_query": clip(qb, 120)},
        )
    ]


def fragment_findings(a: Uri, b: Uri, facts: dict[str, str]) -> list[Finding]:
    """A fragment on either side, whether or not the two agree: RFC 6749 forbids it."""
    sides = [name for name, uri in (("registered", a), ("sent", b)) if uri.fragment is not None]
    if not sides:
        return []
    return [
        Finding(
            code="redirect-fragment",
            severity=Severity.FAIL,
            title=f"A '#' fragment in the {' and '.join(sides)} redirect URI",
            detail="A redirect URI must not contain a fragment (RFC 6749 §3.1.2), even if both sides agree. The IdP "
            "rejects the registration or the request.",
            fix=("Remove everything from the '#' on, in the registration and in the app.",
                 "If the app needs a client-side route, carry it in the state parameter instead."),
            refs=(REF_RFC6749_REDIRECT,),
            facts={**facts, "which": ", ".join(sides)},
        )
    ]
